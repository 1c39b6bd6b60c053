// The HTTP client's requests in flight (FETCH_MAX): each resolves its host
// (dns.c), connects (tcp_open.c), sends the request fetch_req.c built and
// feeds the response to fetch_resp.c. TCP's upcalls only move bytes; the
// poller starts connections, times requests out (FETCH_TIMEOUT_MS without
// progress) and calls done(), so the application's ops never run inside
// http_fetch or TCP's own bookkeeping.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "fetch_impl.h"

#define MS(x) ((u64)(x) * US_PER_MS)

struct fetch fetches[FETCH_MAX];

// Forget every request (the stack is starting over).
void
fetch_reset(void)
{
  memset(fetches, 0, sizeof(fetches));
}

// The request of handle h, or null if it is over.
struct fetch *
fetch_slot(int h)
{
  struct fetch *f;

  if(h < 0)
    return 0;
  f = &fetches[h % FETCH_MAX];
  return f->state != F_FREE && f->gen == h / FETCH_MAX ? f : 0;
}

// The request on TCP connection c, or null.
static struct fetch *
fetch_of(int c)
{
  for(int i = 0; i < FETCH_MAX; i++)
    if(fetches[i].state != F_FREE && fetches[i].c == c)
      return &fetches[i];
  return 0;
}

// End f: err 0 when the response arrived whole. Its connection is closed
// (reset if something went wrong) and forgotten; done() follows from the
// poller.
void
fetch_end(struct fetch *f, const char *err)
{
  int c = f->c;

  if(f->state == F_END)
    return;
  f->state = F_END;
  f->c = -1;
  ksnprintf(f->err, sizeof(f->err), "%s", err ? err : "");
  if(c >= 0 && err)
    tcp_abort(c);
  else if(c >= 0){
    tcp_close(c);
    tcp_output(c);
  }
  idle_wake();
}

// End f with a formatted error.
void
fetch_fail(struct fetch *f, const char *fmt, ...)
{
  char err[F_ERR_MAX];
  va_list ap;

  va_start(ap, fmt);
  kvsnprintf(err, sizeof(err), fmt, ap);
  va_end(ap);
  fetch_end(f, err);
}

// Cancel a request in flight: done() says "aborted".
void
http_fetch_abort(int h)
{
  struct fetch *f = fetch_slot(h);

  if(f && f->state != F_END){
    f->aborted = 1;
    idle_wake();
  }
}

// Hand TCP as much of f's request as it takes now: req[], then a kept body.
static void
fetch_send(struct fetch *f)
{
  u32 n, total = f->len + f->body_len;

  if(f->aborted)
    return;                             // a kept body may be gone already
  while(f->sent < total){
    if(f->sent < f->len)
      n = tcp_write(f->c, f->req + f->sent, f->len - f->sent);
    else
      n = tcp_write(f->c, f->body + (f->sent - f->len), total - f->sent);
    if(n == 0)
      break;
    f->sent += n;
  }
  tcp_output(f->c);
}

// Feed what c received to f's parser; then the end of the stream, if it came.
static void
fetch_read(struct fetch *f)
{
  const u8 *p;
  u32 n, used;
  int c = f->c;

  while(f->state == F_XFER && (n = tcp_peek(c, &p)) > 0){
    fetch_parse(f, p, n, &used);
    tcp_consume(c, f->state == F_XFER ? used : n);
    f->deadline = netif.now + MS(FETCH_TIMEOUT_MS);
  }
  if(f->state == F_XFER && tcp_eof(c))
    fetch_eof(f);
  if(f->state == F_XFER)
    tcp_output(c);                      // a window update, if one is owed
}

// TCP: f's connection is established; the request goes out.
static int
fetch_tcp_accept(int c)
{
  struct fetch *f = fetch_of(c);

  if(!f)
    return -1;
  f->state = F_XFER;
  f->deadline = netif.now + MS(FETCH_TIMEOUT_MS);
  fetch_send(f);
  return 0;
}

// TCP: data (or the FIN) arrived. A connection whose request is over has
// its late data dropped.
static void
fetch_tcp_recv(int c)
{
  struct fetch *f = fetch_of(c);
  const u8 *p;
  u32 n;

  if(f && f->state == F_XFER){
    fetch_read(f);
    return;
  }
  while((n = tcp_peek(c, &p)) > 0)
    tcp_consume(c, n);
}

// TCP: room in the send buffer, or our data was acknowledged.
static void
fetch_tcp_sent(int c)
{
  struct fetch *f = fetch_of(c);

  if(f && f->state == F_XFER){
    f->deadline = netif.now + MS(FETCH_TIMEOUT_MS);
    fetch_send(f);
  }
}

// TCP: the connection is gone before f ended: refused, reset, timed out.
static void
fetch_tcp_closed(int c)
{
  struct fetch *f = fetch_of(c);
  int err = tcp_error(c);
  char who[FETCH_HOST_MAX + 20];

  if(!f)
    return;
  f->c = -1;
  if(f->named)                          // "db (10.0.2.16)", or just the address
    ksnprintf(who, sizeof(who), "%s (" IP_FMT ")", f->host, IP_ARGS(f->ip));
  else
    ksnprintf(who, sizeof(who), IP_FMT, IP_ARGS(f->ip));
  if(err == TCP_ERR_REFUSED && f->proxy)
    fetch_fail(f, "the host's proxy (%s port %u) refused the connection for %s", who, f->port, f->host);
  else if(err == TCP_ERR_REFUSED)
    fetch_fail(f, "%s port %u refused the connection", who, f->port);
  else if(err == TCP_ERR_UNREACHABLE)
    fetch_fail(f, "%s does not answer: no such address on this network", who);
  else if(err == TCP_ERR_TIMEOUT)
    fetch_fail(f, "no answer from %s within %u s", f->host, FETCH_TIMEOUT_MS / 1000);
  else if(err == TCP_ERR_RESET)
    fetch_fail(f, "the connection to %s was reset", f->host);
  else
    fetch_fail(f, "the connection to %s closed before the response was complete", f->host);
}

static const struct tcp_ops fetch_tcp = { fetch_tcp_accept, fetch_tcp_recv, fetch_tcp_sent, fetch_tcp_closed, 0 };

// Move f on at time now: resolve, connect, time out.
static void
fetch_step(struct fetch *f, u64 now)
{
  const char *why;
  int r;

  if(f->deadline == 0)
    f->deadline = now + MS(FETCH_TIMEOUT_MS);
  if(f->aborted)
    fetch_end(f, "aborted");
  else if(now >= f->deadline)
    fetch_fail(f, "no answer from %s within %u s", f->host, FETCH_TIMEOUT_MS / 1000);
  if(f->state == F_RESOLVE && (r = dns_lookup(f->host, &f->ip, &why)) <= 0){
    if(r < 0)
      fetch_fail(f, "cannot resolve %s: %s", f->host, why);
    else
      f->state = F_CONNECT;
  }
  if(f->state == F_CONNECT && netif.ip){
    if(f->proxy){
      f->ip = netif.gw;
      f->port = FETCH_PROXY_PORT;
    }
    if(f->proxy && !f->ip)
      fetch_fail(f, "cannot reach %s: the network has no gateway (the host's proxy)", f->host);
    else if((f->c = tcp_connect(f->ip, f->port, &fetch_tcp)) < 0)
      fetch_fail(f, "cannot connect to %s: no free connection", f->host);
    else
      f->state = F_OPEN;
  }
  if(f->state == F_XFER)
    fetch_read(f);
}

// Idle poller part: move every request on; call done() for those over.
// The next deadline.
u64
fetch_poll(u64 now)
{
  static char err[F_ERR_MAX];
  const struct fetch_ops *ops;
  u64 next = TIME_NEVER;
  void *ctx;

  netif.now = now;
  for(struct fetch *f = fetches; f < fetches + FETCH_MAX; f++){
    if(f->state != F_FREE && f->state != F_END)
      fetch_step(f, now);
    if(f->state == F_END){
      ops = f->ops;
      ctx = f->ctx;
      memcpy(err, f->err, sizeof(err));
      f->state = F_FREE;
      ops->done(ctx, err[0] ? err : 0);
    } else if(f->state != F_FREE && f->deadline < next)
      next = f->deadline;
  }
  return next;
}
