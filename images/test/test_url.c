// js/url.c: which request URLs the WHATWG parser gives back unchanged (a
// Node check: new URL(u).href === u for every accepted case), and their parts.

#include "test.h"
#include "url.h"

// Does url_simple take s apart as host, port, path and query (or refuse it: host 0)?
static int
parts(const char *s, const char *host, const char *port, const char *path, const char *query)
{
  struct url_parts p;
  u32 n = kstrlen(s);

  if(url_simple(s, n, &p) < 0)
    return host == 0;
  return host && p.host_len == kstrlen(host) && kmemcmp(s + p.host, host, p.host_len) == 0 &&
         p.port_len == kstrlen(port) && kmemcmp(s + p.port, port, p.port_len) == 0 &&
         p.path_len == kstrlen(path) && kmemcmp(s + p.path, path, p.path_len) == 0 &&
         (query ? p.query >= 0 && kstrlen(s + p.query) == kstrlen(query) && kmemcmp(s + p.query, query, kstrlen(query)) == 0
                : p.query < 0);
}

void
test_url(void)
{
  CHECK(parts("http://127.0.0.1:8080/hello?name=x", "127.0.0.1", "8080", "/hello", "name=x"));
  CHECK(parts("http://localhost:4173/a/b/", "localhost", "4173", "/a/b/", 0));
  CHECK(parts("http://10.0.2.15/", "10.0.2.15", "", "/", 0));
  CHECK(parts("http://a.b/p?", "a.b", "", "/p", ""));
  CHECK(parts("http://a.b/it's/%41?q=%zz&x=/?", "a.b", "", "/it's/%41", "q=%zz&x=/?"));
  CHECK(parts("http://a.b/.hidden/..x", "a.b", "", "/.hidden/..x", 0));
  CHECK(parts("http://x-1.example.com:65535/", "x-1.example.com", "65535", "/", 0));
  // What the full parser changes, or may: refused here.
  CHECK(parts("http://h:80/x", 0, 0, 0, 0));             // the default port goes
  CHECK(parts("http://h:065/x", 0, 0, 0, 0));
  CHECK(parts("http://h:65536/x", 0, 0, 0, 0));
  CHECK(parts("http://H/x", 0, 0, 0, 0));                // upper-case host
  CHECK(parts("http://1.2.3/x", 0, 0, 0, 0));            // IPv4 shorthand
  CHECK(parts("http://0x7f.1/", 0, 0, 0, 0));
  CHECK(parts("http://01.2.3.4/", 0, 0, 0, 0));
  CHECK(parts("http://1.2.3.256/", 0, 0, 0, 0));
  CHECK(parts("http://a.b.123/", 0, 0, 0, 0));           // ends in a number
  CHECK(parts("http://a..b/", 0, 0, 0, 0));
  CHECK(parts("http://a.b", 0, 0, 0, 0));                // no path
  CHECK(parts("http://a.b/./x", 0, 0, 0, 0));            // dot segments
  CHECK(parts("http://a.b/x/..", 0, 0, 0, 0));
  CHECK(parts("http://a.b/x/%2E%2e/y", 0, 0, 0, 0));
  CHECK(parts("http://a.b/x y", 0, 0, 0, 0));
  CHECK(parts("http://a.b/x?it's", 0, 0, 0, 0));         // ' in a special query is encoded
  CHECK(parts("http://a.b/x#f", 0, 0, 0, 0));
  CHECK(parts("http://a.b/x\\y", 0, 0, 0, 0));
  CHECK(parts("https://a.b/", 0, 0, 0, 0));
  CHECK(parts("http://u@a.b/", 0, 0, 0, 0));
}
