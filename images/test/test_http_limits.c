// http*.c limits and malformed requests: each gets its status (400, 414,
// 417, 431, 501) and a closed connection, and the server goes on.

#include "param.h"
#include "test.h"
#include "httpcl.h"

// The status of a one-request connection sending req.
static int
status_of(const char *req)
{
  h_open();
  h_send(req);
  return cl.nout >= 12 ? (cl.out[9] - '0') * 100 + (cl.out[10] - '0') * 10 + cl.out[11] - '0' : 0;
}

static void
test_limits(void)
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
test_http_limits(void)
{
  test_limits();
}
