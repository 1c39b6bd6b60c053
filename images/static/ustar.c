// A tar archive reader (POSIX ustar, GNU and pax long names), in place:
// every header is checked (checksum, octal size, data within the archive)
// before its file is handed on, so a damaged archive yields the files
// before the damage and a reason, never a read out of bounds.

#include "tabcloud.h"
#include "static.h"

#define BLOCK     512
#define H_NAME    0        // header fields: offset (and width)
#define H_SIZE    124      // 12, octal
#define H_CHKSUM  148      // 8, octal
#define H_TYPE    156
#define H_MAGIC   257      // "ustar\0" (POSIX) or "ustar " (GNU)
#define H_PREFIX  345      // 155, POSIX only

struct lname {             // a long name for the next entry
  char s[STATIC_LONGNAME];
  u32 n;                   // its full length (may exceed what s holds); 0 if none
};

// Fail with msg about byte at; -1.
static int
ustar_fail(struct ustar_err *err, u32 at, const char *msg)
{
  err->at = at;
  err->msg = msg;
  return -1;
}

// Length of the NUL-padded field f of width w.
static u32
ustar_field_len(const u8 *f, u32 w)
{
  u32 n = 0;

  while(n < w && f[n])
    n++;
  return n;
}

// Read the octal field f of width w (leading spaces, then digits ended by
// NUL, space or the width) into *v. 0, or -1 if malformed or over 32 bits.
static int
ustar_octal(const u8 *f, u32 w, u32 *v)
{
  u64 x = 0;
  u32 i = 0;

  while(i < w && f[i] == ' ')
    i++;
  if(i == w || f[i] < '0' || f[i] > '7')
    return -1;
  for(; i < w && f[i] >= '0' && f[i] <= '7'; i++)
    if((x = x * 8 + (f[i] - '0')) > 0xFFFFFFFFu)
      return -1;
  if(i < w && f[i] != 0 && f[i] != ' ')
    return -1;
  *v = (u32)x;
  return 0;
}

// Is the header block h all zeros (the end of the archive)?
static int
ustar_zero(const u8 *h, u32 n)
{
  for(u32 i = 0; i < n; i++)
    if(h[i])
      return 0;
  return 1;
}

// Does h's checksum field hold the sum of its bytes, the field counted as
// spaces? (Unsigned, or signed as some old tars summed.)
static int
ustar_sum_ok(const u8 *h)
{
  u32 want, sum = 0;
  i32 ssum = 0;
  u8 c;

  if(ustar_octal(h + H_CHKSUM, 8, &want) < 0)
    return 0;
  for(u32 i = 0; i < BLOCK; i++){
    c = i >= H_CHKSUM && i < H_CHKSUM + 8 ? ' ' : h[i];
    sum += c;
    ssum += (signed char)c;
  }
  return want == sum || want == (u32)ssum;
}

// Keep the name s[0..n) (n may exceed what fits) for the next entry.
static void
ustar_lname(struct lname *l, const char *s, u32 n)
{
  while(n > 0 && s[n - 1] == 0)
    n--;
  memcpy(l->s, s, n < sizeof(l->s) ? n : sizeof(l->s));
  l->n = n;
}

// A pax extended header's records ("<len> <key>=<value>\n"): keep path.
static void
ustar_pax(struct lname *l, const u8 *p, u32 n)
{
  u32 len, i;

  while(n > 0){
    for(len = i = 0; i < n && p[i] >= '0' && p[i] <= '9' && len < BLOCK * 64; i++)
      len = len * 10 + (p[i] - '0');
    if(i == 0 || i >= n || p[i] != ' ' || len <= i + 1 || len > n || p[len - 1] != '\n')
      return;                           // malformed: ignore the rest
    if(len - i - 1 > 5 && memcmp(p + i + 1, "path=", 5) == 0)
      ustar_lname(l, (const char *)p + i + 6, len - i - 7);
    p += len;
    n -= len;
  }
}

// The name of header h into out (room for STATIC_LONGNAME): POSIX
// prefix "/" name, or name. Its length.
static u32
ustar_name(const u8 *h, char *out)
{
  u32 n = 0, k;

  if(memcmp(h + H_MAGIC, "ustar", 6) == 0 && h[H_PREFIX]){   // with the NUL: POSIX
    n = ustar_field_len(h + H_PREFIX, 155);
    memcpy(out, h + H_PREFIX, n);
    out[n++] = '/';
  }
  k = ustar_field_len(h + H_NAME, 100);
  memcpy(out + n, h + H_NAME, k);
  return n + k;
}

// One entry with header h and data d[0..size): regular files go to fn,
// long names are kept for the entry after; the rest is skipped. fn's answer.
static int
ustar_entry(const u8 *h, const u8 *d, u32 size, struct lname *l, ustar_fn fn, void *ctx)
{
  char name[STATIC_LONGNAME];
  u32 nlen;
  int type = h[H_TYPE], r = 0;

  if(type == 'L' || type == 'x'){
    l->n = 0;
    if(type == 'L')
      ustar_lname(l, (const char *)d, size);
    else
      ustar_pax(l, d, size);
    return 0;
  }
  if(type == '0' || type == 0 || type == '7'){
    if(l->n)
      r = fn(ctx, l->s, l->n, d, size);
    else {
      nlen = ustar_name(h, name);
      r = fn(ctx, name, nlen, d, size);
    }
  }
  l->n = 0;
  return r;
}

// Read the archive p[0..n): fn gets each regular file, in order, until it
// returns -1. 0 at the end of the archive (two zero blocks, one, or none);
// -1 with err set at the first damage, after the files before it.
int
ustar_read(const u8 *p, u32 n, ustar_fn fn, void *ctx, struct ustar_err *err)
{
  struct lname l;
  u32 off = 0, size;
  const u8 *h;

  l.n = 0;
  for(; off < n; off += BLOCK + ((size + BLOCK - 1) & ~(BLOCK - 1))){
    h = p + off;
    if(n - off < BLOCK)
      return ustar_zero(h, n - off) ? 0 : ustar_fail(err, off, "cut short inside a header");
    if(ustar_zero(h, BLOCK))
      return 0;
    if(!ustar_sum_ok(h))
      return ustar_fail(err, off, "bad header checksum");
    if(ustar_octal(h + H_SIZE, 12, &size) < 0)
      return ustar_fail(err, off, "bad size field");
    if(size > n - off - BLOCK)
      return ustar_fail(err, off, "cut short inside a file's data");
    if(ustar_entry(h, h + BLOCK, size, &l, fn, ctx) < 0)
      return 0;
  }
  return 0;
}
