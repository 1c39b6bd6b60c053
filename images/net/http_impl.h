// HTTP server internals shared by http.c (connections, request parsing)
// and http_resp.c (responses). Not for applications.

#ifndef HTTP_IMPL_H
#define HTTP_IMPL_H

#include "http.h"

enum {                  // request side
  P_REQLINE,            // reading the request line
  P_HEADERS,            // reading header lines
  P_BODY,               // Content-Length body: remaining bytes left
  P_CHUNK_SIZE,         // chunked body: a chunk-size line
  P_CHUNK_DATA,         // remaining bytes of the chunk
  P_CHUNK_END,          // the CRLF after a chunk
  P_TRAILER,            // trailer lines after the last chunk
  P_DONE,               // request read; waiting for its response to go out
  P_LINGER,             // closing: input is read and dropped
};

enum {                  // response side
  R_NONE,               // not decided yet
  R_HEAD,               // decided; head not written yet
  R_BODY,               // head written; body being written
  R_DONE,               // all queued for sending
};

// The big part of a connection, taken from a pool of HTTP_MEMS while a
// request is read and answered: an idle keep-alive connection holds none.
struct http_mem {
  struct http_req req;
  char line[HTTP_LINE_MAX + 1];
  char extra[HTTP_EXTRA_MAX];   // header lines added by the application
  char ctype[HTTP_CTYPE_MAX + 1];
  u8 small[HTTP_SMALL_BODY];
};

struct http_conn {
  u8 used;
  u8 pstate, rstate;
  u8 to_app;            // the body goes to app->body (else it is dropped)
  u8 in_app;            // app->request was called; app->release is owed
  u8 close;             // close the connection after this response
  u8 closed;            // tcp_close done
  u8 deferred;          // the application responds later (http_defer)
  u8 waiting;           // input waits for an http_mem
  int c;                // the TCP connection
  u32 hdr_bytes;        // request line and headers so far
  u32 line_len;
  u32 remaining;        // body or chunk bytes left
  struct http_mem *m;   // while a request is under way, else null
  int status;           // the response
  const char *allow;
  u32 extra_len;
  u32 rlen;             // body length, or HTTP_CHUNKED
  u32 rsent;            // body bytes queued
  http_read_fn read;    // streamed body, or null for the inline one
  u32 small_len;
};

extern const struct http_app *http_app;

// http.c
void http_kick(struct http_conn *hc);
void http_fail(struct http_conn *hc, int status, const char *code, const char *message);

// http_parse.c
u32 http_parse(struct http_conn *hc, const u8 *p, u32 n);
void http_check_answered(struct http_conn *hc);

// http_hdr.c
int http_is(const char *s, const char *w);
int http_reqline(struct http_conn *hc, char *s);
int http_header(struct http_conn *hc, char *s);

// http_resp.c
void http_write(struct http_conn *hc);
void http_continue(struct http_conn *hc);

#endif
