// The TCP test application (see tcpapp.h).

#include "param.h"
#include "test.h"
#include "tcpapp.h"

struct tcpapp app;

static int
app_accept(int c)
{
  app.accepts++;
  app.c = c;
  return app.refuse ? -1 : 0;
}

static void
app_recv(int c)
{
  const u8 *p;
  u32 n;

  app.recvs++;
  while(app.read && (n = tcp_peek(c, &p)) > 0){
    if(app.ngot + n <= sizeof(app.got))
      kmemcpy(app.got + app.ngot, p, n);
    app.ngot += n;
    tcp_consume(c, n);
  }
}

static void
app_sent(int c)
{
  (void)c;
  app.sents++;
}

static void
app_closed(int c)
{
  (void)c;
  app.closes++;
}

// The table is full: close c if the test says connections are idle.
static int
app_reclaim(int c)
{
  app.reclaims++;
  if(!app.reclaim)
    return -1;
  tcp_close(c);
  return 0;
}

static const struct tcp_ops ops = { app_accept, app_recv, app_sent, app_closed, app_reclaim };

// A fresh stack (10.0.2.15, peer resolved) with the app listening on 80.
void
app_reset(void)
{
  fn_up();
  kmemset(&app, 0, sizeof(app) - sizeof(app.got));
  app.read = 1;
  app.c = -1;
  fn_dport = 80;
  tcp_listen(80, &ops);
}

// Handshake from the peer's port sport with ISN pisn (MSS 1460); the
// connection, our ISN in *iss. Nothing is left queued.
int
app_open(u16 sport, u32 pisn, u32 *iss)
{
  struct fn_seg s;

  fn_syn_in(sport, pisn, 1460);
  if(fn_pop_seg(&s) < 0 || s.flags != (TH_SYN | TH_ACK))
    return -1;
  *iss = s.seq;
  fn_tcp_in(sport, pisn + 1, s.seq + 1, TH_ACK, 65535, "", 0);
  fn_tx_clear();
  return tcp_state(app.c) == TCP_ESTABLISHED ? app.c : -1;
}

// Advance the clock by ms and run the TCP timers.
void
app_tick(u64 ms)
{
  netif.now += MS(ms);
  tcp_poll(netif.now);
}
