// static/ustar.c and static/site.c: archives read in place (ustar
// prefixes, GNU and pax long names, damage of every kind) and the site's
// file table (built-in pages, directories, names refused, limits).

#include "param.h"
#include "test.h"
#include "static.h"

#define BLOCK 512

static u8 tar[(STATIC_FILES_MAX + 8) * 2 * BLOCK];
static u32 tarlen;

// Write v as zero-padded octal digits (width-1 of them) and a NUL.
static void
octal(u8 *f, u32 width, u32 v)
{
  f[width - 1] = 0;
  for(int i = width - 2; i >= 0; i--, v >>= 3)
    f[i] = '0' + (v & 7);
}

// Fill in h's checksum field.
static void
sum(u8 *h)
{
  u32 s = 0;

  kmemset(h + 148, ' ', 8);
  for(int i = 0; i < BLOCK; i++)
    s += h[i];
  octal(h + 148, 7, s);
}

// Write an entry of type t at tar + off: name (with a POSIX prefix if
// given) and data. The offset after it.
u32
test_tar_add(u8 *tar, u32 off, const char *prefix, const char *name, char t, const void *data, u32 len)
{
  u8 *h = tar + off;
  u32 padded = (len + BLOCK - 1) & ~(BLOCK - 1);

  kmemset(h, 0, BLOCK + padded);
  kmemcpy(h, name, kstrlen(name) < 100 ? kstrlen(name) : 100);
  octal(h + 100, 8, 0644);
  octal(h + 124, 12, len);
  h[156] = t;
  kmemcpy(h + 257, prefix ? "ustar\0" "00" : "ustar  ", 8);
  if(prefix)
    kmemcpy(h + 345, prefix, kstrlen(prefix));
  sum(h);
  kmemcpy(h + BLOCK, data, len);
  return off + BLOCK + padded;
}

// Append an entry to tar; its header.
static u8 *
add(const char *prefix, const char *name, char t, const void *data, u32 len)
{
  u8 *h = tar + tarlen;

  tarlen = test_tar_add(tar, tarlen, prefix, name, t, data, len);
  return h;
}

static void
file(const char *name, const char *text)
{
  add(0, name, '0', text, kstrlen(text));
}

// Start an archive.
static void
start(void)
{
  tarlen = 0;
}

// End it with the two zero blocks.
static void
finish(void)
{
  kmemset(tar + tarlen, 0, 2 * BLOCK);
  tarlen += 2 * BLOCK;
}

static char names[8][STATIC_LONGNAME + 1];
static int nnames;

// ustar_fn: note the name; stop after 3 if told.
static int
collect(void *ctx, const char *name, u32 n, const u8 *data, u32 len)
{
  (void)data;
  (void)len;
  if(nnames < 8){
    kmemcpy(names[nnames], name, n < STATIC_LONGNAME ? n : STATIC_LONGNAME);
    names[nnames][n < STATIC_LONGNAME ? n : STATIC_LONGNAME] = 0;
    nnames++;
  }
  return ctx && nnames == 3 ? -1 : 0;
}

// Read the archive with collect; ustar_read's answer.
static int
tread(struct ustar_err *err, u32 len, void *ctx)
{
  nnames = 0;
  return ustar_read(tar, len, collect, ctx, err);
}

static void
test_ustar_names(void)
{
  static char pax[] = "30 mtime=1700000000.123456789\n" "25 path=a/very/long.html\n";
  char longname[150];
  struct ustar_err err = { 0, 0 };

  kmemset(longname, 'n', sizeof(longname));
  kmemcpy(longname + sizeof(longname) - 5, ".css", 5);
  start();
  file("index.html", "<h1>hi</h1>");
  add("deep/dir", "page.html", '0', "x", 1);
  add(0, "css/", '5', "", 0);                              // a directory: skipped
  add(0, "././@LongLink", 'L', longname, sizeof(longname));
  file("truncated-name", "y");
  add(0, "PaxHeader/x", 'x', pax, kstrlen(pax));
  file("short", "z");
  add(0, "link", '2', "", 0);                              // a symlink: skipped
  file("last", "w");
  finish();
  CHECK(tread(&err, tarlen, 0) == 0 && nnames == 5);
  CHECK_STR(names[0], "index.html");
  CHECK_STR(names[1], "deep/dir/page.html");
  CHECK(kstrlen(names[2]) == 149 && kstrcmp(names[2] + 145, ".css") == 0);
  CHECK_STR(names[3], "a/very/long.html");
  CHECK_STR(names[4], "last");
  CHECK(tread(&err, tarlen, (void *)1) == 0 && nnames == 3);   // fn said stop
  CHECK(tread(&err, tarlen - 2 * BLOCK, 0) == 0 && nnames == 5);  // no end blocks
  CHECK(tread(&err, 0, 0) == 0 && nnames == 0);
}

static void
test_ustar_damage(void)
{
  struct ustar_err err = { 0, 0 };
  u8 *h;

  start();
  file("a.txt", "aaa");
  h = add(0, "b.txt", '0', "bbbb", 4);
  finish();
  CHECK(tread(&err, 2 * BLOCK, 0) == 0 && nnames == 1);      // ends between files
  CHECK(tread(&err, 2 * BLOCK + 2, 0) < 0 && err.at == 2 * BLOCK && nnames == 1);
  CHECK(test_strstr(err.msg, "cut short inside a header") != 0);
  CHECK(tread(&err, 3 * BLOCK + 3, 0) < 0 && err.at == 2 * BLOCK && nnames == 1);
  CHECK(test_strstr(err.msg, "cut short inside a file") != 0);
  CHECK(tread(&err, 4 * BLOCK + 100, 0) == 0 && nnames == 2); // a short zero tail
  tar[4 * BLOCK + 3] = 'x';
  CHECK(tread(&err, 4 * BLOCK + 100, 0) < 0 && test_strstr(err.msg, "inside a header") != 0);
  tar[4 * BLOCK + 3] = 0;
  h[0] ^= 1;                                               // name changed, sum not
  CHECK(tread(&err, tarlen, 0) < 0 && err.at == 2 * BLOCK && nnames == 1);
  CHECK(test_strstr(err.msg, "checksum") != 0);
  h[0] ^= 1;
  kmemcpy(h + 124, "0000000008x", 12);                     // 8 is not octal
  sum(h);
  CHECK(tread(&err, tarlen, 0) < 0 && test_strstr(err.msg, "size") != 0);
  kmemcpy(h + 124, "77777777777", 12);                     // 8 GiB: over 32 bits
  sum(h);
  CHECK(tread(&err, tarlen, 0) < 0 && test_strstr(err.msg, "size") != 0);
  kmemcpy(h + 124, "00077777777", 12);                     // 16 MiB: past the end
  sum(h);
  CHECK(tread(&err, tarlen, 0) < 0 && err.at == 2 * BLOCK && test_strstr(err.msg, "inside a file") != 0);
  kmemcpy(tar, "{\"not\": \"a tar\"}", 16);
  CHECK(tread(&err, tarlen, 0) < 0 && err.at == 0 && nnames == 0);
}

// The body of the site's file at path, NUL-terminated in buf, or "-".
static const char *
body(const char *path, char *buf, u32 max)
{
  int how;
  const struct site_file *f = site_find(path, &how);

  if(!f)
    return "-";
  kmemcpy(buf, f->data, f->len < max - 1 ? f->len : max - 1);
  buf[f->len < max - 1 ? f->len : max - 1] = 0;
  return buf;
}

static void
test_site_find(void)
{
  static char buf[STATIC_PAGE_MAX];
  int how;

  start();
  file("./index.html", "home");
  file("docs/index.html", "docs");
  file("css/site.css", "body{}");
  file("bad/../secret", "no");
  file("index.html", "home, again");                       // the later one wins
  finish();
  CHECK(site_load(tar, tarlen, 1) == 3);
  CHECK_STR(body("", buf, sizeof(buf)), "home, again");
  CHECK_STR(body("index.html", buf, sizeof(buf)), "home, again");
  CHECK_STR(body("docs/", buf, sizeof(buf)), "docs");
  CHECK(site_find("docs", &how) == 0 && how == SITE_DIR);
  CHECK(site_find("css/", &how) == 0 && how == SITE_NONE);
  CHECK(site_find("bad/../secret", &how) == 0 && site_find("secret", &how) == 0);
  CHECK(site_find("css/site.css", &how)->len == 6 && how == SITE_FOUND);
  CHECK(test_strstr(body("404.html", buf, sizeof(buf)), "404") != 0);
  CHECK(site_404()->builtin && !site_find("", &how)->builtin);
}

static void
test_site_fallback(void)
{
  static char buf[STATIC_PAGE_MAX];

  test_out_reset();
  CHECK(site_load(0, 0, 0) == 0);                          // no user-data
  CHECK(test_strstr(body("", buf, sizeof(buf)), "unikernel") != 0);
  CHECK(test_strstr(buf, "class=\"note\"") == 0 && test_strstr(test_out, "no user-data") != 0);

  start();
  file("a.txt", "a");
  file("404.html", "mine");
  finish();
  CHECK(site_load(tar, tarlen, 1) == 2);                   // no index.html
  CHECK(test_strstr(body("", buf, sizeof(buf)), "no index.html at its root (files in it: 2)") != 0);
  CHECK_STR(body("404.html", buf, sizeof(buf)), "mine");
  CHECK(!site_404()->builtin);

  tar[2 * BLOCK] ^= 1;                                     // 404.html's header
  test_out_reset();
  CHECK(site_load(tar, tarlen, 1) == 1);
  CHECK(test_strstr(body("", buf, sizeof(buf)), "damaged (bad header checksum at byte 1024)") != 0);
  CHECK(test_strstr(test_out, "bad header checksum at byte 1024") != 0);
  CHECK(site_404()->builtin);
  CHECK(site_load(tar + BLOCK, 100, 1) == 0);
  CHECK(test_strstr(body("", buf, sizeof(buf)), "not a tar archive") != 0);
}

static void
test_site_limits(void)
{
  char name[STATIC_NAME_MAX + 2];
  int how;

  start();
  for(int i = 0; i < STATIC_FILES_MAX + 3; i++){
    ksnprintf(name, sizeof(name), "f%d", i);
    file(name, "x");
  }
  kmemset(name, 'a', sizeof(name));
  name[STATIC_NAME_MAX] = 0;
  file(name, "longest");
  finish();
  test_out_reset();
  CHECK(site_load(tar, tarlen, 1) == STATIC_FILES_MAX);
  CHECK(test_strstr(test_out, "more than 256 files") != 0);
  CHECK(site_find("f255", &how) != 0 && site_find("f256", &how) == 0);
  CHECK(site_find("", &how)->builtin && site_404()->builtin);   // still there

  start();
  file(name, "longest");                                   // 100 bytes: taken
  name[STATIC_NAME_MAX] = 'a';
  add(0, "././@LongLink", 'L', name, STATIC_NAME_MAX + 1);
  file("cut", "too long");
  file("a\\b", "backslash");
  file("a//b", "empty part");
  finish();
  test_out_reset();
  CHECK(site_load(tar, tarlen, 1) == 1);
  CHECK(test_strstr(test_out, "over 100 bytes") != 0 && test_strstr(test_out, "backslash") != 0);
  name[STATIC_NAME_MAX] = 0;
  CHECK(site_find(name, &how) != 0);
}

static const u8 *fz_lo, *fz_hi;
static int fz_bad;

// ustar_fn: every file must lie within the archive.
static int
inside(void *ctx, const char *name, u32 n, const u8 *data, u32 len)
{
  (void)ctx;
  (void)name;
  fz_bad |= n > STATIC_LONGNAME * 64 || data < fz_lo || data > fz_hi || len > (u32)(fz_hi - data);
  return 0;
}

// Random damage (bytes flipped, checksums then fixed or not, the end cut
// off): never a file outside the archive, never a crash (run under ASan).
static void
test_ustar_fuzz(void)
{
  static u8 base[16 * BLOCK], copy[16 * BLOCK];
  static const char pax[] = "20 path=x/long.txt\n";
  struct ustar_err err;
  u32 n, len, at;

  start();
  file("a.txt", "aaaa");
  add(0, "pax", 'x', pax, kstrlen(pax));
  file("b.txt", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  add(0, "././@LongLink", 'L', "l/o/n/g", 8);
  file("c.txt", "c");
  n = tarlen;
  kmemcpy(base, tar, n);
  fz_bad = 0;
  for(int i = 0; i < 20000; i++){
    kmemcpy(copy, base, n);
    for(int k = test_rand() % 4; k >= 0; k--){
      at = test_rand() % n;
      copy[at] = test_rand() % 3 ? (u8)test_rand() : copy[at] ^ 0x80;
      if(test_rand() % 2)
        sum(copy + (at & ~(BLOCK - 1)));
    }
    len = test_rand() % 4 ? n : test_rand() % n;
    fz_lo = copy;
    fz_hi = copy + len;
    ustar_read(copy, len, inside, 0, &err);
    site_load(copy, len, 1);
  }
  CHECK(!fz_bad);
}

void
test_ustar(void)
{
  test_ustar_names();
  test_ustar_damage();
  test_site_find();
  test_site_fallback();
  test_site_limits();
  test_ustar_fuzz();
}
