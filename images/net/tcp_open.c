// TCP active open (RFC 793 as amended by RFC 1122 and 7323): tcp_connect
// sends a SYN from an ephemeral port, offering our MSS and window scale as
// the passive side does; SYN_SENT takes the SYN-ACK (ESTABLISHED, then
// ops->accept), or a RST (refused). tcp_out.c's timer resends the SYN with
// backoff and gives up after TCP_SYN_RETRIES, or once ARP finds nobody at
// the next hop. A connecting connection counts as accepted: ops->closed
// follows whatever happens, and tcp_error says why.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

#define EPHEMERAL_COUNT (65536 - TCP_EPHEMERAL)

static u32 next_port;

// A local port for a connection to (rip, rport): the next ephemeral port
// that no listener and no connection to that peer uses; 0 if none.
static u16
tcp_port(u32 rip, u16 rport)
{
  const struct tcp_ops *ops;
  u16 port;

  if(next_port == 0)
    next_port = (u32)(netif.now >> 4) ^ get32(netif.mac + 2);
  for(u32 i = 0; i < EPHEMERAL_COUNT; i++){
    port = TCP_EPHEMERAL + next_port++ % EPHEMERAL_COUNT;
    if(tcp_listener(port, &ops) < 0 && !tcp_lookup(rip, rport, port))
      return port;
  }
  return 0;
}

// Open a connection to (rip, rport): the SYN goes out now. ops->accept
// follows once it is established, ops->closed when it ends (refused or
// timed out included). The connection, or -1 if none is free or we have
// no address.
int
tcp_connect(u32 rip, u16 rport, const struct tcp_ops *ops)
{
  u16 lport = netif.ip ? tcp_port(rip, rport) : 0;
  struct tcb *t = lport ? tcp_take(rip, rport, lport, ops) : 0;

  if(!t)
    return -1;
  t->flags |= TF_ACCEPTED | TF_WSCALE;  // we offer scaling; the SYN-ACK decides
  t->rcv_scale = TCP_WSCALE;
  t->mss = tcp_mss();
  tcp_xmit(t, t->iss, 0, 0, TH_SYN);
  t->rtx_at = netif.now + t->rto;
  return t - tcbs;
}

// A segment for a connection in SYN_SENT: a RST that acknowledges our SYN
// refuses the connection; a SYN-ACK for it establishes the connection
// (data riding on it is left for the peer to resend). A bad ACK gets a RST.
void
tcp_synsent(struct tcb *t, const struct tcp_seg *s)
{
  u32 mss = s->mss ? s->mss : TCP_DEFAULT_MSS;
  int ackok = (s->flags & TH_ACK) && s->ack == t->iss + 1;

  if((s->flags & TH_ACK) && !ackok){
    if(!(s->flags & TH_RST))
      tcp_send_rst(t->rip, s);
    return;
  }
  if(s->flags & TH_RST){
    if(ackok){
      t->err = TCP_ERR_REFUSED;
      tcp_free(t);
    }
    return;
  }
  if(!(s->flags & TH_SYN) || !ackok)
    return;                             // simultaneous open is not supported
  t->state = TCP_ESTABLISHED;
  t->irs = s->seq;
  t->rcv_nxt = t->rcv_adv = s->seq + 1;
  t->snd_una = s->ack;
  t->snd_wnd = s->wnd;
  t->snd_wl1 = s->seq;
  t->snd_wl2 = s->ack;
  if(mss < t->mss)
    t->mss = mss < 64 ? 64 : mss;
  if(s->wscale)
    t->snd_scale = s->wscale - 1;
  else {
    t->flags &= ~TF_WSCALE;
    t->rcv_scale = 0;
  }
  t->rtx_at = 0;
  t->retries = 0;
  t->seen = netif.now;
  if(t->flags & TF_TIMING)
    tcp_rtt(t, netif.now);
  t->flags |= TF_ACKNOW;
  tcp_stats.connected++;
  if(t->ops->accept && t->ops->accept(t - tcbs) < 0)
    tcp_abort(t - tcbs);
}

// Nobody answers ARP for hop: the connections being opened through it fail.
void
tcp_unreachable(u32 hop)
{
  struct tcb *t;

  for(int i = 0; i < TCP_CONNS; i++){
    t = &tcbs[i];
    if(t->state != TCP_SYN_SENT)
      continue;
    if(t->rip == hop || (hop == netif.gw && (t->rip & netif.mask) != (netif.ip & netif.mask))){
      t->err = TCP_ERR_UNREACHABLE;
      tcp_free(t);
    }
  }
}
