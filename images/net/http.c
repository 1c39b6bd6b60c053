// HTTP/1.1 server: one http_conn per TCP connection, driven by TCP's
// upcalls. A connection alternates between reading a request (parsed in
// place in TCP's receive ring, see http_parse.c) and writing its response
// (http_resp.c); the next pipelined request waits in the ring, under TCP
// flow control, until the response before it is queued. A request's
// buffers (struct http_mem) come from a pool, held from its first byte
// until its response is queued: with the pool empty, input waits in TCP's
// ring until a request elsewhere finishes and hands its buffers on.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"
#include "http_impl.h"

static struct http_conn conns[TCP_CONNS];
const struct http_app *http_app;

static struct {
  struct http_mem mem[HTTP_MEMS];
  struct http_mem *free[HTTP_MEMS];
  u32 nfree;
  u32 nwaiting;            // connections with waiting set
} pool;

// Give hc's request buffers back; a connection waiting for some is woken
// (through TCP's next poll, not from inside this one).
static void
http_mem_put(struct http_conn *hc)
{
  if(!hc->m)
    return;
  pool.free[pool.nfree++] = hc->m;
  hc->m = 0;
  for(int i = 0; pool.nwaiting && i < TCP_CONNS; i++)
    if(conns[i].waiting){
      conns[i].waiting = 0;
      pool.nwaiting--;
      tcp_kick(conns[i].c);
      break;
    }
}

// Give hc request buffers if it has none; 0, or -1 (hc then waits) if the
// pool is empty.
static int
http_mem_get(struct http_conn *hc)
{
  if(hc->m)
    return 0;
  if(pool.nfree == 0){
    if(!hc->waiting){
      hc->waiting = 1;
      pool.nwaiting++;
    }
    return -1;
  }
  hc->m = pool.free[--pool.nfree];
  memset(&hc->m->req, 0, sizeof(hc->m->req));
  hc->m->ctype[0] = 0;
  return 0;
}

// Get hc ready for its next request (its buffers go back until it starts).
static void
http_next(struct http_conn *hc)
{
  hc->pstate = P_REQLINE;
  hc->rstate = R_NONE;
  hc->to_app = 0;
  hc->deferred = 0;
  hc->hdr_bytes = hc->line_len = hc->remaining = 0;
  hc->status = 0;
  hc->allow = 0;
  hc->extra_len = 0;
  hc->rlen = hc->rsent = hc->small_len = 0;
  hc->read = 0;
  http_mem_put(hc);
}

// End the application's part in the current request, if it has one.
static void
http_release(struct http_conn *hc)
{
  if(hc->in_app){
    hc->in_app = 0;
    hc->to_app = 0;
    if(http_app->release)
      http_app->release(hc);
  }
}

// Send our FIN (once); input from now on is dropped.
static void
http_shut(struct http_conn *hc)
{
  hc->pstate = P_LINGER;
  http_mem_put(hc);
  if(!hc->closed){
    hc->closed = 1;
    tcp_close(hc->c);
  }
}

// A malformed or refused request: answer status with a JSON error (unless
// a response is already under way) and close the connection after it.
void
http_fail(struct http_conn *hc, int status, const char *code, const char *message)
{
  if(hc->rstate == R_NONE)
    http_error(hc, status, code, message);
  hc->close = 1;
  hc->pstate = P_LINGER;
}


// The peer sent its FIN: finish the response under way, if any, then close.
static void
http_eof(struct http_conn *hc)
{
  if(hc->closed)
    return;
  hc->close = 1;
  if(hc->rstate == R_HEAD || hc->rstate == R_BODY || hc->pstate == P_DONE)
    return;
  http_release(hc);
  http_shut(hc);
}

// The response is queued and the request read: end the request, then
// start the next one or close.
static void
http_finish(struct http_conn *hc)
{
  http_release(hc);
  if(hc->pstate == P_DONE && !hc->close)
    http_next(hc);
  else
    http_shut(hc);
}

// Make progress on hc: write what the response has ready, finish
// requests, parse input. Runs until it has to wait for TCP.
static void
http_run(struct http_conn *hc)
{
  const u8 *p;
  u32 n, used, before;

  while(hc->used){
    if(hc->rstate == R_HEAD || hc->rstate == R_BODY)
      http_write(hc);
    if(!hc->used)
      return;
    if(hc->rstate == R_DONE && (hc->pstate == P_DONE || (hc->pstate == P_LINGER && !hc->closed)))
      http_finish(hc);
    n = tcp_peek(hc->c, &p);
    if(n == 0){
      if(tcp_eof(hc->c))
        http_eof(hc);
      break;
    }
    if(hc->pstate != P_LINGER && http_mem_get(hc) < 0)
      break;                            // tcp_kick wakes it
    before = (u32)hc->pstate << 8 | hc->rstate;
    used = http_parse(hc, p, n);
    if(!hc->used)
      return;
    tcp_consume(hc->c, used);
    if(used == 0 && before == ((u32)hc->pstate << 8 | hc->rstate))
      break;                            // waiting for the response to go out
  }
  if(hc->used)
    tcp_output(hc->c);
}

// A response given after http_defer: send it, and go on with the
// connection's input.
void
http_kick(struct http_conn *hc)
{
  if(hc->used)
    http_run(hc);
}

// TCP accept: a new connection starts at its first request.
static int
http_accept(int c)
{
  struct http_conn *hc = &conns[c];

  hc->used = 1;
  hc->c = c;
  hc->in_app = hc->close = hc->closed = hc->waiting = 0;
  hc->m = 0;
  http_next(hc);
  return 0;
}

// TCP recv and sent: input arrived or output room appeared.
static void
http_event(int c)
{
  http_run(&conns[c]);
}

// TCP closed: the connection is gone; so is its request.
static void
http_closed(int c)
{
  struct http_conn *hc = &conns[c];

  http_release(hc);
  http_mem_put(hc);
  if(hc->waiting){
    hc->waiting = 0;
    pool.nwaiting--;
  }
  hc->used = 0;
}

// TCP's table is full: close c cleanly (our FIN) if it waits for its next
// request with nothing of it read yet, as web servers close idle
// keep-alive connections. 0 if closed, -1 if busy.
static int
http_reclaim(int c)
{
  struct http_conn *hc = &conns[c];

  if(!hc->used || hc->closed || hc->in_app || hc->pstate != P_REQLINE || hc->rstate != R_NONE ||
     hc->hdr_bytes || hc->line_len)
    return -1;
  http_shut(hc);
  return 0;
}

static const struct tcp_ops http_ops = {
  http_accept, http_event, http_event, http_closed, http_reclaim,
};

// Serve app on TCP port. 0, or -1 if TCP has no listener slot left.
int
http_listen(u16 port, const struct http_app *app)
{
  http_app = app;
  pool.nwaiting = 0;
  for(pool.nfree = 0; pool.nfree < HTTP_MEMS; pool.nfree++)
    pool.free[pool.nfree] = &pool.mem[pool.nfree];
  for(int i = 0; i < TCP_CONNS; i++)
    conns[i].used = 0;
  return tcp_listen(port, &http_ops);
}

// Request buffers in use (of HTTP_MEMS), for an appliance's statistics.
u32
http_busy(void)
{
  return HTTP_MEMS - pool.nfree;
}

// A small integer naming hc's connection (0 .. TCP_CONNS-1), for
// applications that keep per-connection state.
int
http_id(struct http_conn *hc)
{
  return hc - conns;
}

// The request hc is serving.
const struct http_req *
http_request(struct http_conn *hc)
{
  static const struct http_req none;

  return hc->m ? &hc->m->req : &none;
}
