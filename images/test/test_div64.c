// div64.c: the compiler runtime's 64-bit division, checked on edge cases and
// against the host's native 64-bit division on random pairs.

#include <stdint.h>
#include "test.h"

// Check quotient and remainder of n / d against native division.
static int
udiv_ok(u64 n, u64 d)
{
  u64 r, r2, q = div64_udivmod(n, d, &r);

  return q == n / d && r == n % d && __udivdi3(n, d) == n / d && __umoddi3(n, d) == n % d &&
         __udivmoddi4(n, d, &r2) == n / d && r2 == n % d;
}

// Same for signed division (truncation toward zero, remainder sign of n).
static int
sdiv_ok(i64 n, i64 d)
{
  i64 r, r2, q = div64_sdivmod(n, d, &r);

  return q == n / d && r == n % d && __divdi3(n, d) == n / d && __moddi3(n, d) == n % d &&
         __divmoddi4(n, d, &r2) == n / d && r2 == n % d;
}

static void
test_edges(void)
{
  const u64 max = ~0ull;

  CHECK(udiv_ok(0, 1));
  CHECK(udiv_ok(12345, 1));
  CHECK(udiv_ok(max, 1));
  CHECK(udiv_ok(5, 7));                 // n < d
  CHECK(udiv_ok(1ull << 40, (1ull << 40) + 1));
  CHECK(udiv_ok(max, max));
  CHECK(udiv_ok(max - 1, max));
  CHECK(udiv_ok(max, max - 1));
  CHECK(udiv_ok(max, 2));
  CHECK(udiv_ok(max, 3));
  CHECK(udiv_ok(max, 10));
  CHECK(udiv_ok(max, 0xFFFFFFFFull));
  CHECK(udiv_ok(max, 0x100000000ull));
  CHECK(udiv_ok(0xFFFFFFFFull, 0xFFFFFFFFull));
  CHECK(udiv_ok(0x100000000ull, 0xFFFFFFFFull));
  CHECK(udiv_ok(1ull << 63, 3));
  CHECK(udiv_ok(1000000ull << 32, 1000000000ull));   // time.c's us_mult
}

static void
test_powers(void)
{
  int bad = 0;

  for(int i = 0; i < 64; i++)
    for(int j = 0; j < 64; j++){
      bad += !udiv_ok(1ull << i, 1ull << j);
      bad += !udiv_ok((1ull << i) - 1 + (i == 0), 1ull << j);
      bad += !udiv_ok(~0ull >> i, (1ull << j) + 1);
    }
  CHECK(bad == 0);
}

static void
test_signed(void)
{
  i64 r;

  CHECK(sdiv_ok(-7, 2) && __divdi3(-7, 2) == -3 && __moddi3(-7, 2) == -1);
  CHECK(sdiv_ok(7, -2) && __divdi3(7, -2) == -3 && __moddi3(7, -2) == 1);
  CHECK(sdiv_ok(-7, -2) && __divdi3(-7, -2) == 3 && __moddi3(-7, -2) == -1);
  CHECK(sdiv_ok(INT64_MIN, 1));
  CHECK(sdiv_ok(INT64_MIN, 2));
  CHECK(sdiv_ok(INT64_MIN, INT64_MAX));
  CHECK(sdiv_ok(INT64_MAX, INT64_MIN));
  CHECK(sdiv_ok(INT64_MIN, INT64_MIN));
  // INT64_MIN / -1 overflows in C; the helper wraps like the hardware would not trap.
  CHECK(div64_sdivmod(INT64_MIN, -1, &r) == INT64_MIN && r == 0);
}

static void
test_random(void)
{
  int bad = 0;

  for(int i = 0; i < 200000; i++){
    u64 n = test_rand() >> (test_rand() % 64);
    u64 d = test_rand() >> (test_rand() % 64);
    if(d == 0)
      d = 1;
    bad += !udiv_ok(n, d);
    if(!((i64)n == INT64_MIN && (i64)d == -1))
      bad += !sdiv_ok((i64)n, (i64)d);
  }
  CHECK(bad == 0);
}

void
test_div64(void)
{
  test_edges();
  test_powers();
  test_signed();
  test_random();
  CHECK_PANICS(div64_udivmod(1, 0, 0));
  CHECK_STR(test_panic_msg, "div64: divide by zero");
  CHECK_PANICS(__udivdi3(0, 0));
}
