// HTTP client internals shared by fetch.c (requests, connections, the
// poller), fetch_resp.c (response parsing) and fetch_cmd.c. Not for
// applications: their interface is in tabcloud.h.

#ifndef FETCH_IMPL_H
#define FETCH_IMPL_H

#include "tabcloud.h"

enum {                  // a request's life
  F_FREE,
  F_RESOLVE,            // waiting for DNS
  F_CONNECT,            // to connect at the next poll
  F_OPEN,               // SYN sent
  F_XFER,               // connected: request going out, response coming in
  F_END,                // over (err says how): done() is owed
};

enum {                  // the response parser
  R_HEAD,               // status line and headers, gathered in head[]
  R_BODY,               // Content-Length body: remaining bytes left
  R_SIZE,               // chunked: a chunk-size line, gathered in head[]
  R_DATA,               // remaining bytes of the chunk
  R_CRLF,               // the CRLF after a chunk's data
  R_TRAILER,            // trailer lines after the last chunk
  R_CLOSE,              // the body runs to the connection's close
  R_DONE,
};

#define F_ERR_MAX 160

struct fetch {
  u8 state, rstate;
  u8 proxy;             // through the host's proxy
  u8 named;             // the host is a name looked up in DNS
  u8 no_body;           // a HEAD request: the response has no body
  u8 aborted;
  u8 has_clen;          // the response has a Content-Length (in remaining)
  u8 te;                // its Transfer-Encoding: 0 none, 1 chunked, 2 another (read to close)
  u16 gen;              // the handle's generation
  u16 port;
  int c;                // the TCP connection, -1 if none
  u32 ip;
  const struct fetch_ops *ops;
  void *ctx;
  u64 deadline;         // no progress by then: it fails (0: not armed yet)
  u32 len, sent;        // the request's bytes, and those given to TCP
  const u8 *body;       // a body the caller keeps (fetch_req.body_kept), sent after req[]
  u32 body_len;
  u32 hlen;             // bytes gathered in head[]
  u32 lstart;           // where the line being gathered starts in head[]
  u32 status_len;       // the status line's, with its CRLF
  u32 remaining;
  int status;
  char host[FETCH_HOST_MAX + 1];
  char err[F_ERR_MAX];  // F_END: "" when it went well
  char head[FETCH_HEAD_MAX];
  u8 req[FETCH_SEND_MAX];
};

extern struct fetch fetches[FETCH_MAX];

// fetch.c
void fetch_end(struct fetch *f, const char *err);
void fetch_fail(struct fetch *f, const char *fmt, ...) PRINTFLIKE(2, 3);
struct fetch *fetch_slot(int handle);

// fetch_resp.c
void fetch_parse(struct fetch *f, const u8 *p, u32 n, u32 *used);
void fetch_eof(struct fetch *f);

#endif
