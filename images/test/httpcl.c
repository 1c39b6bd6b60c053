// The HTTP tests' scaffolding (see httpcl.h): the test application and
// the scripted client.

#include "param.h"
#include "test.h"
#include "httpcl.h"

#define SP 42000

struct hclient cl;
int releases;
u8 body[4096];
u32 nbody;
static u32 streamed;

static u32
read_big(struct http_conn *hc, u8 *dst, u32 n)
{
  (void)hc;
  for(u32 i = 0; i < n; i++)
    dst[i] = 'a' + (streamed + i) % 26;
  streamed += n;
  return n;
}

static u32
read_chunks(struct http_conn *hc, u8 *dst, u32 n)
{
  (void)hc;
  (void)n;
  if(streamed++ == 3)
    return 0;
  kmemcpy(dst, "piece", 5);
  return 5;
}

static void
t_request(struct http_conn *hc, const struct http_req *r)
{
  nbody = streamed = 0;
  if(kstrcmp(r->path, "/echo") == 0)
    http_accept_body(hc);
  else if(kstrcmp(r->path, "/reject") == 0)
    http_error(hc, 413, "too_large", "no");
  else if(kstrcmp(r->path, "/big") == 0)
    http_respond_stream(hc, 200, "text/plain", 40000, read_big);
  else if(kstrcmp(r->path, "/chunked") == 0)
    http_respond_stream(hc, 200, "text/plain", HTTP_CHUNKED, read_chunks);
  else if(kstrcmp(r->path, "/post-only") == 0){
    http_allow(hc, "POST");
    http_error(hc, 405, "method_not_allowed", "POST");
  } else if(kstrcmp(r->path, "/silent") == 0)
    ;
  else
    http_respond(hc, 200, "text/plain", r->path, kstrlen(r->path));
}

static int
t_body(struct http_conn *hc, const u8 *p, u32 n)
{
  if(nbody + n > 20){
    http_error(hc, 413, "too_large", "20 bytes at most");
    return -1;
  }
  kmemcpy(body + nbody, p, n);
  nbody += n;
  (void)hc;
  return 0;
}

static void
t_end(struct http_conn *hc)
{
  http_respond(hc, 200, "text/plain", body, nbody);
}

static void
t_release(struct http_conn *hc)
{
  (void)hc;
  releases++;
}

static const struct http_app tapp = {
  .server = "tabcloud-test",
  .request = t_request,
  .body = t_body,
  .end = t_end,
  .release = t_release,
};

// A fresh stack serving app, and a connected client.
void
h_open_app(const struct http_app *app)
{
  struct fn_seg s;

  fn_up();
  http_listen(80, app);
  kmemset(&cl, 0, sizeof(cl) - sizeof(cl.out));
  releases = 0;
  fn_syn_in(SP, 5000, 1460);
  fn_pop_seg(&s);
  cl.iss = cl.una = s.seq + 1;
  cl.seq = 5001;
  fn_tcp_in(SP, cl.seq, cl.una, TH_ACK, 65535, "", 0);
}

// A fresh stack serving the test application, and a connected client.
void
h_open(void)
{
  h_open_app(&tapp);
}

// Take what the server sent: keep in-order data, ACK it, until it is quiet.
void
h_pump(void)
{
  struct fn_seg s;
  int got;

  do {
    got = 0;
    while(fn_pop_seg(&s) == 0){
      if(s.seq == cl.una && s.len){
        kmemcpy(cl.out + cl.nout, s.data, s.len);
        cl.nout += s.len;
        cl.una += s.len;
        got = 1;
      }
      if((s.flags & TH_FIN) && s.seq + s.len == cl.una && !cl.fin){
        cl.una++;
        cl.fin = got = 1;
      }
    }
    if(got)
      fn_tcp_in(SP, cl.seq, cl.una, TH_ACK, 65535, "", 0);
  } while(got);
  cl.out[cl.nout] = 0;
}

// Send s (split into segments of at most seg bytes), then collect replies.
void
h_send_split(const char *s, u32 seg)
{
  u32 n = kstrlen(s), k;

  for(u32 i = 0; i < n; i += k){
    k = n - i < seg ? n - i : seg;
    fn_tcp_in(SP, cl.seq, cl.una, TH_ACK | TH_PSH, 65535, s + i, k);
    cl.seq += k;
  }
  h_pump();
}

void
h_send(const char *s)
{
  h_send_split(s, 1460);
}

// Does the client's output equal want? (Printed if not.)
int
h_is(const char *want)
{
  if(test_streq(cl.out, want))
    return 1;
  printf("     got  \"%s\"\n     want \"%s\"\n", cl.out, want);
  return 0;
}

// Does the client's output start with an HTTP status line of status?
int
h_status(int status)
{
  char line[16];

  ksnprintf(line, sizeof(line), "HTTP/1.1 %d ", status);
  return kstrncmp(cl.out, line, 13) == 0;
}

