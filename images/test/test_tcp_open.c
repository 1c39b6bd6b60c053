// tcp*.c opening and recycling connections, one test per state and event
// (test_<state>_<event>): LISTEN, SYN_RCVD, CLOSED and TIME_WAIT reuse
// (the full table is in test_tcp_table.c). The peer is scripted segment by segment.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

#define SP 40000                       // the peer's port
#define P1 (PISN + 1)                  // the peer's first data byte

static u32 iss;
static struct fn_seg s;

static void
test_listen_syn(void)
{
  app_reset();
  fn_syn_in(SP, PISN, 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK) && s.ack == P1);
  CHECK(s.mss == TCP_MSS && s.wnd == TCP_WND_MAX && s.sport == 80 && s.dport == SP);
  CHECK(tcp_state(0) == TCP_SYN_RCVD && app.accepts == 0);
}

// A SYN offering window scaling on a link with 64 KiB frames: the SYN-ACK
// carries our shift and MSS = MTU - 40 (its own window unscaled); then
// the peer's windows are shifted by its shift and ours by TCP_WSCALE, and
// a connection's send ring is a large one.
static void
test_listen_syn_wscale(void)
{
  static u8 data[200000];
  u32 sent = 0, first = 0;

  app_reset();
  fn_nic.mtu = 65535;
  fn_syn_ws_in(SP, PISN, 65495, 7);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK) && s.mss == 65495);
  CHECK(s.wscale == TCP_WSCALE + 1 && s.wnd <= 65535);
  iss = s.seq;
  fn_tcp_in(SP, P1, iss + 1, TH_ACK, 1000, "", 0);   // 1000 << 7 = 128000 bytes
  CHECK(tcp_state(app.c) == TCP_ESTABLISHED);
  CHECK(tcp_write(app.c, data, sizeof(data)) == sizeof(data));
  tcp_output(app.c);
  while(fn_pop_seg(&s) == 0){
    first = first ? first : s.len;
    sent += s.len;
  }
  CHECK(first == 65495 && sent == 128000);
  CHECK(s.wnd == (30720 * TCP_WND_SHARE / 100) >> TCP_WSCALE);   // ours (the NIC share), shifted
  fn_nic.mtu = 1500;
}

static void
test_listen_syn_shared(void)
{
  u32 share = 30720 * 3 / 4, isses[30];

  app_reset();
  app_tick(1000);
  for(int i = 0; i < 4; i++){
    app_open(SP + i, PISN, &isses[i]);
    fn_tcp_in(SP + i, P1, isses[i] + 1, TH_ACK, 65535, "busy", 4);
  }
  fn_tx_clear();
  fn_syn_in(SP + 4, PISN, 1460);                 // four busy connections share the NIC's buffer
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == share / 5);
  app_tick(TCP_BUSY_MS);                          // idle ones do not count
  fn_tx_clear();
  fn_syn_in(SP + 5, PISN, 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == TCP_WND_MAX);
  for(int i = 6; i < 30; i++){
    app_open(SP + i, PISN, &isses[i]);
    fn_tcp_in(SP + i, P1, isses[i] + 1, TH_ACK, 65535, "busy", 4);
  }
  fn_tx_clear();
  fn_syn_in(SP + 30, PISN, 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == TCP_MSS);   // but each gets at least one MSS
}

static void
test_listen_syn_closed_port(void)
{
  app_reset();
  fn_dport = 81;
  fn_syn_in(SP, PISN, 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_RST | TH_ACK) && s.seq == 0 && s.ack == P1);
  fn_dport = 80;
}

static void
test_closed_ack(void)
{
  app_reset();
  fn_tcp_in(SP, 5000, 777, TH_ACK, 1000, "x", 1);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_RST && s.seq == 777);
  fn_tcp_in(SP, 5000, 777, TH_RST, 1000, "", 0);   // a RST is never answered
  CHECK(fn_ntx() == 0);
}

static void
test_syn_rcvd_ack(void)
{
  app_reset();
  CHECK(app_open(SP, PISN, &iss) == 0);
  CHECK(app.accepts == 1 && app.closes == 0);
}

static void
test_syn_rcvd_refused(void)
{
  app_reset();
  app.refuse = 1;
  fn_syn_in(SP, PISN, 0);
  fn_pop_seg(&s);
  fn_tcp_in(SP, P1, s.seq + 1, TH_ACK, 1000, "", 0);
  CHECK(fn_pop_seg(&s) == 0 && (s.flags & TH_RST));
  CHECK(tcp_state(0) == TCP_CLOSED && app.closes == 0);
}

static void
test_syn_rcvd_timeout(void)
{
  app_reset();
  fn_syn_in(SP, PISN, 0);
  fn_tx_clear();
  app_tick(TCP_RTO_INIT_MS - 1);
  CHECK(fn_ntx() == 0);
  app_tick(1);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK) && s.mss == TCP_MSS);
  app_tick(2 * TCP_RTO_INIT_MS);                 // backed off
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK));
  for(int i = 0; i < 10; i++)
    app_tick(TCP_RTO_MAX_MS);
  CHECK(tcp_state(0) == TCP_CLOSED && app.closes == 0);
}

static void
test_syn_rcvd_syn(void)
{
  app_reset();
  fn_syn_in(SP, PISN, 1460);
  fn_pop_seg(&s);
  iss = s.seq;
  fn_syn_in(SP, PISN, 1460);                     // our SYN-ACK was lost
  CHECK(fn_pop_seg(&s) == 0 && s.flags == (TH_SYN | TH_ACK) && s.seq == iss);
  fn_tcp_in(SP, P1, iss + 5, TH_ACK, 1000, "", 0);   // a bad ACK gets a RST
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_RST && s.seq == iss + 5);
  fn_tcp_in(SP, P1, 0, TH_RST, 0, "", 0);
  CHECK(tcp_state(0) == TCP_CLOSED);
}

static void
test_time_wait_syn(void)
{
  int c;

  app_reset();
  c = app_open(SP, PISN, &iss);
  tcp_close(c);
  tcp_output(c);
  fn_tcp_in(SP, P1, iss + 2, TH_ACK | TH_FIN, 65535, "", 0);
  CHECK(tcp_state(c) == TCP_TIME_WAIT);
  fn_tx_clear();
  CHECK(app_open(SP, PISN + 100000, &iss) >= 0);   // a new incarnation takes over
  CHECK(app.closes == 1 && app.accepts == 2);
}

void
test_tcp_open(void)
{
  test_listen_syn();
  test_listen_syn_wscale();
  test_listen_syn_shared();
  test_listen_syn_closed_port();
  test_closed_ack();
  test_syn_rcvd_ack();
  test_syn_rcvd_refused();
  test_syn_rcvd_timeout();
  test_syn_rcvd_syn();
  test_time_wait_syn();
}
