// exp, log, log2, log10 and pow. Both directions go through double-double
// kernels: log as ~100 bits, so pow's y*log(x) keeps its low bits; exp of a
// double-double, reduced by multiples of ln 2 and summed as a Taylor series.
// Special cases per C99 Annex F.

#include <math.h>
#include <stdint.h>
#include "mathdd.h"

#define EXP(u) ((int)((u) >> 52 & 0x7ff))
#define MANT   0x000fffffffffffffull

static const double LN2HI = 0x1.62e42fefa3800p-1;    // 42 bits: k*LN2HI is exact
static const double LN2LO = 0x1.ef35793c76730p-45;
static const dd INVLN2 = { 0x1.71547652b82fep+0, 0x1.777d0ffda0d24p-56 };
static const dd INVLN10 = { 0x1.bcb7b1526e50ep-2, 0x1.95355baaafad3p-57 };
static const dd THIRD = { 0x1.5555555555555p-2, 0x1.5555555555555p-56 };
static const dd FIFTH = { 0x1.999999999999ap-3, -0x1.999999999999ap-57 };

// 1/n! for n = 2..14: e^r = 1 + r + r^2 * sum(r^(n-2)/n!), |r| <= ln2/2.
static const double EXPC[] = {
  1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
  1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
  1.0 / 6227020800, 1.0 / 87178291200,
};

// 1/(2j+7) for j = 0..11: the tail of atanh's series after s^5.
static const double LOGT[] = {
  1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17, 1.0 / 19,
  1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29,
};

// e^(hi+lo) for |hi| < 746: 2^k * (e^r as a double-double), r = hi+lo - k ln2.
static double
exp_dd(double hi, double lo)
{
  double fk, q;
  dd r, s;

  if(hi > 709.8)
    return INFINITY;
  if(hi < -745.2)
    return 0;
  fk = floor(hi * INVLN2.hi + 0.5);
  r = two_sum(hi - fk * LN2HI, lo - fk * LN2LO);   // the first difference is exact
  r = fast_two_sum(r.hi, r.lo);
  q = r.hi * r.hi * poly(r.hi, EXPC, (int)(sizeof(EXPC) / sizeof(EXPC[0])));
  s = two_sum(1, r.hi);
  s = fast_two_sum(s.hi, s.lo + (q + r.lo * (1 + r.hi)));
  return math_scale(s.hi + s.lo, (int)fk);
}

// e^x.
double
exp(double x)
{
  if(isnan(x))
    return x + x;
  return exp_dd(x, 0);
}

// ln m for x = m * 2^k, m in [sqrt(1/2), sqrt(2)): 2 atanh(s), s = (m-1)/(m+1).
// x is positive and finite.
static dd
log_m(double x, int *k)
{
  uint64_t u = dbits(x);
  double m, f, t;
  dd s, z, p;

  *k = 0;
  if(EXP(u) == 0){                   // subnormal
    u = dbits(x * 0x1p54);
    *k = -54;
  }
  *k += EXP(u) - 1023;
  m = dfrom((u & MANT) | 0x3ffull << 52);
  if(m > 0x1.6a09e667f3bcdp+0){      // sqrt(2)
    m *= 0.5;
    (*k)++;
  }
  f = m - 1;                         // exact
  s = dd_div((dd){ f, 0 }, two_sum(2, f));
  z = dd_mul(s, s);
  t = poly(z.hi, LOGT, (int)(sizeof(LOGT) / sizeof(LOGT[0])));
  p = dd_add(FIFTH, dd_mul_d(z, t));
  p = dd_add(THIRD, dd_mul(z, p));
  p = dd_add_d(dd_mul(z, p), 1);
  p = dd_mul(s, p);
  return (dd){ 2 * p.hi, 2 * p.lo };
}

// ln x as a double-double, for positive finite x.
static dd
log_dd(double x)
{
  int k;
  dd l = log_m(x, &k), r;

  r = two_sum(k * LN2HI, l.hi);
  return fast_two_sum(r.hi, r.lo + (l.lo + k * LN2LO));
}

// The result of a log for x outside (0, inf), or 0 when x is in it.
static int
log_special(double x, double *r)
{
  if(isnan(x) || x < 0)
    *r = (x - x) / (x - x);          // NaN
  else if(x == 0)
    *r = -INFINITY;
  else if(isinf(x))
    *r = x;
  else
    return 0;
  return 1;
}

// ln x.
double
log(double x)
{
  double r;
  dd l;

  if(log_special(x, &r))
    return r;
  l = log_dd(x);
  return l.hi + l.lo;
}

// log2 x; exact for powers of two.
double
log2(double x)
{
  double r;
  int k;
  dd l;

  if(log_special(x, &r))
    return r;
  l = dd_mul(log_m(x, &k), INVLN2);
  l = dd_add_d(l, k);
  return l.hi + l.lo;
}

// log10 x.
double
log10(double x)
{
  double r;
  dd l;

  if(log_special(x, &r))
    return r;
  l = dd_mul(log_dd(x), INVLN10);
  return l.hi + l.lo;
}

// 1 if y is an odd integer, 2 if an even one, 0 if not an integer (y finite).
static int
int_kind(double y)
{
  if(trunc(y) != y)
    return 0;
  return fmod(y, 2) != 0 ? 1 : 2;
}

// x^y for finite positive x and finite nonzero y.
static double
pow_pos(double x, double y)
{
  dd l = log_dd(x), p;

  if(l.hi == 0)                      // x == 1: y may be too large to split
    return 1;
  p.hi = y * l.hi;
  if(fabs(p.hi) > 800)               // far beyond overflow or underflow
    return p.hi > 0 ? INFINITY : 0;
  p = two_prod(y, l.hi);
  p = fast_two_sum(p.hi, p.lo + y * l.lo);
  return exp_dd(p.hi, p.lo);
}

// x^y, with every special case of C99 F.9.4.4.
double
pow(double x, double y)
{
  double ax = fabs(x), r;
  int yk;

  if(y == 0 || x == 1)
    return 1;
  if(isnan(x) || isnan(y))
    return x + y;
  if(isinf(y))
    return ax == 1 ? 1 : (ax < 1) == (y < 0) ? INFINITY : 0;
  yk = int_kind(y);
  if(x == 0 || isinf(x)){
    r = (x == 0) == (y < 0) ? INFINITY : 0;
    return signbit(x) && yk == 1 ? -r : r;
  }
  if(x < 0 && yk == 0)
    return (x - x) / (x - x);        // NaN
  r = pow_pos(ax, y);
  return x < 0 && yk == 1 ? -r : r;
}
