// The static appliance's HTTP handlers: GET and HEAD of the site's files,
// streamed from memory with their Content-Type and ETag; If-None-Match
// gives 304; a directory without its '/' is redirected; missing files get
// the 404 page; unsafe paths 400; other methods 405.

#include "tabcloud.h"
#include "static.h"

#define NAME "static"

static struct {
  const struct site_file *f;    // being sent
  u32 off;
} sends[TCP_CONNS];

// Stream body: the next bytes of the file being sent.
static u32
serve_read(struct http_conn *hc, u8 *dst, u32 n)
{
  int id = http_id(hc);

  memcpy(dst, sends[id].f->data + sends[id].off, n);
  sends[id].off += n;
  return n;
}

// Respond with status and the file f as the body.
static void
serve_file(struct http_conn *hc, int status, const struct site_file *f)
{
  int id = http_id(hc);

  sends[id].f = f;
  sends[id].off = 0;
  http_respond_stream(hc, status, mime_type(f->name), f->len, serve_read);
}

// The file f, or 304 if the client's copy (If-None-Match) is current.
static void
serve_found(struct http_conn *hc, const struct http_req *r, const struct site_file *f)
{
  http_add_header(hc, "ETag", f->etag);
  http_add_header(hc, "Cache-Control", "no-cache");
  if(r->etags[0] && http_etag_match(r->etags, f->etag))
    http_respond(hc, 304, 0, 0, 0);
  else
    serve_file(hc, 200, f);
}

// Redirect a directory's path to the same with a '/': relative to the
// request's own URL (its last segment and '/'), because the client may
// see the site under a prefix such as /vm/static/. A 404 if it is too
// long for the header.
static void
serve_redirect(struct http_conn *hc, const char *path)
{
  char loc[HTTP_EXTRA_MAX];
  const char *last = path + strlen(path);
  u32 n;

  while(last > path && last[-1] != '/')
    last--;
  n = strlen(last);
  if(n + 2 <= sizeof(loc)){
    memcpy(loc, last, n);
    memcpy(loc + n, "/", 2);
    if(http_add_header(hc, "Location", loc) == 0){
      http_respond(hc, 301, 0, 0, 0);
      return;
    }
  }
  serve_file(hc, 404, site_404());
}

// Route a request (headers read).
static void
serve_request(struct http_conn *hc, const struct http_req *r)
{
  char name[STATIC_NAME_MAX + 2];
  const struct site_file *f = 0;
  int n, how = SITE_NONE;

  if(r->method != HTTP_GET && r->method != HTTP_HEAD){
    http_allow(hc, "GET, HEAD");
    http_error(hc, 405, "method_not_allowed", "use GET or HEAD");
    return;
  }
  n = path_resolve(r->path, name, sizeof(name));
  if(n == PATH_BAD){
    http_error(hc, 400, "bad_path", "the path has a .. segment, a backslash or a bad escape");
    return;
  }
  if(n >= 0)
    f = site_find(name, &how);
  if(how == SITE_FOUND)
    serve_found(hc, r, f);
  else if(how == SITE_DIR)
    serve_redirect(hc, r->path);
  else
    serve_file(hc, 404, site_404());
}

// A request body: requests here have none worth reading.
static int
serve_body(struct http_conn *hc, const u8 *p, u32 n)
{
  (void)hc;
  (void)p;
  (void)n;
  return 0;
}

// The end of a request body (never reached: no body is accepted).
static void
serve_end(struct http_conn *hc)
{
  (void)hc;
}

// The request is over; the file stays where it is.
static void
serve_release(struct http_conn *hc)
{
  sends[http_id(hc)].f = 0;
}

const struct http_app static_app = {
  .server = "tabcloud-" NAME,
  .request = serve_request,
  .body = serve_body,
  .end = serve_end,
  .release = serve_release,
};
