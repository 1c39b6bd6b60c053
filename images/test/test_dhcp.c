// dhcp.c and netif.c: the DISCOVER/OFFER/REQUEST/ACK exchange with golden
// fields, renewal, NAK, retransmission, and the static fallback.

#include "param.h"
#include "test.h"
#include "fakenet.h"

#define XID_AT   (ETH_HLEN + IP_HLEN + UDP_HLEN + 4)
#define OPTS_AT  (ETH_HLEN + IP_HLEN + UDP_HLEN + 240)

// Deliver a server message of type from 10.0.2.2:67 with transaction xid.
static void
dhcp_in(int type, u32 xid, u32 dst)
{
  u8 d[UDP_HLEN + 300];
  u8 *m = d + UDP_HLEN, *o = m + 240;
  static const char opts[] = "3604 0a000202 0104 ffffff00 0304 0a000202 0604 0a000203 3304 00000e10 ff";

  kmemset(d, 0, sizeof(d));
  put16(d, 67);
  put16(d + 2, 68);
  put16(d + 4, sizeof(d));
  m[0] = 2;
  m[1] = 1;
  m[2] = 6;
  put32(m + 4, xid);
  put32(m + 16, OUR_IP);
  kmemcpy(m + 28, our_mac, 6);
  put32(m + 236, 0x63825363);
  o[0] = 53;
  o[1] = 1;
  o[2] = type;
  fn_hex(opts, o + 3);
  fn_ip_in(PEER_IP, dst, IP_UDP, d, sizeof(d));
}

// The DHCP message type in transmitted frame f (0 if none).
static int
dhcp_type(const struct fn_frame *f)
{
  return f->len > OPTS_AT + 2 && f->b[OPTS_AT] == 53 ? f->b[OPTS_AT + 2] : 0;
}

static void
test_dhcp_exchange(void)
{
  static const char discover_head[] = "ffffffffffff 525400123456 0800 4500 0148 0000 4000 40 11 0000"
                                      "00000000 ffffffff 0044 0043 0134";
  static const char discover_opts[] = "350101 3706 010306333a3b ff";
  u8 want[64];
  struct fn_frame f;
  u32 xid;
  int n;

  fn_init("");
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0);
  n = fn_hex(discover_head, want);
  CHECK(f.len == 14 + 20 + 8 + 300);
  CHECK(kmemcmp(f.b, want, 18) == 0 && kmemcmp(f.b + 20, want + 20, 4) == 0 &&
        kmemcmp(f.b + 26, want + 26, n - 26) == 0);
  CHECK(f.b[42] == 1 && f.b[43] == 1 && f.b[44] == 6 && get16(f.b + 52) == 0x8000);
  CHECK(kmemcmp(f.b + 70, our_mac, 6) == 0 && get32(f.b + 278) == 0x63825363);
  n = fn_hex(discover_opts, want);
  CHECK(kmemcmp(f.b + OPTS_AT, want, n) == 0);
  CHECK(kstrcmp(dhcp_state(), "selecting") == 0);
  xid = get32(f.b + XID_AT);

  dhcp_in(2, xid ^ 1, IP_BROADCAST);             // someone else's offer
  CHECK(fn_ntx() == 0);
  dhcp_in(2, xid, IP_BROADCAST);                 // OFFER -> REQUEST
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0 && dhcp_type(&f) == 3);
  n = fn_hex("3204 0a00020f 3604 0a000202", want);
  CHECK(kmemcmp(f.b + OPTS_AT + 3, want, n) == 0);
  CHECK(kstrcmp(dhcp_state(), "requesting") == 0 && netif.ip == 0);

  dhcp_in(5, xid, IP_BROADCAST);                 // ACK -> bound
  CHECK(netif.ip == OUR_IP && netif.gw == PEER_IP && netif.dns == IP4(10, 0, 2, 3));
  CHECK(netif.mask == 0xFFFFFF00 && netif.lease_s == 3600 && kstrcmp(netif.how, "dhcp") == 0);
  CHECK(fn_up_calls() == 1 && kstrcmp(dhcp_state(), "bound") == 0);
  CHECK(dhcp_poll(netif.now) == 1800 * 1000000ull);
  fn_tx_clear();

  // T1: renew by unicast to the server (whose MAC is being resolved).
  netif.now = 1800 * 1000000ull;
  dhcp_poll(netif.now);
  CHECK(kstrcmp(dhcp_state(), "renewing") == 0);
  dhcp_in(5, xid, OUR_IP);
  CHECK(kstrcmp(dhcp_state(), "bound") == 0 && fn_up_calls() == 1);

  // A NAK while renewing: the address is dropped and DHCP starts over.
  netif.now += 1800 * 1000000ull;
  dhcp_poll(netif.now);
  dhcp_in(6, xid, OUR_IP);
  CHECK(netif.ip == 0 && netif.how == 0 && kstrcmp(dhcp_state(), "selecting") == 0);
}

static void
test_dhcp_retransmit(void)
{
  u64 t = 0;
  int sent = 0;

  fn_init("");
  for(int i = 0; i < 7; i++){
    t = dhcp_poll(t);
    sent = fn_ntx();
  }
  CHECK(sent == 7);                               // 1 + 6 retransmissions
  CHECK(t == (1000 + 2000 + 4000 + 8000 + 16000 + 16000 + 16000) * 1000ull);
}

static void
test_static_fallback(void)
{
  fn_init("console=ttyS0 ip=10.0.2.99/16 gw=10.0.2.1");
  CHECK(net_poll(1000) == 1000000);               // the DHCP retry comes first
  net_poll(NET_DHCP_WAIT_MS * US_PER_MS - 1);
  CHECK(netif.ip == 0);
  test_out_reset();
  net_poll(NET_DHCP_WAIT_MS * US_PER_MS);
  CHECK(netif.ip == IP4(10, 0, 2, 99) && netif.mask == 0xFFFF0000 && netif.gw == IP4(10, 0, 2, 1));
  CHECK(kstrcmp(netif.how, "static") == 0 && kstrcmp(dhcp_state(), "off") == 0 && fn_up_calls() == 1);
  CHECK(kstrncmp(test_out, "net: no DHCP answer", 19) == 0);

  fn_init("ip=bogus");                           // a bad ip= is reported and ignored
  net_poll(NET_DHCP_WAIT_MS * US_PER_MS * 2);
  CHECK(netif.ip == 0 && fn_up_calls() == 0);
  fn_init("");                                   // no fallback: DHCP keeps trying
  net_poll(60 * 1000000ull);
  CHECK(netif.ip == 0 && kstrcmp(dhcp_state(), "selecting") == 0);
}

// "net renew" (a resumed machine whose address is taken): the address is
// dropped, DHCP starts over with a DISCOVER, and the next ACK binds again.
static void
test_dhcp_renew_command(void)
{
  char *argv[] = { "net", "renew", 0 };
  struct fn_frame f;
  u32 xid;

  fn_init("");
  fn_pop(&f);
  xid = get32(f.b + XID_AT);
  dhcp_in(2, xid, IP_BROADCAST);
  fn_pop(&f);
  dhcp_in(5, xid, IP_BROADCAST);
  CHECK(netif.ip == OUR_IP && kstrcmp(dhcp_state(), "bound") == 0);
  fn_tx_clear();

  net_cmd(2, argv);
  CHECK(netif.ip == 0 && netif.how == 0 && kstrcmp(dhcp_state(), "selecting") == 0);
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0 && dhcp_type(&f) == 1);
  xid = get32(f.b + XID_AT);
  dhcp_in(2, xid, IP_BROADCAST);
  CHECK(fn_pop(&f) == 0 && dhcp_type(&f) == 3);
  dhcp_in(5, xid, IP_BROADCAST);
  CHECK(netif.ip == OUR_IP && kstrcmp(dhcp_state(), "bound") == 0);
}

void
test_dhcp(void)
{
  test_dhcp_exchange();
  test_dhcp_renew_command();
  test_dhcp_retransmit();
  test_static_fallback();
}
