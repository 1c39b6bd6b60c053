// The <string.h> functions the kernel (kernel/string.c) does not have.

#include <stddef.h>
#include <string.h>

// The first byte equal to (unsigned char)c in s[0..n), or null.
void *
memchr(const void *s, int c, size_t n)
{
  const unsigned char *p = s;

  for(; n > 0; n--, p++)
    if(*p == (unsigned char)c)
      return (void *)p;
  return 0;
}

// strlen, but at most max.
size_t
strnlen(const char *s, size_t max)
{
  size_t n = 0;

  while(n < max && s[n])
    n++;
  return n;
}

// The last occurrence of (char)c in s (the NUL counts), or null.
char *
strrchr(const char *s, int c)
{
  const char *last = 0;

  do {
    if(*s == (char)c)
      last = s;
  } while(*s++);
  return (char *)last;
}

// The first occurrence of n in h (h itself if n is empty), or null.
char *
strstr(const char *h, const char *n)
{
  size_t len = strlen(n);

  if(len == 0)
    return (char *)h;
  for(; *h; h++)
    if(*h == *n && strncmp(h, n, len) == 0)
      return (char *)h;
  return 0;
}
