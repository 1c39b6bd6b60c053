// HTTP responses: the API applications answer with, and the writer that
// queues a response into TCP's send buffer as room appears: first the head
// (status line and headers), then the body, inline or streamed from the
// application's read function, chunked when its length is not known.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "http_impl.h"

#define CHUNK_HDR   10               // room for "<hex size>\r\n"
#define CHUNK_MIN   256              // least body room worth a chunk
#define HEAD_TAIL   64               // room kept for the head's last lines

static u8 scratch[HTTP_SCRATCH];

static const struct {
  u16 status;
  const char *reason;
} reasons[] = {
  { 100, "Continue" }, { 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
  { 204, "No Content" }, { 206, "Partial Content" },
  { 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
  { 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
  { 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
  { 405, "Method Not Allowed" }, { 406, "Not Acceptable" }, { 409, "Conflict" }, { 410, "Gone" },
  { 411, "Length Required" }, { 412, "Precondition Failed" }, { 413, "Content Too Large" },
  { 414, "URI Too Long" }, { 415, "Unsupported Media Type" }, { 417, "Expectation Failed" },
  { 418, "I'm a teapot" }, { 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
  { 431, "Request Header Fields Too Large" }, { 500, "Internal Server Error" },
  { 501, "Not Implemented" }, { 502, "Bad Gateway" }, { 503, "Service Unavailable" },
  { 504, "Gateway Timeout" }, { 507, "Insufficient Storage" },
};

// The reason phrase of status.
const char *
http_reason(int status)
{
  for(u32 i = 0; i < NELEM(reasons); i++)
    if(reasons[i].status == status)
      return reasons[i].reason;
  return "Unknown";
}

// The request's body goes to app->body (then app->end responds).
void
http_accept_body(struct http_conn *hc)
{
  hc->to_app = 1;
}

// The application responds later, after request() or end() returned.
void
http_defer(struct http_conn *hc)
{
  hc->deferred = 1;
}

// The Allow header of the coming response (a 405's methods).
void
http_allow(struct http_conn *hc, const char *methods)
{
  hc->allow = methods;
}

// Add the header line "name: value" to the coming response. 0, or -1 if
// the lines added so far and this one would pass HTTP_EXTRA_MAX (then it
// is left out).
int
http_add_header(struct http_conn *hc, const char *name, const char *value)
{
  u32 n = strlen(name), v = strlen(value);

  if(hc->extra_len + n + v + 4 > HTTP_EXTRA_MAX)
    return -1;
  memcpy(hc->m->extra + hc->extra_len, name, n);
  memcpy(hc->m->extra + hc->extra_len + n, ": ", 2);
  memcpy(hc->m->extra + hc->extra_len + n + 2, value, v);
  memcpy(hc->m->extra + hc->extra_len + n + 2 + v, "\r\n", 2);
  hc->extra_len += n + v + 4;
  return 0;
}

// Decide the response's status and Content-Type. Was it deferred?
static int
http_set(struct http_conn *hc, int status, const char *ctype)
{
  u32 n = ctype ? strlen(ctype) : 0;
  int later = hc->deferred;

  if(hc->rstate != R_NONE)
    panic("http: two responses to one request");
  n = n < HTTP_CTYPE_MAX ? n : HTTP_CTYPE_MAX;
  memcpy(hc->m->ctype, ctype ? ctype : "", n);
  hc->m->ctype[n] = 0;
  hc->status = status;
  hc->rstate = R_HEAD;
  hc->deferred = 0;
  return later;
}

// Respond with status and the len bytes of body (at most HTTP_SMALL_BODY).
void
http_respond(struct http_conn *hc, int status, const char *ctype, const void *body, u32 len)
{
  int later;

  if(len > HTTP_SMALL_BODY)
    panic("http_respond: %u-byte body", len);
  later = http_set(hc, status, ctype);
  memcpy(hc->m->small, body, len);
  hc->small_len = hc->rlen = len;
  hc->read = 0;
  if(later)
    http_kick(hc);
}

// Respond with status and a body of len bytes (or HTTP_CHUNKED) that read
// produces as the send buffer drains.
void
http_respond_stream(struct http_conn *hc, int status, const char *ctype, u32 len, http_read_fn read)
{
  int later = http_set(hc, status, ctype);

  hc->rlen = len;
  hc->read = read;
  if(later)
    http_kick(hc);
}

// Respond with status and {"error":code,"message":message} (both plain text).
void
http_error(struct http_conn *hc, int status, const char *code, const char *message)
{
  char body[HTTP_SMALL_BODY];
  int n = ksnprintf(body, sizeof(body), "{\"error\":\"%s\",\"message\":\"%s\"}\n", code, message);

  http_respond(hc, status, "application/json", body, n < (int)sizeof(body) ? (u32)n : sizeof(body) - 1);
}

// Send "100 Continue" for a body the application accepted.
void
http_continue(struct http_conn *hc)
{
  static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

  if(tcp_space(hc->c) >= sizeof(cont))
    tcp_write(hc->c, cont, sizeof(cont) - 1);
}

// Does a response with status have a body (RFC 9110: not 1xx, 204, 304)?
static int
http_bodied(int status)
{
  return status >= 200 && status != 204 && status != 304;
}

// Queue the head (and an inline body) if the send buffer has room.
static void
http_write_head(struct http_conn *hc)
{
  int bodied = http_bodied(hc->status), send_body = bodied && hc->m->req.method != HTTP_HEAD;
  char *b = (char *)scratch;
  u32 n;

  if(tcp_space(hc->c) < HTTP_HEAD_MAX + (hc->read ? 0 : hc->small_len))
    return;
  n = ksnprintf(b, HTTP_HEAD_MAX, "HTTP/1.1 %d %s\r\nServer: %s\r\n", hc->status,
                http_reason(hc->status), http_app->server);
  if(hc->allow)
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Allow: %s\r\n", hc->allow);
  if(bodied && hc->m->ctype[0])
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Content-Type: %s\r\n", hc->m->ctype);
  if(bodied && hc->rlen == HTTP_CHUNKED)
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Transfer-Encoding: chunked\r\n");
  else if(bodied)
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Content-Length: %u\r\n", hc->rlen);
  if(n + hc->extra_len < HTTP_HEAD_MAX){
    memcpy(b + n, hc->m->extra, hc->extra_len);
    n += hc->extra_len;
  }
  if(http_app->head)
    n += http_app->head(hc, b + n, HTTP_HEAD_MAX - HEAD_TAIL - n);
  if(hc->close || !hc->m->req.keep)
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Connection: close\r\n");
  else if(hc->m->req.http10)
    n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "Connection: keep-alive\r\n");
  n += ksnprintf(b + n, HTTP_HEAD_MAX - n, "\r\n");
  if(n >= HTTP_HEAD_MAX)
    panic("http_write_head: head over %d bytes", HTTP_HEAD_MAX);
  if(!hc->read && send_body){
    memcpy(b + n, hc->m->small, hc->small_len);
    n += hc->small_len;
  }
  tcp_write(hc->c, b, n);
  if(!hc->m->req.keep)
    hc->close = 1;
  hc->rstate = send_body && hc->read && hc->rlen ? R_BODY : R_DONE;
}

// Queue one chunk of a chunked body (or its end); 0 if there was no room.
static int
http_write_chunk(struct http_conn *hc, u32 space)
{
  u32 want, got, h;
  char hdr[CHUNK_HDR + 1];

  if(space < CHUNK_MIN + CHUNK_HDR + 2)
    return 0;
  want = space - CHUNK_HDR - 2 < HTTP_SCRATCH - CHUNK_HDR - 2 ? space - CHUNK_HDR - 2 : HTTP_SCRATCH - CHUNK_HDR - 2;
  got = hc->read(hc, scratch + CHUNK_HDR, want);
  if(got == 0){
    tcp_write(hc->c, "0\r\n\r\n", 5);
    hc->rstate = R_DONE;
    return 0;
  }
  h = ksnprintf(hdr, sizeof(hdr), "%x\r\n", got);
  memcpy(scratch + CHUNK_HDR - h, hdr, h);
  memcpy(scratch + CHUNK_HDR + got, "\r\n", 2);
  tcp_write(hc->c, scratch + CHUNK_HDR - h, h + got + 2);
  return 1;
}

// Queue as much of a streamed body as the send buffer takes.
static void
http_write_body(struct http_conn *hc)
{
  u32 space, want, got;

  while((space = tcp_space(hc->c)) > 0){
    if(hc->rlen == HTTP_CHUNKED){
      if(!http_write_chunk(hc, space))
        return;
      continue;
    }
    want = hc->rlen - hc->rsent;
    want = want < space ? want : space;
    want = want < HTTP_SCRATCH ? want : HTTP_SCRATCH;
    got = hc->read(hc, scratch, want);
    if(got == 0 || got > want){
      tcp_abort(hc->c);                 // the source broke its promise
      return;
    }
    tcp_write(hc->c, scratch, got);
    hc->rsent += got;
    if(hc->rsent == hc->rlen){
      hc->rstate = R_DONE;
      return;
    }
  }
}

// Queue what is ready of hc's response.
void
http_write(struct http_conn *hc)
{
  if(hc->rstate == R_HEAD)
    http_write_head(hc);
  if(hc->rstate == R_BODY)
    http_write_body(hc);
}
