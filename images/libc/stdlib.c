// The small parts of <stdlib.h>: abort and integer parsing.

#include <limits.h>
#include <stdlib.h>
#include "defs.h"

// Stop: a libc user that aborts has broken an invariant.
void
abort(void)
{
  panic("abort");
}

// |v| (undefined for INT_MIN, as in C).
int
abs(int v)
{
  return v < 0 ? -v : v;
}

// |v| (undefined for LONG_MIN, as in C).
long
labs(long v)
{
  return v < 0 ? -v : v;
}

// The value of digit c in base, or -1.
static int
digit(char c, int base)
{
  int d = -1;

  if(c >= '0' && c <= '9')
    d = c - '0';
  else if(c >= 'a' && c <= 'z')
    d = c - 'a' + 10;
  else if(c >= 'A' && c <= 'Z')
    d = c - 'A' + 10;
  return d < base ? d : -1;
}

// Parse space, sign, base prefix and digits; *neg gets the sign, *ovf whether
// the magnitude passed lim. Returns the magnitude (saturated at lim).
static unsigned long
parse(const char *s, char **end, int base, int *neg, unsigned long lim, int *ovf)
{
  const char *p = s, *digits;
  unsigned long v = 0;
  int d;

  while(*p == ' ' || (*p >= '\t' && *p <= '\r'))
    p++;
  *neg = *p == '-';
  if(*p == '-' || *p == '+')
    p++;
  if((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit(p[2], 16) >= 0){
    p += 2;
    base = 16;
  } else if(base == 0)
    base = p[0] == '0' ? 8 : 10;
  *ovf = 0;
  for(digits = p; (d = digit(*p, base)) >= 0; p++){
    if(v > (lim - d) / base)
      *ovf = 1;
    v = *ovf ? lim : v * base + d;
  }
  if(end)
    *end = (char *)(p == digits ? s : p);
  return v;
}

// strtol: saturates at LONG_MIN/LONG_MAX on overflow (no errno here).
long
strtol(const char *s, char **end, int base)
{
  int neg, ovf;
  unsigned long v = parse(s, end, base, &neg, (unsigned long)LONG_MAX + 1, &ovf);

  if(!neg && v > LONG_MAX)
    return LONG_MAX;
  return neg ? (long)(0 - v) : (long)v;
}

// strtoul: saturates at ULONG_MAX on overflow; a '-' negates, as in C.
unsigned long
strtoul(const char *s, char **end, int base)
{
  int neg, ovf;
  unsigned long v = parse(s, end, base, &neg, ULONG_MAX, &ovf);

  return ovf ? ULONG_MAX : neg ? 0 - v : v;
}

// atoi: strtol in base 10.
int
atoi(const char *s)
{
  return (int)strtol(s, 0, 10);
}
