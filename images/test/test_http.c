// http*.c through the whole stack: a test application behind http_listen,
// a scripted client on the fake NIC. Exact responses, pipelining, bodies
// (length and chunked), streaming, versions and half-close.

#include "param.h"
#include "test.h"
#include "httpcl.h"

#define SP 42000

static void
test_http_get(void)
{
  h_open();
  h_send("GET /hello?x=1 HTTP/1.1\r\nHost: kv\r\n\r\n");
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Content-Length: 6\r\n\r\n/hello"));
  CHECK(releases == 1 && !cl.fin);
  cl.nout = 0;
  h_send_split("GET http://kv/abs HTTP/1.1\r\nHost: kv\r\nX-Long: 123456789\r\n\r\n", 7);
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Content-Length: 4\r\n\r\n/abs"));
  cl.nout = 0;
  h_send("HEAD /head HTTP/1.1\r\n\r\n");
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Content-Length: 5\r\n\r\n"));
}

static void
test_http_pipeline(void)
{
  h_open();
  h_send("GET /a HTTP/1.1\r\n\r\nPUT /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\n"
         "Connection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n");
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n/a"
             "HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nxyz"
             "HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
             "Connection: close\r\n\r\n/b"));
  CHECK(cl.fin && releases == 3);
}

static void
test_http_bodies(void)
{
  h_open();
  h_send_split("PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n"
               "0\r\nTrailer: x\r\n\r\n", 3);
  CHECK(nbody == 11 && kmemcmp(body, "hello world", 11) == 0 && h_status(200));
  cl.nout = 0;
  h_send("PUT /echo HTTP/1.1\r\nContent-Length: 30\r\n\r\n0123456789012345678901234567890");
  CHECK(h_status(413) && test_strstr(cl.out, "Connection: close") && cl.fin);
  CHECK(test_strstr(cl.out, "{\"error\":\"too_large\",\"message\":\"20 bytes at most\"}\n") != 0);

  h_open();                                      // a refused small body is skipped: keep-alive
  h_send("PUT /reject HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdGET /ok HTTP/1.1\r\n\r\n");
  CHECK(h_status(413) && test_strstr(cl.out, "/ok") && !cl.fin);
  cl.nout = 0;
  h_send("PUT /echo HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  CHECK(h_is("HTTP/1.1 100 Continue\r\n\r\n"));
  cl.nout = 0;
  h_send("ok");
  CHECK(h_status(200) && test_strstr(cl.out, "\r\n\r\nok"));
  cl.nout = 0;
  h_send("PUT /reject HTTP/1.1\r\nContent-Length: 100000\r\n\r\n");   // too big to skip
  CHECK(h_status(413) && cl.fin);
}

static void
test_http_streams(void)
{
  h_open();
  h_send("GET /big HTTP/1.1\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "Content-Length: 40000\r\n"));
  char *b = test_strstr(cl.out, "\r\n\r\n") + 4;
  int ok = cl.out + cl.nout - b == 40000;
  for(int i = 0; ok && i < 40000; i++)
    ok = b[i] == 'a' + i % 26;
  CHECK(ok);
  cl.nout = 0;
  h_send("GET /chunked HTTP/1.1\r\n\r\n");
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Transfer-Encoding: chunked\r\n\r\n5\r\npiece\r\n5\r\npiece\r\n5\r\npiece\r\n0\r\n\r\n"));
  cl.nout = 0;
  h_send("GET /post-only HTTP/1.1\r\n\r\n");
  CHECK(h_status(405) && test_strstr(cl.out, "Allow: POST\r\n"));
  cl.nout = 0;
  h_send("GET /silent HTTP/1.1\r\n\r\n");
  CHECK(h_status(500) && cl.fin);
}

static void
test_http_versions(void)
{
  h_open();
  h_send("GET /old HTTP/1.0\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "Connection: close\r\n") && cl.fin);
  h_open();
  h_send("GET /old HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  CHECK(test_strstr(cl.out, "Connection: keep-alive\r\n") && !cl.fin);
  h_open();                                      // half-close: the answer still comes
  h_send("GET /half HTTP/1.1\r\n\r\n");
  fn_tcp_in(SP, cl.seq, cl.una, TH_ACK | TH_FIN, 65535, "", 0);
  cl.seq++;
  h_pump();
  CHECK(h_status(200) && cl.fin);
  h_open();
  fn_tcp_in(SP, cl.seq, cl.una, TH_ACK | TH_FIN, 65535, "GET /cut", 8);  // cut short
  h_pump();
  CHECK(cl.nout == 0 && cl.fin);
}

void
test_http(void)
{
  test_http_get();
  test_http_pipeline();
  test_http_bodies();
  test_http_streams();
  test_http_versions();
}
