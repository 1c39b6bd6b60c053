// libm: every function against the host's libm on random inputs over wide
// ranges and on a grid of special values (zeros, subnormals, infinities, NaN,
// huge arguments); every pair of the grid for pow, atan2 and fmod; pow's
// C99 F.9.4.4 list spelled out. Prints each function's worst error in ulps.

#include <float.h>
#include <math.h>
#include <string.h>
#include "libctest.h"

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef long double (*ref1)(long double);
typedef long double (*ref2)(long double, long double);
typedef double (*gen)(void);

// mine is checked against the host's double function and its long double
// one (see struct worst); bound is the error in ulps beyond which a check
// fails (0: must be bit-exact).
struct unary {
  const char *name;
  fn1 mine, host;
  ref1 ref;
  int bound;
  gen inputs[4];
};

struct binary {
  const char *name;
  fn2 mine, host;
  ref2 ref;
  int bound;
  gen x[3], y[3];
};

#define N 20000                      // random inputs per generator

static const double special[] = {
  0.0, -0.0, 0x1p-1074, -0x1p-1074, 1e-310, -1e-310, 0x1p-1022, -0x1p-1022,
  1e-300, 0x1p-30, -0x1p-30, 0.1, 0.5, -0.5, 7.0 / 16, 11.0 / 16, 19.0 / 16,
  39.0 / 16, 1.0, -1.0, 1 + 0x1p-52, 1 - 0x1p-53, 1.5, -1.5, 2.0, -2.0, 3.0,
  -3.0, M_PI_2, -M_PI_2, M_PI, 10.0, 100.0, 709.78, 709.8, 710.0, -745.0,
  -745.2, -746.0, 0x1p52, 0x1p53, -0x1p53, 0x1p53 + 2, 1e22, -1e22, 1e300,
  -1e300, 0x1.6ac5b262ca1ffp+849, 0x1p1023, DBL_MAX, -DBL_MAX, INFINITY,
  -INFINITY, NAN,
};

// x's bits as an integer that orders like x (-0 and +0 both map to 0).
static int64_t
ordered(double x)
{
  int64_t i;

  memcpy(&i, &x, 8);
  return i < 0 ? INT64_MIN - i : i;
}

// How far got is from want in ulps; zeros and infinities must match in sign.
static uint64_t
ulps(double got, double want)
{
  int64_t a = ordered(got), b = ordered(want);

  if(isnan(got) || isnan(want))
    return isnan(got) && isnan(want) ? 0 : UINT64_MAX;
  if(want == 0 || isinf(want) || got == 0 || isinf(got))
    return memcmp(&got, &want, 8) == 0 ? 0 : UINT64_MAX;
  return a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

// A random double in [lo, hi).
static double
uniform(double lo, double hi)
{
  return lo + (hi - lo) * ((test_rand() >> 11) * 0x1p-53);
}

// A random double of random sign with binary exponent in [emin, emax]
// (below -1022: a subnormal).
static double
wide(int emin, int emax)
{
  u64 r = test_rand(), m = r & 0x000fffffffffffffull;
  int e = emin + (int)((r >> 52) % (u64)(emax - emin + 1));
  double x;

  if(e < -1022)
    m = (m | 1ull << 52) >> (-1022 - e);
  else
    m |= (u64)(e + 1023) << 52;
  memcpy(&x, &m, 8);
  return test_rand() & 1 ? -x : x;
}

static double g_small(void) { return uniform(-4, 4); }
static double g_all(void) { return wide(-1074, 1023); }
static double g_pos(void) { return fabs(wide(-1074, 1023)); }
static double g_mid(void) { return wide(-30, 60); }
static double g_big(void) { return wide(20, 1023); }
static double g_int(void) { return wide(-5, 60); }
static double g_unit(void) { return uniform(-1, 1); }
static double g_tiny(void) { return wide(-60, -1); }
static double g_near1(void) { return (test_rand() & 1 ? 1 : -1) * (1 - fabs(wide(-53, -2))); }
static double g_exp(void) { return uniform(-745.2, 709.8); }
static double g_exps(void) { return wide(-60, 3); }
static double g_around1(void) { return uniform(0.5, 2); }
static double g_onep(void) { return 1 + wide(-52, -10); }
// Near a multiple of pi/2: the reduction's hard cases.
static double g_pio2k(void) { return (double)(test_rand() % (1u << 22)) * M_PI_2; }

static double g_powx(void) { return uniform(0, 10); }
static double g_powy(void) { return uniform(-50, 50); }
static double g_powxw(void) { return g_pos(); }
static double g_powyw(void) { return uniform(-1, 1); }
static double g_negx(void) { return -uniform(0, 20); }
static double g_inty(void) { return (double)((int)(test_rand() % 61) - 30); }

static const struct unary unaries[] = {
  { "fabs", tc_fabs, fabs, fabsl, 0, { g_all, g_int } },
  { "floor", tc_floor, floor, floorl, 0, { g_int, g_small, g_all } },
  { "ceil", tc_ceil, ceil, ceill, 0, { g_int, g_small, g_all } },
  { "trunc", tc_trunc, trunc, truncl, 0, { g_int, g_small, g_all } },
  { "sqrt", tc_sqrt, sqrt, sqrtl, 0, { g_pos, g_around1 } },
  { "cbrt", tc_cbrt, cbrt, cbrtl, 1, { g_all, g_small, g_int } },
  { "sin", tc_sin, sin, sinl, 1, { g_small, g_mid, g_big, g_pio2k } },
  { "cos", tc_cos, cos, cosl, 1, { g_small, g_mid, g_big, g_pio2k } },
  { "tan", tc_tan, tan, tanl, 1, { g_small, g_mid, g_big, g_pio2k } },
  { "asin", tc_asin, asin, asinl, 1, { g_unit, g_tiny, g_near1 } },
  { "acos", tc_acos, acos, acosl, 1, { g_unit, g_tiny, g_near1 } },
  { "atan", tc_atan, atan, atanl, 1, { g_small, g_all, g_tiny } },
  { "exp", tc_exp, exp, expl, 1, { g_exp, g_exps, g_unit } },
  { "log", tc_log, log, logl, 1, { g_pos, g_around1, g_onep } },
  { "log2", tc_log2, log2, log2l, 1, { g_pos, g_around1, g_onep } },
  { "log10", tc_log10, log10, log10l, 1, { g_pos, g_around1, g_onep } },
};

static const struct binary binaries[] = {
  { "fmod", tc_fmod, fmod, fmodl, 0, { g_all, g_small, g_int }, { g_all, g_small, g_unit } },
  { "atan2", tc_atan2, atan2, atan2l, 1, { g_all, g_small, g_tiny }, { g_all, g_small, g_small } },
  { "pow", tc_pow, pow, powl, 1, { g_powx, g_powxw, g_negx }, { g_powy, g_powyw, g_inty } },
};

// Worst errors seen for one function: against the host's long double result
// rounded to double (nearly the correctly rounded result), and against the
// host's double result where the two agree (glibc's cbrt and log10 are off by
// 2-3 ulps at times, its cos and tan by 8 and 14 at 0x1.6ac5b262ca1ffp+849).
struct worst {
  uint64_t host, ref, raw;
  int n, skipped, shown;
};

// Count one result; print the first few beyond the bound. Exact functions
// (bound 0) are compared with the host's double only (sqrtl rounded twice
// is not the correctly rounded sqrt).
static void
note(const char *name, struct worst *w, int bound, double got, double host, double ref,
     double x, double y)
{
  uint64_t dh = ulps(got, host), dr = bound ? ulps(got, ref) : 0;

  w->n++;
  w->raw = dh > w->raw ? dh : w->raw;
  if(bound && ulps(host, ref) > 0){
    w->skipped++;
    dh = 0;
  }
  w->host = dh > w->host ? dh : w->host;
  w->ref = dr > w->ref ? dr : w->ref;
  if((dr > (uint64_t)bound || dh > (uint64_t)bound) && w->shown++ < 3)
    printf("     %s(%a, %a) = %a; host %a, long double %a\n", name, x, y, got, host, ref);
}

// Report one function's worst errors and check them against its bound.
static void
report(const char *name, struct worst *w, int bound)
{
  printf("libm: %-6s max %llu ulp vs long double, %llu vs double where they agree "
         "(%llu overall), %d inputs\n", name, (unsigned long long)w->ref,
         (unsigned long long)w->host, (unsigned long long)w->raw, w->n);
  test_check(w->ref <= (uint64_t)bound && w->host <= (uint64_t)bound, name, __FILE__, __LINE__);
}

// One function of one argument: random inputs and the special values.
static void
check_unary(const struct unary *f)
{
  struct worst w = { 0, 0, 0, 0, 0, 0 };
  double x;

  for(int g = 0; g < 4 && f->inputs[g]; g++)
    for(int i = 0; i < N; i++){
      x = f->inputs[g]();
      note(f->name, &w, f->bound, f->mine(x), f->host(x), (double)f->ref(x), x, 0);
    }
  for(size_t i = 0; i < NELEM(special); i++){
    x = special[i];
    note(f->name, &w, f->bound, f->mine(x), f->host(x), (double)f->ref(x), x, 0);
  }
  report(f->name, &w, f->bound);
}

// One function of two arguments: random pairs and every pair of special values.
static void
check_binary(const struct binary *f)
{
  struct worst w = { 0, 0, 0, 0, 0, 0 };
  double x, y;

  for(int g = 0; g < 3; g++)
    for(int i = 0; i < N; i++){
      x = f->x[g]();
      y = f->y[g]();
      note(f->name, &w, f->bound, f->mine(x, y), f->host(x, y), (double)f->ref(x, y), x, y);
    }
  for(size_t i = 0; i < NELEM(special); i++)
    for(size_t j = 0; j < NELEM(special); j++){
      x = special[i];
      y = special[j];
      note(f->name, &w, f->bound, f->mine(x, y), f->host(x, y), (double)f->ref(x, y), x, y);
    }
  report(f->name, &w, f->bound);
}

// Bit-exact comparison (NaN matches any NaN).
#define SAME(got, want) CHECK(ulps((got), (want)) == 0)

// C99 F.9.4.4, case by case.
static void
test_pow_special(void)
{
  SAME(tc_pow(0.0, -3), INFINITY);
  SAME(tc_pow(-0.0, -3), -INFINITY);
  SAME(tc_pow(-0.0, -2), INFINITY);
  SAME(tc_pow(-0.0, -0.5), INFINITY);
  SAME(tc_pow(0.0, -INFINITY), INFINITY);
  SAME(tc_pow(0.0, 3), 0.0);
  SAME(tc_pow(-0.0, 3), -0.0);
  SAME(tc_pow(-0.0, 2), 0.0);
  SAME(tc_pow(-0.0, 0.5), 0.0);
  SAME(tc_pow(-1, INFINITY), 1);
  SAME(tc_pow(-1, -INFINITY), 1);
  SAME(tc_pow(1, NAN), 1);
  SAME(tc_pow(NAN, 0.0), 1);
  SAME(tc_pow(NAN, -0.0), 1);
  SAME(tc_pow(-2, 0.5), NAN);
  SAME(tc_pow(0.5, -INFINITY), INFINITY);
  SAME(tc_pow(-2, -INFINITY), 0.0);
  SAME(tc_pow(-0.5, INFINITY), 0.0);
  SAME(tc_pow(2, INFINITY), INFINITY);
  SAME(tc_pow(-INFINITY, -3), -0.0);
  SAME(tc_pow(-INFINITY, -2), 0.0);
  SAME(tc_pow(-INFINITY, 3), -INFINITY);
  SAME(tc_pow(-INFINITY, 2.5), INFINITY);
  SAME(tc_pow(INFINITY, -1), 0.0);
  SAME(tc_pow(INFINITY, 0.5), INFINITY);
  SAME(tc_pow(2, NAN), NAN);
  SAME(tc_pow(NAN, 1), NAN);
  SAME(tc_pow(-8, 1.0 / 3), NAN);
  SAME(tc_pow(2, 1024), INFINITY);
  SAME(tc_pow(2, -1074), 0x1p-1074);
  SAME(tc_pow(2, -1075), 0.0);
  SAME(tc_pow(-2, -1075), -0.0);
  SAME(tc_pow(-1, 0x1p1023), 1);
  SAME(tc_pow(-1, -3), -1);
  SAME(tc_pow(-2, 1023), -0x1p1023);
  SAME(tc_pow(10, 22), 1e22);
  SAME(tc_pow(3, 3), 27);
}

// Exact results and the cases the random inputs rarely hit.
static void
test_exact(void)
{
  SAME(tc_sin(-0.0), -0.0);
  SAME(tc_tan(-0.0), -0.0);
  SAME(tc_cos(-0.0), 1);
  SAME(tc_sin(INFINITY), NAN);
  SAME(tc_cos(-INFINITY), NAN);
  SAME(tc_atan(INFINITY), M_PI_2);
  SAME(tc_asin(1), M_PI_2);
  SAME(tc_acos(-1), M_PI);
  SAME(tc_acos(1), 0.0);
  SAME(tc_asin(1.0000000000000002), NAN);
  SAME(tc_log(1), 0.0);
  SAME(tc_log(-0.0), -INFINITY);
  SAME(tc_log(-1), NAN);
  SAME(tc_log2(0x1p-1074), -1074);
  SAME(tc_log2(1024), 10);
  SAME(tc_log10(1e22), 22);
  SAME(tc_log10(0.001), log10(0.001));
  SAME(tc_exp(0.0), 1);
  SAME(tc_exp(-INFINITY), 0.0);
  SAME(tc_cbrt(-27), -3);
  SAME(tc_cbrt(0x1p-1074), 0x1p-358);
  SAME(tc_cbrt(-0x1p-1071), -0x1p-357);
  SAME(tc_sqrt(-0.0), -0.0);
  SAME(tc_sqrt(-1), NAN);
  SAME(tc_fmod(-0.0, 1), -0.0);
  SAME(tc_fmod(5.5, INFINITY), 5.5);
  SAME(tc_fmod(INFINITY, 2), NAN);
  SAME(tc_fmod(1, 0.0), NAN);
  SAME(tc_fmod(-7, 2), -1);
  SAME(tc_fmod(DBL_MAX, 0x1p-1074), 0.0);
  SAME(tc_atan2(-0.0, -0.0), -M_PI);
  SAME(tc_atan2(0.0, -0.0), M_PI);
  SAME(tc_atan2(-0.0, 0.0), -0.0);
  SAME(tc_atan2(1, -INFINITY), M_PI);
  SAME(tc_atan2(-INFINITY, -INFINITY), -3 * M_PI_4);
  SAME(tc_atan2(-1, 0.0), -M_PI_2);
  SAME(tc_sin(1e22), sin(1e22));
  SAME(tc_cos(1e300), cos(1e300));
}

void
test_libm(void)
{
  test_pow_special();
  test_exact();
  for(size_t i = 0; i < NELEM(unaries); i++)
    check_unary(&unaries[i]);
  for(size_t i = 0; i < NELEM(binaries); i++)
    check_binary(&binaries[i]);
}
