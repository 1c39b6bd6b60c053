// format.c: every conversion, flags, width, precision, length modifiers,
// truncation in ksnprintf, and a randomized comparison with the host printf.

#include <limits.h>
#include "test.h"

// Odd formats ("%05s", "%-05d", a null %s) are tested on purpose.
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"

static char buf[256];

// Check one ksnprintf result against want, and its return value against want's length.
#define FMT(want, ...) do {                                          \
    int n_ = ksnprintf(buf, sizeof(buf), __VA_ARGS__);               \
    test_check_str(buf, (want), #__VA_ARGS__, __FILE__, __LINE__);   \
    test_check(n_ == (int)kstrlen(want), "length of " #__VA_ARGS__, __FILE__, __LINE__); \
  } while(0)

// Check ksnprintf against the host's snprintf for the same arguments.
#define SAME(...) do {                                               \
    char want_[256];                                                 \
    snprintf(want_, sizeof(want_), __VA_ARGS__);                     \
    FMT(want_, __VA_ARGS__);                                         \
  } while(0)

static void
test_basics(void)
{
  FMT("", "%s", "");
  FMT("plain text", "plain text");
  FMT("100%", "100%%");
  FMT("a%qb", "a%qb");           // unknown conversion is shown as written
  FMT("end %", "end %");         // lone '%' at the end
  FMT("x", "%c", 'x');
  FMT("  x|x  |", "%3c|%-3c|", 'x', 'x');
  FMT("abc", "%s", "abc");
  FMT("(null)", "%s", (char *)0);
  FMT("       abc|abc       |", "%10s|%-10s|", "abc", "abc");
  FMT("ab", "%.2s", "abcdef");
  FMT("   ab", "%5.2s", "abcdef");
  FMT("abc", "%.*s", 3, "abcdef");
  FMT("  abc", "%*s", 5, "abc");
  FMT("abc  |", "%*s|", -5, "abc");      // negative '*' width: left-justify
  FMT("  abc", "%05s", "abc");          // '0' does not pad strings with zeros
}

static void
test_integers(void)
{
  FMT("0 42 -42", "%d %d %d", 0, 42, -42);
  FMT("7 -7", "%i %i", 7, -7);
  FMT("2147483647", "%d", INT_MAX);
  FMT("-2147483648", "%d", INT_MIN);
  FMT("0 4294967295", "%u %u", 0u, UINT_MAX);
  FMT("deadbeef DEADBEEF 0", "%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
  FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
  FMT("-0042|  -42|-42  ", "%05d|%5d|%-5d", -42, -42, -42);
  FMT("42   |", "%-05d|", 42);             // '-' beats '0'
  FMT("12345", "%3d", 12345);              // width never truncates
  FMT("  042|00ff", "%5.3d|%.4x", 42, 255); // precision = minimum digits
  FMT("|", "%.0d|", 0);
  FMT("   42|42   |", "%*d|%-*d|", 5, 42, 5, 42);
  FMT("0000002a", "%08x", 42);
}

static void
test_long(void)
{
  FMT("-9223372036854775808", "%lld", LLONG_MIN);
  FMT("9223372036854775807", "%lld", LLONG_MAX);
  FMT("18446744073709551615", "%llu", ULLONG_MAX);
  FMT("123456789abcdef0 FFFFFFFFFFFFFFFF", "%llx %llX", 0x123456789abcdef0ull, ~0ull);
  FMT("4294967296", "%llu", 1ull << 32);
  FMT("-4294967296", "%lld", -(1ll << 32));
  FMT("0000000100000000", "%016llx", 1ull << 32);
  FMT("10000000000000000000", "%llu", 10000000000000000000ull);
  FMT("-1 4294967295", "%ld %lu", -1L, 4294967295UL);
  SAME("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
  FMT("123", "%zu", (size_t)123);
  FMT("-5", "%zd", (size_t)-5);
}

static void
test_pointer(void)
{
  char want[32];

  snprintf(want, sizeof(want), "0x%0*llx", (int)(2 * sizeof(void *)), 0x1234ull);
  FMT(want, "%p", (void *)0x1234);
  snprintf(want, sizeof(want), "0x%0*llx", (int)(2 * sizeof(void *)), 0ull);
  FMT(want, "%p", (void *)0);
}

// Truncation: at most n-1 characters and a NUL; the return value ignores n.
static void
test_truncation(void)
{
  char small[8];

  kmemset(small, 'X', sizeof(small));
  CHECK(ksnprintf(small, 5, "hello world") == 11);
  CHECK_STR(small, "hell");
  CHECK(small[5] == 'X');
  CHECK(ksnprintf(small, 1, "abc") == 3 && small[0] == 0);
  small[0] = 'Q';
  CHECK(ksnprintf(small, 0, "abc") == 3 && small[0] == 'Q');
  CHECK(ksnprintf(small, 4, "abc") == 3);
  CHECK_STR(small, "abc");
  CHECK(ksnprintf(small, 6, "%d", -123456) == 7);
  CHECK_STR(small, "-1234");
  CHECK(ksnprintf(small, sizeof(small), "%10s", "ab") == 10);
  CHECK_STR(small, "       ");
}

// Counting sink for format().
static void
count_sink(void *arg, char c)
{
  (void)c;
  (*(int *)arg)++;
}

// format() hands every character to its sink and returns the count.
static int
format_count(int *n, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = format(count_sink, n, fmt, ap);
  va_end(ap);
  return r;
}

static void
test_sink(void)
{
  int n = 0;

  CHECK(format_count(&n, "%s=%5d", "abc", 7) == 9 && n == 9);
}

// Random flags, widths, precisions and values against the host's snprintf.
static void
test_random(void)
{
  static const char convs[] = "duxX";
  static const char *const lens[] = { "", "l", "ll" };
  char fmt[32], want[128];
  int bad = 0;

  for(int i = 0; i < 20000; i++){
    u64 r = test_rand(), v = test_rand() >> (test_rand() % 64);
    char conv = convs[r % 4];
    const char *len = lens[(r >> 4) % 3];
    const char *flag = (r >> 8) % 3 == 0 ? "" : (r >> 8) % 3 == 1 ? "-" : "0";
    int width = (r >> 12) % 24, prec = (int)((r >> 20) % 26) - 4;   // <0: none
    int n;

    if(prec < 0)
      ksnprintf(fmt, sizeof(fmt), "%%%s%d%s%c", flag, width, len, conv);
    else
      ksnprintf(fmt, sizeof(fmt), "%%%s%d.%d%s%c", flag, width, prec, len, conv);
    if(len[0] == 0){
      snprintf(want, sizeof(want), fmt, (int)v);
      n = ksnprintf(buf, sizeof(buf), fmt, (int)v);
    } else if(len[1] == 0){
      snprintf(want, sizeof(want), fmt, (long)v);
      n = ksnprintf(buf, sizeof(buf), fmt, (long)v);
    } else {
      snprintf(want, sizeof(want), fmt, (long long)v);
      n = ksnprintf(buf, sizeof(buf), fmt, (long long)v);
    }
    if(!test_streq(buf, want) || n != (int)kstrlen(want)){
      if(bad++ < 5)
        printf("     fmt \"%s\" v=%llu: got \"%s\" want \"%s\"\n", fmt, (unsigned long long)v, buf, want);
    }
  }
  CHECK(bad == 0);
}

void
test_format(void)
{
  test_basics();
  test_integers();
  test_long();
  test_pointer();
  test_truncation();
  test_sink();
  test_random();
}
