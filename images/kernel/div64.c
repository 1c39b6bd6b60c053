// 64-bit division for a 32-bit target with no libgcc: clang turns u64 '/' and
// '%' into calls to __udivdi3 and friends. The core must not divide 64-bit
// values itself (it would call itself); it uses 32-bit division when the
// dividend fits, and normalised shift-subtract otherwise. Host-tested.

#include "types.h"
#include "defs.h"

// Unsigned n / d; the remainder goes to *rem if rem is not null.
u64
div64_udivmod(u64 n, u64 d, u64 *rem)
{
  u64 q = 0;
  int shift;

  if(d == 0)
    panic("div64: divide by zero");
  if(n < d){
    q = 0;
  } else if((n >> 32) == 0){    // then d fits too: one hardware divide
    q = (u32)n / (u32)d;
    n = (u32)n % (u32)d;
  } else {
    shift = __builtin_clzll(d) - __builtin_clzll(n);
    d <<= shift;                // align d's top bit with n's
    for(; shift >= 0; shift--){
      q <<= 1;
      if(n >= d){
        n -= d;
        q |= 1;
      }
      d >>= 1;
    }
  }
  if(rem)
    *rem = n;
  return q;
}

// Signed n / d truncating toward zero; the remainder takes the sign of n.
i64
div64_sdivmod(i64 n, i64 d, i64 *rem)
{
  u64 un = n < 0 ? -(u64)n : (u64)n;
  u64 ud = d < 0 ? -(u64)d : (u64)d;
  u64 ur, q;

  q = div64_udivmod(un, ud, &ur);
  if(rem)
    *rem = n < 0 ? (i64)-ur : (i64)ur;
  return (n < 0) != (d < 0) ? (i64)-q : (i64)q;
}

// Compiler runtime entry points (libgcc names), built on the two cores above.

// Unsigned 64-bit quotient.
u64
__udivdi3(u64 n, u64 d)
{
  return div64_udivmod(n, d, 0);
}

// Unsigned 64-bit remainder.
u64
__umoddi3(u64 n, u64 d)
{
  u64 r;

  div64_udivmod(n, d, &r);
  return r;
}

// Signed 64-bit quotient, truncated toward zero.
i64
__divdi3(i64 n, i64 d)
{
  return div64_sdivmod(n, d, 0);
}

// Signed 64-bit remainder, with the sign of the dividend.
i64
__moddi3(i64 n, i64 d)
{
  i64 r;

  div64_sdivmod(n, d, &r);
  return r;
}

// Unsigned quotient and remainder at once (gcc emits this for a / and % pair).
u64
__udivmoddi4(u64 n, u64 d, u64 *rem)
{
  return div64_udivmod(n, d, rem);
}

// Signed quotient and remainder at once.
i64
__divmoddi4(i64 n, i64 d, i64 *rem)
{
  return div64_sdivmod(n, d, rem);
}
