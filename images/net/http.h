// A small HTTP/1.1 server over the TCP API: request line and headers,
// Content-Length and chunked request bodies, keep-alive and pipelining
// (requests are answered in order, one at a time), limits answered with
// their status (400, 413, 414, 431, 501). Responses always carry
// Content-Length or are chunked, and Server: <app->server>.
//
// An application sees one request at a time per connection: request()
// either responds at once or calls http_accept_body(), after which body()
// gets the body and end() must respond. Instead of responding, request()
// or end() may call http_defer() and respond later, from outside these
// callbacks. release() ends every request that reached request(), when its
// response is out or the connection died.

#ifndef HTTP_H
#define HTTP_H

#include "types.h"
#include "param.h"

#define HTTP_CHUNKED 0xFFFFFFFFu   // response length: unknown, sent chunked

enum { HTTP_GET = 1, HTTP_HEAD, HTTP_PUT, HTTP_POST, HTTP_DELETE, HTTP_OTHER };

struct http_req {
  int method;
  char method_name[HTTP_METHOD_MAX + 1];  // the method as sent, e.g. "PATCH"
  char path[HTTP_URI_MAX + 2];       // the target's path; its query follows at path + qoff
  u16 qoff;                          // "?a=1" (or "" if none) starts here, after path's NUL
  char ctype[HTTP_CTYPE_MAX + 1];    // Content-Type, "" if none
  char etags[HTTP_ETAGS_MAX + 1];    // If-None-Match, "" if none
  u32 clen;                          // Content-Length (0 if none)
  u8 chunked;                        // Transfer-Encoding: chunked
  u8 has_clen;
  u8 keep;                           // keep-alive after the response
  u8 expect;                         // Expect: 100-continue
  u8 http10;
};

struct http_conn;

// Produce up to n bytes of a streamed response body into dst; the count.
// For a chunked response, 0 ends the body (n is at least 256 then).
typedef u32 (*http_read_fn)(struct http_conn *hc, u8 *dst, u32 n);

struct http_app {
  const char *server;                // Server header, e.g. "tabcloud-kv"
  void (*request)(struct http_conn *hc, const struct http_req *r);
  int (*body)(struct http_conn *hc, const u8 *p, u32 n);   // 0, or -1 after responding
  void (*end)(struct http_conn *hc);
  void (*release)(struct http_conn *hc);
  // Optional: a request line was read; header() follows for each of its
  // header lines (value trimmed), then request(). A request that fails in
  // between never reaches request(), and its connection closes.
  void (*start)(struct http_conn *hc);
  void (*header)(struct http_conn *hc, const char *name, const char *value);
  // Optional: header lines ("Name: value\r\n") of the response being
  // written, into dst (at most n bytes); their length.
  u32 (*head)(struct http_conn *hc, char *dst, u32 n);
};

int http_listen(u16 port, const struct http_app *app);
u32 http_busy(void);
int http_id(struct http_conn *hc);
const struct http_req *http_request(struct http_conn *hc);
void http_accept_body(struct http_conn *hc);
void http_defer(struct http_conn *hc);
void http_allow(struct http_conn *hc, const char *methods);
int http_add_header(struct http_conn *hc, const char *name, const char *value);
int http_etag_match(const char *etags, const char *etag);
void http_respond(struct http_conn *hc, int status, const char *ctype, const void *body, u32 len);
void http_respond_stream(struct http_conn *hc, int status, const char *ctype, u32 len, http_read_fn read);
void http_error(struct http_conn *hc, int status, const char *code, const char *message);

#endif
