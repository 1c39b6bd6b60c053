// The lower layers with golden frames: checksums and addresses (inet.c),
// Ethernet, ARP (replies, resolution with a held frame, retries), IPv4
// (checks, fragments dropped), ICMP echo and UDP.

#include "param.h"
#include "test.h"
#include "fakenet.h"

// Compare a transmitted frame with hex, ignoring the IPv4 id and header
// checksum (bytes 18-19, 24-25) when the frame is IPv4; the IP checksum
// itself is checked by ip_parse.
static int
frame_is(const struct fn_frame *f, const char *hex)
{
  u8 want[NET_FRAME_MAX];
  int n = fn_hex(hex, want);
  struct ip_hdr ih;

  if((u32)n != f->len)
    return 0;
  if(get16(f->b + 12) == ETH_IP){
    if(ip_parse(f->b + ETH_HLEN, f->len - ETH_HLEN, &ih) < 0)
      return 0;
    want[18] = f->b[18];
    want[19] = f->b[19];
    want[24] = f->b[24];
    want[25] = f->b[25];
  }
  return kmemcmp(want, f->b, n) == 0;
}

// The checksum by the book: big-endian 16-bit words, one at a time.
static u16
naive_checksum(const u8 *b, u32 len)
{
  u32 sum = 0;

  for(u32 i = 0; i + 1 < len; i += 2)
    sum += (u32)b[i] << 8 | b[i + 1];
  if(len & 1)
    sum += (u32)b[len - 1] << 8;
  return inet_fold(sum);
}

// inet_sum adds 32-bit words: it must agree with the book at every length
// and alignment, and with sums carried from one call into the next.
static void
test_inet_sum_words(void)
{
  static u8 buf[1600];
  u32 x = 12345;
  int bad = 0;

  for(u32 i = 0; i < sizeof(buf); i++){
    x = x * 1103515245 + 12345;
    buf[i] = i % 7 == 0 ? 0xFF : (u8)(x >> 16);   // many 0xFF: carries
  }
  for(u32 off = 0; off < 4; off++)
    for(u32 len = 0; len < 80; len++)
      bad += inet_fold(inet_sum(0, buf + off, len)) != naive_checksum(buf + off, len);
  for(u32 split = 0; split <= 1500; split += 2)
    bad += inet_fold(inet_sum(inet_sum(7, buf, split), buf + split, 1500 - split)) !=
           inet_fold(inet_sum(7, buf, 1500));
  CHECK(bad == 0);
}

static void
test_inet(void)
{
  // RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
  u8 b[] = { 0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7 };
  u32 ip;
  int prefix;

  CHECK(inet_fold(inet_sum(0, b, sizeof(b))) == (u16)~0xDDF2);
  CHECK(inet_fold(inet_sum(0, b, 3)) == (u16)~(0x0001 + 0xF200));
  test_inet_sum_words();
  CHECK(inet_parse("10.0.2.15/24", &ip, &prefix) == 0 && ip == OUR_IP && prefix == 24);
  CHECK(inet_parse("10.0.2.15", &ip, &prefix) == 0 && prefix == -1);
  CHECK(inet_parse("10.0.2", &ip, &prefix) < 0);
  CHECK(inet_parse("10.0.2.256", &ip, &prefix) < 0);
  CHECK(inet_parse("10.0.2.1/33", &ip, &prefix) < 0);
  CHECK(inet_parse("10.0.2.1x", &ip, &prefix) < 0);
  CHECK(inet_parse("1.2.3.0004", &ip, &prefix) < 0);
  CHECK(inet_mask(24) == 0xFFFFFF00 && inet_mask(0) == 0 && inet_mask(32) == 0xFFFFFFFF);
}

static void
test_eth_arp_golden(void)
{
  static const char req[] = "ffffffffffff 525400123456 0806"
                            "0001 0800 06 04 0001 525400123456 0a00020f 000000000000 0a000202"
                            "000000000000000000000000000000000000";
  u8 f[64];
  struct eth_hdr h;
  struct arp_pkt a;
  int n = fn_hex(req, f);

  CHECK(eth_parse(f, n, &h) == ETH_HLEN && h.type == ETH_ARP && h.dst[0] == 0xFF);
  CHECK(eth_parse(f, 13, &h) < 0);
  CHECK(arp_parse(f + ETH_HLEN, n - ETH_HLEN, &a) == 0);
  CHECK(a.op == ARP_REQUEST && a.spa == OUR_IP && a.tpa == PEER_IP && kmemcmp(a.sha, our_mac, 6) == 0);
  CHECK(arp_parse(f + ETH_HLEN, 27, &a) < 0);

  // Configuring an address asks for the gateway's MAC: the same frame.
  fn_init("");
  fn_tx_clear();
  net_config(OUR_IP, 0xFFFFFF00, PEER_IP, 0, 0, "static");
  CHECK(fn_ntx() == 1 && frame_is(fn_tx(0), req));
  CHECK(fn_up_calls() == 1);
}

// Deliver an ARP packet from the peer.
static void
arp_in(u16 op, u32 spa, u32 tpa, const u8 *dst)
{
  struct arp_pkt a = { op, { 0 }, spa, { 0 }, tpa };
  struct eth_hdr h;
  u8 f[ETH_HLEN + ARP_LEN];

  kmemcpy(a.sha, peer_mac, 6);
  if(op == ARP_REPLY)
    kmemcpy(a.tha, our_mac, 6);
  kmemcpy(h.dst, dst, 6);
  kmemcpy(h.src, peer_mac, 6);
  h.type = ETH_ARP;
  eth_emit(&h, f);
  arp_emit(&a, f + ETH_HLEN);
  fn_deliver(f, sizeof(f));
}

static void
test_arp_reply(void)
{
  u8 mac[6];

  fn_up();
  arp_in(ARP_REQUEST, IP4(10, 0, 2, 7), OUR_IP, eth_broadcast);
  CHECK(fn_ntx() == 1);
  CHECK(frame_is(fn_tx(0), "52550a000202 525400123456 0806 0001 0800 0604 0002 525400123456 0a00020f"
                           "52550a000202 0a000207 000000000000000000000000000000000000"));
  CHECK(arp_lookup(IP4(10, 0, 2, 7), mac) == 0 && kmemcmp(mac, peer_mac, 6) == 0);
  fn_tx_clear();
  arp_in(ARP_REQUEST, IP4(10, 0, 2, 8), IP4(10, 0, 2, 99), eth_broadcast);   // not for us
  CHECK(fn_ntx() == 0 && arp_lookup(IP4(10, 0, 2, 8), mac) < 0);
}

static void
test_arp_resolve(void)
{
  struct fn_frame f;
  u8 *p;

  fn_up();
  p = ip_txbuf();
  kmemcpy(p, "ping", 4);
  ip_output(IP4(10, 0, 2, 9), 253, 4);           // unknown neighbour: held, asked for
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0 && get16(f.b + 12) == ETH_ARP && get32(f.b + 38) == IP4(10, 0, 2, 9));
  netif.now = ARP_RETRY_MS * US_PER_MS;
  arp_poll(netif.now);
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0 && get16(f.b + 12) == ETH_ARP);
  arp_in(ARP_REPLY, IP4(10, 0, 2, 9), OUR_IP, our_mac);
  CHECK(fn_ntx() == 1 && fn_pop(&f) == 0);       // the held frame goes out
  CHECK(kmemcmp(f.b, peer_mac, 6) == 0 && get16(f.b + 12) == ETH_IP && f.b[23] == 253 &&
        kmemcmp(f.b + 34, "ping", 4) == 0);

  ip_output(IP4(10, 0, 2, 10), 253, 4);          // nobody answers: given up
  for(int i = 0; i <= ARP_TRIES; i++){
    netif.now += ARP_RETRY_MS * US_PER_MS;
    arp_poll(netif.now);
  }
  CHECK(fn_ntx() == ARP_TRIES);
  CHECK(arp_poll(netif.now) == TIME_NEVER);
  fn_tx_clear();
  ip_output(IP4(8, 8, 8, 8), 253, 4);            // off the subnet: via the gateway
  CHECK(fn_ntx() == 1 && kmemcmp(fn_tx(0)->b, peer_mac, 6) == 0 && get32(fn_tx(0)->b + 30) == IP4(8, 8, 8, 8));
}

static void
test_ip_icmp(void)
{
  static const char echo[] = "0800 2104 1234 0001 61626364";
  u8 p[64];
  int n = fn_hex(echo, p);
  struct ip_hdr h;

  fn_up();
  fn_ip_in(PEER_IP, OUR_IP, IP_ICMP, p, n);
  CHECK(fn_ntx() == 1);
  CHECK(frame_is(fn_tx(0), "52550a000202 525400123456 0800"
                           "4500 0020 0000 4000 40 01 0000 0a00020f 0a000202"
                           "0000 2904 1234 0001 61626364 0000000000000000000000000000"));
  fn_tx_clear();
  p[2] ^= 1;                                     // bad ICMP checksum: ignored
  fn_ip_in(PEER_IP, OUR_IP, IP_ICMP, p, n);
  p[2] ^= 1;
  fn_ip_in(PEER_IP, IP4(10, 0, 2, 16), IP_ICMP, p, n);   // not our address
  CHECK(fn_ntx() == 0);

  // A fragment is dropped; a corrupt header fails ip_parse.
  u8 f[ETH_HLEN + IP_HLEN + 16];
  struct ip_hdr ih = { IP_HLEN, IP_HLEN + n, 1, 0x2000, 64, IP_ICMP, PEER_IP, OUR_IP };
  kmemcpy(f, our_mac, 6);
  kmemcpy(f + 6, peer_mac, 6);
  put16(f + 12, ETH_IP);
  ip_emit(&ih, f + ETH_HLEN);
  kmemcpy(f + ETH_HLEN + IP_HLEN, p, n);
  fn_deliver(f, ETH_HLEN + IP_HLEN + n);
  CHECK(fn_ntx() == 0);
  CHECK(ip_parse(f + ETH_HLEN, IP_HLEN + n, &h) == 0 && h.frag == 0x2000 && h.len == (u32)IP_HLEN + n);
  f[ETH_HLEN + 8] ^= 1;
  CHECK(ip_parse(f + ETH_HLEN, IP_HLEN + n, &h) < 0);
  CHECK(ip_parse(f + ETH_HLEN, IP_HLEN - 1, &h) < 0);
}

static void
test_udp(void)
{
  u8 d[12] = { 0x12, 0x34, 0x00, 0x44, 0x00, 0x0C, 0, 0, 'a', 'b', 'c', 'd' };
  struct ip_hdr ih = { IP_HLEN, IP_HLEN + 12, 0, 0, 64, IP_UDP, PEER_IP, OUR_IP };
  struct udp_hdr h;

  CHECK(udp_parse(&ih, d, 12, &h) == 0 && h.sport == 0x1234 && h.dport == 68 && h.len == 12);
  put16(d + 6, inet_fold(inet_sum(inet_pseudo(PEER_IP, OUR_IP, IP_UDP, 12), d, 12)));
  CHECK(udp_parse(&ih, d, 12, &h) == 0);
  d[9] ^= 1;
  CHECK(udp_parse(&ih, d, 12, &h) < 0);          // checksum present and wrong
  CHECK(udp_parse(&ih, d, 7, &h) < 0);
  put16(d + 4, 40);
  CHECK(udp_parse(&ih, d, 12, &h) < 0);          // length beyond the packet
}

static void
test_rx_full_kick(void)
{
  struct fn_frame f;

  fn_up();
  net_poll(netif.now);
  CHECK(fn_ntx() == 0);
  fn_nic.rx_full = 1;                            // the driver saw its ring nearly full
  net_poll(netif.now);
  CHECK(fn_nic.rx_full == 0 && netif.rx_full == 1);
  CHECK(fn_pop(&f) == 0 && get16(f.b + 12) == ETH_ARP && get32(f.b + 38) == PEER_IP);
}

void
test_net(void)
{
  test_inet();
  test_eth_arp_golden();
  test_arp_reply();
  test_arp_resolve();
  test_ip_icmp();
  test_udp();
  test_rx_full_kick();
}
