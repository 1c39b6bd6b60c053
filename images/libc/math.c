// The exact <math.h> functions: fabs floor ceil trunc fmod sqrt, and cbrt,
// by bit manipulation and integer arithmetic (no rounding anywhere but cbrt).
// Special cases per C99 Annex F.

#include <math.h>
#include <stdint.h>
#include "mathdd.h"

#define EXP(u)   ((int)((u) >> 52 & 0x7ff))
#define MANT     0x000fffffffffffffull
#define SIGN     0x8000000000000000ull

// |x|.
double
fabs(double x)
{
  return dfrom(dbits(x) & ~SIGN);
}

// x rounded toward zero.
double
trunc(double x)
{
  uint64_t u = dbits(x);
  int e = EXP(u) - 1023;

  if(e >= 52)
    return x;                        // integral already, or inf or NaN
  if(e < 0)
    return dfrom(u & SIGN);
  return dfrom(u & ~(MANT >> e));
}

// The largest integer not above x.
double
floor(double x)
{
  double t = trunc(x);

  return (x < 0 && t != x) ? t - 1 : t;
}

// The smallest integer not below x.
double
ceil(double x)
{
  double t = trunc(x);

  return (x > 0 && t != x) ? t + 1 : t;
}

// x * 2^n, rounding once (into the subnormals too).
double
math_scale(double x, int n)
{
  for(; n > 1023; n -= 1023){
    x *= 0x1p1023;
    if(n > 3000)
      n = 3000;
  }
  for(; n < -1022; n += 1022 - 53){
    x *= 0x1p-1022 * 0x1p53;         // stays normal: the last step rounds once
    if(n < -3000)
      n = -3000;
  }
  return x * dfrom((uint64_t)(n + 1023) << 52);
}

// The integer significand of finite nonzero |x| and its exponent: |x| = *m * 2^e.
static int
fmod_split(uint64_t u, uint64_t *m)
{
  int e = EXP(u);

  *m = u & MANT;
  if(e == 0){                        // subnormal: normalize
    int s = __builtin_clzll(*m) - 11;
    *m <<= s;
    return 1 - s - 1075;
  }
  *m |= MANT + 1;
  return e - 1075;
}

// x - n*y for the integer n that truncates x/y; exact.
double
fmod(double x, double y)
{
  uint64_t ux = dbits(x), uy = dbits(y), mx, my;
  int ex, ey;

  if(isnan(x) || isnan(y) || isinf(x) || y == 0)
    return (x * y) / (x * y);        // NaN
  if(isinf(y) || fabs(x) < fabs(y))
    return x;
  ex = fmod_split(ux, &mx);
  ey = fmod_split(uy, &my);
  for(; ex > ey; ex--){              // long division, one bit at a time
    if(mx >= my)
      mx -= my;
    mx <<= 1;
  }
  if(mx >= my)
    mx -= my;
  return (ux & SIGN) ? -math_scale((double)mx, ey) : math_scale((double)mx, ey);
}

// The correctly rounded square root (the hardware's).
double
sqrt(double x)
{
  double r;

#if defined(__SSE2__)
  __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
#else
  __asm__("fsqrt" : "=t"(r) : "0"(x));
#endif
  return r;
}

// The real cube root; exact cubes come out exact.
double
cbrt(double x)
{
  uint64_t u = dbits(x);
  int e = EXP(u), q, r;
  double a, y, y3;
  dd s;

  if(e == 0x7ff || x == 0)
    return x + x;
  a = fabs(x);
  e = e == 0 ? (a *= 0x1p54, EXP(dbits(a)) - 1023 - 54) : e - 1023;
  q = e >= 0 ? e / 3 : -((-e + 2) / 3);
  r = e - 3 * q;                     // 0, 1 or 2
  a = dfrom((dbits(a) & MANT) | (uint64_t)(1023 + r) << 52);   // in [1, 8)
  y = 0.74 + 0.2745 * a - 0.01463 * a * a;   // within 3% of a^(1/3) on [1, 8)
  for(int i = 0; i < 3; i++){        // Halley: the error cubes each step
    y3 = y * y * y;
    y = y * (y3 + 2 * a) / (2 * y3 + a);
  }
  s = dd_mul_d(two_prod(y, y), y);   // one Newton step on the exact residual
  y += ((a - s.hi) - s.lo) / (3 * y * y);
  y = math_scale(y, q);
  return x < 0 ? -y : y;
}
