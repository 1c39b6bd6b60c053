// Request paths to site file names: percent-decoded, split into segments,
// "." and empty segments dropped. Anything that could name a file outside
// the site, or a different one than it seems to, is refused: ".."
// segments (also encoded), backslashes, encoded slashes, NUL and other
// control bytes, and malformed escapes.

#include "tabcloud.h"
#include "static.h"

// The value of hex digit c, or -1.
static int
path_hex(int c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Decode the next byte of path at *p (a percent escape or a plain byte)
// and advance; -1 if it is malformed or forbidden in a name.
static int
path_byte(const char **p, int *encoded)
{
  const char *s = *p;
  int c = (u8)*s, hi, lo;

  *encoded = c == '%';
  if(c == '%'){
    if((hi = path_hex(s[1])) < 0 || (lo = path_hex(s[2])) < 0)
      return -1;
    c = hi << 4 | lo;
    s += 2;
  }
  *p = s + 1;
  if(c < ' ' || c == 0x7F || c == '\\' || (c == '/' && *encoded))
    return -1;
  return c;
}

// End the segment name[start..*n): drop it if empty or ".", refuse "..".
// 0, or PATH_BAD.
static int
path_segment(char *name, u32 start, u32 *n)
{
  u32 len = *n - start;

  if(len == 2 && name[start] == '.' && name[start + 1] == '.')
    return PATH_BAD;
  if(len == 0 || (len == 1 && name[start] == '.'))
    *n = start;
  else
    name[(*n)++] = '/';
  return 0;
}

// Resolve the request path (starting with '/', no query) into name (max
// bytes with the NUL; STATIC_NAME_MAX + 2 fits every site path): its
// segments joined by '/', no leading '/', a trailing '/' if the path
// names a directory ("" for the root). The name's length, PATH_BAD
// (refuse: 400) or PATH_LONG (no such file: 404).
int
path_resolve(const char *path, char *name, u32 max)
{
  u32 n = 0, start = 0;
  int c, encoded;

  if(*path != '/')
    return PATH_BAD;
  while(*path){
    if(*path == '/'){
      path++;
      if(path_segment(name, start, &n) < 0)
        return PATH_BAD;
      start = n;
      continue;
    }
    if((c = path_byte(&path, &encoded)) < 0)
      return PATH_BAD;
    if(n + 2 >= max)                    // room for a '/' and the NUL
      return PATH_LONG;
    name[n++] = (char)c;
  }
  if(path_segment(name, start, &n) < 0)
    return PATH_BAD;
  if(n > start)
    n--;                                // it ends in a file's name: no '/'
  name[n] = 0;
  return (int)n;
}
