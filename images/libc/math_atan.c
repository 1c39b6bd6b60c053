// atan, atan2, asin, acos. atan reduces x >= 0 against c in {0, 1/2, 1, 3/2,
// inf} with atan x = atan c + atan((x-c)/(1+cx)), asin above 1/2 uses
// asin x = pi/2 - 2 asin(sqrt((1-x)/2)); the reduced arguments are carried as
// double-doubles into Taylor kernels. Special cases per C99 Annex F.

#include <math.h>
#include <stdint.h>
#include "mathdd.h"

#define EXP(u) ((int)((u) >> 52 & 0x7ff))

static const dd PIO2 = { 0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54 };
static const dd PI = { 0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53 };
static const dd PIO4 = { 0x1.921fb54442d18p-1, 0x1.1a62633145c07p-55 };
static const dd ATAN05 = { 0x1.dac670561bb4fp-2, 0x1.a2b7f222f65e2p-56 };   // atan(1/2)
static const dd ATAN15 = { 0x1.f730bd281f69bp-1, 0x1.007887af0cbbdp-56 };   // atan(3/2)

// (-1)^n/(2n+1) for n = 1..22: atan t = t + t^3 * A(t^2), |t| <= 7/16.
static const double ATANC[] = {
  -1.0 / 3, 1.0 / 5, -1.0 / 7, 1.0 / 9, -1.0 / 11, 1.0 / 13, -1.0 / 15,
  1.0 / 17, -1.0 / 19, 1.0 / 21, -1.0 / 23, 1.0 / 25, -1.0 / 27, 1.0 / 29,
  -1.0 / 31, 1.0 / 33, -1.0 / 35, 1.0 / 37, -1.0 / 39, 1.0 / 41, -1.0 / 43,
  1.0 / 45,
};

// (2n)!/(4^n (n!)^2 (2n+1)) for n = 1..25: asin s = s + s^3 * B(s^2), |s| <= 1/2.
static const double ASINC[] = {
  0.16666666666666666, 0.075, 0.044642857142857144, 0.030381944444444444,
  0.022372159090909092, 0.017352764423076924, 0.01396484375,
  0.011551800896139705, 0.009761609529194078, 0.008390335809616815,
  0.0073125258735988454, 0.006447210311889649, 0.005740037670841924,
  0.005153309682319905, 0.004660143486915096, 0.004240907093679363,
  0.003880964558837669, 0.0035692053938259347, 0.003297059503473485,
  0.0030578216492580306, 0.002846178401108942, 0.00265787063820729,
  0.0024894486782468836, 0.002338091892111975, 0.0022014739737101384,
};

#define NATAN ((int)(sizeof(ATANC) / sizeof(ATANC[0])))
#define NASIN ((int)(sizeof(ASINC) / sizeof(ASINC[0])))

// atan t for |t| <= ~7/16, as a double-double.
static dd
atan_k(dd t)
{
  double z = t.hi * t.hi;

  return fast_two_sum(t.hi, t.hi * z * poly(z, ATANC, NATAN) + t.lo / (1 + z));
}

// atan x for x >= 0 given as a double-double.
static dd
atan_dd(dd x)
{
  dd base, t;

  if(x.hi < 7.0 / 16)
    return atan_k(x);
  if(x.hi < 11.0 / 16){              // (2x-1)/(2+x); 2x-1 is exact
    t = dd_div(two_sum(2 * x.hi - 1, 2 * x.lo), dd_add_d(x, 2));
    base = ATAN05;
  } else if(x.hi < 19.0 / 16){       // (x-1)/(x+1)
    t = dd_div(two_sum(x.hi - 1, x.lo), dd_add_d(x, 1));
    base = PIO4;
  } else if(x.hi < 39.0 / 16){       // (2x-3)/(2+3x)
    t = dd_div(two_sum(2 * x.hi - 3, 2 * x.lo), dd_add_d(dd_mul_d(x, 3), 2));
    base = ATAN15;
  } else {                           // -1/x
    t = x.hi > 0x1p60 ? (dd){ -1 / x.hi, 0 } : dd_div((dd){ -1, 0 }, x);
    base = PIO2;
  }
  return dd_add(base, atan_k(t));
}

// atan x.
double
atan(double x)
{
  dd a;

  if(isnan(x))
    return x + x;
  if(fabs(x) < 0x1p-27)
    return x;
  a = atan_dd((dd){ fabs(x), 0 });
  return x < 0 ? -(a.hi + a.lo) : a.hi + a.lo;
}

// The binary exponent of finite nonzero v.
static int
ilog(double v)
{
  int e = EXP(dbits(v));

  return e == 0 ? EXP(dbits(v * 0x1p54)) - 1023 - 54 : e - 1023;
}

// atan2 for finite nonzero y and x.
static double
atan2_finite(double y, double x)
{
  int d = ilog(y) - ilog(x), s = ilog(x);
  double ay = fabs(y), ax = fabs(x);
  dd a;

  if(d > 60)
    a = PIO2;
  else if(d < -60)
    a = (dd){ ay / ax, 0 };          // atan q = q to far below an ulp
  else
    a = atan_dd(dd_div((dd){ math_scale(ay, -s), 0 }, (dd){ math_scale(ax, -s), 0 }));
  if(x < 0)
    a = dd_add(PI, (dd){ -a.hi, -a.lo });
  return y < 0 ? -(a.hi + a.lo) : a.hi + a.lo;
}

// The angle of (x, y): atan(y/x) in the quadrant of the point.
double
atan2(double y, double x)
{
  double r;

  if(isnan(x) || isnan(y))
    return x + y;
  if(y == 0)
    r = signbit(x) ? PI.hi : 0;
  else if(isinf(y))
    r = isinf(x) ? (x > 0 ? PIO4.hi : 3 * PIO4.hi) : PIO2.hi;
  else if(x == 0)
    r = PIO2.hi;
  else if(isinf(x))
    r = x > 0 ? 0 : PI.hi;
  else
    return atan2_finite(y, x);
  return signbit(y) ? -r : r;
}

// asin s for |s| <= 1/2, as a double-double.
static dd
asin_k(dd s)
{
  double z = s.hi * s.hi;

  return fast_two_sum(s.hi, s.hi * z * poly(z, ASINC, NASIN) + s.lo * (1 + 0.5 * z));
}

// sqrt((1 - a)/2) for a in [1/2, 1], as a double-double.
static dd
half_sqrt(double a)
{
  double t = (1 - a) * 0.5, h = sqrt(t);   // t is exact
  dd p = two_prod(h, h);

  if(h == 0)
    return (dd){ 0, 0 };
  return (dd){ h, ((t - p.hi) - p.lo) / (2 * h) };
}

// asin x, in [-pi/2, pi/2].
double
asin(double x)
{
  double ax = fabs(x);
  dd a;

  if(isnan(x) || ax > 1)
    return (x - x) / (x - x);        // NaN
  if(ax < 0x1p-27)
    return x;
  if(ax <= 0.5)
    a = asin_k((dd){ ax, 0 });
  else if(ax == 1)
    a = PIO2;
  else {
    a = asin_k(half_sqrt(ax));
    a = dd_add(PIO2, (dd){ -2 * a.hi, -2 * a.lo });
  }
  return x < 0 ? -(a.hi + a.lo) : a.hi + a.lo;
}

// acos x, in [0, pi].
double
acos(double x)
{
  dd a;

  if(isnan(x) || fabs(x) > 1)
    return (x - x) / (x - x);        // NaN
  if(x == 1)
    return 0;
  if(fabs(x) <= 0.5){
    a = asin_k((dd){ x, 0 });
    a = dd_add(PIO2, (dd){ -a.hi, -a.lo });
  } else if(x > 0){
    a = asin_k(half_sqrt(x));
    a = (dd){ 2 * a.hi, 2 * a.lo };
  } else {
    a = asin_k(half_sqrt(-x));
    a = dd_add(PI, (dd){ -2 * a.hi, -2 * a.lo });
  }
  return a.hi + a.lo;
}
