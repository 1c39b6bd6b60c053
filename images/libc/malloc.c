// The allocator: one arena, blocks with boundary tags, segregated free lists.
// A block is a header (the previous block's size when that one is free, then
// this block's size and two flag bits) and its payload. A free block links
// itself into the list of its size class through its payload, and the next
// block's prev_size is its footer, so free() coalesces both ways in O(1).
// Classes are exact below 512 bytes (steps of 8), powers of two above; a
// bitmap finds the first non-empty class. A zero-size in-use header ends the
// arena. Exhaustion returns NULL; malloc_init() may be called again to drop
// everything, and malloc_save()/malloc_restore() put the arena back as it
// was (the js runtime does one or the other after a script exhausts its heap).

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "defs.h"

#define INUSE      1u
#define PREV_INUSE 2u
#define FLAGS      7u
#define HDR        8u                // header size; payloads are 8-aligned
#define SMALL      512u              // exact classes below this size
#define NSMALL     (SMALL / 8)
#define NCLASS     (NSMALL + 24)
#define MAXREQ     0x7FFFFF00u       // larger requests fail outright

struct blk {
  uint32_t prev_size;                // valid only when the previous block is free
  uint32_t size;                     // block size with header, | INUSE | PREV_INUSE
  struct blk *next, *prev;           // free-list links, in a free block's payload
};

#define MINBLK ((sizeof(struct blk) + 7u) & ~7u)

static struct blk *bins[NCLASS];
static uint32_t binmap[(NCLASS + 31) / 32];
static uint8_t *arena, *arena_end;   // arena_end: the terminating header
static size_t used, peak;

// The size of block b.
static uint32_t
blk_size(struct blk *b)
{
  return b->size & ~FLAGS;
}

// The block after b.
static struct blk *
blk_next(struct blk *b)
{
  return (struct blk *)((uint8_t *)b + blk_size(b));
}

// The size class of a block of size sz (a multiple of 8, at least MINBLK).
static int
size_class(uint32_t sz)
{
  if(sz < SMALL)
    return sz / 8;
  return NSMALL + (31 - __builtin_clz(sz)) - 9;
}

// Link free block b into its class and write its footer.
static void
bin_insert(struct blk *b)
{
  int c = size_class(blk_size(b));

  b->prev = 0;
  b->next = bins[c];
  if(b->next)
    b->next->prev = b;
  bins[c] = b;
  binmap[c / 32] |= 1u << (c % 32);
  blk_next(b)->prev_size = blk_size(b);
}

// Unlink free block b from its class.
static void
bin_remove(struct blk *b)
{
  int c = size_class(blk_size(b));

  if(b->prev)
    b->prev->next = b->next;
  else
    bins[c] = b->next;
  if(b->next)
    b->next->prev = b->prev;
  if(bins[c] == 0)
    binmap[c / 32] &= ~(1u << (c % 32));
}

// The first non-empty class at or above c, or -1.
static int
bin_first(int c)
{
  uint32_t m;

  for(int w = c / 32; w < (int)NELEM(binmap); w++){
    m = binmap[w];
    if(w == c / 32)
      m &= ~0u << (c % 32);
    if(m)
      return w * 32 + __builtin_ctz(m);
  }
  return -1;
}

// Take a free block of at least sz bytes out of the lists, or return null.
static struct blk *
bin_take(uint32_t sz)
{
  struct blk *b;
  int c = bin_first(size_class(sz));

  for(; c >= 0; c = bin_first(c + 1)){
    for(b = bins[c]; b; b = b->next){   // only the first class may hold misfits
      if(blk_size(b) >= sz){
        bin_remove(b);
        return b;
      }
    }
  }
  return 0;
}

// Set up [base, base+len) as the arena, forgetting every earlier allocation.
void
malloc_init(void *base, size_t len)
{
  uintptr_t lo = ((uintptr_t)base + 7) & ~(uintptr_t)7;
  uintptr_t hi = ((uintptr_t)base + len) & ~(uintptr_t)7;
  struct blk *b;

  memset(bins, 0, sizeof(bins));
  memset(binmap, 0, sizeof(binmap));
  used = peak = 0;
  arena = arena_end = 0;
  if(base == 0 || hi <= lo || hi - lo < MINBLK + HDR || hi - lo - HDR > MAXREQ)
    return;                          // no arena: every malloc fails
  arena = (uint8_t *)lo;
  arena_end = (uint8_t *)(hi - HDR);
  b = (struct blk *)arena;
  b->size = (uint32_t)(arena_end - arena) | PREV_INUSE;
  ((struct blk *)arena_end)->size = INUSE;   // the end: size 0, never free
  bin_insert(b);
}

// Mark b (of which the first sz bytes are wanted) in use; free the tail if it is big enough.
static void
blk_use(struct blk *b, uint32_t sz)
{
  uint32_t have = blk_size(b);
  struct blk *rest;

  if(have - sz >= MINBLK){
    rest = (struct blk *)((uint8_t *)b + sz);
    rest->size = (have - sz) | PREV_INUSE;
    blk_next(rest)->size &= ~PREV_INUSE;
    bin_insert(rest);
    have = sz;
  } else
    blk_next(b)->size |= PREV_INUSE;
  b->size = have | INUSE | (b->size & PREV_INUSE);
  used += have;
  if(used > peak)
    peak = used;
}

// The block size that holds an n-byte payload, or 0 if n is too large.
static uint32_t
req_size(size_t n)
{
  if(n > MAXREQ)
    return 0;
  n = (n + HDR + 7) & ~(size_t)7;
  return n < MINBLK ? MINBLK : (uint32_t)n;
}

// Allocate n bytes, 8-aligned; null when the arena has no room.
void *
malloc(size_t n)
{
  uint32_t sz = req_size(n);
  struct blk *b;

  if(sz == 0 || (b = bin_take(sz)) == 0)
    return 0;
  blk_use(b, sz);
  return (uint8_t *)b + HDR;
}

// The in-use block of payload p; panics on a pointer malloc did not return.
static struct blk *
blk_of(void *p)
{
  struct blk *b = (struct blk *)((uint8_t *)p - HDR);

  if((uint8_t *)b < arena || (uint8_t *)b >= arena_end || ((uintptr_t)p & 7))
    panic("free: %p is not in the arena", p);
  if(!(b->size & INUSE))
    panic("free: %p is not in use", p);
  return b;
}

// Return free block b (not in a list) to the lists, merged with free neighbours.
static void
blk_release(struct blk *b)
{
  struct blk *n = blk_next(b), *pv;
  uint32_t sz = blk_size(b);

  if(!(n->size & INUSE)){
    bin_remove(n);
    sz += blk_size(n);
  }
  if(!(b->size & PREV_INUSE)){
    pv = (struct blk *)((uint8_t *)b - b->prev_size);
    bin_remove(pv);
    sz += blk_size(pv);
    b = pv;
  }
  b->size = sz | PREV_INUSE;         // a free block's predecessor is never free
  blk_next(b)->size &= ~PREV_INUSE;
  bin_insert(b);
}

// Free p (null is ignored).
void
free(void *p)
{
  struct blk *b;

  if(p == 0)
    return;
  b = blk_of(p);
  used -= blk_size(b);
  b->size &= ~INUSE;
  blk_release(b);
}

// Allocate count*size zeroed bytes; null on overflow or exhaustion.
void *
calloc(size_t count, size_t size)
{
  void *p;

  if(size != 0 && count > MAXREQ / size)
    return 0;
  p = malloc(count * size);
  if(p)
    memset(p, 0, count * size);
  return p;
}

// Resize in-use block b in place to sz bytes, using its free successor if
// need be; 0 if there is no room there.
static int
blk_resize(struct blk *b, uint32_t sz)
{
  uint32_t have = blk_size(b);
  struct blk *nx = blk_next(b);

  if(have < sz && !(nx->size & INUSE) && have + blk_size(nx) >= sz){
    bin_remove(nx);
    have += blk_size(nx);
  }
  if(have < sz)
    return 0;
  used -= blk_size(b);
  b->size = have | (b->size & PREV_INUSE);
  blk_use(b, sz);
  nx = blk_next(b);                  // a freed tail merges with what follows
  if(!(nx->size & INUSE) && !(blk_next(nx)->size & INUSE)){
    bin_remove(nx);
    blk_release(nx);
  }
  return 1;
}

// Resize p to n bytes, in place when the block or its free successor allows.
// realloc(p, 0) frees p and returns null; on failure p is left as it was.
void *
realloc(void *p, size_t n)
{
  uint32_t sz = req_size(n);
  struct blk *b;
  void *q;

  if(p == 0)
    return malloc(n);
  if(n == 0){
    free(p);
    return 0;
  }
  b = blk_of(p);
  if(sz == 0)
    return 0;
  if(blk_resize(b, sz))
    return p;
  if((q = malloc(n)) == 0)
    return 0;
  memcpy(q, p, blk_size(b) - HDR);   // the old payload is the smaller
  free(p);
  return q;
}

// Walk the arena: 0 if every header, flag and footer is consistent, else a
// negative code. *nfree gets the number of free blocks, *inuse the bytes in use.
static int
check_walk(int *nfree, size_t *inuse)
{
  struct blk *b = (struct blk *)arena;
  int prev_free = 0;

  for(*nfree = 0, *inuse = 0; (uint8_t *)b < arena_end; b = blk_next(b)){
    uint32_t sz = blk_size(b);
    if(sz < MINBLK || sz % 8 || sz > (size_t)(arena_end - (uint8_t *)b))
      return -1;
    if(((b->size & PREV_INUSE) == 0) != prev_free)
      return -2;
    prev_free = !(b->size & INUSE);
    if(prev_free && (!(blk_next(b)->size & INUSE) || blk_next(b)->prev_size != sz))
      return -3;                     // two free neighbours, or a bad footer
    *nfree += prev_free;
    *inuse += prev_free ? 0 : sz;
  }
  if((uint8_t *)b != arena_end || ((b->size & PREV_INUSE) == 0) != prev_free)
    return -4;
  return 0;
}

// Check the arena and the free lists against each other (for tests and
// debugging): 0 if consistent, else a negative code.
int
malloc_check(void)
{
  int nfree, listed = 0, r;
  size_t inuse;
  struct blk *b;

  if(arena == 0)
    return used == 0 ? 0 : -5;
  if((r = check_walk(&nfree, &inuse)) < 0)
    return r;
  if(inuse != used || peak < used)
    return -6;
  for(int c = 0; c < (int)NCLASS; c++){
    if(!(binmap[c / 32] >> (c % 32) & 1) != !bins[c])
      return -7;
    for(b = bins[c]; b; b = b->next, listed++)
      if((b->size & INUSE) || size_class(blk_size(b)) != c || (b->next && b->next->prev != b))
        return -8;
  }
  return listed == nfree ? 0 : -9;
}

// Bytes of the arena in use (blocks with their headers).
size_t
malloc_used(void)
{
  return used;
}

// The most malloc_used() has been since malloc_init().
size_t
malloc_peak(void)
{
  return peak;
}

// What malloc_save keeps besides the arena's prefix.
struct saved {
  struct blk *bins[NCLASS];
  uint32_t binmap[(NCLASS + 31) / 32];
  size_t used, peak;
  uint32_t prefix;                   // bytes of the arena kept
  struct blk end;                    // the terminating header (prev_size is the last block's footer)
};

// The offset at which the arena's last block starts if that block is free
// and reaches the end, else the arena's whole length.
static uint32_t
last_free(void)
{
  struct blk *b = (struct blk *)arena, *last = 0;

  for(; (uint8_t *)b < arena_end; b = blk_next(b))
    last = b;
  if(last && !(last->size & INUSE))
    return (uint8_t *)last - arena;
  return arena_end - arena;
}

// Copy the allocator's state to dst (at most n bytes): its bookkeeping and
// the arena up to the free space at its end. The bytes used, or 0 if they
// do not fit in n.
size_t
malloc_save(void *dst, size_t n)
{
  struct saved *sv = dst;
  uint32_t prefix;

  if(arena == 0)
    return 0;
  prefix = last_free() + MINBLK;     // the free block's header and list links
  if(prefix > (uint32_t)(arena_end - arena))
    prefix = arena_end - arena;
  if(n < sizeof(*sv) + prefix)
    return 0;
  memcpy(sv->bins, bins, sizeof(bins));
  memcpy(sv->binmap, binmap, sizeof(binmap));
  sv->used = used;
  sv->peak = peak;
  sv->prefix = prefix;
  memcpy(&sv->end, arena_end, HDR);
  memcpy(sv + 1, arena, prefix);
  return sizeof(*sv) + prefix;
}

// Put the arena back as malloc_save found it (same arena, still set): every
// block allocated since is gone, every block freed since is back.
void
malloc_restore(const void *src)
{
  const struct saved *sv = src;

  memcpy(bins, sv->bins, sizeof(bins));
  memcpy(binmap, sv->binmap, sizeof(binmap));
  used = sv->used;
  peak = sv->peak;
  memcpy(arena, sv + 1, sv->prefix);
  memcpy(arena_end, &sv->end, HDR);
}
