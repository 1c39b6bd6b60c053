// <math.h>: the classification macros are compiler builtins; the functions
// are in ../math*.c. Special cases follow C99 Annex F. The x87 must be in
// double precision (kernel/x86.h fpu_init does that).

#ifndef _MATH_H
#define _MATH_H

#define NAN        __builtin_nan("")
#define INFINITY   __builtin_inf()
#define HUGE_VAL   __builtin_huge_val()

#define FP_NAN       0
#define FP_INFINITE  1
#define FP_ZERO      2
#define FP_SUBNORMAL 3
#define FP_NORMAL    4

#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, (x))
#define isnan(x)      __builtin_isnan(x)
#define isinf(x)      __builtin_isinf(x)
#define isfinite(x)   __builtin_isfinite(x)
#define isnormal(x)   __builtin_isnormal(x)
#define signbit(x)    __builtin_signbit(x)

#define M_PI 3.14159265358979323846
#define M_E  2.7182818284590452354

double fabs(double x);
double floor(double x);
double ceil(double x);
double trunc(double x);
double fmod(double x, double y);
double sqrt(double x);
double cbrt(double x);
double sin(double x);
double cos(double x);
double tan(double x);
double asin(double x);
double acos(double x);
double atan(double x);
double atan2(double y, double x);
double exp(double x);
double log(double x);
double log2(double x);
double log10(double x);
double pow(double x, double y);

#endif
