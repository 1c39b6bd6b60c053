// <time.h>: what Duktape's Date needs on a platform without a clock.
// All in UTC (../time.c); time() counts from boot until time_set_epoch().

#ifndef _TIME_H
#define _TIME_H

#include <stddef.h>

typedef long long time_t;

struct tm {
  int tm_sec;
  int tm_min;
  int tm_hour;
  int tm_mday;
  int tm_mon;
  int tm_year;
  int tm_wday;
  int tm_yday;
  int tm_isdst;
};

time_t time(time_t *t);
struct tm *gmtime(const time_t *t);
struct tm *gmtime_r(const time_t *t, struct tm *out);
struct tm *localtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *out);
time_t mktime(struct tm *tm);
double difftime(time_t t1, time_t t0);
// Not standard: tell time() the current Unix time.
void time_set_epoch(time_t now);

#endif
