// The static appliance's hardware-free parts: the archive reader
// (ustar.c), the site's file table (site.c), request paths (path.c),
// content types (mime.c), ETags (etag.c), the built-in pages (defsite.c)
// and the HTTP handlers (serve.c). Host-tested.

#ifndef STATIC_H
#define STATIC_H

#include "tabcloud.h"

// ustar.c: a POSIX ustar (or GNU) tar archive, read in place.
struct ustar_err {
  u32 at;             // byte offset of the bad header or the cut-off data
  const char *msg;
};
// A regular file: its name (not NUL-terminated; nlen may exceed
// STATIC_NAME_MAX) and its data in the archive. 0 goes on, -1 stops.
typedef int (*ustar_fn)(void *ctx, const char *name, u32 nlen, const u8 *data, u32 len);
int ustar_read(const u8 *p, u32 n, ustar_fn fn, void *ctx, struct ustar_err *err);

// site.c: the files served, by path.
struct site_file {
  char name[STATIC_NAME_MAX + 1];    // path in the site: no leading '/'
  const u8 *data;                    // in place: module 0 or the kernel image
  u32 len;
  char etag[STATIC_ETAG_MAX];
  u8 builtin;                        // one of the built-in pages
};
enum { SITE_FOUND, SITE_DIR, SITE_NONE };
int site_load(const u8 *p, u32 n, int given);
const struct site_file *site_find(const char *name, int *how);
const struct site_file *site_404(void);
void site_print(void);

// path.c: request paths to file names.
#define PATH_BAD  -1      // traversal, bad escapes, control bytes: 400
#define PATH_LONG -2      // longer than any file name: 404
int path_resolve(const char *path, char *name, u32 max);

// mime.c
const char *mime_type(const char *name);

// etag.c
void etag_make(const u8 *p, u32 n, char *out);

// defsite.c: the built-in index.html (with a note) and 404.html.
u32 defsite_index(char *out, u32 max, const char *note);
extern const char defsite_404[];

// serve.c
struct http_app;
extern const struct http_app static_app;

#endif
