// TCP bulk transfer through a lossy, reordering link, both directions,
// checked byte for byte. The peer is a simple sender (go-back-N after
// 50 ms without progress) and a receiver that keeps only in-order data,
// so every recovery on our side (RTO, fast retransmit, out-of-order
// assembly) gets exercised. Deterministic: test_rand() is seeded.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

#define N       150000
#define SP      41000
#define HELD    16

static u8 data[N], got[N];

struct held {
  u32 seq, len;
  u8 flags;
  u8 b[TCP_MSS];
};

// Does a random draw fall under pct percent?
static int
chance(int pct)
{
  return (int)(test_rand() % 100) < pct;
}

// Peer to us: send data[] within our window; drop or hold some segments.
static void
transfer_in(int loss, int reorder)
{
  static struct held h[HELD];
  u32 iss, una = 0, nxt = 0, wnd = 0, len, nh = 0;
  u64 progress = 0;
  struct fn_seg s;

  app_reset();
  app_open(SP, PISN, &iss);
  wnd = TCP_WND_MAX;
  for(int ms = 0; ms < 600000 && app.ngot < N; ms++){
    while(nxt < una + wnd && nxt < N){
      len = 1 + test_rand() % TCP_MSS;
      len = len < una + wnd - nxt ? len : una + wnd - nxt;
      len = len < N - nxt ? len : N - nxt;
      if(chance(reorder) && nh < HELD){
        h[nh].seq = nxt;
        h[nh].len = len;
        kmemcpy(h[nh++].b, data + nxt, len);
      } else if(!chance(loss))
        fn_tcp_in(SP, PISN + 1 + nxt, iss + 1, TH_ACK, 65535, data + nxt, len);
      nxt += len;
    }
    while(nh > 0 && chance(30)){               // a held segment arrives late
      u32 k = test_rand() % nh;
      fn_tcp_in(SP, PISN + 1 + h[k].seq, iss + 1, TH_ACK, 65535, h[k].b, h[k].len);
      h[k] = h[--nh];
    }
    while(fn_pop_seg(&s) == 0){
      if(s.ack - PISN - 1 > una){
        una = s.ack - PISN - 1;
        progress = ms;
      }
      wnd = s.wnd;
    }
    if(ms - progress > 50){
      nxt = una;                                // the peer's own timeout
      progress = ms;
    }
    app_tick(1);
  }
  CHECK(app.ngot == N && kmemcmp(app.got, data, N) == 0);
  CHECK(tcp_state(app.c) == TCP_ESTABLISHED);
}

// The application's side of transfer_out: queue as much as fits; close
// at the end.
static void
feed(int c, u32 *written)
{
  *written += tcp_write(c, data + *written, N - *written);
  if(*written == N)
    tcp_close(c);
  tcp_output(c);
}

// Us to peer: the application writes data[]; the link drops and holds
// segments; the peer keeps in-order bytes and ACKs cumulatively (its ACKs
// are lost too).
static void
transfer_out(int loss, int reorder)
{
  static struct held h[HELD];
  u32 iss, rcv = 0, written = 0, nh = 0;
  int fin = 0;
  struct fn_seg s;

  app_reset();
  int c = app_open(SP, PISN, &iss);
  for(int ms = 0; ms < 600000 && !fin; ms++){
    feed(c, &written);
    while(!fin && fn_pop_seg(&s) == 0){
      if(s.len == 0 && !(s.flags & TH_FIN))
        continue;                               // the peer does not ACK ACKs
      if(chance(loss))
        continue;
      if(chance(reorder) && nh < HELD && s.len){
        h[nh].seq = s.seq;
        h[nh].len = s.len;
        h[nh].flags = s.flags;
        kmemcpy(h[nh++].b, s.data, s.len);
        continue;
      }
      if(s.seq - iss - 1 == rcv && s.len){
        kmemcpy(got + rcv, s.data, s.len);
        rcv += s.len;
      }
      if((s.flags & TH_FIN) && s.seq + s.len - iss - 1 == rcv)
        fin = 1;
      if(fin || !chance(loss))
        fn_tcp_in(SP, PISN + 1, iss + 1 + rcv + fin, TH_ACK | (fin ? TH_FIN : 0), 65535, "", 0);
      feed(c, &written);
    }
    while(nh > 0 && chance(30)){                // late arrivals, in any order
      u32 k = test_rand() % nh;
      if(h[k].seq - iss - 1 == rcv){
        kmemcpy(got + rcv, h[k].b, h[k].len);
        rcv += h[k].len;
      }
      fn_tcp_in(SP, PISN + 1, iss + 1 + rcv, TH_ACK, 65535, "", 0);
      h[k] = h[--nh];
    }
    app_tick(1);
  }
  CHECK(rcv == N && fin && kmemcmp(got, data, N) == 0);
  app_tick(TCP_TIMEWAIT_MS);
  CHECK(tcp_state(c) == TCP_CLOSED && app.closes == 1);
}

void
test_tcp_data(void)
{
  for(u32 i = 0; i < N; i++)
    data[i] = test_rand() >> 24;
  transfer_in(0, 0);
  transfer_in(10, 0);
  transfer_in(0, 20);
  transfer_in(10, 20);
  transfer_out(0, 0);
  transfer_out(10, 0);
  transfer_out(0, 20);
  transfer_out(10, 20);
}
