// Private to the math files: bit access and double-double arithmetic (a value
// carried as an unevaluated sum hi + lo, |lo| <= ulp(hi)/2), which gives the
// kernels ~100 bits where one double's rounding would cost an ulp. Assumes
// every operation rounds to double: SSE2, or the x87 in double precision
// (kernel/x86.h fpu_init).

#ifndef MATHDD_H
#define MATHDD_H

#include <stdint.h>

typedef struct {
  double hi, lo;
} dd;

// The bits of x.
static inline uint64_t
dbits(double x)
{
  union { double d; uint64_t u; } v = { x };
  return v.u;
}

// The double with bits u.
static inline double
dfrom(uint64_t u)
{
  union { uint64_t u; double d; } v = { u };
  return v.d;
}

// a + b exactly, for |a| >= |b| (or a == 0).
static inline dd
fast_two_sum(double a, double b)
{
  double s = a + b;
  return (dd){ s, b - (s - a) };
}

// a + b exactly, in any order.
static inline dd
two_sum(double a, double b)
{
  double s = a + b, bb = s - a;
  return (dd){ s, (a - (s - bb)) + (b - bb) };
}

// a * b exactly (Dekker; |a|, |b| < 2^995 so the split cannot overflow).
static inline dd
two_prod(double a, double b)
{
  double ca = 134217729.0 * a, cb = 134217729.0 * b;   // 2^27 + 1
  double ah = ca - (ca - a), al = a - ah;
  double bh = cb - (cb - b), bl = b - bh;
  double p = a * b;
  return (dd){ p, ((ah * bh - p) + ah * bl + al * bh) + al * bl };
}

// a + b.
static inline dd
dd_add(dd a, dd b)
{
  dd s = two_sum(a.hi, b.hi);
  return fast_two_sum(s.hi, s.lo + a.lo + b.lo);
}

// a + b for a plain double b.
static inline dd
dd_add_d(dd a, double b)
{
  dd s = two_sum(a.hi, b);
  return fast_two_sum(s.hi, s.lo + a.lo);
}

// a * b.
static inline dd
dd_mul(dd a, dd b)
{
  dd p = two_prod(a.hi, b.hi);
  return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

// a * b for a plain double b.
static inline dd
dd_mul_d(dd a, double b)
{
  dd p = two_prod(a.hi, b);
  return fast_two_sum(p.hi, p.lo + a.lo * b);
}

// n / d, to ~2^-104 relative.
static inline dd
dd_div(dd n, dd d)
{
  double q = n.hi / d.hi;
  dd p = two_prod(q, d.hi);
  double r = ((n.hi - p.hi) - p.lo + n.lo - q * d.lo) / d.hi;
  return fast_two_sum(q, r);
}

// Evaluate c[0] + z*c[1] + ... + z^(n-1)*c[n-1] (Horner).
static inline double
poly(double z, const double *c, int n)
{
  double p = c[n - 1];

  for(int i = n - 2; i >= 0; i--)
    p = p * z + c[i];
  return p;
}

// x * 2^n, rounding once (math.c).
double math_scale(double x, int n);

#endif
