// The static appliance's request side: paths (traversal refused, escapes
// decoded), content types, ETags and If-None-Match, and its HTTP handlers
// through the whole stack (200, 304, HEAD, 301, 400, 404, 405).

#include "param.h"
#include "test.h"
#include "httpcl.h"
#include "static.h"

// path_resolve of p: the name, or "BAD" / "LONG".
static const char *
resolve(const char *p)
{
  static char name[STATIC_NAME_MAX + 2];
  int n = path_resolve(p, name, sizeof(name));

  return n == PATH_BAD ? "BAD" : n == PATH_LONG ? "LONG" : name;
}

static void
test_path(void)
{
  char long_path[STATIC_NAME_MAX + 8];

  CHECK_STR(resolve("/"), "");
  CHECK_STR(resolve("/index.html"), "index.html");
  CHECK_STR(resolve("/docs/"), "docs/");
  CHECK_STR(resolve("/docs"), "docs");
  CHECK_STR(resolve("//a///b/./c/."), "a/b/c/");
  CHECK_STR(resolve("/a%20b.txt"), "a b.txt");
  CHECK_STR(resolve("/%7Euser/caf%C3%A9"), "~user/caf\xC3\xA9");
  CHECK_STR(resolve("/...dots/x..y"), "...dots/x..y");
  CHECK_STR(resolve("/../etc/passwd"), "BAD");
  CHECK_STR(resolve("/a/.."), "BAD");
  CHECK_STR(resolve("/a/../b"), "BAD");
  CHECK_STR(resolve("/%2e%2e/x"), "BAD");
  CHECK_STR(resolve("/%2E%2e"), "BAD");
  CHECK_STR(resolve("/.%2e/x"), "BAD");
  CHECK_STR(resolve("/a%2f..%2fb"), "BAD");                // encoded slash
  CHECK_STR(resolve("/..\\x"), "BAD");
  CHECK_STR(resolve("/a%5c..%5cb"), "BAD");                // encoded backslash
  CHECK_STR(resolve("/a%00b"), "BAD");
  CHECK_STR(resolve("/a%0ab"), "BAD");
  CHECK_STR(resolve("/a%"), "BAD");
  CHECK_STR(resolve("/a%4"), "BAD");
  CHECK_STR(resolve("/a%zz"), "BAD");
  CHECK_STR(resolve("relative"), "BAD");
  kmemset(long_path, 'a', sizeof(long_path));
  long_path[0] = '/';
  long_path[STATIC_NAME_MAX + 1] = 0;
  CHECK(kstrlen(resolve(long_path)) == STATIC_NAME_MAX);
  long_path[STATIC_NAME_MAX + 1] = 'a';
  long_path[STATIC_NAME_MAX + 2] = 0;
  CHECK_STR(resolve(long_path), "LONG");
}

static void
test_mime(void)
{
  CHECK_STR(mime_type("index.html"), "text/html; charset=utf-8");
  CHECK_STR(mime_type("old.HTM"), "text/html; charset=utf-8");
  CHECK_STR(mime_type("css/site.css"), "text/css; charset=utf-8");
  CHECK_STR(mime_type("app.js"), "text/javascript; charset=utf-8");
  CHECK_STR(mime_type("mod.mjs"), "text/javascript; charset=utf-8");
  CHECK_STR(mime_type("data.json"), "application/json");
  CHECK_STR(mime_type("notes.txt"), "text/plain; charset=utf-8");
  CHECK_STR(mime_type("README.md"), "text/markdown; charset=utf-8");
  CHECK_STR(mime_type("logo.svg"), "image/svg+xml");
  CHECK_STR(mime_type("a.png"), "image/png");
  CHECK_STR(mime_type("a.jpg"), "image/jpeg");
  CHECK_STR(mime_type("a.JPEG"), "image/jpeg");
  CHECK_STR(mime_type("a.gif"), "image/gif");
  CHECK_STR(mime_type("a.webp"), "image/webp");
  CHECK_STR(mime_type("favicon.ico"), "image/x-icon");
  CHECK_STR(mime_type("m.wasm"), "application/wasm");
  CHECK_STR(mime_type("feed.xml"), "application/xml");
  CHECK_STR(mime_type("doc.pdf"), "application/pdf");
  CHECK_STR(mime_type("f.woff2"), "font/woff2");
  CHECK_STR(mime_type("archive.tar.gz"), "application/octet-stream");
  CHECK_STR(mime_type("Makefile"), "application/octet-stream");
  CHECK_STR(mime_type("v1.2/LICENSE"), "application/octet-stream");
  CHECK_STR(mime_type("a.htmlx"), "application/octet-stream");
}

static void
test_etag(void)
{
  static u8 big[10007];
  char a[STATIC_ETAG_MAX], b[STATIC_ETAG_MAX];
  int differ = 1;

  etag_make((const u8 *)"", 0, a);
  CHECK(a[0] == '"' && a[1] == '0' && a[2] == '-' && a[kstrlen(a) - 1] == '"');
  for(u32 i = 0; i < sizeof(big); i++)
    big[i] = (u8)test_rand();
  etag_make(big, sizeof(big), a);
  CHECK(kstrncmp(a, "\"2717-", 6) == 0 && kstrlen(a) == 15);
  etag_make(big, sizeof(big), b);
  CHECK_STR(a, b);
  for(u32 i = 0; i < sizeof(big); i += 997){               // any one byte changed
    big[i] ^= 0x80;
    etag_make(big, sizeof(big), b);
    differ &= !test_streq(a, b);
    big[i] ^= 0x80;
  }
  CHECK(differ);

  CHECK(http_etag_match("\"a\"", "\"a\""));
  CHECK(http_etag_match("\"x\", W/\"a\"", "\"a\""));       // weak comparison
  CHECK(http_etag_match("\"x\",\"a\"", "W/\"a\""));
  CHECK(http_etag_match("*", "\"a\""));
  CHECK(!http_etag_match("\"b\"", "\"a\""));
  CHECK(!http_etag_match("\"a", "\"a\""));
  CHECK(!http_etag_match("a", "\"a\""));
  CHECK(!http_etag_match("\"ab\"", "\"a\""));
  CHECK(!http_etag_match("", "\"a\""));
  CHECK(http_etag_match("junk, \"a,b\", \"a\"", "\"a\""));
}

// A site of two files for the HTTP tests.
static void
site(void)
{
  static u8 tar[6 * 512];
  u32 n;

  n = test_tar_add(tar, 0, 0, "index.html", '0', "<p>home</p>", 11);
  n = test_tar_add(tar, n, 0, "docs/index.html", '0', "docs", 4);
  kmemset(tar + n, 0, 1024);
  CHECK(site_load(tar, n + 1024, 1) == 2);
}

// The ETag header of the last response, copied to tag.
static void
etag_of(char *tag)
{
  char *e = test_strstr(cl.out, "ETag: ");
  u32 n = 0;

  if(e)
    for(e += 6; e[n] != '\r' && n + 1 < STATIC_ETAG_MAX; n++)
      tag[n] = e[n];
  tag[n] = 0;
}

static void
test_serve(void)
{
  char tag[STATIC_ETAG_MAX], req[128];
  int how;

  site();
  h_open_app(&static_app);
  h_send("GET /?q=1 HTTP/1.1\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "Content-Type: text/html; charset=utf-8\r\n"));
  CHECK(test_strstr(cl.out, "Content-Length: 11\r\n") && test_strstr(cl.out, "\r\n\r\n<p>home</p>"));
  CHECK(test_strstr(cl.out, "Cache-Control: no-cache\r\n") && test_strstr(cl.out, "Server: tabcloud-static\r\n"));
  etag_of(tag);
  CHECK_STR(tag, site_find("", &how)->etag);
  cl.nout = 0;
  ksnprintf(req, sizeof(req), "GET /index.html HTTP/1.1\r\nIf-None-Match: \"x\", %s\r\n\r\n", tag);
  h_send(req);
  CHECK(h_status(304) && test_strstr(cl.out, tag) && !test_strstr(cl.out, "Content-Length"));
  CHECK(test_strstr(cl.out, "\r\n\r\n")[4] == 0);          // no body
  cl.nout = 0;
  h_send("GET / HTTP/1.1\r\nIf-None-Match: \"stale\"\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "<p>home</p>"));
  cl.nout = 0;
  h_send("HEAD / HTTP/1.1\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "Content-Length: 11\r\n") && test_strstr(cl.out, tag));
  CHECK(test_strstr(cl.out, "\r\n\r\n")[4] == 0);
  cl.nout = 0;
  h_send("GET /docs HTTP/1.1\r\n\r\n");
  CHECK(h_status(301) && test_strstr(cl.out, "Location: docs/\r\n"));
  cl.nout = 0;
  h_send("GET /docs/ HTTP/1.1\r\n\r\n");
  CHECK(h_status(200) && test_strstr(cl.out, "\r\n\r\ndocs"));
  cl.nout = 0;
  h_send("GET /nothing.css HTTP/1.1\r\n\r\n");
  CHECK(h_status(404) && test_strstr(cl.out, "text/html") && test_strstr(cl.out, "no such page"));
  CHECK(!test_strstr(cl.out, "ETag"));
  cl.nout = 0;
  h_send("GET /%2e%2e/etc/passwd HTTP/1.1\r\n\r\n");
  CHECK(h_status(400) && test_strstr(cl.out, "bad_path"));
  cl.nout = 0;
  h_send("DELETE / HTTP/1.1\r\n\r\n");
  CHECK(h_status(405) && test_strstr(cl.out, "Allow: GET, HEAD\r\n"));
  cl.nout = 0;
  h_send("PUT /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /docs/index.html HTTP/1.1\r\n\r\n");
  CHECK(h_status(405) && test_strstr(cl.out, "\r\n\r\ndocs") && !cl.fin);   // body skipped
}

void
test_static(void)
{
  test_path();
  test_mime();
  test_etag();
  test_serve();
}
