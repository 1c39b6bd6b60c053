// TCP input and the connection state machine (RFC 793 as amended by RFC
// 1122, 5961 and 6298): listeners accept SYNs into SYN_RCVD (tcp_open.c
// opens connections actively).
// The table holds TCP_CONNS connections and never resets one to make room:
// a SYN that finds it full takes the oldest TIME_WAIT slot, or else asks
// the application to close its longest-idle connection cleanly and goes
// unanswered (the client retransmits it; by then the slot is free). The
// same wait applies beyond TCP_BACKLOG half-open connections. A connection
// is a small integer; the listener's ops hear about it from accept to
// closed, exactly once each.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

_Static_assert((TCP_HASH & (TCP_HASH - 1)) == 0, "TCP_HASH must be a power of two");
_Static_assert(TCP_CONNS < 65535, "connection numbers are u16");

struct tcb tcbs[TCP_CONNS];
struct tcp_used tcp_used;
struct tcp_stats tcp_stats;

static struct {
  u16 port;
  const struct tcp_ops *ops;
} listeners[TCP_LISTENERS];

static struct {
  u16 free[TCP_CONNS];     // unused connections, a stack
  u32 nfree;
  u32 nsyn;                // connections in SYN_RCVD
  u16 hash[TCP_HASH];      // lookup buckets: first connection, TCP_CONNS if none
} table;

static u32 iss_secret;

// Forget every connection and listener; seed the initial sequence numbers.
// Only the states are reset: tcp_new initialises a tcb when it is taken.
void
tcp_reset(u32 seed)
{
  for(int i = 0; i < TCP_CONNS; i++){
    tcbs[i].state = TCP_CLOSED;
    tcbs[i].flags = 0;
    tcbs[i].sndbuf = tcbs[i].rcvbuf = 0;
    table.free[i] = TCP_CONNS - 1 - i;  // connection 0 is taken first
  }
  table.nfree = TCP_CONNS;
  table.nsyn = 0;
  tcp_used.n = 0;
  for(int i = 0; i < TCP_HASH; i++)
    table.hash[i] = TCP_CONNS;
  tcp_buf_reset();
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

// The lookup bucket of a connection.
static u16 *
tcp_bucket(u32 rip, u16 rport, u16 lport)
{
  u32 h = rip ^ ((u32)rport << 16 | lport);

  h ^= h >> 16;
  h *= 0x45D9F3B;
  h ^= h >> 16;
  return &table.hash[h & (TCP_HASH - 1)];
}

// The connection of (rip, rport) to lport, or null.
struct tcb *
tcp_lookup(u32 rip, u16 rport, u16 lport)
{
  struct tcb *t;

  for(u16 i = *tcp_bucket(rip, rport, lport); i != TCP_CONNS; i = t->hnext){
    t = &tcbs[i];
    if(t->rip == rip && t->rport == rport && t->lport == lport)
      return t;
  }
  return 0;
}

// Take t out of its lookup bucket.
static void
tcp_unhash(struct tcb *t)
{
  u16 *p = tcp_bucket(t->rip, t->rport, t->lport), c = t - tcbs;

  while(*p != c){
    if(*p == TCP_CONNS)
      panic("tcp_unhash: connection %u not in its bucket", c);
    p = &tcbs[*p].hnext;
  }
  *p = t->hnext;
}

// t leaves SYN_RCVD for ESTABLISHED.
void
tcp_established(struct tcb *t)
{
  t->state = TCP_ESTABLISHED;
  table.nsyn--;
}

// Release t and its buffers; tell the application if it had accepted the
// connection.
void
tcp_free(struct tcb *t)
{
  int accepted = t->flags & TF_ACCEPTED;

  if(t->state == TCP_CLOSED)
    panic("tcp_free: connection %u is not in use", (u32)(t - tcbs));
  if(t->state == TCP_SYN_RCVD)
    table.nsyn--;
  tcp_unhash(t);
  tcp_buf_release(t);
  t->state = TCP_CLOSED;
  t->flags = 0;
  table.free[table.nfree++] = t - tcbs;
  tcp_used.c[t->used] = tcp_used.c[--tcp_used.n];
  tcbs[tcp_used.c[t->used]].used = t->used;
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
  if(t->state != TCP_SYN_RCVD && t->state != TCP_SYN_SENT && t->state != TCP_TIME_WAIT)
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

// Why c ended (TCP_ERR_*): valid in ops->closed.
int
tcp_error(int c)
{
  return c >= 0 && c < TCP_CONNS ? tcbs[c].err : 0;
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

// Is t an established connection with nothing in flight either way, quiet
// for TCP_RECLAIM_IDLE_MS, that its application may be asked to close to
// make room? (A client about to reuse a connection just answered would
// see it closed under its next request.)
static int
tcp_idle(struct tcb *t)
{
  return t->state == TCP_ESTABLISHED && (t->flags & TF_ACCEPTED) && t->ops->reclaim &&
         t->snd_len == 0 && t->snd_una == t->snd_max && t->rcv_len == 0 && t->nooo == 0 &&
         netif.now - t->seen >= TCP_RECLAIM_IDLE_MS * US_PER_MS;
}

// The table is full: recycle the oldest TIME_WAIT connection (returned, now
// free), else ask the application to close the longest-idle connection
// cleanly (its FIN goes out; the slot frees when the close completes) and
// return null. An application busy with a connection TCP sees as idle
// (a request half read) says no; the next-longest-idle is asked then, up
// to TCP_RECLAIM_TRIES of them.
static struct tcb *
tcp_reclaim(void)
{
  struct tcb *old = 0, *idle, *t;
  u16 refused[TCP_RECLAIM_TRIES];
  int nrefused = 0, skip;

  for(int i = 0; i < TCP_CONNS; i++)
    if(tcbs[i].state == TCP_TIME_WAIT && (!old || tcbs[i].wait_at < old->wait_at))
      old = &tcbs[i];
  if(old){
    tcp_free(old);
    return old;
  }
  while(nrefused < TCP_RECLAIM_TRIES){
    idle = 0;
    for(int i = 0; i < TCP_CONNS; i++){
      t = &tcbs[i];
      skip = 0;
      for(int j = 0; j < nrefused; j++)
        skip |= refused[j] == i;
      if(!skip && tcp_idle(t) && (!idle || t->seen < idle->seen))
        idle = t;
    }
    if(!idle)
      break;
    if(idle->ops->reclaim(idle - tcbs) == 0){
      tcp_stats.reclaimed++;
      tcp_out(idle);
      break;
    }
    refused[nrefused++] = idle - tcbs;
  }
  return 0;
}

// A free tcb for a new connection, or null if the SYN must wait: the
// backlog of half-open connections is full, or so is the table.
static struct tcb *
tcp_slot(void)
{
  if(table.nsyn >= TCP_BACKLOG)
    return 0;
  if(table.nfree == 0 && !tcp_reclaim())
    return 0;
  return &tcbs[table.free[--table.nfree]];
}

// The MSS we advertise and the most we send: the interface's MTU less the
// IPv4 and TCP headers (TCP_MSS without an interface).
u32
tcp_mss(void)
{
  return netif.nic && netif.nic->mtu ? netif.nic->mtu - 40 : TCP_MSS;
}

// Does the interface carry frames larger than Ethernet's 1500 bytes?
int
tcp_big_link(void)
{
  return netif.nic && netif.nic->mtu > 1500;
}

// Set up t, just taken from the table, for a connection of (rip, rport)
// to our lport: in use, hashed, our ISN chosen, the RTO at its start.
static void
tcp_setup(struct tcb *t, u32 rip, u16 rport, u16 lport, const struct tcp_ops *ops)
{
  u16 *b = tcp_bucket(rip, rport, lport);

  memset(t, 0, sizeof(*t));
  t->used = tcp_used.n;
  tcp_used.c[tcp_used.n++] = t - tcbs;
  t->rip = rip;
  t->rport = rport;
  t->lport = lport;
  t->hnext = *b;
  *b = t - tcbs;
  t->ops = ops;
  t->iss = tcp_iss(rip, rport, lport);
  t->snd_una = t->iss;
  t->snd_nxt = t->snd_max = t->iss + 1;
  t->rto = TCP_RTO_INIT_MS * US_PER_MS;
  t->seen = netif.now;
  t->flags = TF_TIMING;
  t->rtt_seq = t->iss;
  t->rtt_at = netif.now;
}

// A SYN for a listener: enter SYN_RCVD and send our SYN-ACK. Null if it
// must wait (no slot now).
struct tcb *
tcp_new(u32 rip, const struct tcp_seg *s, const struct tcp_ops *ops)
{
  struct tcb *t = tcp_slot();
  u32 mss = s->mss ? s->mss : TCP_DEFAULT_MSS, ours = tcp_mss();

  if(!t)
    return 0;
  tcp_setup(t, rip, s->sport, s->dport, ops);
  t->state = TCP_SYN_RCVD;
  table.nsyn++;
  t->irs = s->seq;
  t->rcv_nxt = t->rcv_adv = s->seq + 1;
  t->snd_wnd = s->wnd;
  t->snd_wl1 = s->seq;
  t->mss = mss < ours ? (mss < 64 ? 64 : mss) : ours;
  if(s->wscale){                        // RFC 7323: both sides scale, or neither
    t->flags |= TF_WSCALE;
    t->snd_scale = s->wscale - 1;
    t->rcv_scale = TCP_WSCALE;
  }
  tcp_xmit(t, t->iss, 0, 0, TH_SYN | TH_ACK);
  t->rtx_at = netif.now + t->rto;
  return t;
}

// A connection for an active open of (rip, rport) from lport, in
// SYN_SENT (nothing sent yet); null if the table is full.
struct tcb *
tcp_take(u32 rip, u16 rport, u16 lport, const struct tcp_ops *ops)
{
  struct tcb *t;

  if(table.nfree == 0 && !tcp_reclaim())
    return 0;
  t = &tcbs[table.free[--table.nfree]];
  tcp_setup(t, rip, rport, lport, ops);
  t->state = TCP_SYN_SENT;
  return t;
}

// The name of a state, for the net command.
const char *
tcp_state_name(int state)
{
  static const char *const names[] = {
    "CLOSED", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
    "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "SYN_SENT",
  };

  return state >= 0 && state < (int)NELEM(names) ? names[state] : "?";
}

// Print the connection table (the shell's net command).
void
tcp_print(void)
{
  struct tcb *t;

  kprintf("  accepted %u, connected %u, SYNs waited %u, idle closed %u, timeouts %u, fast retransmits %u,"
          " out-of-order %u, no buffer %u\n",
          tcp_stats.accepted, tcp_stats.connected, tcp_stats.waited, tcp_stats.reclaimed, tcp_stats.timeouts,
          tcp_stats.fast_rexmits, tcp_stats.ooo_segs, tcp_stats.nobuf);
  kprintf("  %u of %u connections in use, %u half-open; buffers: %u of %u in use\n",
          TCP_CONNS - table.nfree, TCP_CONNS, table.nsyn, tcp_buf_used(), TCP_BUFS);
  for(int i = 0; i < TCP_LISTENERS; i++)
    if(listeners[i].ops)
      kprintf("  tcp *:%u LISTEN\n", listeners[i].port);
  for(int i = 0; i < TCP_CONNS; i++){
    t = &tcbs[i];
    if(t->state == TCP_CLOSED)
      continue;
    kprintf("  tcp %2d :%u " IP_FMT ":%u %s rcv %u snd %u (in flight %u, window %u) mss %u rto %u ms\n", i,
            t->lport, IP_ARGS(t->rip), t->rport, tcp_state_name(t->state), t->rcv_len, t->snd_len,
            t->snd_nxt - t->snd_una, t->snd_wnd, t->mss, t->rto / 1000);
  }
}
