// fetch*.c against a scripted server on the fake NIC: the request as sent
// in each of the three forms (an address, a LAN name through DNS, the
// host's proxy), and responses framed by Content-Length, chunks and the
// connection's close, split anywhere; then the console command.

#include "param.h"
#include "test.h"
#include "fetchsrv.h"

static const char ok5[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Y: z\r\n\r\nhello";

// A GET to an address: the request, then a Content-Length response whose
// end (not the server's FIN) ends the request; our FIN follows.
static void
test_fetch_get(void)
{
  int h;

  fsrv_up();
  CHECK((h = fsrv_start(0, "http://10.0.2.2:8080/x?y=1#frag", 0, 0)) >= 0);
  CHECK(fsrv_accept(8080, 2) == 0);
  CHECK_STR(srv.req, "GET /x?y=1 HTTP/1.1\r\nHost: 10.0.2.2:8080\r\nUser-Agent: tabcloud/appliance\r\n"
                     "Connection: close\r\n\r\n");
  fsrv_say(ok5);
  CHECK(res.heads == 1 && res.status == 200 && res.dones == 0);
  CHECK_STR(res.headers, "Content-Length: 5\r\nX-Y: z\r\n");
  CHECK(res.nbody == 5 && kmemcmp(res.body, "hello", 5) == 0);
  CHECK(srv.fin && !srv.rst);
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0);
  fsrv_poll(0);
  CHECK(res.dones == 1);
  http_fetch_abort(h);                 // over: nothing happens
  fsrv_poll(0);
  CHECK(res.dones == 1 && !srv.rst);
}

static void
test_fetch_post(void)
{
  fsrv_up();
  netif.name = "kv";
  CHECK(fsrv_start("PUT", "http://10.0.2.2/k", "Content-Type: text/plain\r\nX-A: b\r\n", "value") >= 0);
  CHECK(fsrv_accept(80, -1) == 0);
  CHECK_STR(srv.req, "PUT /k HTTP/1.1\r\nHost: 10.0.2.2\r\nUser-Agent: tabcloud/kv\r\nConnection: close\r\n"
                     "Content-Length: 5\r\nContent-Type: text/plain\r\nX-A: b\r\n\r\nvalue");
  fsrv_say("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n");
  fsrv_poll(0);
  CHECK(res.status == 201 && res.nbody == 0 && res.dones == 1 && res.error[0] == 0);
  netif.name = 0;
}

// A large request body goes out as the window allows; a large response
// comes in whole.
static void
test_fetch_large(void)
{
  static char big[60001];
  static u8 resp[100100];
  u32 n;

  fsrv_up();
  for(int i = 0; i < 60000; i++)
    big[i] = 'a' + i % 26;
  CHECK(fsrv_start("POST", "http://10.0.2.2/big", 0, big) >= 0);
  CHECK(fsrv_accept(80, -1) == 0);
  for(int i = 0; i < 20; i++){
    fn_tcp_in(80, srv.seq, srv.ack, TH_ACK, 65535, "", 0);   // acknowledge what came
    fsrv_collect();
  }
  CHECK(kstrlen(test_strstr(srv.req, "\r\n\r\n") + 4) == 60000);
  n = ksnprintf((char *)resp, 100, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
  for(int i = 0; i < 100000; i++)
    resp[n + i] = (u8)(i * 7);
  fsrv_send(resp, n + 100000, 1460);
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.nbody == 100000 && kmemcmp(res.body, resp + n, 100000) == 0);
}

// A body the caller keeps is sent from its memory: larger than the client's
// copy (FETCH_SEND_MAX) could hold; copied, the same body is refused.
static void
test_fetch_kept_body(void)
{
  static char big[FETCH_SEND_MAX + 400];
  const char *body;

  fsrv_up();
  for(u32 i = 0; i < sizeof(big); i++)
    big[i] = 'a' + i % 26;
  CHECK(fsrv_start_body("PUT", "http://10.0.2.2/k", 0, big, sizeof(big), 0) < 0);
  CHECK(test_strstr(fetch_error(), "too large") != 0);
  CHECK(fsrv_start_body("PUT", "http://10.0.2.2/k", 0, big, sizeof(big), 1) >= 0);
  CHECK(fsrv_accept(80, -1) == 0);
  for(int i = 0; i < 40; i++){
    fn_tcp_in(80, srv.seq, srv.ack, TH_ACK, 65535, "", 0);   // acknowledge what came
    fsrv_collect();
  }
  body = test_strstr(srv.req, "\r\n\r\n");
  CHECK(body != 0 && test_strstr(srv.req, "Content-Length: 65936\r\n") != 0);
  CHECK(body != 0 && srv.nreq - (u32)(body + 4 - srv.req) == sizeof(big) &&
        kmemcmp(body + 4, big, sizeof(big)) == 0);
  fsrv_say("HTTP/1.1 204 No Content\r\n\r\n");
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.status == 204);
}

// Chunked, fed one byte at a time: extensions and trailers are skipped.
static void
test_fetch_chunked(void)
{
  const char *r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5;ext=1\r\nhello\r\n6 \r\n world\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n";

  fsrv_up();
  fsrv_start(0, "http://10.0.2.2/c", 0, 0);
  fsrv_accept(80, -1);
  fsrv_send(r, kstrlen(r) - 1, 1);
  fsrv_poll(0);
  CHECK(res.dones == 0 && res.nbody == 21 && kmemcmp(res.body, "hello world0123456789", 21) == 0);
  fsrv_say("\n");
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.nbody == 21);
}

// No length: the body runs to the server's FIN. Bare LFs are taken for
// CRLFs; an interim 100 is skipped.
static void
test_fetch_to_close(void)
{
  fsrv_up();
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_say("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\nServer: old\n\nline 1\nline 2");
  CHECK(res.heads == 1 && res.status == 200);
  CHECK_STR(res.headers, "Server: old\r\n");
  fsrv_poll(0);
  CHECK(res.dones == 0);
  fsrv_fin();
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.nbody == 13 && kmemcmp(res.body, "line 1\nline 2", 13) == 0);
}

// HEAD, 204 and 304 responses have no body, whatever their headers say.
static void
test_fetch_no_body(void)
{
  fsrv_up();
  fsrv_start("HEAD", "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n");
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.nbody == 0);
  fsrv_start(0, "http://10.0.2.2/", 0, 0);
  fsrv_accept(80, -1);
  fsrv_say("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n");
  fsrv_poll(0);
  CHECK(res.dones == 1 && res.error[0] == 0 && res.status == 304);
}

// A LAN name: DNS at the DHCP-given server, then the address it gave.
static void
test_fetch_lan_name(void)
{
  struct fn_frame f;
  u8 d[64];
  int n;

  fsrv_up();
  fsrv_start(0, "http://DB.tabcloud./keys", 0, 0);
  CHECK(fn_pop(&f) == 0 && get16(f.b + ETH_HLEN + IP_HLEN + 2) == 53);
  n = fn_hex("0000 8580 0001 0001 0000 0000  02 6462 08 746162636c6f7564 00  0001 0001"
             "  c00c 0001 0001 0000003c 0004 0a000202", d + 8);
  put16(d, 53);
  put16(d + 2, get16(f.b + ETH_HLEN + IP_HLEN));
  put16(d + 4, n + 8);
  put16(d + 6, 0);
  kmemcpy(d + 8, f.b + ETH_HLEN + IP_HLEN + 8, 2);    // the query's id
  fn_ip_in(PEER_IP, OUR_IP, IP_UDP, d, n + 8);
  fsrv_poll(0);
  CHECK(fsrv_accept(80, -1) == 0);
  CHECK_STR(srv.req, "GET /keys HTTP/1.1\r\nHost: db.tabcloud\r\nUser-Agent: tabcloud/appliance\r\n"
                     "Connection: close\r\n\r\n");
  fn_tcp_in(80, srv.seq, srv.ack, TH_RST | TH_ACK, 0, "", 0);
  fsrv_poll(0);
  CHECK_STR(res.error, "the connection to db.tabcloud was reset");
}

// Other names and every https URL go to the host's proxy at the gateway,
// port 80, in absolute form.
static void
test_fetch_proxy(void)
{
  fsrv_up();
  fsrv_start(0, "http://Example.com/a?b", 0, 0);
  CHECK(fsrv_accept(80, -1) == 0);
  CHECK_STR(srv.req, "GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n"
                     "User-Agent: tabcloud/appliance\r\nConnection: close\r\n\r\n");
  fsrv_start("DELETE", "https://example.com:8443", 0, 0);
  CHECK(fsrv_accept(80, -1) == 0);
  CHECK_STR(srv.req, "DELETE https://example.com:8443/ HTTP/1.1\r\nHost: example.com:8443\r\n"
                     "User-Agent: tabcloud/appliance\r\nConnection: close\r\n\r\n");
  fsrv_start(0, "https://10.0.2.9/", 0, 0);
  CHECK(fsrv_accept(80, -1) == 0 && test_strstr(srv.req, "GET https://10.0.2.9/ HTTP/1.1\r\n") == srv.req);
  fsrv_say("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nDNS");
  fsrv_poll(0);
  CHECK(res.status == 502 && res.dones == 1 && res.error[0] == 0);
}

// The console command: status line, headers, body, summary; the prompt after.
static void
test_fetch_cmd(void)
{
  char *argv[] = { "fetch", "-d", "x", "-X", "PUT", "http://10.0.2.2/k", 0 };
  char *bad[] = { "fetch", "-X", "GET", 0 };

  fsrv_up();
  fetch_cmd(6, argv);
  net_poll(netif.now);
  CHECK(fsrv_accept(80, -1) == 0 && test_strstr(srv.req, "PUT /k HTTP/1.1\r\n") == srv.req);
  CHECK(test_strstr(srv.req, "\r\n\r\nx") != 0);
  fsrv_say("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nhello\x01\n");
  fsrv_poll(0);
  CHECK(test_strstr(test_out, "HTTP/1.1 200 OK\nContent-Length: 7\n\nhello.\n-- 7 bytes (7 shown), crc32 ea7bc5a0, 0 ms\n")
        == test_out);
  CHECK(kstrlen(test_out) > 66);                      // then the prompt
  test_out_reset();
  fetch_cmd(3, bad);
  CHECK(test_strstr(test_out, "usage: fetch") == test_out);
  test_out_reset();
  argv[5] = "gopher://x/";
  fetch_cmd(6, argv);
  CHECK_STR(test_out, "fetch: gopher://x/ is not an http:// or https:// URL\n");
}

void
test_fetch(void)
{
  test_fetch_get();
  test_fetch_post();
  test_fetch_large();
  test_fetch_kept_body();
  test_fetch_chunked();
  test_fetch_to_close();
  test_fetch_no_body();
  test_fetch_lan_name();
  test_fetch_proxy();
  test_fetch_cmd();
  fn_dport = 80;                       // the server tests' port again
}
