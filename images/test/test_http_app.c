// What http*.c gives an application beyond kv's needs (the js appliance):
// the method as sent, the query, every header line, a response given later
// (http_defer), and header lines of its own (app->head).

#include "param.h"
#include "test.h"
#include "httpcl.h"

static struct http_conn *waiting;   // the deferred request
static char seen[512];              // what the application saw
static u32 nseen;

static void
a_note(const char *a, const char *b)
{
  u32 na = kstrlen(a), nb = kstrlen(b);

  if(nseen + na + nb + 2 < sizeof(seen)){
    kmemcpy(seen + nseen, a, na);
    seen[nseen + na] = '=';
    kmemcpy(seen + nseen + na + 1, b, nb);
    seen[nseen + na + 1 + nb] = ';';
    nseen += na + nb + 2;
    seen[nseen] = 0;
  }
}

static void
a_start(struct http_conn *hc)
{
  (void)hc;
  a_note("start", "");
}

static void
a_request(struct http_conn *hc, const struct http_req *r)
{
  a_note(r->method_name, r->path);
  a_note("query", r->path + r->qoff);
  if(kstrcmp(r->path, "/later") == 0){
    waiting = hc;
    http_defer(hc);
  } else
    http_respond(hc, 200, 0, "now", 3);
}

static void
a_header(struct http_conn *hc, const char *name, const char *value)
{
  (void)hc;
  a_note(name, value);
}

static u32
a_head(struct http_conn *hc, char *dst, u32 n)
{
  static const char h[] = "X-App: yes\r\n";

  (void)hc;
  if(n < sizeof(h) - 1)
    return 0;
  kmemcpy(dst, h, sizeof(h) - 1);
  return sizeof(h) - 1;
}

static void
a_release(struct http_conn *hc)
{
  if(hc == waiting)
    waiting = 0;
  releases++;
}

static const struct http_app aapp = {
  .server = "tabcloud-test",
  .request = a_request,
  .release = a_release,
  .start = a_start,
  .header = a_header,
  .head = a_head,
};

static void
test_http_app_request(void)
{
  nseen = 0;
  h_open_app(&aapp);
  h_send("PATCH /p/q?a=1&b=%20#frag HTTP/1.1\r\nHost: js\r\nX-Two:  spaced value \t\r\n\r\n");
  CHECK_STR(seen, "start=;Host=js;X-Two=spaced value;PATCH=/p/q;query=?a=1&b=%20;");
  CHECK(h_is("HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Length: 3\r\nX-App: yes\r\n\r\nnow"));
  nseen = 0;
  cl.nout = 0;
  h_send("GET / HTTP/1.1\r\n\r\n");
  CHECK_STR(seen, "start=;GET=/;query=;");
}

static void
test_http_app_deferred(void)
{
  h_open_app(&aapp);
  h_send("GET /later HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
  CHECK(waiting != 0 && cl.nout == 0 && releases == 0);   // no 500, nothing sent yet
  http_respond(waiting, 202, "text/plain", "done", 4);
  h_pump();
  CHECK(h_is("HTTP/1.1 202 Accepted\r\nServer: tabcloud-test\r\nContent-Type: text/plain\r\n"
             "Content-Length: 4\r\nX-App: yes\r\n\r\ndone"
             "HTTP/1.1 200 OK\r\nServer: tabcloud-test\r\nContent-Length: 3\r\nX-App: yes\r\n\r\nnow"));
  CHECK(releases == 2);

  h_open_app(&aapp);                              // the client leaves while we wait
  h_send("GET /later HTTP/1.1\r\n\r\n");
  CHECK(waiting != 0);
  fn_tcp_in(42000, cl.seq, cl.una, TH_RST, 0, "", 0);
  CHECK(waiting == 0 && releases == 1);
}

void
test_http_app(void)
{
  test_http_app_request();
  test_http_app_deferred();
}
