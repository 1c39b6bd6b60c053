// TCP's ring pool: send and receive rings of TCP_BUFSIZE are taken from a
// pool of TCP_BUFS only while they hold data, so an idle connection costs
// its tcb alone. On a link with large frames (virtio-net in v86) a ring is
// one of TCP_BIGBUFS larger ones while any is free, so a bulk transfer
// keeps several 64 KiB segments in flight. With the pool empty, arriving data is dropped
// unacknowledged (the peer resends it) and tcp_space says 0 until a ring is
// free, then ops->sent says so. tcp_kick has ops->sent called from the
// next poll for an application that found room again.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

static struct {
  u8 mem[TCP_BUFS][TCP_BUFSIZE];
  u8 big[TCP_BIGBUFS][TCP_BIGBUFSIZE];
  u16 free[TCP_BUFS];      // a stack of free buffers
  u32 nfree;
  u8 bigfree[TCP_BIGBUFS]; // and of free large ones
  u32 nbigfree;
  u8 want;                 // some connection waits for a send ring (TF_NEEDBUF)
} pool;

// Return every buffer to the pool.
void
tcp_buf_reset(void)
{
  for(u32 i = 0; i < TCP_BUFS; i++)
    pool.free[i] = i;
  pool.nfree = TCP_BUFS;
  for(u32 i = 0; i < TCP_BIGBUFS; i++)
    pool.bigfree[i] = i;
  pool.nbigfree = TCP_BIGBUFS;
  pool.want = 0;
  tcp_wnd_changed();
}

// Buffers in use, for the net command.
u32
tcp_buf_used(void)
{
  return TCP_BUFS - pool.nfree + TCP_BIGBUFS - pool.nbigfree;
}

// Does the next tcp_buf_get give a large ring?
static int
tcp_buf_big(void)
{
  return pool.nbigfree > 0 && tcp_big_link();
}

// The size of the ring tcp_buf_get would give now.
u32
tcp_buf_next(void)
{
  return tcp_buf_big() ? TCP_BIGBUFSIZE : TCP_BUFSIZE;
}

// A buffer from the pool (its size in *size), or null if it is empty.
u8 *
tcp_buf_get(u32 *size)
{
  if(tcp_buf_big()){
    *size = TCP_BIGBUFSIZE;
    return pool.big[pool.bigfree[--pool.nbigfree]];
  }
  *size = TCP_BUFSIZE;
  if(pool.nfree == 0){
    tcp_stats.nobuf++;
    return 0;
  }
  return pool.mem[pool.free[--pool.nfree]];
}

// Give buffer b back to the pool.
void
tcp_buf_put(u8 *b)
{
  if(b >= pool.big[0] && b < pool.big[0] + sizeof(pool.big))
    pool.bigfree[pool.nbigfree++] = (u32)(b - pool.big[0]) / TCP_BIGBUFSIZE;
  else
    pool.free[pool.nfree++] = (u32)(b - pool.mem[0]) / TCP_BUFSIZE;
}

// Give back t's receive ring if it holds nothing.
void
tcp_rcv_release(struct tcb *t)
{
  if(t->rcvbuf && t->rcv_len == 0 && t->nooo == 0){
    tcp_buf_put(t->rcvbuf);
    t->rcvbuf = 0;
    t->rcv_head = 0;
  }
}

// Give back both rings of t (it is being freed).
void
tcp_buf_release(struct tcb *t)
{
  if(t->rcvbuf)
    tcp_buf_put(t->rcvbuf);
  if(t->sndbuf)
    tcp_buf_put(t->sndbuf);
  t->rcvbuf = t->sndbuf = 0;
  t->rcv_len = t->snd_len = 0;
  t->nooo = 0;
  tcp_wnd_changed();
}

// Have ops->sent(c) called from the next tcp_poll, outside of whatever
// upcall is running now (the application has room for c again).
void
tcp_kick(int c)
{
  if(c >= 0 && c < TCP_CONNS && tcbs[c].state != TCP_CLOSED){
    tcbs[c].flags |= TF_KICK;
    pool.want = 1;
  }
}

// Call ops->sent for the connections kicked, and for those that found no
// send ring if one is free now; the next deadline (now if some still
// wait while rings are free, or were kicked meanwhile).
u64
tcp_buf_wake(u64 now)
{
  struct tcb *t;
  int again = 0;

  if(!pool.want)
    return TIME_NEVER;
  pool.want = 0;
  for(u32 k = tcp_used.n; k-- > 0;){
    if(k >= tcp_used.n)                 // ops->sent freed several connections
      continue;
    t = &tcbs[tcp_used.c[k]];
    if(!(t->flags & (TF_NEEDBUF | TF_KICK)))
      continue;
    if(!(t->flags & TF_KICK) && pool.nfree == 0 && !tcp_buf_big()){
      again = 1;                        // waits for the next free ring
      continue;
    }
    t->flags &= ~(TF_NEEDBUF | TF_KICK);
    if((t->flags & TF_ACCEPTED) && t->ops->sent)
      t->ops->sent(t - tcbs);
  }
  if(again)
    pool.want = 1;
  return pool.want && (pool.nfree || tcp_buf_big() || !again) ? now : TIME_NEVER;
}

// May t take a send ring now? If not, t is told by ops->sent once it may.
int
tcp_buf_ready(struct tcb *t)
{
  if(t->sndbuf || pool.nfree > 0 || tcp_buf_big())
    return 1;
  t->flags |= TF_NEEDBUF;
  pool.want = 1;
  return 0;
}
