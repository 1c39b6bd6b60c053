// dns.c: the query and answer formats against golden bytes, then lookups
// through the fake NIC with the peer (10.0.2.2) as the DNS server: the
// cache and its TTL, retries, NXDOMAIN, answers that are not ours.

#include "param.h"
#include "test.h"
#include "tcpapp.h"

// A query for "db", id 0x1234, recursion desired.
static const char q_db[] = "1234 0100 0001 0000 0000 0000  02 6462 00  0001 0001";
// The answer: "db" is 10.0.2.16 for 60 s (the name compressed to the question's).
static const char a_db[] = "1234 8580 0001 0001 0000 0000  02 6462 00  0001 0001"
                           "  c00c 0001 0001 0000003c 0004 0a000210";

static u8 buf[512], want[512];
static u16 dport;                      // the resolver's port, from its last query

static void
test_dns_query_golden(void)
{
  int n = fn_hex(q_db, want);

  CHECK(dns_query(buf, 0x1234, "db") == (u32)n && kmemcmp(buf, want, n) == 0);
  n = fn_hex("abcd 0100 0001 0000 0000 0000  02 6462 08 746162636c6f7564 00  0001 0001", want);
  CHECK(dns_query(buf, 0xABCD, "DB.tabcloud.") == (u32)n && kmemcmp(buf, want, n) == 0);
}

static void
test_dns_answer_golden(void)
{
  u32 ip = 0, ttl = 0;
  int n = fn_hex(a_db, buf);

  CHECK(dns_answer(buf, n, 0x1234, "db", &ip, &ttl) == DNS_OK && ip == IP4(10, 0, 2, 16) && ttl == 60);
  CHECK(dns_answer(buf, n, 0x1234, "DB", &ip, &ttl) == DNS_OK);
  CHECK(dns_answer(buf, n, 0x1235, "db", &ip, &ttl) == DNS_BAD);      // another id
  CHECK(dns_answer(buf, n, 0x1234, "dc", &ip, &ttl) == DNS_BAD);      // another question
  CHECK(dns_answer(buf, n - 1, 0x1234, "db", &ip, &ttl) == DNS_BAD);  // cut short
  CHECK(dns_answer(buf, 15, 0x1234, "db", &ip, &ttl) == DNS_BAD);
  buf[3] = 0x83;                                                      // NXDOMAIN
  CHECK(dns_answer(buf, n, 0x1234, "db", &ip, &ttl) == DNS_NXDOMAIN);
  buf[3] = 0x82;                                                      // SERVFAIL
  CHECK(dns_answer(buf, n, 0x1234, "db", &ip, &ttl) == DNS_FAILED);
  n = fn_hex("1234 8180 0001 0001 0000 0000  02 6462 00  0001 0001"   // a CNAME only
             "  c00c 0005 0001 00000010 0004 02 6162 00", buf);
  CHECK(dns_answer(buf, n, 0x1234, "db", &ip, &ttl) == DNS_NODATA);
  n = fn_hex("1234 0100 0001 0000 0000 0000  02 6462 00  0001 0001", buf);   // a query, not an answer
  CHECK(dns_answer(buf, n, 0x1234, "db", &ip, &ttl) == DNS_BAD);
}

// A stack whose DNS server is the peer (its MAC known), with no frame queued.
static void
dns_up(void)
{
  app_reset();
  net_config(OUR_IP, IP4(255, 255, 255, 0), PEER_IP, PEER_IP, 0, "static");
  dns_reset();
}

// The next frame sent, as a query to the peer's port 53: its payload in
// buf (the id in *id); its length, or -1.
static int
dns_sent(u16 *id)
{
  struct fn_frame f;
  struct ip_hdr ih;
  u8 *u;

  if(fn_pop(&f) < 0 || ip_parse(f.b + ETH_HLEN, f.len - ETH_HLEN, &ih) < 0 || ih.proto != IP_UDP ||
     ih.dst != PEER_IP)
    return -1;
  u = f.b + ETH_HLEN + ih.hlen;
  if(get16(u + 2) != 53)
    return -1;
  dport = get16(u);
  *id = get16(u + 8);
  kmemcpy(buf, u + 8, get16(u + 4) - 8);
  return get16(u + 4) - 8;
}

// Deliver the DNS message id + hex (the message after its id) from src:sport.
static void
dns_in(u32 src, u16 sport, u16 id, const char *hex)
{
  u8 d[600];
  int n = 2 + fn_hex(hex, d + 10);

  put16(d, sport);
  put16(d + 2, dport);
  put16(d + 4, n + 8);
  put16(d + 6, 0);                     // no checksum
  put16(d + 8, id);
  fn_ip_in(src, OUR_IP, IP_UDP, d, n + 8);
}

static void
test_dns_lookup_cache(void)
{
  const char *why = 0;
  u32 ip = 0;
  u16 id;

  dns_up();
  CHECK(dns_lookup("db", &ip, &why) == 1);
  CHECK(dns_sent(&id) == fn_hex(q_db, want) && kmemcmp(buf + 2, want + 2, 18) == 0);
  CHECK(dns_lookup("DB", &ip, &why) == 1 && fn_ntx() == 0);          // one query for both
  dns_in(IP4(10, 0, 2, 9), 53, id, a_db + 4);                        // not from the server
  dns_in(PEER_IP, 5353, id, a_db + 4);                               // not from port 53
  dns_in(PEER_IP, 53, id + 1, a_db + 4);                             // not our id
  CHECK(dns_lookup("db", &ip, &why) == 1);
  dns_in(PEER_IP, 53, id, a_db + 4);
  CHECK(dns_lookup("db", &ip, &why) == 0 && ip == IP4(10, 0, 2, 16) && fn_ntx() == 0);
  app_tick(59000);
  CHECK(dns_lookup("db", &ip, &why) == 0 && fn_ntx() == 0);          // cached for its TTL
  app_tick(1000);
  CHECK(dns_lookup("db", &ip, &why) == 1 && dns_sent(&id) > 0);      // then asked again
}

static void
test_dns_lookup_nxdomain(void)
{
  const char *why = 0;
  u32 ip = 0;
  u16 id;

  dns_up();
  CHECK(dns_lookup("nope", &ip, &why) == 1 && dns_sent(&id) > 0);
  dns_in(PEER_IP, 53, id, "8583 0001 0000 0000 0000  04 6e6f7065 00  0001 0001");
  CHECK(dns_lookup("nope", &ip, &why) == -1);
  CHECK_STR(why, "no such appliance on this network");
  app_tick(DNS_HOLD_MS);
  CHECK(dns_lookup("nope", &ip, &why) == 1 && dns_sent(&id) > 0);    // not kept beyond the hold
}

// No answer: the query is resent after 1 s and 2 s more, then the lookup
// fails 4 s later with the server named.
static void
test_dns_lookup_retry(void)
{
  const char *why = 0;
  u32 ip = 0, wait = DNS_RETRY_MS;
  u16 id;

  dns_up();
  CHECK(dns_lookup("db", &ip, &why) == 1 && dns_sent(&id) > 0);
  for(int i = 1; i < DNS_TRIES; i++){
    netif.now += MS(wait - 1);
    dns_poll(netif.now);
    CHECK(fn_ntx() == 0);
    netif.now += MS(1);
    CHECK(dns_poll(netif.now) == netif.now + MS(wait * 2));
    CHECK(dns_sent(&id) > 0);
    wait *= 2;
  }
  netif.now += MS(wait);
  dns_poll(netif.now);
  CHECK(dns_lookup("db", &ip, &why) == -1 && fn_ntx() == 0);
  CHECK_STR(why, "no answer from the DNS server 10.0.2.2");
}

// The cache holds DNS_CACHE names; a new one replaces the least recently
// used answer, never a lookup in progress.
static void
test_dns_lookup_full(void)
{
  char name[4] = "n0";
  const char *why = 0;
  u32 ip;
  u16 id;

  dns_up();
  for(int i = 0; i < DNS_CACHE; i++){
    name[1] = '0' + i;
    CHECK(dns_lookup(name, &ip, &why) == 1 && dns_sent(&id) > 0);
  }
  CHECK(dns_lookup("other", &ip, &why) == -1);
  CHECK_STR(why, "too many names being looked up at once");
  dns_in(PEER_IP, 53, id, "8180 0001 0001 0000 0000  02 6e37 00  0001 0001  c00c 0001 0001 0000003c 0004 0a000207");
  CHECK(dns_lookup("n7", &ip, &why) == 0 && ip == IP4(10, 0, 2, 7));
  CHECK(dns_lookup("other", &ip, &why) == 1 && dns_sent(&id) > 0);   // took n7's place
  CHECK(dns_lookup("n7", &ip, &why) == -1);
  net_config(OUR_IP, IP4(255, 255, 255, 0), PEER_IP, 0, 0, "static");
  CHECK(dns_lookup("db", &ip, &why) == -1);
  CHECK_STR(why, "the network gave no DNS server");
}

void
test_dns(void)
{
  test_dns_query_golden();
  test_dns_answer_golden();
  test_dns_lookup_cache();
  test_dns_lookup_nxdomain();
  test_dns_lookup_retry();
  test_dns_lookup_full();
}
