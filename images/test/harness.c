// The host tests' harness, shared by both runners (main.c and libc/main.c):
// counting checks, string checks independent of the code under test, a
// panic() that CHECK_PANICS catches, deterministic random numbers, and the
// closing "N passed, N failed" line.

#include <stdlib.h>
#include "test.h"

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

// Are two strings equal (independent of the kernel's strcmp under test)?
int
test_streq(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return *a == *b;
}

// The first occurrence of n in h, or null.
char *
test_strstr(const char *h, const char *n)
{
  for(; *h; h++){
    const char *a = h, *b = n;
    while(*b && *a == *b){
      a++;
      b++;
    }
    if(*b == 0)
      return (char *)h;
  }
  return 0;
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

// Print "N passed, N failed"; the runner's exit status.
int
test_summary(void)
{
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
