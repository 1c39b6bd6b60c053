// Content types by file name extension (case-insensitive); text types
// carry their charset. Anything else is application/octet-stream.

#include "tabcloud.h"
#include "static.h"

#define UTF8 "; charset=utf-8"

static const struct {
  const char *ext;
  const char *type;
} types[] = {
  { "html", "text/html" UTF8 }, { "htm", "text/html" UTF8 }, { "css", "text/css" UTF8 },
  { "js", "text/javascript" UTF8 }, { "mjs", "text/javascript" UTF8 },
  { "txt", "text/plain" UTF8 }, { "md", "text/markdown" UTF8 }, { "csv", "text/csv" UTF8 },
  { "json", "application/json" }, { "xml", "application/xml" }, { "svg", "image/svg+xml" },
  { "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "gif", "image/gif" },
  { "webp", "image/webp" }, { "avif", "image/avif" }, { "ico", "image/x-icon" },
  { "wasm", "application/wasm" }, { "pdf", "application/pdf" },
  { "woff", "font/woff" }, { "woff2", "font/woff2" },
};

// Is extension e (ended by NUL) the lower-case word w, ignoring case?
static int
mime_is(const char *e, const char *w)
{
  for(; *w; e++, w++)
    if((*e | 0x20) != *w)
      return 0;
  return *e == 0;
}

// The Content-Type for a file called name (a site path).
const char *
mime_type(const char *name)
{
  const char *dot = 0;

  for(; *name; name++)
    if(*name == '.')
      dot = name + 1;
    else if(*name == '/')
      dot = 0;
  if(dot)
    for(u32 i = 0; i < NELEM(types); i++)
      if(mime_is(dot, types[i].ext))
        return types[i].type;
  return "application/octet-stream";
}
