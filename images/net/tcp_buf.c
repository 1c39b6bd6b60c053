// TCP's per-connection buffers: the receive ring (in-order bytes for the
// application, plus out-of-order ranges kept in its free space until the
// hole before them fills) and the send ring (bytes from snd_una on, kept
// until acknowledged). The window we advertise is the receive ring's room.
// Rings come from the pool (tcp_pool.c) and are held only while they hold
// data.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "tcp_impl.h"

_Static_assert(TCP_RCVBUF <= TCP_MAXWIN, "TCP_RCVBUF must fit a window without scaling");
_Static_assert(TCP_RCVBUF == TCP_BUFSIZE && TCP_SNDBUF == TCP_BUFSIZE, "both rings are pool buffers");
_Static_assert(TCP_BIGBUFSIZE <= (u32)TCP_MAXWIN << TCP_WSCALE, "a large ring must fit a scaled window");

static struct {
  u8 valid;
  u64 at;                  // netif.now when computed
  u32 cap;
} wnd;

// The busy connections changed: recompute the window cap when next asked.
void
tcp_wnd_changed(void)
{
  wnd.valid = 0;
}

// Copy n bytes from src into ring buf (size size) starting at index at.
static void
ring_put(u8 *buf, u32 size, u32 at, const u8 *src, u32 n)
{
  u32 first;

  at %= size;
  first = size - at < n ? size - at : n;
  memcpy(buf + at, src, first);
  memcpy(buf, src + first, n - first);
}

// Copy n bytes out of ring buf (size size) starting at index at into dst.
static void
ring_get(const u8 *buf, u32 size, u32 at, u8 *dst, u32 n)
{
  u32 first;

  at %= size;
  first = size - at < n ? size - at : n;
  memcpy(dst, buf + at, first);
  memcpy(dst + first, buf, n - first);
}

// The largest window a connection may have now: the NIC's receive buffer
// is shared by the connections receiving data (frames beyond it are lost,
// or held back by the emulator), but never below one MSS, nor above
// TCP_WND_MAX on a 1500-byte link or a large ring on a larger one.
u32
tcp_wnd_cap(void)
{
  u32 n = 1, share, max;

  if(wnd.valid && wnd.at == netif.now)
    return wnd.cap;
  max = tcp_big_link() ? TCP_BIGBUFSIZE : TCP_WND_MAX;
  for(u32 k = 0; k < tcp_used.n; k++){
    struct tcb *t = &tcbs[tcp_used.c[k]];
    if(t->data_at && netif.now - t->data_at < TCP_BUSY_MS * US_PER_MS && !(t->flags & TF_PEERFIN))
      n++;
  }
  share = netif.nic ? netif.nic->rx_bytes * TCP_WND_SHARE / 100 / n : max;
  wnd.cap = share < TCP_MSS ? TCP_MSS : share > max ? max : share;
  wnd.at = netif.now;
  wnd.valid = 1;
  return wnd.cap;
}

// Free bytes in the receive ring (or the one it would get): what the peer
// may send beyond rcv_nxt.
u32
tcp_rcv_free(struct tcb *t)
{
  return (t->rcvbuf ? t->rcv_size : tcp_buf_next()) - t->rcv_len;
}

// The window to advertise: the free room (up to the share), but never
// shrinking the right edge already advertised and never growing it by less
// than min(share/2, MSS) (RFC 1122 receiver silly-window avoidance).
u32
tcp_rcv_window(struct tcb *t)
{
  u32 cap = tcp_wnd_cap(), room = tcp_rcv_free(t);
  u32 left = SEQ_GT(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
  u32 sws;

  if(!(t->flags & TF_WSCALE) && cap > TCP_MAXWIN)
    cap = TCP_MAXWIN;
  if(room > cap)
    room = cap;
  room &= ~((1u << t->rcv_scale) - 1);  // what the scaled field can say
  sws = cap / 2 < TCP_MSS ? cap / 2 : TCP_MSS;
  if(room <= left || room - left < sws)
    return left;
  return room;
}

// Record out-of-order data [s, e), merging with held ranges; if that
// needs more than TCP_OOO_MAX ranges the data is forgotten (resent later).
static void
tcp_ooo_add(struct tcb *t, u32 s, u32 e)
{
  int i, j;

  for(i = 0; i < t->nooo; i++){
    if(SEQ_GT(s, t->ooo[i][1]) || SEQ_LT(e, t->ooo[i][0]))
      continue;                         // disjoint and not adjacent
    if(SEQ_LT(t->ooo[i][0], s))
      s = t->ooo[i][0];
    if(SEQ_GT(t->ooo[i][1], e))
      e = t->ooo[i][1];
    for(j = i; j + 1 < t->nooo; j++){   // remove range i and look again
      t->ooo[j][0] = t->ooo[j + 1][0];
      t->ooo[j][1] = t->ooo[j + 1][1];
    }
    t->nooo--;
    i = -1;
  }
  if(t->nooo == TCP_OOO_MAX)
    return;
  t->ooo[t->nooo][0] = s;
  t->ooo[t->nooo][1] = e;
  t->nooo++;
}

// Move held ranges that now touch rcv_nxt into the in-order data.
static void
tcp_ooo_merge(struct tcb *t)
{
  for(int i = 0; i < t->nooo; i++){
    if(SEQ_GT(t->ooo[i][0], t->rcv_nxt))
      continue;
    if(SEQ_GT(t->ooo[i][1], t->rcv_nxt)){
      t->rcv_len += t->ooo[i][1] - t->rcv_nxt;
      t->rcv_nxt = t->ooo[i][1];
    }
    t->ooo[i][0] = t->ooo[t->nooo - 1][0];
    t->ooo[i][1] = t->ooo[t->nooo - 1][1];
    t->nooo--;
    i = -1;
  }
}

// Take segment data p[0..n) at sequence number seq into the receive ring,
// trimmed to the free room; returns the bytes that became readable. Sets
// up the ACK: at once for every second segment, out-of-order data or a
// filled hole; otherwise delayed.
u32
tcp_rcv_data(struct tcb *t, u32 seq, const u8 *p, u32 n)
{
  u32 room = tcp_rcv_free(t), skip, off, before = t->rcv_len;
  int had_holes = t->nooo > 0;

  if(!t->rcvbuf && SEQ_GT(seq + n, t->rcv_nxt) && !(t->rcvbuf = tcp_buf_get(&t->rcv_size)))
    return 0;                           // dropped unacknowledged: the peer resends it
  if(SEQ_GT(seq, t->rcv_nxt)){
    off = seq - t->rcv_nxt;
    if(off < room){
      n = n < room - off ? n : room - off;
      ring_put(t->rcvbuf, t->rcv_size, t->rcv_head + t->rcv_len + off, p, n);
      tcp_ooo_add(t, seq, seq + n);
    }
    tcp_rcv_release(t);                 // if nothing could be kept
    tcp_stats.ooo_segs++;
    t->flags |= TF_ACKNOW;              // a duplicate ACK tells the sender
    return 0;
  }
  skip = t->rcv_nxt - seq;
  if(skip >= n){
    t->flags |= TF_ACKNOW;
    return 0;
  }
  n -= skip;
  n = n < room ? n : room;
  ring_put(t->rcvbuf, t->rcv_size, t->rcv_head + t->rcv_len, p + skip, n);
  t->rcv_len += n;
  t->rcv_nxt += n;
  if(!t->data_at || netif.now - t->data_at >= TCP_BUSY_MS * US_PER_MS)
    tcp_wnd_changed();                  // newly busy
  t->data_at = netif.now;
  tcp_ooo_merge(t);
  if(++t->segs >= 2 || had_holes || n == 0 || t->rcv_adv - t->rcv_nxt < t->mss)
    t->flags |= TF_ACKNOW;              // the peer may be waiting for window
  else if(t->ack_at == 0)
    t->ack_at = netif.now + TCP_DELACK_MS * US_PER_MS;
  return t->rcv_len - before;
}

// Copy n queued bytes starting off bytes after snd_una into dst.
void
tcp_snd_copy(struct tcb *t, u32 off, u8 *dst, u32 n)
{
  if(n)
    ring_get(t->sndbuf, t->snd_size, t->snd_head + off, dst, n);
}

// Forget the first n queued bytes (acknowledged).
void
tcp_snd_drop(struct tcb *t, u32 n)
{
  if(n == 0)
    return;
  t->snd_head = (t->snd_head + n) % t->snd_size;
  t->snd_len -= n;
  if(t->snd_len == 0 && t->sndbuf){
    tcp_buf_put(t->sndbuf);
    t->sndbuf = 0;
    t->snd_head = 0;
  }
}

// The connection's tcb if c can carry data, else null.
static struct tcb *
tcp_get(int c)
{
  if(c < 0 || c >= TCP_CONNS || tcbs[c].state == TCP_CLOSED)
    return 0;
  return &tcbs[c];
}

// Point *p at the readable bytes of c that are contiguous in the ring;
// their count (0 if none). tcp_consume says how many were used.
u32
tcp_peek(int c, const u8 **p)
{
  struct tcb *t = tcp_get(c);
  u32 n;

  if(!t || t->rcv_len == 0)
    return 0;
  n = t->rcv_size - t->rcv_head;
  *p = t->rcvbuf + t->rcv_head;
  return n < t->rcv_len ? n : t->rcv_len;
}

// Drop the first n readable bytes of c; if that opens the window by a
// useful amount (half the cap, at most 2 MSS), the next tcp_output tells
// the peer.
void
tcp_consume(int c, u32 n)
{
  struct tcb *t = tcp_get(c);
  u32 cap = tcp_wnd_cap(), grow = cap / 2 < 2 * TCP_MSS ? cap / 2 : 2 * TCP_MSS, room;

  if(!t || n == 0)
    return;
  if(n > t->rcv_len)
    panic("tcp_consume: %u of %u bytes", n, t->rcv_len);
  t->rcv_head = (t->rcv_head + n) % t->rcv_size;
  t->rcv_len -= n;
  tcp_rcv_release(t);
  room = tcp_rcv_free(t);
  if(SEQ_GEQ(t->rcv_nxt + (room < cap ? room : cap), t->rcv_adv + grow))
    t->flags |= TF_ACKNOW;
}

// Has the peer sent its FIN and has everything before it been read?
int
tcp_eof(int c)
{
  struct tcb *t = tcp_get(c);

  return !t || ((t->flags & TF_PEERFIN) && t->rcv_len == 0);
}

// Bytes tcp_write would accept now on c (0 once c is closed for sending,
// or while the pool has no ring for it: ops->sent follows when it has).
u32
tcp_space(int c)
{
  struct tcb *t = tcp_get(c);

  if(!t || (t->state != TCP_ESTABLISHED && t->state != TCP_CLOSE_WAIT))
    return 0;
  if(!tcp_buf_ready(t))
    return 0;
  return (t->sndbuf ? t->snd_size : tcp_buf_next()) - t->snd_len;
}

// Queue up to n bytes of p for sending on c; returns how many were taken.
// Nothing is sent until tcp_output.
u32
tcp_write(int c, const void *p, u32 n)
{
  u32 room = tcp_space(c);
  struct tcb *t = &tcbs[c];

  n = n < room ? n : room;
  if(n == 0 || (!t->sndbuf && !(t->sndbuf = tcp_buf_get(&t->snd_size))))
    return 0;
  ring_put(t->sndbuf, t->snd_size, t->snd_head + t->snd_len, p, n);
  t->snd_len += n;
  return n;
}
