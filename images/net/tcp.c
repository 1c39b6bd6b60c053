// TCP input and the connection state machine (RFC 793 as amended by RFC
// 1122, 5961 and 6298), server side: listeners accept SYNs into SYN_RCVD;
// the table holds TCP_CONNS connections and refuses more with a RST, after
// recycling the oldest TIME_WAIT one. A connection is a small integer; the
// listener's ops hear about it from accept to closed, exactly once each.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

struct tcb tcbs[TCP_CONNS];
struct tcp_stats tcp_stats;

static struct {
  u16 port;
  const struct tcp_ops *ops;
} listeners[TCP_LISTENERS];

static u32 iss_secret;

// Forget every connection and listener; seed the initial sequence numbers.
// Only the states are reset: tcp_new initialises a tcb when it is taken (the
// table is 2 MiB, too much to clear for nothing at every boot).
void
tcp_reset(u32 seed)
{
  for(int i = 0; i < TCP_CONNS; i++){
    tcbs[i].state = TCP_CLOSED;
    tcbs[i].flags = 0;
  }
  memset(listeners, 0, sizeof(listeners));
  memset(&tcp_stats, 0, sizeof(tcp_stats));
  iss_secret = seed;
}

// Accept connections to port with ops. 0, or -1 if no listener is free.
int
tcp_listen(u16 port, const struct tcp_ops *ops)
{
  for(int i = 0; i < TCP_LISTENERS; i++)
    if(listeners[i].ops == 0){
      listeners[i].port = port;
      listeners[i].ops = ops;
      return 0;
    }
  return -1;
}

// The ops of the listener on port; 0, or -1 if nobody listens there.
int
tcp_listener(u16 port, const struct tcp_ops **ops)
{
  for(int i = 0; i < TCP_LISTENERS; i++)
    if(listeners[i].ops && listeners[i].port == port){
      *ops = listeners[i].ops;
      return 0;
    }
  return -1;
}

// Release t; tell the application if it had accepted the connection.
void
tcp_free(struct tcb *t)
{
  int accepted = t->flags & TF_ACCEPTED;

  t->state = TCP_CLOSED;
  t->flags = 0;
  if(accepted && t->ops->closed)
    t->ops->closed(t - tcbs);
}

// Send a RST for c (if it is open) and release it.
void
tcp_abort(int c)
{
  struct tcb *t = &tcbs[c];

  if(c < 0 || c >= TCP_CONNS || t->state == TCP_CLOSED)
    return;
  if(t->state != TCP_SYN_RCVD && t->state != TCP_TIME_WAIT)
    tcp_xmit(t, t->snd_nxt, 0, 0, TH_RST | TH_ACK);
  tcp_free(t);
}

// The application is done sending on c: a FIN follows the queued data.
// Receiving goes on until the peer's FIN (half-close).
void
tcp_close(int c)
{
  struct tcb *t = &tcbs[c];

  if(c < 0 || c >= TCP_CONNS)
    return;
  if(t->state == TCP_ESTABLISHED)
    t->state = TCP_FIN_WAIT_1;
  else if(t->state == TCP_CLOSE_WAIT)
    t->state = TCP_LAST_ACK;
}

// Send what can be sent on c now (and any ACK owed).
void
tcp_output(int c)
{
  if(c >= 0 && c < TCP_CONNS && tcbs[c].state != TCP_CLOSED)
    tcp_out(&tcbs[c]);
}

// The state of c (TCP_CLOSED if it is not in use).
int
tcp_state(int c)
{
  return c >= 0 && c < TCP_CONNS ? tcbs[c].state : TCP_CLOSED;
}

// RFC 6528-style initial sequence number: a keyed hash of the connection
// plus a clock ticking every 4 us.
static u32
tcp_iss(u32 rip, u16 rport, u16 lport)
{
  u32 h = iss_secret ^ rip ^ ((u32)rport << 16 | lport);

  h ^= h >> 16;
  h *= 0x7FEB352D;
  h ^= h >> 15;
  h *= 0x846CA68B;
  h ^= h >> 16;
  return h + (u32)(netif.now >> 2);
}

// A free tcb: an unused one, else the oldest TIME_WAIT one; null if full.
static struct tcb *
tcp_slot(void)
{
  struct tcb *old = 0;

  for(int i = 0; i < TCP_CONNS; i++){
    if(tcbs[i].state == TCP_CLOSED)
      return &tcbs[i];
    if(tcbs[i].state == TCP_TIME_WAIT && (!old || tcbs[i].wait_at < old->wait_at))
      old = &tcbs[i];
  }
  if(old)
    tcp_free(old);
  return old;
}

// A SYN for a listener: enter SYN_RCVD and send our SYN-ACK. Null if the
// table is full.
struct tcb *
tcp_new(u32 rip, const struct tcp_seg *s, const struct tcp_ops *ops)
{
  struct tcb *t = tcp_slot();
  u32 mss = s->mss ? s->mss : TCP_DEFAULT_MSS;

  if(!t)
    return 0;
  memset(t, 0, (u8 *)&t->sndbuf - (u8 *)t);
  t->state = TCP_SYN_RCVD;
  t->rip = rip;
  t->rport = s->sport;
  t->lport = s->dport;
  t->ops = ops;
  t->irs = s->seq;
  t->rcv_nxt = t->rcv_adv = s->seq + 1;
  t->iss = tcp_iss(rip, s->sport, s->dport);
  t->snd_una = t->iss;
  t->snd_nxt = t->snd_max = t->iss + 1;
  t->snd_wnd = s->wnd;
  t->snd_wl1 = s->seq;
  t->mss = mss < TCP_MSS ? (mss < 64 ? 64 : mss) : TCP_MSS;
  t->rto = TCP_RTO_INIT_MS * US_PER_MS;
  t->seen = netif.now;
  t->flags = TF_TIMING;
  t->rtt_seq = t->iss;
  t->rtt_at = netif.now;
  tcp_xmit(t, t->iss, 0, 0, TH_SYN | TH_ACK);
  t->rtx_at = netif.now + t->rto;
  return t;
}

// The name of a state, for the net command.
const char *
tcp_state_name(int state)
{
  static const char *const names[] = {
    "CLOSED", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
    "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
  };

  return state >= 0 && state < (int)NELEM(names) ? names[state] : "?";
}

// Print the connection table (the shell's net command).
void
tcp_print(void)
{
  struct tcb *t;

  kprintf("  accepted %u, refused %u, timeouts %u, fast retransmits %u, out-of-order %u\n",
          tcp_stats.accepted, tcp_stats.refused, tcp_stats.timeouts, tcp_stats.fast_rexmits,
          tcp_stats.ooo_segs);
  for(int i = 0; i < TCP_LISTENERS; i++)
    if(listeners[i].ops)
      kprintf("  tcp *:%u LISTEN\n", listeners[i].port);
  for(int i = 0; i < TCP_CONNS; i++){
    t = &tcbs[i];
    if(t->state == TCP_CLOSED)
      continue;
    kprintf("  tcp %2d :%u " IP_FMT ":%u %s rcv %u snd %u rto %u ms\n", i, t->lport,
            IP_ARGS(t->rip), t->rport, tcp_state_name(t->state), t->rcv_len, t->snd_len,
            t->rto / 1000);
  }
}
