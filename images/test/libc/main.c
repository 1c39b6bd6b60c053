// Runner for the libc host tests, with the stubs libc needs from the kernel.
// Prints "N passed, N failed" like the kernel's test runner.

#include <stdlib.h>
#include "libctest.h"

static int passed, failed;
jmp_buf *test_panic_jmp;
char test_panic_msg[256];

// Count one check; print it if it failed.
void
test_check(int ok, const char *what, const char *file, int line)
{
  if(ok){
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s:%d: %s\n", file, line, what);
}

// Are two strings equal?
int
test_streq(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return *a == *b;
}

// Check got equals want; print both if not.
void
test_check_str(const char *got, const char *want, const char *what, const char *file, int line)
{
  test_check(test_streq(got, want), what, file, line);
  if(!test_streq(got, want))
    printf("     got  \"%s\"\n     want \"%s\"\n", got, want);
}

// Stub: kernel panic jumps back into CHECK_PANICS, or aborts the tests.
void
panic(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  kvsnprintf(test_panic_msg, sizeof(test_panic_msg), fmt, ap);
  va_end(ap);
  if(test_panic_jmp)
    longjmp(*test_panic_jmp, 1);
  printf("unexpected panic: %s\n", test_panic_msg);
  abort();
}

// Stub: microseconds since boot.
u64
time_us(void)
{
  return 5000000;
}

// xorshift64*: deterministic, so failures reproduce.
u64
test_rand(void)
{
  static u64 x = 0x9E3779B97F4A7C15ull;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  return x * 0x2545F4914F6CDD1Dull;
}

int
main(void)
{
  test_libc();
  test_malloc();
  test_libm();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
