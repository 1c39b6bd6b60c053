// Runner for the libc host tests, with the stubs libc needs from the kernel;
// the harness is test/harness.c, as for the kernel's tests.

#include "libctest.h"

// Stub: microseconds since boot.
u64
time_us(void)
{
  return 5000000;
}

int
main(void)
{
  test_libc();
  test_malloc();
  test_libm();
  return test_summary();
}
