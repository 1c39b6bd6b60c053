// TCP output: the segment format, sending data within the peer's window
// (no Nagle: HTTP writes whole responses before calling tcp_output), the
// FIN after the last byte, RSTs, RTT estimation (RFC 6298) and the timers:
// retransmission (go-back-N from snd_una, exponential backoff), zero-window
// persist probes, delayed ACKs, TIME_WAIT and FIN_WAIT_2, idle connections.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

#define OPT_END  0
#define OPT_NOP  1
#define OPT_MSS  2
#define OPT_WS   3
#define MS(x)    ((u64)(x) * US_PER_MS)

// Read the options of header p[20..hlen) into s (MSS and window scale).
static void
tcp_options(const u8 *p, u32 hlen, struct tcp_seg *s)
{
  for(u32 i = TCP_HLEN; i < hlen;){
    if(p[i] == OPT_END)
      break;
    if(p[i] == OPT_NOP){
      i++;
      continue;
    }
    if(i + 1 >= hlen || p[i + 1] < 2 || i + p[i + 1] > hlen)
      break;
    if(p[i] == OPT_MSS && p[i + 1] == 4)
      s->mss = get16(p + i + 2);
    if(p[i] == OPT_WS && p[i + 1] == 3)
      s->wscale = (p[i + 2] > TCP_MAXSCALE ? TCP_MAXSCALE : p[i + 2]) + 1;
    i += p[i + 1];
  }
}

// Parse and checksum the segment p[0..len) of IP packet ih. 0, or -1 to drop.
int
tcp_parse(const struct ip_hdr *ih, const u8 *p, u32 len, struct tcp_seg *s)
{
  u32 hlen;

  if(len < TCP_HLEN)
    return -1;
  hlen = (p[12] >> 4) * 4;
  if(hlen < TCP_HLEN || hlen > len)
    return -1;
  if(inet_fold(inet_sum(inet_pseudo(ih->src, ih->dst, IP_TCP, len), p, len)) != 0)
    return -1;
  s->sport = get16(p);
  s->dport = get16(p + 2);
  s->seq = get32(p + 4);
  s->ack = get32(p + 8);
  s->flags = p[13] & 0x3F;
  s->wnd = get16(p + 14);
  s->mss = 0;
  s->wscale = 0;
  tcp_options(p, hlen, s);
  s->data = p + hlen;
  s->dlen = len - hlen;
  return 0;
}

// Write the header of s at p (an MSS option if s->mss, a window scale if
// s->wscale), checksum zero; returns the header length.
u32
tcp_emit(const struct tcp_seg *s, u8 *p)
{
  u32 hlen = TCP_HLEN + (s->mss ? 4 : 0) + (s->wscale ? 4 : 0), o = TCP_HLEN;

  put16(p, s->sport);
  put16(p + 2, s->dport);
  put32(p + 4, s->seq);
  put32(p + 8, s->ack);
  p[12] = (hlen / 4) << 4;
  p[13] = s->flags;
  put16(p + 14, s->wnd);
  put32(p + 16, 0);                    // checksum, urgent pointer
  if(s->mss){
    p[o] = OPT_MSS;
    p[o + 1] = 4;
    put16(p + o + 2, s->mss);
    o += 4;
  }
  if(s->wscale){
    p[o] = OPT_NOP;
    p[o + 1] = OPT_WS;
    p[o + 2] = 3;
    p[o + 3] = s->wscale - 1;
  }
  return hlen;
}

// Checksum the segment at ip_txbuf() and send it to dst.
static void
tcp_send(u32 dst, u32 len)
{
  u8 *p = ip_txbuf();

  put16(p + 16, inet_fold(inet_sum(inet_pseudo(netif.ip, dst, IP_TCP, len), p, len)));
  ip_output(dst, IP_TCP, len);
}

// Send a segment of t: sequence number seq, n bytes from the send ring at
// offset off, flags. Every segment but a SYN-less RST carries our ACK and
// window, which settles any pending ACK.
void
tcp_xmit(struct tcb *t, u32 seq, u32 off, u32 n, u8 flags)
{
  struct tcp_seg s;
  u8 *p = ip_txbuf();
  u32 hlen;

  s.sport = t->lport;
  s.dport = t->rport;
  s.seq = seq;
  s.ack = t->rcv_nxt;
  s.flags = flags;
  s.wnd = tcp_rcv_window(t);
  s.mss = 0;
  s.wscale = 0;
  if(flags & TH_SYN){                   // a SYN's window is never scaled
    s.wnd = s.wnd > TCP_MAXWIN ? TCP_MAXWIN : s.wnd;
    s.mss = tcp_mss();
    s.wscale = (t->flags & TF_WSCALE) ? t->rcv_scale + 1 : 0;
  } else if((s.wnd >>= t->rcv_scale) > TCP_MAXWIN)
    s.wnd = TCP_MAXWIN;
  hlen = tcp_emit(&s, p);
  if(n)
    tcp_snd_copy(t, off, p + hlen, n);
  tcp_send(t->rip, hlen + n);
  if(flags & TH_ACK){
    t->rcv_adv = t->rcv_nxt + ((flags & TH_SYN) ? s.wnd : s.wnd << t->rcv_scale);
    t->flags &= ~TF_ACKNOW;
    t->ack_at = 0;
    t->segs = 0;
  }
}

// Answer segment s from rip, which belongs to no connection, with a RST.
void
tcp_send_rst(u32 rip, const struct tcp_seg *s)
{
  struct tcp_seg r;

  r.sport = s->dport;
  r.dport = s->sport;
  r.mss = 0;
  r.wscale = 0;
  r.wnd = 0;
  if(s->flags & TH_ACK){
    r.seq = s->ack;
    r.ack = 0;
    r.flags = TH_RST;
  } else {
    r.seq = 0;
    r.ack = s->seq + s->dlen + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
    r.flags = TH_RST | TH_ACK;
  }
  tcp_send(rip, tcp_emit(&r, ip_txbuf()));
}

// Update the RTT estimate with the sample of the timed segment (RFC 6298).
void
tcp_rtt(struct tcb *t, u64 now)
{
  u32 r = (u32)(now - t->rtt_at), d;

  t->flags &= ~TF_TIMING;
  if(t->srtt == 0){
    t->srtt = r ? r : 1;
    t->rttvar = r / 2;
  } else {
    d = t->srtt > r ? t->srtt - r : r - t->srtt;
    t->rttvar = t->rttvar - t->rttvar / 4 + d / 4;
    t->srtt = t->srtt - t->srtt / 8 + r / 8;
  }
  t->rto = t->srtt + 4 * t->rttvar;
  if(t->rto < MS(TCP_RTO_MIN_MS))
    t->rto = MS(TCP_RTO_MIN_MS);
  if(t->rto > MS(TCP_RTO_MAX_MS))
    t->rto = MS(TCP_RTO_MAX_MS);
}

// May t send data (and, once closed, its FIN) in its state?
static int
tcp_can_send(struct tcb *t, int *fin_ok)
{
  *fin_ok = t->state == TCP_FIN_WAIT_1 || t->state == TCP_CLOSING || t->state == TCP_LAST_ACK;
  return *fin_ok || t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT;
}

// Send what the peer's window allows from snd_nxt on, then the FIN if the
// application closed; then any ACK still owed. Arms the timers.
void
tcp_out(struct tcb *t)
{
  u32 off, avail, win, n;
  int fin_ok, fin;

  while(tcp_can_send(t, &fin_ok)){
    off = t->snd_nxt - t->snd_una;
    if(off > t->snd_len)
      break;                            // the FIN is out
    avail = t->snd_len - off;
    win = t->snd_wnd > off ? t->snd_wnd - off : 0;
    if((t->flags & TF_PROBE) && win == 0 && avail > 0)
      win = 1;
    n = avail < win ? avail : win;
    n = n < t->mss ? n : t->mss;
    fin = fin_ok && n == avail;
    if(n == 0 && !fin)
      break;
    t->flags &= ~TF_PROBE;
    if(!(t->flags & TF_TIMING) && t->snd_nxt == t->snd_max){
      t->flags |= TF_TIMING;
      t->rtt_seq = t->snd_nxt;
      t->rtt_at = netif.now;
    }
    tcp_xmit(t, t->snd_nxt, off, n, TH_ACK | (n == avail && n ? TH_PSH : 0) | (fin ? TH_FIN : 0));
    t->snd_nxt += n + fin;
    if(SEQ_GT(t->snd_nxt, t->snd_max))
      t->snd_max = t->snd_nxt;
    if(t->rtx_at == 0)
      t->rtx_at = netif.now + t->rto;
  }
  if(t->state != TCP_CLOSED && t->rtx_at == 0 && t->snd_len > 0 && t->snd_wnd == 0)
    t->rtx_at = netif.now + t->rto;     // persist: probe the shut window
  if(t->state != TCP_CLOSED && (t->flags & TF_ACKNOW))
    tcp_xmit(t, t->snd_nxt, 0, 0, TH_ACK);
}

// The retransmission (or persist) timer of t fired.
static void
tcp_timeout(struct tcb *t)
{
  int syn = t->state == TCP_SYN_RCVD || t->state == TCP_SYN_SENT;

  t->rtx_at = 0;
  tcp_stats.timeouts++;
  if(++t->retries > (syn ? TCP_SYN_RETRIES : TCP_RETRIES)){
    if(!syn)
      tcp_xmit(t, t->snd_nxt, 0, 0, TH_RST | TH_ACK);
    t->err = TCP_ERR_TIMEOUT;
    tcp_free(t);
    return;
  }
  t->rto = t->rto * 2 < MS(TCP_RTO_MAX_MS) ? t->rto * 2 : MS(TCP_RTO_MAX_MS);
  t->flags &= ~TF_TIMING;               // Karn: no samples from retransmissions
  if(syn){
    if(t->state == TCP_SYN_SENT)
      arp_forget(t->rip);               // the peer may have left: ask for it again
    tcp_xmit(t, t->iss, 0, 0, t->state == TCP_SYN_SENT ? TH_SYN : TH_SYN | TH_ACK);
    t->rtx_at = netif.now + t->rto;
    return;
  }
  t->snd_nxt = t->snd_una;              // go back N
  if(t->snd_wnd == 0)
    t->flags |= TF_PROBE;
  tcp_out(t);
}

// Run the timers of t due at now; the next time t needs attention.
static u64
tcp_timers(struct tcb *t, u64 now)
{
  u64 next;

  if(t->wait_at && now >= t->wait_at){
    tcp_free(t);
    return TIME_NEVER;
  }
  if(t->state != TCP_TIME_WAIT && now >= t->seen + MS(TCP_IDLE_MS)){
    t->err = TCP_ERR_TIMEOUT;
    tcp_abort(t - tcbs);
    return TIME_NEVER;
  }
  if(t->rtx_at && now >= t->rtx_at)
    tcp_timeout(t);
  if(t->state == TCP_CLOSED)
    return TIME_NEVER;
  if(t->ack_at && now >= t->ack_at){
    t->flags |= TF_ACKNOW;
    tcp_out(t);
  }
  next = t->state == TCP_TIME_WAIT ? TIME_NEVER : t->seen + MS(TCP_IDLE_MS);
  if(t->rtx_at && t->rtx_at < next)
    next = t->rtx_at;
  if(t->ack_at && t->ack_at < next)
    next = t->ack_at;
  if(t->wait_at && t->wait_at < next)
    next = t->wait_at;
  return next;
}

// Idle poller part: run every connection's due timers; the next deadline.
u64
tcp_poll(u64 now)
{
  u64 next = TIME_NEVER, t;

  netif.now = now;
  for(u32 k = tcp_used.n; k-- > 0;){
    if(k >= tcp_used.n)                 // a timer freed several connections
      continue;
    t = tcp_timers(&tcbs[tcp_used.c[k]], now);
    if(t < next)
      next = t;
  }
  if((t = tcp_buf_wake(now)) < next)
    next = t;
  return next;
}
