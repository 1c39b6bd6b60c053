// The formatting half of <stdio.h> on the kernel's format() (kernel/format.c):
// integer conversions only (%d %i %u %x %X %p %s %c %%, flags '-' '0', width,
// precision, l ll z); Duktape formats its numbers itself. sscanf reads back
// what these print: %d %u %x %p, whitespace and literal characters.

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "defs.h"

// Format into buf, writing at most n bytes with the NUL; return the untruncated length.
int
vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
  return kvsnprintf(buf, n, fmt, ap);
}

// snprintf: as vsnprintf.
int
snprintf(char *buf, size_t n, const char *fmt, ...)
{
  va_list ap;
  int len;

  va_start(ap, fmt);
  len = kvsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return len;
}

// Format into buf, which the caller promises is large enough.
int
vsprintf(char *buf, const char *fmt, va_list ap)
{
  return kvsnprintf(buf, SIZE_MAX / 2, fmt, ap);
}

// sprintf: as vsprintf.
int
sprintf(char *buf, const char *fmt, ...)
{
  va_list ap;
  int len;

  va_start(ap, fmt);
  len = kvsnprintf(buf, SIZE_MAX / 2, fmt, ap);
  va_end(ap);
  return len;
}

// Is c white space?
static int
scan_space(char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Convert one %c conversion at *s into the next argument; 0 on no match.
static int
scan_one(const char **s, char c, va_list *ap)
{
  char *end;
  unsigned long u;

  while(scan_space(**s))
    (*s)++;
  if(c == 'd'){
    long v = strtol(*s, &end, 10);
    if(end != *s)
      *va_arg(*ap, int *) = (int)v;
  } else {
    u = strtoul(*s, &end, c == 'u' ? 10 : 16);
    if(end == *s)
      return 0;
    if(c == 'p')
      *va_arg(*ap, void **) = (void *)(uintptr_t)u;
    else
      *va_arg(*ap, unsigned *) = (unsigned)u;
  }
  if(end == *s)
    return 0;
  *s = end;
  return 1;
}

// Scan s by fmt; return the number of conversions stored (EOF if s is empty).
int
vsscanf(const char *s, const char *fmt, va_list ap)
{
  va_list aq;
  int n = 0;

  if(*s == 0)
    return EOF;
  va_copy(aq, ap);
  for(; *fmt; fmt++){
    if(scan_space(*fmt)){
      while(scan_space(*s))
        s++;
    } else if(*fmt != '%' || *++fmt == '%'){
      if(*s != *fmt)
        break;
      s++;
    } else if((*fmt == 'd' || *fmt == 'u' || *fmt == 'x' || *fmt == 'p') && scan_one(&s, *fmt, &aq))
      n++;
    else
      break;
  }
  va_end(aq);
  return n;
}

// sscanf: as vsscanf.
int
sscanf(const char *s, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsscanf(s, fmt, ap);
  va_end(ap);
  return n;
}
