// tcp_open.c: the active open, one test per event in SYN_SENT
// (test_syn_sent_<event>), then the life of a client connection to its end.
// The peer (10.0.2.2:8080) is scripted segment by segment.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

#define PP 8080                        // the peer's port

static struct {
  int connects, recvs, closes, err, c;
} cli;
static struct fn_seg s;

static int
cli_accept(int c)
{
  cli.connects++;
  cli.c = c;
  return 0;
}

static void
cli_recv(int c)
{
  (void)c;
  cli.recvs++;
}

static void
cli_closed(int c)
{
  cli.closes++;
  cli.err = tcp_error(c);
}

static const struct tcp_ops cli_ops = { cli_accept, cli_recv, 0, cli_closed, 0 };

// A fresh stack and a connection to the peer's port 8080; its SYN in s.
static int
cli_open(void)
{
  int c;

  app_reset();
  kmemset(&cli, 0, sizeof(cli));
  cli.c = -1;
  c = tcp_connect(PEER_IP, PP, &cli_ops);
  CHECK(c >= 0 && fn_pop_seg(&s) == 0 && s.flags == TH_SYN);
  fn_dport = s.sport;                  // the peer answers our ephemeral port
  return c;
}

// The peer's SYN-ACK for our SYN of ISN iss, with an MSS option (0: none)
// and a window scale option of shift (-1: none).
static void
cli_synack(u32 iss, u16 mss, int shift)
{
  fn_synack_in(PP, PISN, iss + 1, mss, shift);
}

static void
test_syn_sent_syn(void)
{
  int c = cli_open();

  CHECK(tcp_state(c) == TCP_SYN_SENT && s.dport == PP && s.ack == 0);
  CHECK(s.sport >= TCP_EPHEMERAL && s.mss == TCP_MSS && s.wscale == TCP_WSCALE + 1);
  CHECK(s.wnd == TCP_WND_MAX);
  CHECK(tcp_connect(PEER_IP, PP, &cli_ops) != c);   // a second one: another port
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_SYN && s.sport != fn_dport);
  fn_up();                                           // no address: no connection
  net_config(0, 0, 0, 0, 0, 0);
  CHECK(tcp_connect(PEER_IP, PP, &cli_ops) == -1 && fn_ntx() == 0);
}

// The SYN-ACK establishes the connection with the peer's MSS and window
// scale: the ACK goes out, accept() is called, segments keep to the MSS.
static void
test_syn_sent_synack(void)
{
  static u8 data[5000];
  int c = cli_open();
  u32 iss = s.seq;

  cli_synack(iss, 1000, 2);
  CHECK(tcp_state(c) == TCP_ESTABLISHED && cli.connects == 1 && cli.c == c);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_ACK && s.seq == iss + 1 && s.ack == PISN + 1);
  CHECK(s.wnd == TCP_WND_MAX >> TCP_WSCALE);        // ours, scaled
  CHECK(tcp_write(c, data, sizeof(data)) == sizeof(data));
  tcp_output(c);
  CHECK(fn_pop_seg(&s) == 0 && s.len == 1000 && s.seq == iss + 1);
  CHECK(fn_ntx() == 4);                             // the SYN-ACK's window (65535) is not scaled
}

static void
test_syn_sent_synack_noscale(void)
{
  int c = cli_open();

  cli_synack(s.seq, 0, -1);                          // no options: no scaling either way
  CHECK(tcp_state(c) == TCP_ESTABLISHED);
  CHECK(fn_pop_seg(&s) == 0 && s.wnd == TCP_WND_MAX);
  CHECK(tcp_write(c, "0123456789", 10) == 10);
  fn_tcp_in(PP, PISN + 1, s.seq, TH_ACK, 5, "", 0);     // a window of 5 bytes, unscaled
  tcp_output(c);
  CHECK(fn_pop_seg(&s) == 0 && s.len == 5 && fn_ntx() == 0);
}

static void
test_syn_sent_rst(void)
{
  int c = cli_open();

  fn_tcp_in(PP, 0, s.seq + 7, TH_RST | TH_ACK, 0, "", 0);   // not for our SYN: ignored
  CHECK(tcp_state(c) == TCP_SYN_SENT);
  fn_tcp_in(PP, 0, s.seq + 1, TH_RST | TH_ACK, 0, "", 0);
  CHECK(tcp_state(c) == TCP_CLOSED && cli.closes == 1 && cli.err == TCP_ERR_REFUSED);
  CHECK(cli.connects == 0 && fn_ntx() == 0);
}

static void
test_syn_sent_bad_ack(void)
{
  int c = cli_open();
  u32 iss = s.seq;

  fn_synack_in(PP, PISN, iss + 9, 1460, -1);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_RST && s.seq == iss + 9);
  CHECK(tcp_state(c) == TCP_SYN_SENT);
  fn_tcp_in(PP, PISN, 0, TH_SYN, 65535, "", 0);     // a SYN alone: no simultaneous open
  CHECK(tcp_state(c) == TCP_SYN_SENT && fn_ntx() == 0);
  cli_synack(iss, 1460, -1);
  CHECK(tcp_state(c) == TCP_ESTABLISHED);
}

// No answer: the SYN is resent with the RTO doubling (the peer's MAC
// asked for again each time, in case it left), then the connection ends as
// timed out, without a RST.
static void
test_syn_sent_timeout(void)
{
  int c = cli_open();
  u32 iss = s.seq;
  u64 wait = TCP_RTO_INIT_MS;

  for(int i = 0; i < TCP_SYN_RETRIES; i++){
    app_tick(wait - 1);
    CHECK(fn_ntx() == 0);
    app_tick(1);
    CHECK(fn_arp_answer() == 1);
    CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_SYN && s.seq == iss && s.wscale == TCP_WSCALE + 1);
    wait *= 2;
  }
  app_tick(wait);
  CHECK(tcp_state(c) == TCP_CLOSED && cli.closes == 1 && cli.err == TCP_ERR_TIMEOUT);
  CHECK(fn_ntx() == 0);
}

// The peer left: after the first SYN timeout nobody answers ARP for it,
// and the connection fails as unreachable within ARP's tries.
static void
test_syn_sent_unreachable(void)
{
  int c = cli_open();

  app_tick(TCP_RTO_INIT_MS);
  for(int i = 0; i < ARP_TRIES; i++){
    CHECK(tcp_state(c) == TCP_SYN_SENT);
    netif.now += MS(ARP_RETRY_MS);
    net_poll(netif.now);
  }
  CHECK(tcp_state(c) == TCP_CLOSED && cli.closes == 1 && cli.err == TCP_ERR_UNREACHABLE);
}

// A SYN-ACK lost: the peer sees our SYN again and its second SYN-ACK counts.
static void
test_syn_sent_retransmit(void)
{
  int c = cli_open();
  u32 iss = s.seq;

  app_tick(TCP_RTO_INIT_MS);
  CHECK(fn_arp_answer() == 1 && fn_pop_seg(&s) == 0 && s.flags == TH_SYN);
  cli_synack(iss, 1460, 1);
  CHECK(tcp_state(c) == TCP_ESTABLISHED && cli.connects == 1);
}

// A client connection's life: request out, response and FIN in, our close,
// the peer's ACK of our FIN ends it (no TIME_WAIT on our side).
static void
test_syn_sent_to_close(void)
{
  const u8 *p;
  int c = cli_open();
  u32 iss = s.seq;

  cli_synack(iss, 1460, 1);
  fn_tx_clear();
  CHECK(tcp_write(c, "GET", 3) == 3);
  tcp_output(c);
  CHECK(fn_pop_seg(&s) == 0 && s.len == 3);
  fn_tcp_in(PP, PISN + 1, iss + 4, TH_ACK | TH_FIN, 65535, "OK", 2);
  CHECK(cli.recvs == 1 && tcp_peek(c, &p) == 2 && p[0] == 'O');
  tcp_consume(c, 2);
  CHECK(tcp_eof(c) && tcp_state(c) == TCP_CLOSE_WAIT);
  tcp_close(c);
  tcp_output(c);
  fn_tx_clear();
  fn_tcp_in(PP, PISN + 4, iss + 5, TH_ACK, 65535, "", 0);
  CHECK(tcp_state(c) == TCP_CLOSED && cli.closes == 1 && cli.err == TCP_ERR_NONE);
}

static void
test_syn_sent_then_reset(void)
{
  int c = cli_open();

  cli_synack(s.seq, 1460, 1);
  fn_tcp_in(PP, PISN + 1, 0, TH_RST, 0, "", 0);
  CHECK(tcp_state(c) == TCP_CLOSED && cli.err == TCP_ERR_RESET);
}

void
test_tcp_connect(void)
{
  test_syn_sent_syn();
  test_syn_sent_synack();
  test_syn_sent_synack_noscale();
  test_syn_sent_rst();
  test_syn_sent_bad_ack();
  test_syn_sent_timeout();
  test_syn_sent_unreachable();
  test_syn_sent_retransmit();
  test_syn_sent_to_close();
  test_syn_sent_then_reset();
}
