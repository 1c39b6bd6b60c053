// HTTP/1.1 request parsing, in place in TCP's receive ring: lines (the
// request line, headers, chunk sizes, trailers) are gathered into the
// connection's line buffer; bodies go straight to the application, or are
// dropped for refused requests. Every limit is answered with its status.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "http_impl.h"

#define CHUNK_LINE_MAX 128

// The application must answer every request; one that did not gets a 500.
void
http_check_answered(struct http_conn *hc)
{
  if(hc->rstate == R_NONE && !hc->to_app && !hc->deferred)
    http_fail(hc, 500, "internal", "the appliance did not answer");
}

// The body (if any) has been read: let the application respond.
static void
http_body_done(struct http_conn *hc)
{
  hc->pstate = P_DONE;
  if(hc->to_app){
    hc->to_app = 0;
    http_app->end(hc);
    http_check_answered(hc);
  }
}

// Hand n body bytes at p to the application, or drop them.
static void
http_body(struct http_conn *hc, const u8 *p, u32 n)
{
  if(hc->to_app && http_app->body(hc, p, n) < 0){
    hc->to_app = 0;
    http_check_answered(hc);
    hc->close = 1;
    hc->pstate = P_LINGER;
  }
}

// Headers are complete: ask the application, then read or drop the body.
static void
http_headers_done(struct http_conn *hc)
{
  struct http_req *r = &hc->m->req;
  int body = r->chunked || r->clen > 0;

  if(r->chunked && r->has_clen){
    http_fail(hc, 400, "bad_request", "both Content-Length and Transfer-Encoding");
    return;
  }
  hc->in_app = 1;
  http_app->request(hc, r);
  http_check_answered(hc);
  if(hc->pstate == P_LINGER)
    return;
  hc->remaining = r->clen;
  if(!body){
    http_body_done(hc);
  } else if(hc->to_app){
    if(r->expect)
      http_continue(hc);
    hc->pstate = r->chunked ? P_CHUNK_SIZE : P_BODY;
  } else if(r->expect || r->chunked || r->clen > HTTP_DISCARD_MAX){
    hc->close = 1;                      // refused: do not read a big body
    hc->pstate = P_LINGER;
  } else
    hc->pstate = P_BODY;                // refused: read and drop the body
}

// A chunk-size line: the size in hex, maybe extensions; 0 or -1.
static int
http_chunk_size(struct http_conn *hc, const char *s)
{
  u32 v = 0;
  int n = 0, d;

  for(; *s && *s != ';' && *s != ' ' && *s != '\t'; s++, n++){
    d = *s >= '0' && *s <= '9' ? *s - '0' : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (*s | 0x20) - 'a' + 10 : -1;
    if(d < 0 || n == 8){
      http_fail(hc, 400, "bad_request", "malformed chunk size");
      return -1;
    }
    v = v << 4 | d;
  }
  if(n == 0){
    http_fail(hc, 400, "bad_request", "malformed chunk size");
    return -1;
  }
  hc->remaining = v;
  hc->pstate = v ? P_CHUNK_DATA : P_TRAILER;
  return 0;
}

// A complete line (in hc->m->line, CR/LF stripped) in the current state.
static void
http_line_done(struct http_conn *hc)
{
  char *s = hc->m->line;

  hc->line_len = 0;
  if(hc->pstate == P_REQLINE){
    if(*s && http_reqline(hc, s) == 0)
      hc->pstate = P_HEADERS;
  } else if(hc->pstate == P_HEADERS){
    if(*s == 0)
      http_headers_done(hc);
    else
      http_header(hc, s);
  } else if(hc->pstate == P_CHUNK_SIZE){
    http_chunk_size(hc, s);
  } else if(hc->pstate == P_CHUNK_END){
    if(*s)
      http_fail(hc, 400, "bad_request", "chunk data longer than its size");
    else
      hc->pstate = P_CHUNK_SIZE;
  } else if(hc->pstate == P_TRAILER && *s == 0)
    http_body_done(hc);
}

// The longest line allowed in the current state, and the status if longer.
static u32
http_line_limit(struct http_conn *hc, int *status)
{
  *status = hc->pstate == P_REQLINE ? 414 : hc->pstate == P_HEADERS || hc->pstate == P_TRAILER ? 431 : 400;
  if(hc->pstate == P_REQLINE)
    return HTTP_URI_MAX + 32;
  return *status == 431 ? HTTP_LINE_MAX : CHUNK_LINE_MAX;
}

// Take bytes of a line from p[0..n); handle the line when its LF arrives.
// Returns the bytes used. Every byte of a request head passes here, so the
// loop only looks for the LF (and control characters) and one copy follows.
static u32
http_take_line(struct http_conn *hc, const u8 *p, u32 n)
{
  int status;
  u32 max = http_line_limit(hc, &status), room = max - hc->line_len, end = n < room ? n : room, i;

  for(i = 0; i < end; i++){
    if(p[i] >= ' ' && p[i] != 0x7F)
      continue;
    if(p[i] == '\n')
      break;
    if(p[i] == 0x7F || (p[i] != '\t' && p[i] != '\r')){
      http_fail(hc, 400, "bad_request", "control character in the request head");
      return i;
    }
  }
  memcpy(hc->m->line + hc->line_len, p, i);
  hc->line_len += i;
  if(hc->pstate <= P_HEADERS || hc->pstate == P_TRAILER)
    hc->hdr_bytes += i + (i < n);
  if(i < n && p[i] != '\n'){
    http_fail(hc, status, status == 414 ? "uri_too_long" : status == 431 ? "headers_too_large" : "bad_request",
              status == 414 ? "request line too long" : "line too long");
    return i;
  }
  if(hc->hdr_bytes > HTTP_HDR_MAX){
    http_fail(hc, 431, "headers_too_large", "request headers too large");
    return i;
  }
  if(i == n)
    return n;
  if(hc->line_len && hc->m->line[hc->line_len - 1] == '\r')
    hc->line_len--;
  hc->m->line[hc->line_len] = 0;
  http_line_done(hc);
  return i + 1;
}

// Parse what p[0..n) holds for the current state; the bytes used (0 when
// nothing can be taken now).
u32
http_parse(struct http_conn *hc, const u8 *p, u32 n)
{
  u32 k;

  switch(hc->pstate){
  case P_BODY:
  case P_CHUNK_DATA:
    k = n < hc->remaining ? n : hc->remaining;
    hc->remaining -= k;
    http_body(hc, p, k);
    if(hc->remaining == 0 && hc->pstate == P_BODY)
      http_body_done(hc);
    else if(hc->remaining == 0 && hc->pstate == P_CHUNK_DATA)
      hc->pstate = P_CHUNK_END;
    return k;
  case P_DONE:
    return 0;
  case P_LINGER:
    return n;
  default:
    return http_take_line(hc, p, n);
  }
}
