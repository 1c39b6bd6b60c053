// The scripted HTTP server and recording client ops (see fetchsrv.h).

#include "param.h"
#include "test.h"
#include "fetchsrv.h"

#define PISN 5000u                     // the server's ISN

struct fsrv srv;
struct fres res;
static u16 sport;                      // the server's port

static int
rec_head(void *ctx, int status, const char *headers, u32 n)
{
  (void)ctx;
  res.heads++;
  res.status = status;
  if(n < sizeof(res.headers)){
    kmemcpy(res.headers, headers, n);
    res.headers[n] = 0;
  }
  res.nheaders = n;
  return res.abort_head ? -1 : 0;
}

static void
rec_body(void *ctx, const u8 *p, u32 n)
{
  (void)ctx;
  if(res.nbody + n <= sizeof(res.body))
    kmemcpy(res.body + res.nbody, p, n);
  res.nbody += n;
}

static void
rec_done(void *ctx, const char *error)
{
  u32 i = 0;

  (void)ctx;
  res.dones++;
  for(; error && error[i] && i + 1 < sizeof(res.error); i++)
    res.error[i] = error[i];
  res.error[i] = 0;
}

const struct fetch_ops rec_ops = { rec_head, rec_body, rec_done };

// A fresh stack (10.0.2.15, the peer 10.0.2.2 its gateway and DNS server).
void
fsrv_up(void)
{
  fn_up();
  net_config(OUR_IP, IP4(255, 255, 255, 0), PEER_IP, PEER_IP, 0, "static");
  dns_reset();
}

// Start a request and let the client poll once (its SYN, or its DNS query,
// goes out); the handle. The recorder and the frames sent are cleared.
int
fsrv_start(const char *method, const char *url, const char *headers, const char *body)
{
  return fsrv_start_body(method, url, headers, body, body ? kstrlen(body) : 0, 0);
}

// fsrv_start with a body of len bytes, copied by the client, or kept by us.
int
fsrv_start_body(const char *method, const char *url, const char *headers, const void *body, u32 len, int kept)
{
  struct fetch_req r = { method, url, headers, body, len, (u8)kept };
  int h;

  kmemset(&res, 0, sizeof(res) - sizeof(res.body));
  fn_tx_clear();
  h = http_fetch(&r, &rec_ops, 0);
  net_poll(netif.now);
  return h;
}

// Take the guest's segments: its request bytes, FIN, RST.
void
fsrv_collect(void)
{
  struct fn_seg s;

  while(fn_pop_seg(&s) == 0){
    if(s.flags & TH_RST)
      srv.rst = 1;
    if(s.len && s.seq == srv.ack && srv.nreq + s.len < sizeof(srv.req)){
      kmemcpy(srv.req + srv.nreq, s.data, s.len);
      srv.nreq += s.len;
      srv.req[srv.nreq] = 0;
      srv.ack += s.len;
    }
    if((s.flags & TH_FIN) && s.seq + s.len == srv.ack){
      srv.fin = 1;
      srv.ack++;
    }
  }
}

// The guest's SYN to port is answered with a SYN-ACK (window shift, -1:
// none); its request is collected. 0, or -1 if there was no SYN.
int
fsrv_accept(u16 port, int shift)
{
  struct fn_seg s;

  kmemset(&srv, 0, sizeof(srv) - sizeof(srv.req));
  srv.req[0] = 0;
  if(fn_pop_seg(&s) < 0 || s.flags != TH_SYN || s.dport != port)
    return -1;
  sport = port;
  srv.port = fn_dport = s.sport;
  srv.iss = s.seq;
  srv.ack = s.seq + 1;
  srv.seq = PISN + 1;
  fn_synack_in(port, PISN, s.seq + 1, 1460, shift);
  fsrv_collect();
  return 0;
}

// Send n bytes of response in segments of at most seg bytes, each taken
// (and acknowledged) before the next.
void
fsrv_send(const void *p, u32 n, u32 seg)
{
  const u8 *b = p;
  u32 k;

  for(u32 off = 0; off < n; off += k){
    k = n - off < seg ? n - off : seg;
    fn_tcp_in(sport, srv.seq, srv.ack, TH_ACK | TH_PSH, 65535, b + off, k);
    srv.seq += k;
    fsrv_collect();
  }
}

// Send the string s as one segment.
void
fsrv_say(const char *s)
{
  fsrv_send(s, kstrlen(s), 1460);
}

// The server closes its side.
void
fsrv_fin(void)
{
  fn_tcp_in(sport, srv.seq, srv.ack, TH_ACK | TH_FIN, 65535, "", 0);
  srv.seq++;
  fsrv_collect();
}

// Let ms pass and run the stack's poller (done() is called from there);
// the server answers ARP requests for its address.
void
fsrv_poll(u64 ms)
{
  netif.now += ms * 1000;
  net_poll(netif.now);
  fn_arp_answer();
}
