// The HTTP server's request buffers come from a pool of HTTP_MEMS: a
// connection holds one only while a request is read and answered, so many
// more keep-alive connections than buffers are served, and a request that
// finds the pool empty waits in TCP's ring until one is handed on.

#include "param.h"
#include "test.h"
#include "httpcl.h"

#define XP 43000                       // the extra clients' first port

static u32 xiss[TCP_CONNS + 1], xseq[TCP_CONNS + 1];

// Connect extra client i (port XP + i).
static void
x_open(int i)
{
  struct fn_seg s;

  fn_syn_in(XP + i, 7000, 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK));
  xiss[i] = s.seq + 1;
  xseq[i] = 7001;
  fn_tcp_in(XP + i, xseq[i], xiss[i], TH_ACK, 65535, "", 0);
}

// Extra client i sends its first bytes s.
static void
x_send(int i, const char *s)
{
  fn_tcp_in(XP + i, xseq[i], xiss[i], TH_ACK | TH_PSH, 65535, s, kstrlen(s));
  xseq[i] += kstrlen(s);
}

// Did the server send extra client i a segment whose data ends with tail?
// (It is acknowledged, so the server's send ring goes back to the pool.)
static int
x_got(int i, const char *tail)
{
  struct fn_seg s;
  u32 n = kstrlen(tail);
  int found = 0;

  while(fn_pop_seg(&s) == 0)
    if(s.dport == XP + i && s.len >= n && kmemcmp(s.data + s.len - n, tail, n) == 0){
      fn_tcp_in(XP + i, xseq[i], s.seq + s.len, TH_ACK, 65535, "", 0);
      found = 1;
    }
  return found;
}

static void
test_http_pool_wait(void)
{
  int last = HTTP_MEMS - 1;

  h_open();
  h_send("GET /p");                              // the main client holds a buffer...
  for(int i = 0; i < last; i++){                 // ...and so do these: the pool is empty
    x_open(i);
    x_send(i, "GET /x");
  }
  fn_tx_clear();
  x_open(last);
  x_send(last, "GET /w HTTP/1.1\r\n\r\n");       // complete, but it must wait
  CHECK(!x_got(last, "/w"));
  h_send(" HTTP/1.1\r\n\r\n");                   // a request finishes: its buffer is handed on
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Content-Length: 2\r\n\r\n/p"));
  tcp_poll(netif.now);
  CHECK(x_got(last, "/w"));
}

static void
test_http_pool_idle(void)
{
  h_open();
  for(int i = 0; i < HTTP_MEMS + 300; i++){     // more keep-alive connections than buffers
    x_open(i);
    x_send(i, "GET /k HTTP/1.1\r\n\r\n");
    CHECK(x_got(i, "/k"));
  }
  CHECK(tcp_state(0) == TCP_ESTABLISHED && tcp_state(HTTP_MEMS + 300) == TCP_ESTABLISHED);
}

static void
test_http_reclaim_idle(void)
{
  struct fn_seg s;
  int fins = 0, busy = 0, full = TCP_CONNS - 1;

  h_open();                                      // the main client: connection 0, the longest idle...
  h_send("GET /a");                              // ...but in the middle of a request
  for(int i = 0; i < full; i++)
    x_open(i);
  netif.now += TCP_RECLAIM_IDLE_MS * 1000;       // all quiet long enough, but...
  x_send(1, "GET /b HTTP/1.1\r\n\r\n");     // ...this one: answered, idle again, but recently
  fn_tx_clear();
  fn_syn_in(XP + full, 7000, 1460);              // the table is full: this SYN waits...
  while(fn_pop_seg(&s) == 0){
    if(s.flags & TH_RST)
      busy = -1;
    if((s.flags & TH_FIN) && s.dport == XP)      // ...and extra client 0 (idle longest) is closed
      fins++;
    if(s.dport == XP + full)
      busy = -1;
  }
  CHECK(fins == 1 && busy == 0);
  CHECK(tcp_state(0) == TCP_ESTABLISHED && !cl.fin);
  h_send(" HTTP/1.1\r\n\r\n");                  // the busy connection is served as usual
  CHECK(h_status(200) && !cl.fin);
}

void
test_http_pool(void)
{
  test_http_pool_wait();
  test_http_pool_idle();
  test_http_reclaim_idle();
}
