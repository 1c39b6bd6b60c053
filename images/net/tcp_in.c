// TCP input: segments are matched to connections and run through the
// state machine (RFC 793 as amended by RFC 1122 and 5961): acceptability,
// RST and SYN checks, the ACK (freeing sent data, window updates, fast
// retransmit on the third duplicate ACK), then data and FIN.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

#define MS(x) ((u64)(x) * US_PER_MS)

// A segment for no connection: a SYN to a listener opens one, or waits
// unanswered for the client to retransmit it if there is no slot now;
// anything else is answered with a RST.
static void
tcp_no_conn(u32 rip, const struct tcp_seg *s)
{
  const struct tcp_ops *ops;

  if(s->flags & TH_RST)
    return;
  if((s->flags & (TH_SYN | TH_ACK | TH_FIN)) == TH_SYN && tcp_listener(s->dport, &ops) == 0){
    if(!tcp_new(rip, s, ops))
      tcp_stats.waited++;
    return;
  }
  tcp_send_rst(rip, s);
}

// SYN_RCVD: the ACK of our SYN establishes the connection (then its data
// is processed as usual). 0 to go on, -1 if the segment is done with.
static int
tcp_synrcvd(struct tcb *t, const struct tcp_seg *s)
{
  if(s->flags & TH_RST){
    if(s->seq == t->rcv_nxt)
      tcp_free(t);
    return -1;
  }
  if(s->flags & TH_SYN){
    if(s->seq == t->irs)
      tcp_xmit(t, t->iss, 0, 0, TH_SYN | TH_ACK);   // our SYN-ACK was lost
    return -1;
  }
  if(!(s->flags & TH_ACK))
    return -1;
  if(s->ack != t->iss + 1){
    tcp_send_rst(t->rip, s);
    return -1;
  }
  tcp_established(t);
  t->snd_una = s->ack;
  t->snd_wnd = s->wnd;
  t->snd_wl1 = s->seq;
  t->snd_wl2 = s->ack;
  t->rtx_at = 0;
  if(t->flags & TF_TIMING)
    tcp_rtt(t, netif.now);
  if(t->ops->accept(t - tcbs) < 0){
    tcp_abort(t - tcbs);
    return -1;
  }
  t->flags |= TF_ACCEPTED;
  tcp_stats.accepted++;
  return 0;
}

// Does any of segment s fall inside the receive window (RFC 793)? Zero-
// length segments (a bare FIN too) must sit at rcv_nxt when it is shut.
static int
tcp_acceptable(struct tcb *t, const struct tcp_seg *s)
{
  u32 wnd = tcp_rcv_free(t);
  u32 end = s->seq + s->dlen - 1;

  if(s->dlen == 0)
    return wnd == 0 ? s->seq == t->rcv_nxt
                    : SEQ_GEQ(s->seq, t->rcv_nxt) && SEQ_LT(s->seq, t->rcv_nxt + wnd);
  if(wnd == 0)
    return 0;
  return (SEQ_GEQ(s->seq, t->rcv_nxt) && SEQ_LT(s->seq, t->rcv_nxt + wnd)) ||
         (SEQ_GEQ(end, t->rcv_nxt) && SEQ_LT(end, t->rcv_nxt + wnd));
}

// Our FIN was acknowledged: move on from the closing state.
static void
tcp_fin_acked(struct tcb *t)
{
  if(t->state == TCP_FIN_WAIT_1){
    t->state = TCP_FIN_WAIT_2;
    t->wait_at = netif.now + MS(TCP_FINWAIT2_MS);
  } else if(t->state == TCP_CLOSING){
    t->state = TCP_TIME_WAIT;
    t->wait_at = netif.now + MS(TCP_TIMEWAIT_MS);
  } else if(t->state == TCP_LAST_ACK)
    tcp_free(t);
}

// Resend the first unacknowledged segment (fast retransmit).
static void
tcp_resend_first(struct tcb *t)
{
  u32 n = t->snd_len < t->mss ? t->snd_len : t->mss;
  int fin = n == t->snd_len && t->snd_max == t->snd_una + t->snd_len + 1;

  t->flags &= ~TF_TIMING;
  tcp_stats.fast_rexmits++;
  tcp_xmit(t, t->snd_una, 0, n, TH_ACK | (fin ? TH_FIN : 0));
}

// An ACK that takes acked bytes (the FIN too if fin) off the send queue.
static void
tcp_acked(struct tcb *t, u32 ack)
{
  u32 acked = ack - t->snd_una;
  int fin = acked > t->snd_len;

  tcp_snd_drop(t, fin ? t->snd_len : acked);
  t->snd_una = ack;
  if(SEQ_LT(t->snd_nxt, t->snd_una))
    t->snd_nxt = t->snd_una;
  t->dupacks = 0;
  if((t->flags & TF_TIMING) && SEQ_GT(ack, t->rtt_seq))
    tcp_rtt(t, netif.now);
  t->rtx_at = t->snd_una == t->snd_max ? 0 : netif.now + t->rto;
  if(fin)
    tcp_fin_acked(t);
}

// The ACK field of s (synchronized states). 0 to go on, -1 if the segment
// is done with (or the connection is gone).
static int
tcp_ack(struct tcb *t, const struct tcp_seg *s)
{
  int c = t - tcbs, moved = SEQ_GT(s->ack, t->snd_una);

  if(SEQ_GT(s->ack, t->snd_max)){
    t->flags |= TF_ACKNOW;              // acks what we never sent
    tcp_out(t);
    return -1;
  }
  if(moved)
    tcp_acked(t, s->ack);
  else if(s->ack == t->snd_una && s->dlen == 0 && !(s->flags & TH_FIN) &&
          s->wnd == t->snd_wnd && t->snd_una != t->snd_max && ++t->dupacks == 3)
    tcp_resend_first(t);
  if(t->state == TCP_CLOSED)
    return -1;
  if(SEQ_LT(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && SEQ_LEQ(t->snd_wl2, s->ack))){
    t->snd_wnd = s->wnd;
    t->snd_wl1 = s->seq;
    t->snd_wl2 = s->ack;
  }
  if(moved && (t->flags & TF_ACCEPTED) && t->ops->sent)
    t->ops->sent(c);
  return t->state == TCP_CLOSED ? -1 : 0;
}

// The peer's FIN (all data before it received): half-close our receiving.
static void
tcp_fin(struct tcb *t)
{
  t->rcv_nxt++;
  t->flags |= TF_PEERFIN | TF_ACKNOW;
  tcp_wnd_changed();
  if(t->state == TCP_ESTABLISHED)
    t->state = TCP_CLOSE_WAIT;
  else if(t->state == TCP_FIN_WAIT_1)
    t->state = TCP_CLOSING;
  else if(t->state == TCP_FIN_WAIT_2){
    t->state = TCP_TIME_WAIT;
    t->wait_at = netif.now + MS(TCP_TIMEWAIT_MS);
  }
}

// The data and FIN of s; tells the application if there is news.
static void
tcp_data(struct tcb *t, const struct tcp_seg *s)
{
  u32 added = 0;
  int fin = 0;

  if(t->flags & TF_PEERFIN)
    return;
  if(s->dlen && (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
                 t->state == TCP_FIN_WAIT_2))
    added = tcp_rcv_data(t, s->seq, s->data, s->dlen);
  if((s->flags & TH_FIN) && s->seq + s->dlen == t->rcv_nxt){
    tcp_fin(t);
    fin = 1;
  }
  if((added || fin) && (t->flags & TF_ACCEPTED) && t->ops->recv)
    t->ops->recv(t - tcbs);
}

// A segment for an established (or closing) connection.
static void
tcp_segment(struct tcb *t, const struct tcp_seg *s)
{
  if(!tcp_acceptable(t, s)){
    if(!(s->flags & TH_RST)){
      t->flags |= TF_ACKNOW;
      tcp_out(t);
    }
    return;
  }
  if(s->flags & (TH_RST | TH_SYN)){
    if((s->flags & TH_RST) && s->seq == t->rcv_nxt){
      t->err = TCP_ERR_RESET;
      tcp_free(t);
      return;
    }
    t->flags |= TF_ACKNOW;              // RFC 5961 challenge ACK
    tcp_out(t);
    return;
  }
  if(!(s->flags & TH_ACK) || tcp_ack(t, s) < 0)
    return;
  t->retries = 0;
  t->seen = netif.now;
  tcp_data(t, s);
}

// A TCP segment in IP packet ih, from the network.
void
tcp_input(const struct ip_hdr *ih, const u8 *p, u32 len)
{
  struct tcp_seg s;
  struct tcb *t;

  if(tcp_parse(ih, p, len, &s) < 0){
    netif.rx_bad++;
    return;
  }
  t = tcp_lookup(ih->src, s.sport, s.dport);
  if(t && t->state == TCP_TIME_WAIT && (s.flags & (TH_SYN | TH_ACK)) == TH_SYN &&
     SEQ_GT(s.seq, t->rcv_nxt)){
    tcp_free(t);                        // RFC 1122: a new incarnation
    t = 0;
  }
  if(!t){
    tcp_no_conn(ih->src, &s);
    return;
  }
  if(!(s.flags & TH_SYN))
    s.wnd <<= t->snd_scale;             // a SYN's window is never scaled
  if(t->state == TCP_SYN_SENT)
    tcp_synsent(t, &s);
  else if(t->state == TCP_SYN_RCVD){
    if(tcp_synrcvd(t, &s) < 0)
      return;
    t->seen = netif.now;
    tcp_data(t, &s);
  } else
    tcp_segment(t, &s);
  if(t->state != TCP_CLOSED)
    tcp_out(t);
}
