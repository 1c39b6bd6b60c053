// Host tests of libc/: its functions are built as tc_<name> (see the
// Makefile's LIBC_NAMES) and compared with the host's C library.

#ifndef LIBCTEST_H
#define LIBCTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include "../test.h"

void *tc_malloc(size_t n);
void *tc_calloc(size_t count, size_t size);
void *tc_realloc(void *p, size_t n);
void tc_free(void *p);
void tc_malloc_init(void *base, size_t len);
size_t tc_malloc_used(void);
size_t tc_malloc_peak(void);
int tc_malloc_check(void);
size_t tc_malloc_save(void *dst, size_t n);
void tc_malloc_restore(const void *src);

int tc_snprintf(char *buf, size_t n, const char *fmt, ...);
int tc_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int tc_sprintf(char *buf, const char *fmt, ...);
int tc_sscanf(const char *s, const char *fmt, ...);
long tc_strtol(const char *s, char **end, int base);
unsigned long tc_strtoul(const char *s, char **end, int base);
int tc_atoi(const char *s);
void *tc_memchr(const void *s, int c, size_t n);
size_t tc_strnlen(const char *s, size_t max);
char *tc_strrchr(const char *s, int c);
char *tc_strstr(const char *h, const char *n);
struct tm *tc_gmtime_r(const time_t *t, struct tm *out);
time_t tc_mktime(struct tm *tm);

double tc_fabs(double x);
double tc_floor(double x);
double tc_ceil(double x);
double tc_trunc(double x);
double tc_fmod(double x, double y);
double tc_sqrt(double x);
double tc_cbrt(double x);
double tc_sin(double x);
double tc_cos(double x);
double tc_tan(double x);
double tc_asin(double x);
double tc_acos(double x);
double tc_atan(double x);
double tc_atan2(double y, double x);
double tc_exp(double x);
double tc_log(double x);
double tc_log2(double x);
double tc_log10(double x);
double tc_pow(double x, double y);

void test_libm(void);
void test_malloc(void);
void test_libc(void);

#endif
