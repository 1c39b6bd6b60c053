// Internet checksum (RFC 1071) and dotted-quad address parsing.

#include "types.h"
#include "defs.h"
#include "net.h"

// A 32-bit word at any address (x86 loads unaligned words; may_alias keeps
// the compiler from assuming the bytes are not also read as u8).
typedef u32 __attribute__((aligned(1), may_alias)) u32_unaligned;

// Add the bytes p[0..len) to sum as big-endian 16-bit words (an odd last
// byte is padded with zero). Fold and complement with inet_fold.
// The one's-complement sum does not depend on byte order (RFC 1071 2(B)), so
// the bulk is added as native 32-bit words and byte-swapped once: a quarter of
// the work of a loop over 16-bit words, which counts in an emulated guest.
u32
inet_sum(u32 sum, const void *p, u32 len)
{
  const u8 *b = p;
  u64 acc = 0;
  u32 le;

  for(; len >= 4; b += 4, len -= 4)
    acc += *(const u32_unaligned *)b;
  le = (u32)acc + (u32)(acc >> 32);
  if(le < (u32)acc)
    le++;                           // end-around carry
  le = (le & 0xFFFF) + (le >> 16);
  le = (le & 0xFFFF) + (le >> 16);
  sum += (le & 0xFF) << 8 | le >> 8;  // little-endian 16-bit sum, swapped
  for(; len >= 2; b += 2, len -= 2)
    sum += get16(b);
  if(len)
    sum += (u32)b[0] << 8;
  return sum;
}

// Fold sum to 16 bits and complement it: the checksum field's value.
u16
inet_fold(u32 sum)
{
  while(sum >> 16)
    sum = (sum & 0xFFFF) + (sum >> 16);
  return (u16)~sum;
}

// The pseudo-header sum of TCP and UDP: addresses, protocol, length.
u32
inet_pseudo(u32 src, u32 dst, u8 proto, u32 len)
{
  return (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + proto + len;
}

// The netmask of a /prefix.
u32
inet_mask(int prefix)
{
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
}

// Parse up to 3 decimal digits ending the number at *s; -1 if none or > max.
static int
inet_num(const char **s, int max)
{
  int v = 0, n = 0;

  while(**s >= '0' && **s <= '9' && n < 4){
    v = v * 10 + (*(*s)++ - '0');
    n++;
  }
  return n == 0 || n > 3 || v > max ? -1 : v;
}

// Parse "a.b.c.d" or "a.b.c.d/n" (all of s); prefix is -1 when absent.
// Returns 0, or -1 if s is not an address.
int
inet_parse(const char *s, u32 *ip, int *prefix)
{
  u32 v = 0;
  int x;

  for(int i = 0; i < 4; i++){
    if(i > 0 && *s++ != '.')
      return -1;
    if((x = inet_num(&s, 255)) < 0)
      return -1;
    v = v << 8 | x;
  }
  *prefix = -1;
  if(*s == '/'){
    s++;
    if((*prefix = inet_num(&s, 32)) < 0)
      return -1;
  }
  if(*s)
    return -1;
  *ip = v;
  return 0;
}
