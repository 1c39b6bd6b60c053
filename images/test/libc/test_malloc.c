// malloc: randomized malloc/free/realloc/calloc with every block's contents
// checked and the arena walked by malloc_check(); alignment; exhaustion
// returns null; freeing everything coalesces back to one block; re-init.

#include <string.h>
#include "libctest.h"

#define ARENA (1 << 20)
#define SLOTS 512

static u64 arena[ARENA / 8];

struct slot {
  u8 *p;
  size_t n;
  u8 fill;
};

static struct slot slots[SLOTS];

// A request size: mostly small, like Duktape's, sometimes large.
static size_t
rand_size(void)
{
  u64 r = test_rand();

  switch(r % 16){
  case 0: return r >> 40 & 0xffff;
  case 1:
  case 2: return r >> 40 & 0xfff;
  default: return r >> 40 & 0x7f;
  }
}

// Do the first n bytes of s hold its fill pattern?
static int
intact(struct slot *s, size_t n)
{
  for(size_t i = 0; i < n; i++)
    if(s->p[i] != (u8)(s->fill + i))
      return 0;
  return 1;
}

// Write s's pattern from byte from to its end.
static void
stamp(struct slot *s, size_t from)
{
  for(size_t i = from; i < s->n; i++)
    s->p[i] = (u8)(s->fill + i);
}

// One random operation on slot s; returns 0 if something was wrong.
static int
step(struct slot *s)
{
  size_t n = rand_size();
  u8 *q;

  if(s->p && !intact(s, s->n))
    return 0;
  if(s->p && test_rand() % 2){
    q = tc_realloc(s->p, n);
    if(q == 0 && n != 0)
      return 1;                      // full: the old block stays valid
    s->p = q;
    if(q && !intact(s, n < s->n ? n : s->n))
      return 0;
    size_t old = s->n;
    s->n = q ? n : 0;
    stamp(s, old < s->n ? old : s->n);
  } else if(s->p){
    tc_free(s->p);
    s->p = 0;
  } else {
    s->p = tc_malloc(n);
    s->n = s->p ? n : 0;
    s->fill = (u8)test_rand();
    if(s->p)
      stamp(s, 0);
  }
  return s->p == 0 || ((uintptr_t)s->p & 7) == 0;
}

static void
test_random(void)
{
  int bad = 0, badcheck = 0;

  tc_malloc_init(arena, sizeof(arena));
  memset(slots, 0, sizeof(slots));
  for(int i = 0; i < 300000; i++){
    bad += !step(&slots[test_rand() % SLOTS]);
    if(i % 997 == 0)
      badcheck += tc_malloc_check() != 0;
  }
  CHECK(bad == 0);
  CHECK(badcheck == 0);
  CHECK(tc_malloc_peak() >= tc_malloc_used());
  for(int i = 0; i < SLOTS; i++)
    tc_free(slots[i].p);
  CHECK(tc_malloc_used() == 0);
  CHECK(tc_malloc_check() == 0);
  CHECK(tc_malloc(sizeof(arena) - 64) != 0);   // everything coalesced again
}

static void
test_exhaustion(void)
{
  static void *p[5000];
  int n = 0;

  tc_malloc_init(arena, 64 * 1024);
  while(n < 5000 && (p[n] = tc_malloc(100)) != 0)
    n++;
  CHECK(n > 500 && n < 5000);
  CHECK(tc_malloc(100) == 0);
  CHECK(tc_calloc(1, 100) == 0);
  CHECK(tc_realloc(p[0], 200) == 0);           // fails, p[0] still allocated
  CHECK(tc_malloc_check() == 0);
  for(int i = 0; i < n; i += 2)
    tc_free(p[i]);
  CHECK(tc_malloc(300) == 0);                  // holes too small to merge
  CHECK(tc_malloc(50) != 0);
  tc_malloc_init(arena, 64 * 1024);            // the js runtime's reset
  CHECK(tc_malloc_used() == 0 && tc_malloc_peak() == 0);
  CHECK(tc_malloc(60000) != 0);
  CHECK(tc_malloc_check() == 0);
}

static void
test_edges(void)
{
  u8 *p, *q, *r;
  int zero = 1;

  tc_malloc_init(arena, 4096);
  CHECK(tc_malloc((size_t)-1) == 0);
  CHECK(tc_calloc((size_t)1 << 40, (size_t)1 << 40) == 0);
  p = tc_malloc(0);
  CHECK(p != 0 && tc_malloc_used() > 0);
  tc_free(0);
  CHECK(tc_realloc(p, 0) == 0 && tc_malloc_used() == 0);
  p = tc_realloc(0, 100);
  memset(p, 0xAA, 100);
  tc_free(p);
  p = tc_calloc(10, 10);
  for(int i = 0; i < 100; i++)
    zero &= p[i] == 0;
  CHECK(zero);
  q = tc_malloc(100);
  r = tc_malloc(100);
  tc_free(q);
  q = tc_realloc(p, 200);                      // grows into the freed neighbour
  CHECK(q == p);
  q = tc_realloc(q, 8);                        // shrinks in place
  CHECK(q == p && tc_malloc_check() == 0);
  tc_free(q);
  tc_free(r);
  CHECK(tc_malloc_used() == 0 && tc_malloc_check() == 0);
  CHECK_PANICS(tc_free(r));                    // double free
  CHECK_PANICS(tc_free(arena));                // not from malloc
  tc_malloc_init(arena, 8);                    // too small for any block
  CHECK(tc_malloc(1) == 0);
}

// malloc_save/malloc_restore: what was allocated before the save comes
// back intact, what came after is gone, and the arena is consistent.
static void
test_save_restore(void)
{
  static u64 saved[ARENA / 8];
  struct slot kept[16];
  u8 *later;
  size_t used;

  tc_malloc_init(arena, ARENA);
  for(int i = 0; i < 16; i++){
    kept[i].n = rand_size() + 1;
    kept[i].fill = (u8)(i * 7);
    kept[i].p = tc_malloc(kept[i].n);
    stamp(&kept[i], 0);
  }
  tc_free(kept[3].p);                          // a hole below the top
  CHECK(tc_malloc_save(saved, 64) == 0);       // too small: nothing saved
  CHECK(tc_malloc_save(saved, sizeof(saved)) > 0);
  used = tc_malloc_used();
  for(int i = 0; i < 16; i += 2)
    tc_free(kept[i].p);
  while((later = tc_malloc(4096)) != 0)
    memset(later, 0x5A, 4096);                 // the arena filled to exhaustion
  for(int round = 0; round < 2; round++){
    tc_malloc_restore(saved);
    CHECK(tc_malloc_check() == 0 && tc_malloc_used() == used);
    for(int i = 0; i < 16; i++)
      CHECK(i == 3 || intact(&kept[i], kept[i].n));
    CHECK((later = tc_malloc(ARENA / 2)) != 0);  // the free space at the top is back
    memset(later, 0x5A, ARENA / 2);
  }
  CHECK(tc_malloc_check() == 0);
}

void
test_malloc(void)
{
  test_save_restore();
  test_random();
  test_exhaustion();
  test_edges();
}
