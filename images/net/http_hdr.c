// HTTP/1.1 request line and header fields: the method, the target's
// path, the version, and the headers the server acts on (Content-Length,
// Transfer-Encoding, Content-Type, Connection, Expect) or keeps for the
// application (If-None-Match, with its matching rule). Everything else
// is skipped. Malformed input fails the request with its status.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "http_impl.h"

// Case-insensitive comparison of s with lower-case word w.
int
http_is(const char *s, const char *w)
{
  for(; *w; s++, w++)
    if((*s | 0x20) != *w)
      return 0;
  return *s == 0;
}

// Copy the first word of *s (up to a space) to w (at most max-1 bytes);
// advance *s past it and one space. The word's length.
static u32
http_word(char **s, char *w, u32 max)
{
  u32 n = 0;

  while(**s && **s != ' '){
    if(n + 1 < max)
      w[n] = **s;
    n++;
    (*s)++;
  }
  if(max)
    w[n + 1 < max ? n : max - 1] = 0;
  if(**s == ' ')
    (*s)++;
  return n;
}

// The method code of token m; 0 if m is not a method token.
static int
http_method(const char *m)
{
  static const char *const names[] = { "GET", "HEAD", "PUT", "POST", "DELETE" };

  for(u32 i = 0; i < NELEM(names); i++)
    if(strcmp(m, names[i]) == 0)
      return HTTP_GET + i;
  for(; *m; m++)
    if(*m < 'A' || *m > 'Z')
      return 0;
  return HTTP_OTHER;
}

// Keep the path of target t (origin- or absolute-form) in r->path and its
// query after the path's NUL. 0, or -1 if t is not a target we serve.
static int
http_target(struct http_req *r, char *t)
{
  u32 n = 0, q;

  if(strncmp(t, "http://", 7) == 0){
    t += 7;
    while(*t && *t != '/')
      t++;
    if(*t == 0)
      t = "/";
  }
  if(*t != '/')
    return -1;
  while(t[n] && t[n] != '?' && t[n] != '#')
    n++;
  for(q = n; t[q] && t[q] != '#'; q++)
    ;
  memcpy(r->path, t, n);
  r->path[n] = 0;
  memcpy(r->path + n + 1, t + n, q - n);
  r->path[q + 1] = 0;
  r->qoff = n + 1;
  return 0;
}

// Parse the request line s into hc->m->req; 0, or -1 after failing.
int
http_reqline(struct http_conn *hc, char *s)
{
  struct http_req *r = &hc->m->req;
  char method[HTTP_METHOD_MAX + 1], target[HTTP_URI_MAX + 1], version[16];
  u32 mlen = http_word(&s, method, sizeof(method));
  u32 tlen = http_word(&s, target, sizeof(target));

  http_word(&s, version, sizeof(version));
  if(tlen > HTTP_URI_MAX){
    http_fail(hc, 414, "uri_too_long", "request target too long");
    return -1;
  }
  r->method = mlen < sizeof(method) ? http_method(method) : 0;
  memcpy(r->method_name, method, sizeof(r->method_name));
  if(r->method == 0 || *s || http_target(r, target) < 0 ||
     (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0)){
    http_fail(hc, 400, "bad_request", "malformed request line");
    return -1;
  }
  r->http10 = version[7] == '0';
  r->keep = !r->http10;
  if(http_app->start)
    http_app->start(hc);
  return 0;
}

// Does the comma-separated list v hold token w (lower case)?
static int
http_has_token(const char *v, const char *w)
{
  char tok[32];
  u32 n;

  while(*v){
    while(*v == ' ' || *v == '\t' || *v == ',')
      v++;
    for(n = 0; *v && *v != ',' && *v != ' ' && *v != '\t'; v++)
      if(n + 1 < sizeof(tok))
        tok[n++] = *v;
    tok[n] = 0;
    if(n && http_is(tok, w))
      return 1;
  }
  return 0;
}

// Content-Length value v: plain digits that fit in 32 bits. 0 or -1.
static int
http_clen(struct http_req *r, const char *v)
{
  u64 n = 0;

  if(*v == 0)
    return -1;
  for(; *v; v++){
    if(*v < '0' || *v > '9' || (n = n * 10 + (*v - '0')) > 0xFFFFFFFEu)
      return -1;
  }
  if(r->has_clen && r->clen != n)
    return -1;
  r->has_clen = 1;
  r->clen = (u32)n;
  return 0;
}

// Is c a tchar (RFC 9110: no space, control or separator)? A switch, not a
// strchr of the separators: every byte of every header name comes here.
static int
http_tchar(char c)
{
  switch(c){
  case '"': case '(': case ')': case ',': case '/': case ':': case ';': case '<': case '=':
  case '>': case '?': case '@': case '[': case '\\': case ']': case '{': case '}':
    return 0;
  }
  return c > ' ' && c < 0x7F;
}

// Is s[0..n) a token?
static int
http_token(const char *s, u32 n)
{
  for(u32 i = 0; i < n; i++)
    if(!http_tchar(s[i]))
      return 0;
  return n > 0;
}

// Keep If-None-Match value v (n bytes) after those of earlier lines. One
// that does not fit is dropped: matching fewer tags only costs a full
// response, never a wrong 304.
static void
http_etags(struct http_req *r, const char *v, u32 n)
{
  u32 have = strlen(r->etags);

  if(have + 1 + n > HTTP_ETAGS_MAX)
    return;
  if(have)
    r->etags[have++] = ',';
  memcpy(r->etags + have, v, n);
  r->etags[have + n] = 0;
}

// Skip p past the next comma of a list (or to its end).
static const char *
http_next_item(const char *p)
{
  while(*p && *p != ',')
    p++;
  return *p ? p + 1 : p;
}

// Does the If-None-Match list etags match entity-tag etag? "*" matches
// any; else by weak comparison (RFC 9110 8.8.3.2: W/ ignored). Malformed
// members match nothing.
int
http_etag_match(const char *etags, const char *etag)
{
  const char *p = etags, *q;
  u32 n;

  if(etag[0] == 'W' && etag[1] == '/')
    etag += 2;
  n = strlen(etag);
  while(*p){
    while(*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if(*p == '*')
      return 1;
    if(p[0] == 'W' && p[1] == '/')
      p += 2;
    q = *p == '"' ? strchr(p + 1, '"') : 0;
    if(q && (u32)(q + 1 - p) == n && strncmp(p, etag, n) == 0)
      return 1;
    p = http_next_item(q ? q + 1 : p);
  }
  return 0;
}

// Parse header line s into hc->m->req; 0, or -1 after failing.
int
http_header(struct http_conn *hc, char *s)
{
  struct http_req *r = &hc->m->req;
  char *v = strchr(s, ':'), *e;

  if(!v || !http_token(s, v - s)){
    http_fail(hc, 400, "bad_request", "malformed header line");
    return -1;
  }
  *v++ = 0;
  while(*v == ' ' || *v == '\t')
    v++;
  for(e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t'); )
    *--e = 0;
  if(http_is(s, "content-length") && http_clen(r, v) < 0){
    http_fail(hc, 400, "bad_request", "bad Content-Length");
    return -1;
  }
  if(http_is(s, "transfer-encoding") && !(r->chunked = http_is(v, "chunked"))){
    http_fail(hc, 501, "not_implemented", "only chunked transfer coding is supported");
    return -1;
  }
  if(http_is(s, "content-type")){
    if(e - v > HTTP_CTYPE_MAX){
      http_fail(hc, 400, "bad_request", "Content-Type too long");
      return -1;
    }
    memcpy(r->ctype, v, e - v + 1);
  }
  if(http_is(s, "if-none-match"))
    http_etags(r, v, e - v);
  if(http_is(s, "connection"))
    r->keep = http_has_token(v, "close") ? 0 : http_has_token(v, "keep-alive") ? 1 : r->keep;
  if(http_is(s, "expect") && !(r->expect = http_is(v, "100-continue"))){
    http_fail(hc, 417, "expectation_failed", "only 100-continue is supported");
    return -1;
  }
  if(http_app->header)
    http_app->header(hc, s, v);
  return 0;
}
