// tcp*.c data transfer in ESTABLISHED, one test per event
// (test_established_<event>): delayed ACKs, reordering, windows, persist,
// retransmission, fast retransmit, sequence wrap, a full buffer.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

#define SP 40000                       // the peer's port
#define P1 (PISN + 1)                  // the peer's first data byte

static u32 iss;
static struct fn_seg s;

static void
test_established_data(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_tcp_in(SP, P1, iss + 1, TH_ACK | TH_PSH, 65535, "GET / HTTP/1.1\r\n", 16);
  CHECK(app.recvs == 1 && app.ngot == 16 && kmemcmp(app.got, "GET / HTTP/1.1\r\n", 16) == 0);
  CHECK(fn_ntx() == 0);                          // the ACK is delayed...
  app_tick(TCP_DELACK_MS);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_ACK && s.ack == P1 + 16);
  fn_tcp_in(SP, P1 + 16, iss + 1, TH_ACK, 65535, "abc", 3);
  fn_tcp_in(SP, P1 + 19, iss + 1, TH_ACK, 65535, "def", 3);
  CHECK(fn_pop_seg(&s) == 0 && s.ack == P1 + 22);   // ...but every second segment is ACKed at once
  fn_tcp_in(SP, P1 + 16, iss + 1, TH_ACK, 65535, "abc", 3);   // an old duplicate
  CHECK(fn_pop_seg(&s) == 0 && s.ack == P1 + 22 && app.ngot == 22);
}

static void
test_established_reorder(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_tcp_in(SP, P1 + 4, iss + 1, TH_ACK, 65535, "4567", 4);
  fn_tcp_in(SP, P1 + 12, iss + 1, TH_ACK, 65535, "cdef", 4);
  CHECK(app.ngot == 0 && fn_pop_seg(&s) == 0 && s.ack == P1);   // duplicate ACKs
  CHECK(fn_pop_seg(&s) == 0 && s.ack == P1);
  fn_tcp_in(SP, P1 + 8, iss + 1, TH_ACK, 65535, "89ab", 4);
  fn_tcp_in(SP, P1, iss + 1, TH_ACK, 65535, "0123", 4);           // the hole fills
  CHECK(app.ngot == 16 && kmemcmp(app.got, "0123456789abcdef", 16) == 0);
  fn_tx_clear();
  fn_tcp_in(SP, P1 + 16, iss + 1, TH_ACK, 65535, "g", 1);
  app_tick(TCP_DELACK_MS);
  CHECK(fn_pop_seg(&s) == 0 && s.ack == P1 + 17);
}

static void
test_established_send(void)
{
  static u8 data[3000];

  app_reset();
  app_open(SP, PISN, &iss);
  for(u32 i = 0; i < sizeof(data); i++)
    data[i] = i * 7;
  CHECK(tcp_write(app.c, data, sizeof(data)) == sizeof(data));
  CHECK(fn_ntx() == 0);                          // nothing until tcp_output
  tcp_output(app.c);
  CHECK(fn_ntx() == 3);
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 1 && s.len == 1460 && kmemcmp(s.data, data, 1460) == 0);
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 1461 && s.len == 1460);
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 2921 && s.len == 80 && (s.flags & TH_PSH));
  CHECK(tcp_space(app.c) == TCP_SNDBUF - 3000);
  fn_tcp_in(SP, P1, iss + 3001, TH_ACK, 65535, "", 0);
  CHECK(app.sents == 1 && tcp_space(app.c) == TCP_SNDBUF);
  app_tick(TCP_RTO_MAX_MS);
  CHECK(fn_ntx() == 0);                          // all acked: no retransmission
}

static void
test_established_window(void)
{
  static u8 data[5000];

  app_reset();
  fn_syn_in(SP, PISN, 536);                      // a small MSS is honoured
  fn_pop_seg(&s);
  iss = s.seq;
  fn_tcp_in(SP, P1, iss + 1, TH_ACK, 1000, "", 0);
  tcp_write(app.c, data, sizeof(data));
  tcp_output(app.c);
  CHECK(fn_ntx() == 2);
  CHECK(fn_pop_seg(&s) == 0 && s.len == 536 && fn_pop_seg(&s) == 0 && s.len == 464);
  fn_tcp_in(SP, P1, iss + 1001, TH_ACK, 2000, "", 0);   // the window slides and grows
  CHECK(fn_ntx() == 4);
  fn_tx_clear();
  fn_tcp_in(SP, P1, iss + 3001, TH_ACK, 0, "", 0);      // shut
  CHECK(fn_ntx() == 0);
  app_tick(TCP_RTO_MIN_MS);                             // persist: a one-byte probe
  CHECK(fn_pop_seg(&s) == 0 && s.len == 1 && s.seq == iss + 3001);
  fn_tcp_in(SP, P1, iss + 3001, TH_ACK, 0, "", 0);
  app_tick(2 * TCP_RTO_MIN_MS);                         // probes back off and go on
  CHECK(fn_pop_seg(&s) == 0 && s.len == 1 && tcp_state(app.c) == TCP_ESTABLISHED);
  fn_tcp_in(SP, P1, iss + 3002, TH_ACK, 4000, "", 0);   // open again
  CHECK(fn_ntx() == 4 && tcp_space(app.c) == TCP_SNDBUF - 1999);
}

static void
test_established_timeout(void)
{
  app_reset();
  app_open(SP, PISN, &iss);
  fn_set_drop(1);
  tcp_write(app.c, "hello", 5);
  tcp_output(app.c);
  fn_set_drop(0);
  app_tick(TCP_RTO_MIN_MS - 1);
  CHECK(fn_ntx() == 0);
  app_tick(1);                                   // the RTO: resent
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 1 && s.len == 5);
  app_tick(TCP_RTO_MIN_MS);
  CHECK(fn_ntx() == 0);
  app_tick(TCP_RTO_MIN_MS);                      // doubled
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 1);
  for(int i = 0; i < TCP_RETRIES + 2; i++)
    app_tick(TCP_RTO_MAX_MS);
  CHECK(tcp_state(app.c) == TCP_CLOSED && app.closes == 1);   // gave up: RST
  while(fn_pop_seg(&s) == 0 && !(s.flags & TH_RST))
    ;
  CHECK(s.flags & TH_RST);
}

static void
test_established_dupack(void)
{
  static u8 data[4 * 1460];

  app_reset();
  app_open(SP, PISN, &iss);
  tcp_write(app.c, data, sizeof(data));
  tcp_output(app.c);
  fn_tx_clear();
  fn_tcp_in(SP, P1, iss + 1461, TH_ACK, 65535, "", 0);  // the 2nd segment was lost
  for(int i = 0; i < 2; i++)
    fn_tcp_in(SP, P1, iss + 1461, TH_ACK, 65535, "", 0);
  CHECK(fn_ntx() == 0);
  fn_tcp_in(SP, P1, iss + 1461, TH_ACK, 65535, "", 0);  // third duplicate: fast retransmit
  CHECK(fn_pop_seg(&s) == 0 && s.seq == iss + 1461 && s.len == 1460);
}

static void
test_established_wrap(void)
{
  u32 pisn = 0xFFFFFFF8u;
  static u8 big[2000];

  app_reset();
  app_open(SP, pisn, &iss);
  fn_tcp_in(SP, pisn + 1, iss + 1, TH_ACK, 65535, "01234567", 8);
  fn_tcp_in(SP, pisn + 9, iss + 1, TH_ACK, 65535, "89", 2);    // across 2^32
  CHECK(app.ngot == 10 && kmemcmp(app.got, "0123456789", 10) == 0);
  CHECK(fn_pop_seg(&s) == 0 && s.ack == 3);
  fn_tcp_in(SP, 0xFFFFFFFFu, iss + 1, TH_ACK, 65535, "x", 1);  // old: just ACKed
  CHECK(fn_pop_seg(&s) == 0 && s.ack == 3 && app.ngot == 10);
  tcp_write(app.c, big, sizeof(big));
  tcp_output(app.c);
  fn_tcp_in(SP, 3, iss + 1 + 2000, TH_ACK, 65535, "", 0);
  CHECK(tcp_space(app.c) == TCP_SNDBUF);
}

static void
test_established_full(void)
{
  static u8 data[TCP_MSS];
  u32 seq = P1, k = 0;

  app_reset();
  app_open(SP, PISN, &iss);
  app.read = 0;                                  // the application stops reading
  while(k < 20){
    fn_tcp_in(SP, seq, iss + 1, TH_ACK, 65535, data, sizeof(data));
    seq += sizeof(data);
    k++;
  }
  while(fn_pop_seg(&s) == 0)
    ;
  CHECK(s.wnd == 0 && s.ack == P1 + TCP_RCVBUF);   // exactly the buffer was taken
  fn_tcp_in(SP, P1 + TCP_RCVBUF, iss + 1, TH_ACK, 65535, "x", 1);  // a probe
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == 0);
  const u8 *p;
  u32 n = tcp_peek(app.c, &p);
  tcp_consume(app.c, n);                         // reading opens the window
  tcp_output(app.c);
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == TCP_WND_MAX);
}

void
test_tcp(void)
{
  test_established_data();
  test_established_reorder();
  test_established_send();
  test_established_window();
  test_established_timeout();
  test_established_dupack();
  test_established_wrap();
  test_established_full();
}
