// <time.h> in UTC: the appliance has no time zone, so local time is UTC.
// time() counts from boot (kernel/time.c) plus whatever time_set_epoch() gave.

#include <time.h>
#include "types.h"
#include "defs.h"

static time_t epoch;

// Tell time() the current Unix time (e.g. from the host or the RTC).
void
time_set_epoch(time_t now)
{
  epoch = now - (time_t)(time_us() / 1000000);
}

// Seconds since the Unix epoch (since boot until time_set_epoch is called).
time_t
time(time_t *t)
{
  time_t now = epoch + (time_t)(time_us() / 1000000);

  if(t)
    *t = now;
  return now;
}

// t1 - t0 in seconds.
double
difftime(time_t t1, time_t t0)
{
  return (double)(t1 - t0);
}

// Days since 1970-01-01 of civil date y-m-d (m 1..12), proleptic Gregorian.
static long long
days_from_civil(long long y, int m, int d)
{
  long long era, yoe, doy;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

// Split days since the epoch into tm's year, month and day of month.
static void
civil_from_days(long long z, struct tm *tm)
{
  long long era, doe, yoe, y, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
  tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
  tm->tm_year = (int)(y + (tm->tm_mon <= 1) - 1900);
}

// Break *t down into UTC fields in *out.
struct tm *
gmtime_r(const time_t *t, struct tm *out)
{
  long long days = *t / 86400, secs = *t % 86400;

  if(secs < 0){
    secs += 86400;
    days--;
  }
  civil_from_days(days, out);
  out->tm_hour = (int)(secs / 3600);
  out->tm_min = (int)(secs / 60 % 60);
  out->tm_sec = (int)(secs % 60);
  out->tm_wday = (int)(((days + 4) % 7 + 7) % 7);   // 1970-01-01 was a Thursday
  out->tm_yday = (int)(days - days_from_civil(out->tm_year + 1900LL, 1, 1));
  out->tm_isdst = 0;
  return out;
}

// gmtime_r into a static struct.
struct tm *
gmtime(const time_t *t)
{
  static struct tm tm;

  return gmtime_r(t, &tm);
}

// Local time is UTC here.
struct tm *
localtime_r(const time_t *t, struct tm *out)
{
  return gmtime_r(t, out);
}

// Local time is UTC here.
struct tm *
localtime(const time_t *t)
{
  return gmtime(t);
}

// The time_t of UTC fields *tm (out-of-range fields carry over); *tm is normalized.
time_t
mktime(struct tm *tm)
{
  long long mon = tm->tm_mon, y = tm->tm_year + 1900LL + mon / 12;
  time_t t;

  mon %= 12;
  if(mon < 0){
    mon += 12;
    y--;
  }
  t = (days_from_civil(y, (int)mon + 1, 1) + tm->tm_mday - 1) * 86400LL +
      tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
  gmtime_r(&t, tm);
  return t;
}
