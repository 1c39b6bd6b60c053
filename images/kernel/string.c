// The C string and memory functions the kernel uses. clang may emit calls to
// memcpy, memmove and memset on its own, so these must exist. Host-tested
// under renamed symbols (see the Makefile's test target). Copies and fills
// use the string instructions: a byte loop costs v86 ~0.2 us a byte.

#include "types.h"
#include "defs.h"
#include "x86.h"

// Copy n bytes; the regions must not overlap.
void *
memcpy(void *dst, const void *src, size_t n)
{
  rep_movsb(dst, src, n);
  return dst;
}

// Copy n bytes; the regions may overlap.
void *
memmove(void *dst, const void *src, size_t n)
{
  u8 *d = dst;
  const u8 *s = src;

  if(s < d && s + n > d){       // overlap with dst above src: copy backwards
    d += n;
    s += n;
    while(n-- > 0)
      *--d = *--s;
  } else
    rep_movsb(d, s, n);
  return dst;
}

// Fill n bytes with (u8)c.
void *
memset(void *dst, int c, size_t n)
{
  rep_stosb(dst, (u8)c, n);
  return dst;
}

// Compare n bytes as unsigned chars: <0, 0 or >0.
int
memcmp(const void *a, const void *b, size_t n)
{
  const u8 *p = a, *q = b;

  for(; n > 0; n--, p++, q++)
    if(*p != *q)
      return *p - *q;
  return 0;
}

// Length of s, not counting the NUL.
size_t
strlen(const char *s)
{
  size_t n = 0;

  while(s[n])
    n++;
  return n;
}

// Compare two strings as unsigned chars: <0, 0 or >0.
int
strcmp(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return (u8)*a - (u8)*b;
}

// Compare at most n characters of two strings.
int
strncmp(const char *a, const char *b, size_t n)
{
  for(; n > 0; n--, a++, b++){
    if(*a != *b)
      return (u8)*a - (u8)*b;
    if(*a == 0)
      return 0;
  }
  return 0;
}

// First occurrence of (char)c in s (the NUL counts), or null.
char *
strchr(const char *s, int c)
{
  for(;; s++){
    if(*s == (char)c)
      return (char *)s;
    if(*s == 0)
      return 0;
  }
}
