// stdio, stdlib, string and time: vsnprintf with the formats Duktape uses,
// truncation and return values; sscanf reading back %p; strtol and friends,
// gmtime_r and mktime against the host.

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "libctest.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

static char buf[256], want[256];

// tc_snprintf and the host's snprintf must agree on text and length.
#define LIKE_HOST(...) do {                                          \
    int n_ = tc_snprintf(buf, sizeof(buf), __VA_ARGS__);             \
    int w_ = snprintf(want, sizeof(want), __VA_ARGS__);              \
    test_check_str(buf, want, #__VA_ARGS__, __FILE__, __LINE__);     \
    test_check(n_ == w_, "length of " #__VA_ARGS__, __FILE__, __LINE__); \
  } while(0)

static void
test_duktape_formats(void)
{
  LIKE_HOST("%s-%02d-%02d%c%02d:%02d:%02d.%03d%s", "2024", 1, 9, 'T', 3, 4, 5, 6, "Z");
  LIKE_HOST("%04ld", 7L);
  LIKE_HOST("+%06ld", 275760L);
  LIKE_HOST("%07ld", -271821L);
  LIKE_HOST("+%02d:%02d", 5, 30);
  LIKE_HOST("%lld", LLONG_MIN);
  LIKE_HOST("%lld", 9007199254740993LL);
  LIKE_HOST("\"%lu\": %u,", 4294967295UL, 255u);
  LIKE_HOST("%02lx", 10UL);
  LIKE_HOST(" %08lx", 0xdeadUL);
  LIKE_HOST("\xff%lx-%lx", 1UL, 0xffffffffUL);
  LIKE_HOST("uncaught: %s", "Error: boom");
  LIKE_HOST("%s", "");
  LIKE_HOST("%d%%", INT_MIN);
}

static void
test_truncation(void)
{
  char small[5];
  int n;

  n = tc_snprintf(small, sizeof(small), "%s", "abcdefgh");
  CHECK(n == 8);
  CHECK_STR(small, "abcd");
  CHECK(tc_snprintf(0, 0, "%d", 12345) == 5);
  small[0] = 'x';
  CHECK(tc_snprintf(small, 1, "%d", 1) == 1 && small[0] == 0);
  CHECK(tc_sprintf(buf, "%d-%s", 42, "x") == 4);
  CHECK_STR(buf, "42-x");
}

static void
test_sscanf(void)
{
  void *p = 0, *q = (void *)(uintptr_t)0x12345678u;
  int a = 0, b = 0;
  unsigned x = 0;

  tc_sprintf(buf, "%p", q);
  CHECK(tc_sscanf(buf, "%p", &p) == 1 && p == q);
  CHECK(tc_sscanf("12 -34", "%d %d", &a, &b) == 2 && a == 12 && b == -34);
  CHECK(tc_sscanf("ff)", "%x)", &x) == 1 && x == 255);
  CHECK(tc_sscanf("zz", "%p", &p) == 0);
  CHECK(tc_sscanf("", "%d", &a) == -1);
}

static const char *numbers[] = {
  "0", "-0", "42", "  +17abc", "-2147483648", "2147483647", "4294967295",
  "4294967296", "9223372036854775807", "9223372036854775808",
  "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
  "18446744073709551616", "0x1F", "0X", "0x", "-0x10", "077", "09", "", "-",
  " \t\n12", "z",
};

static void
test_strtol(void)
{
  char *e1, *e2;
  int bases[] = { 0, 10, 16, 8, 36 };

  for(size_t i = 0; i < NELEM(numbers); i++)
    for(size_t b = 0; b < NELEM(bases); b++){
      CHECK(tc_strtol(numbers[i], &e1, bases[b]) == strtol(numbers[i], &e2, bases[b]) && e1 == e2);
      CHECK(tc_strtoul(numbers[i], &e1, bases[b]) == strtoul(numbers[i], &e2, bases[b]) && e1 == e2);
    }
  CHECK(tc_atoi("-123x") == -123);
}

static void
test_string_fns(void)
{
  const char *s = "hello, world";

  CHECK(tc_memchr(s, 'o', 12) == s + 4);
  CHECK(tc_memchr(s, 'o', 4) == 0);
  CHECK(tc_memchr(s, 0, 13) == s + 12);
  CHECK(tc_strnlen(s, 5) == 5 && tc_strnlen(s, 100) == 12);
  CHECK(tc_strrchr(s, 'o') == s + 8);
  CHECK(tc_strrchr(s, 0) == s + 12);
  CHECK(tc_strrchr(s, 'q') == 0);
  CHECK(tc_strstr(s, "world") == s + 7);
  CHECK(tc_strstr(s, "") == s);
  CHECK(tc_strstr(s, "worlds") == 0);
  CHECK(tc_strstr("aab", "ab") == strstr("aab", "ab"));
}

// gmtime_r and mktime against the host's for times across +-3000 years.
static void
test_time(void)
{
  struct tm a, b;
  int bad = 0;

  for(int i = 0; i < 20000; i++){
    time_t t = (time_t)(test_rand() % 200000000000ull) - 100000000000LL;
    if(i < 3)
      t = i - 1;                     // around the epoch
    tc_gmtime_r(&t, &a);
    gmtime_r(&t, &b);
    bad += a.tm_year != b.tm_year || a.tm_mon != b.tm_mon || a.tm_mday != b.tm_mday ||
           a.tm_hour != b.tm_hour || a.tm_min != b.tm_min || a.tm_sec != b.tm_sec ||
           a.tm_wday != b.tm_wday || a.tm_yday != b.tm_yday;
    a.tm_mday += 40;                 // out-of-range fields carry over
    a.tm_sec -= 100;
    bad += tc_mktime(&a) != t + 40 * 86400 - 100;
  }
  CHECK(bad == 0);
}

void
test_libc(void)
{
  test_duktape_formats();
  test_truncation();
  test_sscanf();
  test_strtol();
  test_string_fns();
  test_time();
}
