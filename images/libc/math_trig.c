// sin, cos, tan: reduce x to r = x - n*pi/2 as a double-double, |r| <= ~pi/4,
// then Taylor kernels on r. Below 2^20*pi/2 the reduction subtracts n times
// pi/2 cut into 33-bit pieces (each product exact); above, it multiplies the
// significand by the bits of 2/pi it needs (Payne-Hanek), so sin(1e300) is
// right to the last bit.

#include <math.h>
#include <stdint.h>
#include "mathdd.h"

#define EXP(u) ((int)((u) >> 52 & 0x7ff))
#define MANT   0x000fffffffffffffull

static const double INVPIO2 = 0x1.45f306dc9c883p-1;
static const double P1 = 0x1.921fb54400000p+0;       // pi/2 = P1+P2+P3+P4
static const double P2 = 0x1.0b4611a600000p-34;
static const double P3 = 0x1.3198a2e000000p-69;
static const double P4 = 0x1.b839a252049c1p-104;
static const dd PIO2 = { 0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54 };

// 2/pi in 32-bit words: 2/pi = sum TWO_OVER_PI[i] * 2^(-32(i+1)).
static const uint32_t TWO_OVER_PI[40] = {
  0xa2f9836e, 0x4e441529, 0xfc2757d1, 0xf534ddc0, 0xdb629599, 0x3c439041,
  0xfe5163ab, 0xdebbc561, 0xb7246e3a, 0x424dd2e0, 0x06492eea, 0x09d1921c,
  0xfe1deb1c, 0xb129a73e, 0xe88235f5, 0x2ebb4484, 0xe99c7026, 0xb45f7e41,
  0x3991d639, 0x835339f4, 0x9c845f8b, 0xbdf9283b, 0x1ff897ff, 0xde05980f,
  0xef2f118b, 0x5a0a6d1f, 0x6d367ecf, 0x27cb09b7, 0x4f463f66, 0x9e5fea2d,
  0x7527bac7, 0xebe5f17b, 0x3d0739f7, 0x8a5292ea, 0x6bfb5fb1, 0x1f8d5d08,
  0x56033046, 0xfc7b6bab, 0xf0cfbc20, 0x9af4361d,
};

// (-1)^n/(2n+1)! for n = 1..8: sin r = r + r^3 * S(r^2).
static const double SINC[] = {
  -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
  1.0 / 6227020800, -1.0 / 1307674368000, 1.0 / 355687428096000,
};

// (-1)^n/(2n)! for n = 2..9: cos r = 1 - r^2/2 + r^4 * C(r^2).
static const double COSC[] = {
  1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
  -1.0 / 87178291200, 1.0 / 20922789888000, -1.0 / 6402373705728000,
};

#define NSIN ((int)(sizeof(SINC) / sizeof(SINC[0])))
#define NCOS ((int)(sizeof(COSC) / sizeof(COSC[0])))
#define WORDS 7                      // words of 2/pi per product
#define FRAC 5                       // words of the product's fraction kept

// Bits [pos, pos+32) of the little-endian number p[0..n), zero outside it.
static uint32_t
bits32(const uint32_t *p, int n, int pos)
{
  uint64_t w = 0;
  int i = pos >> 5, s = pos & 31;    // pos >> 5 floors for negative pos

  if(i >= 0 && i < n)
    w = p[i];
  if(i + 1 >= 0 && i + 1 < n)
    w |= (uint64_t)p[i + 1] << 32;
  return (uint32_t)(w >> s);
}

// p = m * (words i0 .. i0+WORDS-1 of 2/pi), little-endian in WORDS+2 limbs.
static void
mul_words(uint64_t m, int i0, uint32_t *p)
{
  for(int j = 0; j < WORDS + 2; j++)
    p[j] = 0;
  for(int j = 0; j < WORDS; j++){
    uint64_t wd = TWO_OVER_PI[i0 + WORDS - 1 - j], c;
    c = wd * (uint32_t)m + p[j];
    p[j] = (uint32_t)c;
    c = wd * (uint32_t)(m >> 32) + p[j + 1] + (c >> 32);
    p[j + 1] = (uint32_t)c;
    p[j + 2] += (uint32_t)(c >> 32);
  }
}

// n and r with |x| = n*pi/2 + r, for huge |x| (>= 2^20): the product of the
// significand and the words of 2/pi that matter modulo 4 (Payne-Hanek).
static int
reduce_big(double x, dd *r)
{
  uint64_t u = dbits(x), m = (u & MANT) | (MANT + 1);
  int e = EXP(u) - 1075, i0 = e >= 2 ? (e - 2) / 32 : 0, f, n;
  uint32_t p[WORDS + 2], w[FRAC];
  double fr;
  dd acc;

  mul_words(m, i0, p);
  f = 32 * (i0 + WORDS) - e;         // p has f fraction bits
  n = bits32(p, WORDS + 2, f) & 3;
  for(int i = 0; i < FRAC; i++)
    w[i] = bits32(p, WORDS + 2, f - 32 * (i + 1));
  fr = w[0] * 0x1p-32;
  if(w[0] >> 31){                    // fraction >= 1/2: round n up
    fr -= 1;
    n++;
  }
  acc = (dd){ fr, 0 };
  for(int i = 1; i < FRAC; i++)
    acc = dd_add_d(acc, math_scale(w[i], -32 * (i + 1)));
  *r = dd_mul(acc, PIO2);
  return n;
}

// n (mod 4) and r = x - n*pi/2 as a double-double; x finite.
static int
reduce(double x, dd *r)
{
  double fn;
  int n;

  if(fabs(x) <= 0x1.921fb54442d18p-1){
    *r = (dd){ x, 0 };
    return 0;
  }
  if(fabs(x) < 0x1p20 * P1){
    fn = floor(x * INVPIO2 + 0.5);
    *r = (dd){ x - fn * P1, 0 };     // exact
    *r = dd_add_d(*r, -fn * P2);
    *r = dd_add_d(*r, -fn * P3);
    *r = dd_add_d(*r, -fn * P4);
    n = (int)fn;
    return n & 3;
  }
  n = reduce_big(fabs(x), r);
  if(x < 0){
    *r = (dd){ -r->hi, -r->lo };
    n = -n;
  }
  return n & 3;
}

// sin r for |r| <= ~pi/4, as a double-double.
static dd
sin_k(dd r)
{
  double z = r.hi * r.hi;

  return fast_two_sum(r.hi, r.hi * z * poly(z, SINC, NSIN) + r.lo * (1 - 0.5 * z));
}

// cos r for |r| <= ~pi/4, as a double-double.
static dd
cos_k(dd r)
{
  dd z = two_prod(r.hi, r.hi);
  double hz = 0.5 * z.hi, w = 1 - hz;

  return fast_two_sum(w, ((1 - w) - hz) - 0.5 * z.lo +
                         (z.hi * z.hi * poly(z.hi, COSC, NCOS) - r.hi * r.lo));
}

// sin x.
double
sin(double x)
{
  dd r, s;
  int n;

  if(isnan(x) || isinf(x))
    return x - x;
  if(fabs(x) < 0x1p-27)
    return x;
  n = reduce(x, &r);
  s = n & 1 ? cos_k(r) : sin_k(r);
  return n & 2 ? -(s.hi + s.lo) : s.hi + s.lo;
}

// cos x.
double
cos(double x)
{
  dd r, c;
  int n;

  if(isnan(x) || isinf(x))
    return x - x;
  n = reduce(x, &r);
  c = n & 1 ? sin_k(r) : cos_k(r);
  return (n + 1) & 2 ? -(c.hi + c.lo) : c.hi + c.lo;
}

// tan x: sin r / cos r, or -cos r / sin r for odd n, divided as double-doubles.
double
tan(double x)
{
  dd r, t;
  int n;

  if(isnan(x) || isinf(x))
    return x - x;
  if(fabs(x) < 0x1p-27)
    return x;
  n = reduce(x, &r);
  if(n & 1){
    t = dd_div(cos_k(r), sin_k(r));
    return -(t.hi + t.lo);
  }
  t = dd_div(sin_k(r), cos_k(r));
  return t.hi + t.lo;
}
