// HTTP client requests: http_fetch checks the URL and decides how it is
// reached (an IPv4 literal directly; a name without a dot, or ending in
// .tabcloud, through DNS; anything else, and https, through the host's
// proxy in absolute form), then writes the whole request, body included,
// into the request's buffer, which fetch.c sends once connected.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "fetch_impl.h"

static char why[F_ERR_MAX];

// Why the last http_fetch returned -1.
const char *
fetch_error(void)
{
  return why;
}

// Set why; -1.
static int
fail(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  kvsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  return -1;
}

static int
lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

// Is c a character of an HTTP token (a method, a header name)?
static int
tchar(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("!#$%&'*+-.^_`|~", c));
}

// Read the scheme, host and port of url into f (*tls for https), and
// where its path starts; 0, or -1 with why set.
static int
fetch_url(struct fetch *f, const char *url, int *tls, const char **path)
{
  const char *s = url;
  u32 n = 0, port = 0, digits = 0;

  while(n < 4 && lower(s[n]) == "http"[n])
    n++;
  *tls = n == 4 && lower(s[4]) == 's';
  if(n < 4 || strncmp(s + 4 + *tls, "://", 3) != 0)
    return fail("%.60s is not an http:// or https:// URL", url);
  s += 7 + *tls;
  for(const char *p = s; *p && !strchr("/?#", *p); p++)
    if(*p == '@' || *p == '[')
      return fail("%s in URLs are not supported", *p == '@' ? "user names" : "IPv6 addresses");
  for(n = 0; *s && !strchr(":/?#", *s); s++){
    if(!tchar(*s) || n == FETCH_HOST_MAX)
      return fail("bad host in the URL %.60s", url);
    f->host[n++] = lower(*s);
  }
  n -= n > 0 && f->host[n - 1] == '.';  // "db." is "db"
  f->host[n] = 0;
  if(n == 0)
    return fail("the URL %.60s has no host", url);
  if(*s == ':')
    for(s++; *s >= '0' && *s <= '9' && port <= 65535; s++, digits++)
      port = port * 10 + *s - '0';
  if(port > 65535 || (digits && port == 0) || (*s && !strchr("/?#", *s)))
    return fail("bad port in the URL %.60s", url);
  f->port = port ? port : *tls ? 443 : 80;
  *path = s;
  return 0;
}

// Append to f's request; -1 once it no longer fits.
static int
put(struct fetch *f, const void *p, u32 n)
{
  if(f->len + n > FETCH_SEND_MAX)
    return -1;
  memcpy(f->req + f->len, p, n);
  f->len += n;
  return 0;
}

// Append a formatted piece to f's request; -1 once it no longer fits.
static int
putf(struct fetch *f, const char *fmt, ...) PRINTFLIKE(2, 3);
static int
putf(struct fetch *f, const char *fmt, ...)
{
  va_list ap;
  u32 room = FETCH_SEND_MAX - f->len;
  int n;

  va_start(ap, fmt);
  n = kvsnprintf((char *)f->req + f->len, room, fmt, ap);
  va_end(ap);
  if((u32)n >= room)
    return -1;
  f->len += n;
  return 0;
}

// Are hs well-formed header lines, each "Name: value\r\n"?
static int
fetch_headers_ok(const char *hs)
{
  const char *s;

  for(s = hs; s && *s; s += 2){
    if(!tchar(*s))
      return 0;
    while(tchar(*s))
      s++;
    if(*s++ != ':')
      return 0;
    while(*s && *s != '\r' && *s != '\n')
      s++;
    if(s[0] != '\r' || s[1] != '\n')
      return 0;
  }
  return 1;
}

// Write r's request into f: the request line (absolute form through the
// proxy), our headers, the caller's, the body. 0, or -1 with why set.
static int
fetch_build(struct fetch *f, const struct fetch_req *r, const char *path, int tls)
{
  const char *method = r->method ? r->method : "GET", *m = method;
  u32 plen = strchr(path, '#') ? (u32)(strchr(path, '#') - path) : strlen(path);
  char host[FETCH_HOST_MAX + 8];
  int bad = 0;

  while(tchar(*m))
    m++;
  if(*m || m == method || m - method > HTTP_METHOD_MAX)
    return fail("bad method %.20s", method);
  for(u32 i = 0; i < plen; i++)
    if((u8)path[i] <= ' ' || path[i] == 0x7F)
      return fail("the URL has a space or control character: percent-encode it");
  if(!fetch_headers_ok(r->headers))
    return fail("bad header lines: each must be \"Name: value\\r\\n\"");
  ksnprintf(host, sizeof(host), f->port == (tls ? 443 : 80) ? "%s" : "%s:%u", f->host, f->port);
  f->len = 0;
  bad |= putf(f, "%s ", method);
  if(f->proxy)
    bad |= putf(f, "%s://%s", tls ? "https" : "http", host);
  bad |= putf(f, "%s%.*s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tabcloud/%s\r\nConnection: close\r\n",
              plen == 0 || path[0] == '?' ? "/" : "", (int)plen, path, host, netif.name ? netif.name : "appliance");
  if(r->body)
    bad |= putf(f, "Content-Length: %u\r\n", r->body_len);
  bad |= put(f, r->headers ? r->headers : "", r->headers ? strlen(r->headers) : 0);
  bad |= put(f, "\r\n", 2);
  f->body = r->body && r->body_kept ? r->body : 0;
  f->body_len = f->body ? r->body_len : 0;
  bad |= put(f, r->body, r->body && !r->body_kept ? r->body_len : 0);
  if(bad)
    return fail("the request to %s is too large: at most %u bytes with its headers", f->host, FETCH_SEND_MAX);
  f->no_body = strcmp(method, "HEAD") == 0;
  return 0;
}

// Start a request (see tabcloud.h): its handle, or -1 with fetch_error set.
int
http_fetch(const struct fetch_req *r, const struct fetch_ops *ops, void *ctx)
{
  struct fetch *f = 0;
  const char *path = 0;
  u32 dots = 0, n;
  int tls, prefix, literal, lan, i;

  for(i = 0; i < FETCH_MAX && !f; i++)
    if(fetches[i].state == F_FREE)
      f = &fetches[i];
  if(!f)
    return fail("%u requests are in flight already: wait for one to end", FETCH_MAX);
  if(!r->url)
    return fail("no URL");
  if(fetch_url(f, r->url, &tls, &path) < 0)
    return -1;
  for(n = 0; f->host[n]; n++)
    dots += f->host[n] == '.';
  literal = inet_parse(f->host, &f->ip, &prefix) == 0;
  lan = dots == 0 || (n > 9 && strcmp(f->host + n - 9, ".tabcloud") == 0);
  f->proxy = tls || (!literal && !lan);
  f->named = !f->proxy && !literal;
  if(fetch_build(f, r, path, tls) < 0)
    return -1;
  f->ops = ops;
  f->ctx = ctx;
  f->c = -1;
  f->sent = f->hlen = f->lstart = f->status_len = f->remaining = 0;
  f->status = f->has_clen = f->te = 0;
  f->rstate = R_HEAD;
  f->aborted = 0;
  f->deadline = 0;
  f->gen = (f->gen + 1) & 0x7FFF;
  f->state = f->named ? F_RESOLVE : F_CONNECT;
  idle_wake();
  return f->gen * FETCH_MAX + (f - fetches);
}
