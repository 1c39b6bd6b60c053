// The connection table and the buffer pool under load, one test per state
// and event (test_<state>_<event>): a SYN that finds the table or the
// backlog full waits unanswered (never a RST), the oldest TIME_WAIT slot is
// recycled, else the longest-idle connection is closed cleanly; rings are
// taken from the pool only while they hold data.

#include "param.h"
#include "test.h"
#include "tcpapp.h"
#include "tcp_impl.h"

#define SP 20000                       // the peer's first port
#define P1 (PISN + 1)                  // the peer's first data byte

static u32 isses[TCP_CONNS];
static struct fn_seg s;

// Does tcp_used hold exactly the connections in use, each once, each at its
// own place? (Every poll walks it instead of the whole table.)
static int
used_matches_table(void)
{
  u32 open = 0;

  for(int i = 0; i < TCP_CONNS; i++)
    open += tcbs[i].state != TCP_CLOSED;
  if(tcp_used.n != open)
    return 0;
  for(u32 k = 0; k < tcp_used.n; k++)
    if(tcbs[tcp_used.c[k]].state == TCP_CLOSED || tcbs[tcp_used.c[k]].used != k)
      return 0;
  return 1;
}

// Open every slot of the table from ports SP.. at the current time.
static void
fill_table(void)
{
  for(int i = 0; i < TCP_CONNS; i++)
    CHECK(app_open(SP + i, PISN, &isses[i]) == i);
}

// Did the stack send nothing but segments without RST since the last clear?
static int
no_rst_sent(void)
{
  while(fn_pop_seg(&s) == 0)
    if(s.flags & TH_RST)
      return 0;
  return 1;
}

static void
test_listen_syn_table_full(void)
{
  int c = 5;

  app_reset();
  fill_table();
  fn_syn_in(SP + TCP_CONNS, PISN, 1460);         // waits: no SYN-ACK, no RST
  CHECK(fn_ntx() == 0 && app.reclaims == 0);     // none quiet for long
  netif.now += MS(TCP_RECLAIM_IDLE_MS);
  fn_syn_in(SP + TCP_CONNS, PISN, 1460);         // its retransmission
  CHECK(fn_ntx() == 0 && app.reclaims == TCP_RECLAIM_TRIES);   // each asked said no
  for(int i = 0; i < TCP_CONNS; i++)
    CHECK(tcp_state(i) == TCP_ESTABLISHED);
  tcp_close(c);                                  // one goes to TIME_WAIT...
  tcp_output(c);
  fn_tcp_in(SP + c, P1, isses[c] + 2, TH_ACK | TH_FIN, 65535, "", 0);
  CHECK(tcp_state(c) == TCP_TIME_WAIT);
  fn_tx_clear();
  CHECK(app_open(SP + TCP_CONNS, PISN, isses) == c);   // ...and the retried SYN gets it
  CHECK(app.accepts == TCP_CONNS + 1 && app.closes == 1);
  CHECK(used_matches_table());
}

static void
test_listen_syn_reclaim_idle(void)
{
  int busy = 3, idle = 7, n;

  app_reset();
  fill_table();
  app_tick(10);
  CHECK(tcp_write(busy, "busy", 4) == 4);         // in flight, unacknowledged
  tcp_output(busy);
  fn_tcp_in(SP + idle, P1, isses[idle] + 1, TH_ACK, 65535, "", 0);
  app_tick(10);
  for(int i = 0; i < TCP_CONNS; i++)             // every other one was heard since
    if(i != busy && i != idle)
      fn_tcp_in(SP + i, P1, isses[i] + 1, TH_ACK, 65535, "", 0);
  fn_tx_clear();
  app.reclaim = 1;
  fn_syn_in(SP + TCP_CONNS, PISN, 1460);         // none has been quiet long enough: it just waits
  CHECK(fn_ntx() == 0 && app.reclaims == 0);
  netif.now += MS(TCP_RECLAIM_IDLE_MS - 10);     // now the idle one has (not by app_tick: its
  fn_syn_in(SP + TCP_CONNS, PISN, 1460);         // retransmission timer would fire)
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_FIN | TH_ACK) && s.dport == SP + idle);
  CHECK(fn_ntx() == 0);                          // the SYN itself waits
  CHECK(app.reclaims == 1 && tcp_state(idle) == TCP_FIN_WAIT_1);
  CHECK(tcp_state(busy) == TCP_ESTABLISHED);
  fn_tcp_in(SP + idle, P1, isses[idle] + 2, TH_ACK | TH_FIN, 65535, "", 0);
  CHECK(tcp_state(idle) == TCP_TIME_WAIT && app.closes == 0);
  fn_tx_clear();
  n = app_open(SP + TCP_CONNS, PISN, isses);     // the client's retransmitted SYN
  CHECK(n == idle && app.closes == 1);
  CHECK(no_rst_sent());
}

static void
test_listen_syn_backlog(void)
{
  u32 first;

  app_reset();
  for(int i = 0; i < TCP_BACKLOG; i++){
    fn_syn_in(SP + i, PISN, 1460);
    CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK));
    if(i == 0)
      first = s.seq;
  }
  fn_syn_in(SP + TCP_BACKLOG, PISN, 1460);       // the backlog is full: it waits
  CHECK(fn_ntx() == 0);
  fn_tcp_in(SP, P1, first + 1, TH_ACK, 65535, "", 0);   // one handshake completes
  CHECK(app.accepts == 1);
  fn_tx_clear();
  fn_syn_in(SP + TCP_BACKLOG, PISN, 1460);       // so the retried SYN is answered
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK) && s.dport == SP + TCP_BACKLOG);
  CHECK(used_matches_table());
}

// Half-open connections whose SYN-ACKs go unanswered all give up in the same
// poll: each frees its slot while the poll walks the connections in use.
#define HALF_OPEN 32                   // fewer than the fake NIC queues in one poll

static void
test_syn_rcvd_timeouts_in_one_poll(void)
{
  u32 isn;

  app_reset();
  for(int i = 0; i < HALF_OPEN; i++){
    fn_syn_in(SP + i, PISN, 1460);
    fn_tx_clear();
    if(i == HALF_OPEN / 2)
      CHECK(app_open(SP + HALF_OPEN, PISN, &isn) >= 0);   // one established, between them
  }
  CHECK(tcp_used.n == HALF_OPEN + 1 && used_matches_table());
  for(int i = 0; i < 120 && tcp_used.n > 1; i++){
    app_tick(1000);                              // every SYN-ACK is sent again, then given up
    fn_tx_clear();
    CHECK(used_matches_table());
  }
  CHECK(tcp_used.n == 1 && tcp_state(tcp_used.c[0]) == TCP_ESTABLISHED);
  CHECK(app_open(SP + HALF_OPEN + 1, PISN, &isn) >= 0);   // the table takes new ones
  CHECK(used_matches_table());
}

// Open TCP_BUFS connections that each hold one unread byte, so the pool is
// empty; then one more connection, returned.
static int
drain_pool(void)
{
  app_reset();
  app.read = 0;
  for(int i = 0; i < TCP_BUFS + 1; i++)
    CHECK(app_open(SP + i, PISN, &isses[i]) == i);
  for(int i = 0; i < TCP_BUFS; i++)
    fn_tcp_in(SP + i, P1, isses[i] + 1, TH_ACK | TH_PSH, 65535, "x", 1);
  app_tick(TCP_DELACK_MS);
  fn_tx_clear();
  return TCP_BUFS;
}

static void
test_established_data_nobuf(void)
{
  const u8 *p;
  int c = drain_pool();

  fn_tcp_in(SP + c, P1, isses[c] + 1, TH_ACK | TH_PSH, 65535, "y", 1);
  app_tick(TCP_DELACK_MS);
  CHECK(tcp_peek(c, &p) == 0 && fn_ntx() == 0);  // dropped, not acknowledged
  CHECK(tcp_peek(0, &p) == 1);
  tcp_consume(0, 1);                             // a ring goes back to the pool
  fn_tcp_in(SP + c, P1, isses[c] + 1, TH_ACK | TH_PSH, 65535, "y", 1);   // resent
  CHECK(tcp_peek(c, &p) == 1 && *p == 'y');
  app_tick(TCP_DELACK_MS);
  CHECK(fn_pop_seg(&s) == 0 && s.dport == SP + c && s.ack == P1 + 1);
}

static void
test_established_write_nobuf(void)
{
  const u8 *p;
  int c = drain_pool();

  CHECK(tcp_space(c) == 0 && tcp_write(c, "z", 1) == 0);
  app_tick(1);
  CHECK(app.sents == 0);
  tcp_peek(0, &p);
  tcp_consume(0, 1);
  app_tick(0);                                   // the waiter hears of the free ring
  CHECK(app.sents == 1 && tcp_space(c) == TCP_SNDBUF);
  CHECK(tcp_write(c, "z", 1) == 1);
}

static void
test_established_ack_frees_ring(void)
{
  app_reset();
  for(int i = 0; i < TCP_BUFS * 2; i++){         // more connections than rings, one at a time
    CHECK(app_open(SP + i, PISN, &isses[i]) == i);
    CHECK(tcp_space(i) == TCP_SNDBUF && tcp_write(i, "hello", 5) == 5);
    tcp_output(i);
    fn_tcp_in(SP + i, P1, isses[i] + 6, TH_ACK | TH_PSH, 65535, "ok", 2);
    CHECK(app.ngot == 2 * (u32)(i + 1));
    fn_tx_clear();
  }
  CHECK(tcp_space(0) == TCP_SNDBUF);             // each connection still open, none holds a ring
}

void
test_tcp_table(void)
{
  test_listen_syn_table_full();
  test_listen_syn_reclaim_idle();
  test_listen_syn_backlog();
  test_syn_rcvd_timeouts_in_one_poll();
  test_established_data_nobuf();
  test_established_write_nobuf();
  test_established_ack_frees_ring();
}
