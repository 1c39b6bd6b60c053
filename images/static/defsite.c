// The built-in site, served when the user-data brings no index.html or
// no 404.html: a page saying what the visitor is looking at and how to
// put a site in its place, and a 404 page.

#include "tabcloud.h"
#include "static.h"

#define HEAD(title)                                                                           \
  "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n"                           \
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"                \
  "<title>" title "</title>\n<style>\n"                                                       \
  "body{font:16px/1.55 system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"    \
  "color:#1f2328;background:#fff}\nh1{font-size:1.7em;line-height:1.2}\n"                     \
  "code,pre{font:14px ui-monospace,monospace;background:#f3f3f0;border-radius:4px}\n"         \
  "code{padding:.1em .3em}pre{padding:.6em .8em;overflow:auto}a{color:#0969da}\n"             \
  ".note{border-left:4px solid #d97706;background:#fff7ed;padding:.5em .8em}\n"               \
  "@media(prefers-color-scheme:dark){body{color:#e6e6e3;background:#161614}"                  \
  "code,pre{background:#2a2a27}.note{background:#3b2a14}a{color:#6cb6ff}}\n"                  \
  "</style>\n"

static const char index_head[] =
  HEAD("static: a unikernel web server")
  "<h1>This page comes from a unikernel in your browser tab</h1>\n"
  "<p>You are looking at the built-in site of <b>static</b>, a web server appliance of a few "
  "kilobytes: a 32-bit x86 unikernel written in C, with its own network card driver, TCP/IP "
  "stack and HTTP server. It runs inside this tab in the "
  "<a href=\"https://github.com/copy/v86\">v86</a> emulator. Your browser's request went to "
  "the page's service worker, which passed it through <code>/vm/static/</code> to the "
  "emulated machine's network card; no web server on the internet was asked. (Run from the "
  "command line, the same image answers from Node or QEMU.)</p>\n";

static const char index_tail[] =
  "<h2>Serve your own site</h2>\n"
  "<p>The site is the appliance's user-data: a tar archive whose root holds "
  "<code>index.html</code> and the files that go with it, in folders if you like. They are "
  "served as they are, from memory, with their content type and an <code>ETag</code>; a "
  "<code>404.html</code> of your own replaces the built-in one.</p>\n<ul>\n"
  "<li>In Tabcloud, edit the files of the site in the page and boot the appliance with them.\n"
  "<li>From a terminal:\n<pre>tar -C mysite -cf site.tar .\n"
  "npx tabcloud run static --user-data site.tar -p 8080:80</pre>\n"
  "then open <code>http://localhost:8080/</code>.\n</ul>\n";

const char defsite_404[] =
  HEAD("404 Not Found")
  "<h1>404: no such page</h1>\n"
  "<p>This site has no file at this address. Check the address, or go back.</p>\n"
  "<p><small>Served by <b>static</b>, a unikernel web server in the v86 emulator. A site can "
  "bring its own <code>404.html</code>.</small></p>\n";

// Append s[0..n) to out[*len..max); panic if it does not fit.
static void
defsite_put(char *out, u32 *len, u32 max, const char *s, u32 n)
{
  if(*len + n > max)
    panic("defsite_index: page over %u bytes", max);
  memcpy(out + *len, s, n);
  *len += n;
}

// Write the built-in index page into out (max bytes), with note (plain
// text, ours: not escaped) as a paragraph if it is not empty. Its length.
u32
defsite_index(char *out, u32 max, const char *note)
{
  u32 len = 0;

  defsite_put(out, &len, max, index_head, sizeof(index_head) - 1);
  if(note[0]){
    defsite_put(out, &len, max, "<p class=\"note\">", 16);
    defsite_put(out, &len, max, note, strlen(note));
    defsite_put(out, &len, max, "</p>\n", 5);
  }
  defsite_put(out, &len, max, index_tail, sizeof(index_tail) - 1);
  return len;
}
