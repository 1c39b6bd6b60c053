// http*.c through the whole stack: a test application behind http_listen,
// a scripted client on the fake NIC. Exact responses, pipelining, bodies
// (length and chunked), streaming, and every limit's status.

#include "param.h"
#include "test.h"
#include "fakenet.h"
#include "http.h"
#include <stdlib.h>

#define SP 42000

static struct {
  u32 iss, seq, una;           // our ISN; the client's next seq; what it has acked of ours
  int fin;                     // we sent our FIN
  u32 nout;
  char out[70000];             // what the client received
} cl;

static int releases;
static u8 body[4096];
static u32 nbody, streamed;

static u32
read_big(struct http_conn *hc, u8 *dst, u32 n)
{
  (void)hc;
  for(u32 i = 0; i < n; i++)
    dst[i] = 'a' + (streamed + i) % 26;
  streamed += n;
  return n;
}

static u32
read_chunks(struct http_conn *hc, u8 *dst, u32 n)
{
  (void)hc;
  (void)n;
  if(streamed++ == 3)
    return 0;
  kmemcpy(dst, "piece", 5);
  return 5;
}

static void
t_request(struct http_conn *hc, const struct http_req *r)
{
  nbody = streamed = 0;
  if(kstrcmp(r->path, "/echo") == 0)
    http_accept_body(hc);
  else if(kstrcmp(r->path, "/reject") == 0)
    http_error(hc, 413, "too_large", "no");
  else if(kstrcmp(r->path, "/big") == 0)
    http_respond_stream(hc, 200, "text/plain", 40000, read_big);
  else if(kstrcmp(r->path, "/chunked") == 0)
    http_respond_stream(hc, 200, "text/plain", HTTP_CHUNKED, read_chunks);
  else if(kstrcmp(r->path, "/post-only") == 0){
    http_allow(hc, "POST");
    http_error(hc, 405, "method_not_allowed", "POST");
  } else if(kstrcmp(r->path, "/silent") == 0)
    ;
  else
    http_respond(hc, 200, "text/plain", r->path, kstrlen(r->path));
}

static int
t_body(struct http_conn *hc, const u8 *p, u32 n)
{
  if(nbody + n > 20){
    http_error(hc, 413, "too_large", "20 bytes at most");
    return -1;
  }
  kmemcpy(body + nbody, p, n);
  nbody += n;
  (void)hc;
  return 0;
}

static void
t_end(struct http_conn *hc)
{
  http_respond(hc, 200, "text/plain", body, nbody);
}

static void
t_release(struct http_conn *hc)
{
  (void)hc;
  releases++;
}

static const struct http_app tapp = { "tabcloud-test", t_request, t_body, t_end, t_release };

// A fresh stack serving tapp, and a connected client.
static void
h_open(void)
{
  struct fn_seg s;

  fn_up();
  http_listen(80, &tapp);
  kmemset(&cl, 0, sizeof(cl) - sizeof(cl.out));
  releases = 0;
  fn_syn_in(SP, 5000, 1460);
  fn_pop_seg(&s);
  cl.iss = cl.una = s.seq + 1;
  cl.seq = 5001;
  fn_tcp_in(SP, cl.seq, cl.una, TH_ACK, 65535, "", 0);
}

// Take what the server sent: keep in-order data, ACK it, until it is quiet.
static void
h_pump(void)
{
  struct fn_seg s;
  int got;

  do {
    got = 0;
    while(fn_pop_seg(&s) == 0){
      if(getenv("HDBG")) printf("seg seq %u una %u len %u flags %x\n", s.seq, cl.una, s.len, s.flags);
      if(s.seq == cl.una && s.len){
        kmemcpy(cl.out + cl.nout, s.data, s.len);
        cl.nout += s.len;
        cl.una += s.len;
        got = 1;
      }
      if((s.flags & TH_FIN) && s.seq + s.len == cl.una && !cl.fin){
        cl.una++;
        cl.fin = got = 1;
      }
    }
    if(got)
      fn_tcp_in(SP, cl.seq, cl.una, TH_ACK, 65535, "", 0);
  } while(got);
  cl.out[cl.nout] = 0;
}

// Send s (split into segments of at most seg bytes), then collect replies.
static void
h_send_split(const char *s, u32 seg)
{
  u32 n = kstrlen(s), k;

  for(u32 i = 0; i < n; i += k){
    k = n - i < seg ? n - i : seg;
    fn_tcp_in(SP, cl.seq, cl.una, TH_ACK | TH_PSH, 65535, s + i, k);
    cl.seq += k;
  }
  h_pump();
}

static void
h_send(const char *s)
{
  h_send_split(s, 1460);
}

// Does the client's output equal want? (Printed if not.)
static int
h_is(const char *want)
{
  if(test_streq(cl.out, want))
    return 1;
  printf("     got  \"%s\"\n     want \"%s\"\n", cl.out, want);
  return 0;
}

// Does the client's output start with an HTTP status line of status?
static int
h_status(int status)
{
  char line[16];

  ksnprintf(line, sizeof(line), "HTTP/1.1 %d ", status);
  return kstrncmp(cl.out, line, 13) == 0;
}

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

// The status of a one-request connection sending req.
static int
status_of(const char *req)
{
  h_open();
  h_send(req);
  return cl.nout >= 12 ? (cl.out[9] - '0') * 100 + (cl.out[10] - '0') * 10 + cl.out[11] - '0' : 0;
}

static void
test_http_limits(void)
{
  static char big[HTTP_HDR_MAX + 200];
  u32 n;

  CHECK(status_of("GARBAGE\r\n\r\n") == 400 && cl.fin);
  CHECK(status_of("\x01GET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n") == 400);
  CHECK(status_of("GET nopath HTTP/1.1\r\n\r\n") == 400);
  CHECK(status_of("get / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/2.0\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\n folded\r\n\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") == 501);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n") == 400);
  CHECK(status_of("PUT /echo HTTP/1.1\r\nExpect: magic\r\n\r\n") == 417);

  n = ksnprintf(big, sizeof(big), "GET /");
  while(n < HTTP_URI_MAX + 40)
    big[n++] = 'u';
  kmemcpy(big + n, " HTTP/1.1\r\n\r\n", 14);
  CHECK(status_of(big) == 414 && cl.fin);

  n = ksnprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX: ");
  while(n < HTTP_LINE_MAX + 40)
    big[n++] = 'h';
  kmemcpy(big + n, "\r\n\r\n", 5);
  CHECK(status_of(big) == 431);

  n = ksnprintf(big, sizeof(big), "GET / HTTP/1.1\r\n");
  while(n < HTTP_HDR_MAX + 100)
    n += ksnprintf(big + n, sizeof(big) - n, "X-Header: %05u\r\n", n);
  kmemcpy(big + n, "\r\n", 3);
  CHECK(status_of(big) == 431);

  CHECK(status_of("GET /fine HTTP/1.1\r\n\r\n") == 200);   // and the server goes on
}

void
test_http(void)
{
  test_http_get();
  test_http_pipeline();
  test_http_bodies();
  test_http_streams();
  test_http_versions();
  test_http_limits();
}
