// The key index: up to KV_KEYS_MAX keys in fixed slots, and an array of
// slot numbers kept in key order (bytewise), binary-searched. Each key
// holds a reference to its value (store.c).

#include "tabcloud.h"
#include "kv.h"

#define NIL 0xFFFFFFFFu

struct entry {
  u32 value;               // free slots: the next free slot
  u8 klen;
  char key[KV_KEY_MAX];
};

_Static_assert(KV_KEYS_MAX <= 65536, "order[] holds 16-bit slot numbers");
_Static_assert(INDEX_BYTES >= KV_KEYS_MAX * (sizeof(struct entry) + sizeof(u16)), "INDEX_BYTES too small");

static struct {
  struct entry *entries;
  u16 *order;              // slots in key order
  u32 hw, free;            // slots used from a high-water mark, then a free list
  u32 nkeys, bytes;
} ix;

// Use mem (INDEX_BYTES, aligned) for an empty index.
void
index_init(void *mem)
{
  ix.entries = mem;
  ix.order = (u16 *)(ix.entries + KV_KEYS_MAX);
  ix.hw = ix.nkeys = ix.bytes = 0;
  ix.free = NIL;
}

// Number of keys.
u32
store_keys(void)
{
  return ix.nkeys;
}

// Bytes of all values that keys name.
u32
store_bytes(void)
{
  return ix.bytes;
}

// Is key[0..klen) a valid key: 1..KV_KEY_MAX bytes of [A-Za-z0-9._~-]?
int
store_valid_key(const char *key, u32 klen)
{
  if(klen == 0 || klen > KV_KEY_MAX)
    return 0;
  for(u32 i = 0; i < klen; i++){
    char c = key[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '~' || c == '-'))
      return 0;
  }
  return 1;
}

// Compare key k[0..n) with the key in slot e: <0, 0, >0.
static int
index_cmp(const char *k, u32 n, u32 e)
{
  struct entry *x = &ix.entries[e];
  int r = memcmp(k, x->key, n < x->klen ? n : x->klen);

  return r ? r : (int)n - (int)x->klen;
}

// The position in key order of key k[0..n), or of where it would go; *found
// says whether it is there.
static u32
index_search(const char *k, u32 n, int *found)
{
  u32 lo = 0, hi = ix.nkeys, mid;
  int r;

  *found = 0;
  while(lo < hi){
    mid = (lo + hi) / 2;
    r = index_cmp(k, n, ix.order[mid]);
    if(r == 0){
      *found = 1;
      return mid;
    }
    if(r < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

// The value named by key, or -1 (no reference is taken).
int
store_lookup(const char *key, u32 klen)
{
  int found;
  u32 pos = index_search(key, klen, &found);

  return found ? (int)ix.entries[ix.order[pos]].value : -1;
}

// Make key name value v (taking a reference). 1 if the key is new, 0 if
// it replaced a value, -1 if there is no room for another key.
int
store_put(const char *key, u32 klen, int v)
{
  int found;
  u32 pos = index_search(key, klen, &found), e;

  store_ref(v);
  if(found){
    e = ix.order[pos];
    ix.bytes -= store_len(ix.entries[e].value);
    store_unref(ix.entries[e].value);
  } else {
    if(ix.nkeys == KV_KEYS_MAX || (ix.free == NIL && ix.hw == KV_KEYS_MAX)){
      store_unref(v);
      return -1;
    }
    e = ix.free != NIL ? ix.free : ix.hw++;
    if(e == ix.free)
      ix.free = ix.entries[e].value;
    memmove(ix.order + pos + 1, ix.order + pos, (ix.nkeys - pos) * sizeof(u16));
    ix.order[pos] = e;
    ix.nkeys++;
    ix.entries[e].klen = klen;
    memcpy(ix.entries[e].key, key, klen);
  }
  ix.entries[e].value = v;
  ix.bytes += store_len(v);
  return !found;
}

// Remove key and drop its reference. 0, or -1 if there is no such key.
int
store_del(const char *key, u32 klen)
{
  int found;
  u32 pos = index_search(key, klen, &found), e;

  if(!found)
    return -1;
  e = ix.order[pos];
  ix.bytes -= store_len(ix.entries[e].value);
  store_unref(ix.entries[e].value);
  memmove(ix.order + pos, ix.order + pos + 1, (ix.nkeys - pos - 1) * sizeof(u16));
  ix.nkeys--;
  ix.entries[e].value = ix.free;
  ix.free = e;
  return 0;
}

// The position in key order of the first key after after[0..alen) (of the
// first key if after is null); -1 if there is none.
int
store_next(const char *after, u32 alen)
{
  int found;
  u32 pos = after ? index_search(after, alen, &found) : 0;

  if(after && found)
    pos++;
  return pos < ix.nkeys ? (int)pos : -1;
}

// The key at position pos in key order, its length in *klen.
const char *
store_key(int pos, u32 *klen)
{
  struct entry *x = &ix.entries[ix.order[pos]];

  *klen = x->klen;
  return x->key;
}
