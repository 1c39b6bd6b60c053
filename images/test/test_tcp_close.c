// tcp*.c closing, one test per state and event (test_<state>_<event>):
// FIN and RST both ways, half-close, FIN_WAIT_1/2, CLOSE_WAIT, LAST_ACK,
// CLOSING, TIME_WAIT, idle and abort. The peer is scripted segment by segment.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

#define SP 40000                       // the peer's port
#define P1 (PISN + 1)                  // the peer's first data byte

static u32 iss;
static struct fn_seg s;

static void
test_established_fin(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_tcp_in(SP, P1, iss + 1, TH_ACK | TH_FIN, 65535, "last", 4);
  CHECK(tcp_state(app.c) == TCP_CLOSE_WAIT && app.ngot == 4 && tcp_eof(app.c));
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_ACK && s.ack == P1 + 5);
  CHECK(tcp_write(app.c, "bye", 3) == 3);        // half-close: we can still send
  tcp_close(app.c);
  tcp_output(app.c);
  CHECK(tcp_state(app.c) == TCP_LAST_ACK);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_ACK | TH_PSH | TH_FIN) && s.len == 3);
  CHECK(tcp_write(app.c, "more", 4) == 0);
  fn_tcp_in(SP, P1 + 5, iss + 5, TH_ACK, 65535, "", 0);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);
}

static void
test_established_close(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  tcp_close(app.c);
  tcp_output(app.c);
  CHECK(tcp_state(app.c) == TCP_FIN_WAIT_1);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_ACK | TH_FIN) && s.seq == iss + 1);
  fn_tcp_in(SP, P1, iss + 2, TH_ACK, 65535, "", 0);
  CHECK(tcp_state(app.c) == TCP_FIN_WAIT_2);
  fn_tcp_in(SP, P1, iss + 2, TH_ACK, 65535, "late", 4);   // half-close: still delivered
  CHECK(app.ngot == 4);
  fn_tcp_in(SP, P1 + 4, iss + 2, TH_ACK | TH_FIN, 65535, "", 0);
  CHECK(tcp_state(app.c) == TCP_TIME_WAIT);
  fn_tx_clear();
  fn_tcp_in(SP, P1 + 4, iss + 2, TH_ACK | TH_FIN, 65535, "", 0);  // a resent FIN is ACKed again
  CHECK(fn_pop_seg(&s) == 0 && s.ack == P1 + 5);
  app_tick(TCP_TIMEWAIT_MS);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);
}

static void
test_fin_wait_1_fin(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  tcp_close(app.c);
  tcp_output(app.c);
  fn_tcp_in(SP, P1, iss + 1, TH_ACK | TH_FIN, 65535, "", 0);   // simultaneous close
  CHECK(tcp_state(app.c) == TCP_CLOSING);
  fn_tcp_in(SP, P1 + 1, iss + 2, TH_ACK, 65535, "", 0);
  CHECK(tcp_state(app.c) == TCP_TIME_WAIT);
}

static void
test_fin_wait_1_timeout(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_set_drop(1);
  tcp_close(app.c);
  tcp_output(app.c);
  fn_set_drop(0);
  app_tick(TCP_RTO_MIN_MS);                      // the lost FIN is resent
  CHECK(fn_pop_seg(&s) == 0 && (s.flags & TH_FIN) && s.seq == iss + 1);
  fn_tcp_in(SP, P1, iss + 2, TH_ACK, 65535, "", 0);
  app_tick(TCP_FINWAIT2_MS);                     // the peer never closes
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);
}

static void
test_established_rst(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_tcp_in(SP, P1 + 100, 0, TH_RST, 0, "", 0);  // in the window, not exact: challenge ACK
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_ACK && s.ack == P1 && tcp_state(app.c) == TCP_ESTABLISHED);
  fn_tcp_in(SP, P1 + 100000, 0, TH_RST, 0, "", 0);   // outside: ignored
  CHECK(fn_ntx() == 0 && tcp_state(app.c) == TCP_ESTABLISHED);
  fn_syn_in(SP, P1 + 50, 1460);                  // a SYN in the window: challenge ACK too
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_ACK && tcp_state(app.c) == TCP_ESTABLISHED);
  fn_tcp_in(SP, P1, 0, TH_RST, 0, "", 0);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1 && fn_ntx() == 0);
}

static void
test_established_idle(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  app_tick(TCP_IDLE_MS);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);
  CHECK(fn_pop_seg(&s) == 0 && (s.flags & TH_RST));
}

static void
test_established_abort(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  tcp_abort(app.c);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_RST | TH_ACK) && s.seq == iss + 1);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);
}

void
test_tcp_close(void)
{
  test_established_fin();
  test_established_close();
  test_fin_wait_1_fin();
  test_fin_wait_1_timeout();
  test_established_rst();
  test_established_idle();
  test_established_abort();
}
