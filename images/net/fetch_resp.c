// HTTP/1.1 response parsing for the client (RFC 9112): the status line and
// headers gathered in the request's head[] (a bare LF taken as CRLF),
// interim 1xx responses skipped, then a body delimited by Content-Length,
// chunked (de-chunked, trailers dropped) or the connection's close, handed
// to ops->body straight from TCP's ring. Anything malformed ends the
// request with a sentence naming the host.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "fetch_impl.h"

#define CHUNK_MAX 0x0FFFFFFFu          // a larger chunk size is taken as malformed

// Do the n bytes at s equal lower-case w, ignoring case?
static int
fetch_ieq(const char *s, const char *w, u32 n)
{
  for(u32 i = 0; i < n; i++)
    if((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != w[i])
      return 0;
  return 1;
}

// End f: its peer sent something that is not HTTP.
static void
fetch_bad(struct fetch *f, const char *what)
{
  fetch_fail(f, "%s sent a malformed response (%s)", f->host, what);
}

// The status line s (n bytes, CRLF excluded): "HTTP/1.x nnn[ reason]"; 0 or -1.
static int
fetch_status(struct fetch *f, const char *s, u32 n)
{
  if(n < 12 || strncmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ' ||
     (n > 12 && s[12] != ' '))
    return -1;
  f->status = 0;
  for(int i = 9; i < 12; i++){
    if(s[i] < '0' || s[i] > '9')
      return -1;
    f->status = f->status * 10 + s[i] - '0';
  }
  return f->status >= 100 ? 0 : -1;
}

// A header line s (n bytes, CRLF excluded): check it and note the body's
// framing (Content-Length, Transfer-Encoding); 0, or -1 with why set.
static int
fetch_header(struct fetch *f, const char *s, u32 n, const char **why)
{
  u32 i = 0, v, e = n, len = 0;

  *why = "bad header line";
  while(i < n && s[i] != ':' && s[i] > ' ' && s[i] < 0x7F)
    i++;
  if(i == 0 || i == n || s[i] != ':')
    return -1;
  for(v = i + 1; v < n && (s[v] == ' ' || s[v] == '\t'); v++)
    ;
  while(e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    e--;
  if(i == 17 && fetch_ieq(s, "transfer-encoding", 17))
    f->te = e - v >= 7 && fetch_ieq(s + e - 7, "chunked", 7) ? 1 : 2;
  if(i != 14 || !fetch_ieq(s, "content-length", 14))
    return 0;
  *why = "bad Content-Length";
  if(v == e || e - v > 10)
    return -1;
  for(u64 x = 0; v < e; v++){
    if(s[v] < '0' || s[v] > '9' || (x = x * 10 + s[v] - '0') > 0xFFFFFFFFu)
      return -1;
    len = x;
  }
  if(f->has_clen && f->remaining != len)
    return -1;
  f->has_clen = 1;
  f->remaining = len;
  return 0;
}

// The head is complete: skip an interim response, else hand the head to
// the application and set up for the body.
static void
fetch_head_done(struct fetch *f)
{
  if(f->status < 200){
    f->hlen = f->lstart = f->status_len = 0;
    f->has_clen = f->te = 0;
    return;
  }
  if(f->ops->head(f->ctx, f->status, f->head + f->status_len, f->hlen - f->status_len - 2) < 0){
    fetch_end(f, "aborted");
    return;
  }
  f->hlen = f->lstart = 0;
  if(f->no_body || f->status == 204 || f->status == 304 || (f->has_clen && !f->te && f->remaining == 0))
    fetch_end(f, 0);
  else if(f->te)
    f->rstate = f->te == 1 ? R_SIZE : R_CLOSE;
  else
    f->rstate = f->has_clen ? R_BODY : R_CLOSE;
}

// The value of hex digit c, or -1.
static int
fetch_hex(char c)
{
  c |= 0x20;
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// A chunk-size line s (n bytes, CRLF excluded): hex, then maybe blanks and
// extensions. The size, or -1.
static i64
fetch_chunk_size(const char *s, u32 n)
{
  u32 i, size = 0;

  for(i = 0; i < n && fetch_hex(s[i]) >= 0; i++){
    if(size > CHUNK_MAX >> 4)
      return -1;
    size = size << 4 | fetch_hex(s[i]);
  }
  if(i == 0)
    return -1;
  while(i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i == n || s[i] == ';' ? (i64)size : -1;
}

// A line of the head (n bytes, CRLF excluded) at head[lstart] arrived.
static void
fetch_head_line(struct fetch *f, u32 n)
{
  const char *s = f->head + f->lstart, *why;

  if(f->lstart == 0 && fetch_status(f, s, n) < 0)
    fetch_bad(f, "bad status line");
  else if(f->lstart == 0)
    f->status_len = n + 2;
  else if(n == 0){
    fetch_head_done(f);
    return;
  } else if(fetch_header(f, s, n, &why) < 0)
    fetch_bad(f, why);
  f->lstart = f->hlen;
}

// A line of a chunked body (n bytes, CRLF excluded) at head[0] arrived:
// a chunk size, the end of a chunk's data, or a trailer.
static void
fetch_chunk_line(struct fetch *f, u32 n)
{
  i64 size = f->rstate == R_SIZE ? fetch_chunk_size(f->head, n) : 0;

  f->hlen = f->lstart = 0;
  if(f->rstate == R_CRLF && n)
    fetch_bad(f, "chunk longer than its size");
  else if(f->rstate == R_CRLF)
    f->rstate = R_SIZE;
  else if(f->rstate == R_TRAILER && n == 0)
    fetch_end(f, 0);
  else if(f->rstate == R_TRAILER)
    return;
  else if(size < 0)
    fetch_bad(f, "bad chunk size");
  else if(size == 0)
    f->rstate = R_TRAILER;
  else {
    f->remaining = size;
    f->rstate = R_DATA;
  }
}

// One byte of a line into head[]; a bare LF is stored as CRLF.
static void
fetch_byte(struct fetch *f, char c)
{
  int lf = c == '\n' && (f->hlen == f->lstart || f->head[f->hlen - 1] != '\r');

  if(f->hlen + 1 + lf > FETCH_HEAD_MAX){
    fetch_bad(f, f->rstate == R_HEAD ? "headers too large" : "chunk line too long");
    return;
  }
  if(lf)
    f->head[f->hlen++] = '\r';
  f->head[f->hlen++] = c;
  if(c != '\n')
    return;
  if(f->rstate == R_HEAD)
    fetch_head_line(f, f->hlen - f->lstart - 2);
  else
    fetch_chunk_line(f, f->hlen - f->lstart - 2);
}

// Parse n received bytes at p: lines byte by byte, body bytes in one
// piece. *used: the bytes taken (all of them unless f ended).
void
fetch_parse(struct fetch *f, const u8 *p, u32 n, u32 *used)
{
  u32 i = 0, k;

  while(i < n && f->state == F_XFER){
    if(f->aborted){
      fetch_end(f, "aborted");
      break;
    }
    if(f->rstate != R_BODY && f->rstate != R_DATA && f->rstate != R_CLOSE){
      fetch_byte(f, p[i++]);
      continue;
    }
    k = n - i;
    if(f->rstate != R_CLOSE && k > f->remaining)
      k = f->remaining;
    f->ops->body(f->ctx, p + i, k);
    i += k;
    f->remaining -= f->rstate == R_CLOSE ? 0 : k;
    if(f->rstate == R_BODY && f->remaining == 0)
      fetch_end(f, 0);
    else if(f->rstate == R_DATA && f->remaining == 0)
      f->rstate = R_CRLF;
  }
  *used = i;
}

// The peer closed its side: the end of a read-to-close body, else too soon.
void
fetch_eof(struct fetch *f)
{
  if(f->rstate == R_CLOSE)
    fetch_end(f, 0);
  else if(f->rstate == R_HEAD && f->hlen == 0)
    fetch_fail(f, "%s closed the connection without answering", f->host);
  else
    fetch_fail(f, "the connection to %s closed before the response was complete", f->host);
}
