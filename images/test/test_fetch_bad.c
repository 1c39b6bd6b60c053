// fetch*.c when things go wrong: bad URLs and requests (http_fetch says
// -1 and why), malformed responses, refused, reset, silent and vanished
// servers, unknown names, aborts, the limit on requests in flight, and
// random bytes for a response. done() comes exactly once, with a sentence.

#include "param.h"
#include "test.h"
#include "fetchsrv.h"

static void
test_fetch_bad_urls(void)
{
  static const struct {
    const char *method, *url, *headers, *why;
  } cases[] = {
    { 0, "ftp://x/", 0, "ftp://x/ is not an http:// or https:// URL" },
    { 0, "http:/x", 0, "http:/x is not an http:// or https:// URL" },
    { 0, "htt", 0, "htt is not an http:// or https:// URL" },
    { 0, "http://", 0, "the URL http:// has no host" },
    { 0, "http://:80/", 0, "the URL http://:80/ has no host" },
    { 0, "http://a:99999/", 0, "bad port in the URL http://a:99999/" },
    { 0, "http://a:0/", 0, "bad port in the URL http://a:0/" },
    { 0, "http://a:8x/", 0, "bad port in the URL http://a:8x/" },
    { 0, "http://u:p@a/", 0, "user names in URLs are not supported" },
    { 0, "http://[::1]/", 0, "IPv6 addresses in URLs are not supported" },
    { 0, "http://a b/", 0, "bad host in the URL http://a b/" },
    { 0, "http://a/b c", 0, "the URL has a space or control character: percent-encode it" },
    { "GE T", "http://a/", 0, "bad method GE T" },
    { "", "http://a/", 0, "bad method " },
    { 0, "http://a/", "X-A: b", "bad header lines: each must be \"Name: value\\r\\n\"" },
    { 0, "http://a/", "X-A: b\r\nInjected\r\n", "bad header lines: each must be \"Name: value\\r\\n\"" },
    { 0, "http://a/", "X-A: b\nX: c\r\n", "bad header lines: each must be \"Name: value\\r\\n\"" },
  };
  struct fetch_req r = { 0, 0, 0, 0, 0, 0 };
  static char big[FETCH_SEND_MAX];

  fsrv_up();
  for(u32 i = 0; i < NELEM(cases); i++){
    r.method = cases[i].method;
    r.url = cases[i].url;
    r.headers = cases[i].headers;
    CHECK(http_fetch(&r, &rec_ops, 0) == -1);
    CHECK_STR(fetch_error(), cases[i].why);
  }
  r = (struct fetch_req){ "POST", "http://a/", 0, big, sizeof(big) - 100, 0 };
  CHECK(http_fetch(&r, &rec_ops, 0) == -1);
  CHECK_STR(fetch_error(), "the request to a is too large: at most 65536 bytes with its headers");
  r.body_len = sizeof(big) - 200;
  CHECK(http_fetch(&r, &rec_ops, 0) >= 0);
  for(int i = 1; i < FETCH_MAX; i++)
    CHECK(http_fetch(&r, &rec_ops, 0) >= 0);
  CHECK(http_fetch(&r, &rec_ops, 0) == -1);
  CHECK_STR(fetch_error(), "8 requests are in flight already: wait for one to end");
  CHECK(fn_ntx() == 0);                 // nothing happens before the poller runs
}

// Responses that are not HTTP: done() names the host and what was wrong.
static void
test_fetch_malformed(void)
{
  static const struct {
    const char *resp, *why;
  } cases[] = {
    { "HTTP/2 200 OK\r\n\r\n", "bad status line" },
    { "HTTP/1.1 20 OK\r\n\r\n", "bad status line" },
    { "HTTP/1.1 200OK\r\n\r\n", "bad status line" },
    { "SSH-2.0-OpenSSH\r\n", "bad status line" },
    { "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "bad header line" },
    { "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "bad header line" },
    { "HTTP/1.1 200 OK\r\n folded\r\n\r\n", "bad header line" },
    { "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length" },
    { "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "bad Content-Length" },
    { "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length" },
    { "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "bad Content-Length" },
    { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size" },
    { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", "bad chunk size" },
    { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n", "bad chunk size" },
    { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "chunk longer than its size" },
  };
  char want[200];

  for(u32 i = 0; i < NELEM(cases); i++){
    fsrv_up();
    fsrv_start(0, "http://10.0.2.2/", 0, 0);
    fsrv_accept(80, -1);
    fsrv_say(cases[i].resp);
    fsrv_poll(0);
    fsrv_collect();
    ksnprintf(want, sizeof(want), "10.0.2.2 sent a malformed response (%s)", cases[i].why);
    CHECK(res.dones == 1 && srv.rst);
    CHECK_STR(res.error, want);
  }
}

// Headers over FETCH_HEAD_MAX end the request; so does a server that
// closes too soon, or says nothing.
static void
test_fetch_cut_short(void)
{
  static char hdr[FETCH_HEAD_MAX + 100];
  u32 n;

  fsrv_up();
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  n = ksnprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nX: ");
  kmemset(hdr + n, 'x', sizeof(hdr) - n - 1);
  fsrv_send(hdr, sizeof(hdr) - 1, 1460);
  fsrv_poll(0);
  CHECK_STR(res.error, "10.0.2.2 sent a malformed response (headers too large)");
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
  fsrv_fin();
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.nbody == 4);
  CHECK_STR(res.error, "the connection to 10.0.2.2 closed before the response was complete");
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_fin();
  fsrv_poll(0);
  CHECK_STR(res.error, "10.0.2.2 closed the connection without answering");
}

static void
test_fetch_refused(void)
{
  struct fn_seg s;

  fsrv_up();
  fsrv_start(0, "http://10.0.2.2:9/", 0, 0);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_SYN);
  fn_dport = s.sport;
  fn_tcp_in(9, 0, s.seq + 1, TH_RST | TH_ACK, 0, "", 0);
  CHECK(res.dones == 0);                // later, from the poller
  fsrv_poll(0);
  CHECK(res.dones == 1);
  CHECK_STR(res.error, "10.0.2.2 port 9 refused the connection");
  fsrv_start(0, "http://example.com/", 0, 0);
  CHECK(fn_pop_seg(&s) == 0 && s.flags == TH_SYN && s.dport == 80);
  fn_dport = s.sport;
  fn_tcp_in(80, 0, s.seq + 1, TH_RST | TH_ACK, 0, "", 0);
  fsrv_poll(0);
  CHECK_STR(res.error, "the host's proxy (10.0.2.2 port 80) refused the connection for example.com");
}

// Nobody answers: the SYN is resent, then FETCH_TIMEOUT_MS after the start
// the request fails. A request making progress is not cut off.
static void
test_fetch_timeout(void)
{
  fsrv_up();
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  for(int i = 0; i < FETCH_TIMEOUT_MS / 1000 - 1; i++)
    fsrv_poll(1000);
  CHECK(res.dones == 0);
  fsrv_poll(1000);
  CHECK(res.dones == 1);
  CHECK_STR(res.error, "no answer from 10.0.2.2 within 30 s");
  fsrv_start(0, "http://10.0.2.9/", 0, 0);           // nobody has that address
  for(int i = 0; i < ARP_TRIES; i++)
    fsrv_poll(ARP_RETRY_MS);
  CHECK(res.dones == 1);
  CHECK_STR(res.error, "10.0.2.9 does not answer: no such address on this network");
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
  for(int i = 0; i < 40; i++){
    fsrv_poll(FETCH_TIMEOUT_MS / 10);
    fsrv_say("x");
  }
  CHECK(res.dones == 0 && res.nbody == 40);
  fsrv_poll(FETCH_TIMEOUT_MS);
  fsrv_collect();
  CHECK(res.dones == 1 && srv.rst);
}

// An unknown name: the resolver's NXDOMAIN, in the API's words.
static void
test_fetch_unknown_name(void)
{
  struct fn_frame f;
  u8 d[64];
  int n;

  fsrv_up();
  fsrv_start(0, "http://nope:8080/", 0, 0);
  CHECK(fn_pop(&f) == 0);
  n = fn_hex("0000 8583 0001 0000 0000 0000  04 6e6f7065 00  0001 0001", d + 8);
  put16(d, 53);
  put16(d + 2, get16(f.b + ETH_HLEN + IP_HLEN));
  put16(d + 4, n + 8);
  put16(d + 6, 0);
  kmemcpy(d + 8, f.b + ETH_HLEN + IP_HLEN + 8, 2);
  fn_ip_in(PEER_IP, OUR_IP, IP_UDP, d, n + 8);
  fsrv_poll(0);
  CHECK(res.dones == 1 && fn_ntx() == 0);
  CHECK_STR(res.error, "cannot resolve nope: no such appliance on this network");
}

// Aborted from head() or by http_fetch_abort: a RST, then done("aborted").
static void
test_fetch_abort(void)
{
  int h;

  fsrv_up();
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  res.abort_head = 1;
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  fsrv_poll(0);
  CHECK(res.heads == 1 && res.nbody == 0 && srv.rst && res.dones == 1);
  CHECK_STR(res.error, "aborted");
  h = fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  http_fetch_abort(h);
  CHECK(res.dones == 0);
  fsrv_poll(0);
  fsrv_collect();
  CHECK(res.dones == 1 && srv.rst);
  CHECK_STR(res.error, "aborted");
  CHECK(fsrv_start(0, "http://10.0.2.2/", 0, 0) != h);   // the same slot, another handle
  fsrv_accept(80, -1);
  http_fetch_abort(h);                                   // the old handle: nothing happens
  http_fetch_abort(-1);
  fsrv_poll(0);
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0);
}

// Random bytes after a valid status line, or instead of one: never a
// crash, always one done().
static void
test_fetch_fuzz(void)
{
  static const char set[] = "HTTP/1.1 200 OK\r\n:;chunked-Length 0123456789aF\r\n\n";
  static u8 junk[3000];
  u32 n;

  for(int round = 0; round < 200; round++){
    fsrv_up();
    fsrv_start(0, "http://10.0.2.2/", 0, 0);
    fsrv_accept(80, -1);
    n = test_rand() % sizeof(junk);
    for(u32 i = 0; i < n; i++)
      junk[i] = round % 2 ? (u8)set[test_rand() % (sizeof(set) - 1)] : (u8)test_rand();
    if(round % 4 == 1)
      fsrv_say("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    fsrv_send(junk, n, 1 + test_rand() % 1460);
    fsrv_fin();
    fsrv_poll(FETCH_TIMEOUT_MS);
    CHECK(res.dones == 1);
  }
}

void
test_fetch_bad(void)
{
  test_fetch_bad_urls();
  test_fetch_malformed();
  test_fetch_cut_short();
  test_fetch_refused();
  test_fetch_timeout();
  test_fetch_unknown_name();
  test_fetch_abort();
  test_fetch_fuzz();
  fn_dport = 80;                       // the server tests' port again
}
