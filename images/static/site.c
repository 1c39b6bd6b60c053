// The site: a table of files served in place from the user-data archive,
// with the built-in index.html and 404.html for those it lacks. A
// damaged archive keeps the files before the damage; what went wrong is
// printed on the console and, when the built-in index is served, on it.

#include "tabcloud.h"
#include "static.h"

#define INDEX "index.html"

static struct site_file files[STATIC_FILES_MAX + 2];   // + the built-in pages
static int nfiles;
static int full;                                       // files were left out
static char note[STATIC_NOTE_MAX];
static char page[STATIC_PAGE_MAX];                     // the built-in index

// The file called name (n bytes), or null.
static struct site_file *
site_lookup(const char *name, u32 n)
{
  if(n > STATIC_NAME_MAX)
    return 0;
  for(int i = 0; i < nfiles; i++)
    if(strncmp(files[i].name, name, n) == 0 && files[i].name[n] == 0)
      return &files[i];
  return 0;
}

// Why the archive name s[0..n) cannot be a site path, or null if it can:
// it must be 1..STATIC_NAME_MAX bytes of segments that are not empty,
// "." or "..", without control bytes or backslashes.
static const char *
site_bad_name(const char *s, u32 n)
{
  u32 seg = 0, len;

  if(n > STATIC_NAME_MAX)
    return "name over 100 bytes";
  for(u32 i = 0; i <= n; i++){
    if(i < n && ((u8)s[i] < ' ' || s[i] == 0x7F || s[i] == '\\'))
      return "control byte or backslash in the name";
    if(i < n && s[i] != '/')
      continue;
    len = i - seg;
    if(len == 0 || (len == 1 && s[seg] == '.') || (len == 2 && s[seg] == '.' && s[seg + 1] == '.'))
      return "not a plain path (an empty, . or .. part)";
    seg = i + 1;
  }
  return 0;
}

// Put a file in the table (replacing one of the same name).
static void
site_put(const char *name, u32 n, const u8 *data, u32 len, int builtin)
{
  struct site_file *f = site_lookup(name, n);

  if(!f)
    f = &files[nfiles++];
  memcpy(f->name, name, n);
  f->name[n] = 0;
  f->data = data;
  f->len = len;
  f->builtin = builtin;
  etag_make(data, len, f->etag);
}

// ustar_fn: take one file of the archive; -1 once the table is full.
static int
site_add(void *ctx, const char *name, u32 n, const u8 *data, u32 len)
{
  const char *why;

  (void)ctx;
  while(n >= 2 && name[0] == '.' && name[1] == '/'){
    name += 2;
    n -= 2;
  }
  for(; n > 0 && name[0] == '/'; n--)
    name++;
  if(n == 0 || (name[n - 1] == '/' && len == 0))
    return 0;                                    // a directory
  if((why = site_bad_name(name, n)) != 0){
    kprintf("static: skipped a file: %s\n", why);
    return 0;
  }
  if(nfiles == STATIC_FILES_MAX && !site_lookup(name, n)){
    full = 1;
    return -1;
  }
  site_put(name, n, data, len, 0);
  return 0;
}

// Read the archive p[0..n) into the table; say what went wrong, on the
// console and in the note for the built-in index.
static void
site_read(const u8 *p, u32 n)
{
  struct ustar_err err;
  u32 bytes = 0;                  // within the archive: no overflow

  if(ustar_read(p, n, site_add, 0, &err) < 0){
    kprintf("static: user-data is damaged: %s at byte %u (files before it: %d)\n", err.msg, err.at, nfiles);
    if(nfiles == 0)
      ksnprintf(note, sizeof(note), "The user-data is not a tar archive this server can read (%s at byte %u).",
                err.msg, err.at);
    else
      ksnprintf(note, sizeof(note), "The user-data archive is damaged (%s at byte %u): only the files "
                "before that point are served.", err.msg, err.at);
  }
  if(full)
    kprintf("static: more than %d files: the rest are skipped\n", STATIC_FILES_MAX);
  for(int i = 0; i < nfiles; i++)
    bytes += files[i].len;
  kprintf("static: %d files (%u bytes) from user-data, served in place\n", nfiles, bytes);
  if(nfiles == 0 && !note[0])
    ksnprintf(note, sizeof(note), "The user-data archive holds no files.");
  else if(!note[0])
    ksnprintf(note, sizeof(note), "The user-data archive has no index.html at its root (files in it: %d).", nfiles);
}

// Build the table from the user-data archive p[0..n) (given: there is
// user-data at all), then add the built-in pages it lacks. The number of
// files taken from the archive.
int
site_load(const u8 *p, u32 n, int given)
{
  int taken;
  u32 len;

  nfiles = full = 0;
  note[0] = 0;
  if(!given || n == 0)
    kprintf("static: %s: serving the built-in site\n", given ? "the user-data is empty" : "no user-data");
  else
    site_read(p, n);
  taken = nfiles;
  if(!site_lookup(INDEX, strlen(INDEX))){
    len = defsite_index(page, sizeof(page), note);
    site_put(INDEX, strlen(INDEX), (const u8 *)page, len, 1);
  }
  if(!site_lookup("404.html", 8))
    site_put("404.html", 8, (const u8 *)defsite_404, strlen(defsite_404), 1);
  return taken;
}

// Look up a resolved request path (path_resolve): name, or its index.html
// if it ends in '/' or is empty. *how is SITE_FOUND (the file returned),
// SITE_DIR (name is a directory: redirect to name/) or SITE_NONE.
const struct site_file *
site_find(const char *name, int *how)
{
  char buf[STATIC_NAME_MAX + 1];
  u32 n = strlen(name);
  const struct site_file *f = 0;

  *how = SITE_NONE;
  if(n == 0 || name[n - 1] == '/'){
    if(n + strlen(INDEX) <= STATIC_NAME_MAX){
      memcpy(buf, name, n);
      memcpy(buf + n, INDEX, strlen(INDEX) + 1);
      f = site_lookup(buf, n + strlen(INDEX));
    }
  } else if((f = site_lookup(name, n)) == 0 && n + 1 + strlen(INDEX) <= STATIC_NAME_MAX){
    memcpy(buf, name, n);
    buf[n] = '/';
    memcpy(buf + n + 1, INDEX, strlen(INDEX) + 1);
    if(site_lookup(buf, n + 1 + strlen(INDEX)))
      *how = SITE_DIR;
    return 0;
  }
  if(f)
    *how = SITE_FOUND;
  return f;
}

// The page for 404 answers: the site's 404.html, else the built-in one.
const struct site_file *
site_404(void)
{
  return site_lookup("404.html", 8);
}

// files: the site's files with their sizes and ETags.
void
site_print(void)
{
  for(int i = 0; i < nfiles; i++)
    kprintf("  %10u %s /%s%s\n", files[i].len, files[i].etag, files[i].name,
            files[i].builtin ? " (built-in)" : "");
}
