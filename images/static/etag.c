// ETags: the size and a 32-bit hash of the content, "<size>-<hash>" in
// hex, computed once per file at boot. The hash is chosen for few
// instructions per word: murmur3 took v86 400 ms for 10 MiB.

#include "tabcloud.h"
#include "static.h"

#define M 0x9E3779B1u       // odd (each step is a bijection): 2^32 / golden ratio

// Rotate x left by r bits.
static inline u32
etag_rotl(u32 x, int r)
{
  return x << r | x >> (32 - r);
}

// One step: mix the little-endian word at p into h. For a given h it is a
// bijection of the word, so changing any one word changes the hash.
static inline u32
etag_step(u32 h, const u8 *p)
{
  return etag_rotl(h + ((u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24), 15) * M;
}

// A 32-bit hash of p[0..n): a rotate-multiply chain over the words (four
// per pass: v86 pays per instruction), the tail, then MurmurHash3's final
// avalanche.
static u32
etag_hash(const u8 *p, u32 n)
{
  const u8 *end = p + (n & ~3u);
  u32 h = n, k = 0;

  for(; end - p >= 16; p += 16)
    h = etag_step(etag_step(etag_step(etag_step(h, p), p + 4), p + 8), p + 12);
  for(; p < end; p += 4)
    h = etag_step(h, p);
  for(u32 i = n & 3; i > 0; i--)
    k = k << 8 | p[i - 1];
  h = etag_rotl(h + k, 15) * M;
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  return h ^ h >> 16;
}

// Write the ETag of the content p[0..n), quotes included, to out
// (STATIC_ETAG_MAX bytes).
void
etag_make(const u8 *p, u32 n, char *out)
{
  ksnprintf(out, STATIC_ETAG_MAX, "\"%x-%08x\"", n, etag_hash(p, n));
}
