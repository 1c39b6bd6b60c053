// kv/store.c and kv/index.c: sorted keys, values as chunk chains,
// references that outlive a delete, chunk exhaustion, cursors.

#include <stdlib.h>
#include "param.h"
#include "test.h"
#include "kv.h"

static u8 *mem;

// A value holding s, with one reference (the caller's).
static int
val(const char *s)
{
  int v = store_new("text/plain");

  store_append(v, s, kstrlen(s));
  return v;
}

// Read all of value v into buf (NUL-terminated) in pieces of step bytes.
static char *
readall(int v, char *buf, u32 step)
{
  struct store_cursor cur = { 0, 0, -1 };
  u32 off = 0, n;

  while((n = store_read(v, off, buf + off, step, &cur)) > 0)
    off += n;
  buf[off] = 0;
  return buf;
}

static void
test_store_keys(void)
{
  static char buf[4096];
  u32 klen;
  int v;

  CHECK(store_init(mem, 8 << 20) > 0);
  CHECK(store_valid_key("a-Z_0.~", 7) && !store_valid_key("a/b", 3) && !store_valid_key("", 0));
  CHECK(!store_valid_key("a b", 3) && !store_valid_key("%41", 3));
  v = val("one");
  CHECK(store_put("b", 1, v) == 1);
  store_unref(v);
  v = val("two!");
  CHECK(store_put("a", 1, v) == 1);
  store_unref(v);
  v = val("three");
  CHECK(store_put("ab", 2, v) == 1);
  store_unref(v);
  CHECK(store_keys() == 3 && store_bytes() == 12);
  CHECK(kstrcmp(readall(store_lookup("a", 1), buf, 2), "two!") == 0);
  CHECK(kstrcmp(store_ctype(store_lookup("b", 1)), "text/plain") == 0);
  CHECK(store_lookup("abc", 3) < 0 && store_lookup("", 0) < 0);

  CHECK(store_next(0, 0) == 0 && kstrncmp(store_key(0, &klen), "a", klen) == 0 && klen == 1);
  CHECK(store_next("a", 1) == 1 && kstrncmp(store_key(1, &klen), "ab", klen) == 0 && klen == 2);
  CHECK(store_next("aa", 2) == 1);               // resumes after a key that is gone
  CHECK(store_next("b", 1) < 0);

  v = val("2");
  CHECK(store_put("a", 1, v) == 0);              // replaced
  store_unref(v);
  CHECK(store_keys() == 3 && store_bytes() == 9);
  CHECK(store_del("ab", 2) == 0 && store_del("ab", 2) < 0);
  CHECK(store_keys() == 2 && store_bytes() == 4 && store_next("a", 1) == 1);
}

static void
test_store_refs(void)
{
  static char big[10000], buf[10001];
  struct store_cursor cur = { 0, 0, -1 };
  u32 free0;
  int v;

  CHECK(store_init(mem, 2 << 20) > 0);
  free0 = store_capacity();
  for(u32 i = 0; i < sizeof(big); i++)
    big[i] = 'a' + i % 23;
  v = store_new("application/octet-stream");
  CHECK(store_append(v, big, 3000) == 0 && store_append(v, big + 3000, 7000) == 0);
  CHECK(store_len(v) == 10000 && store_capacity() == free0 - 40 * KV_CHUNK);
  store_put("k", 1, v);
  store_ref(v);                                  // a reader
  store_unref(v);                                // the upload is done
  CHECK(store_del("k", 1) == 0 && store_lookup("k", 1) < 0);
  readall(v, buf, 777);                          // the reader still sees it all
  CHECK(kmemcmp(buf, big, 10000) == 0);
  CHECK(store_read(v, 9990, buf, 100, &cur) == 10 && kmemcmp(buf, big + 9990, 10) == 0);
  CHECK(store_read(v, 10000, buf, 100, &cur) == 0);
  store_unref(v);                                // now it is freed
  CHECK(store_capacity() == free0);
  CHECK_PANICS(store_unref(v));
}

static void
test_store_full(void)
{
  static u8 chunk[KV_CHUNK];
  char key[8];
  int v, n;

  CHECK(store_init(mem, 1000) < 0);
  n = store_init(mem, INDEX_BYTES + 1000000);   // the value table (~740 KB) and some chunks
  CHECK(n > 0);
  v = store_new("x");
  for(int i = 0; i < n; i++)
    store_append(v, chunk, KV_CHUNK);
  CHECK(store_capacity() == 0 && store_append(v, chunk, 1) < 0);
  store_unref(v);
  CHECK(store_capacity() == (u32)n * KV_CHUNK);

  store_init(mem, 8 << 20);
  for(int i = 0; i < KV_KEYS_MAX; i++){
    ksnprintf(key, sizeof(key), "k%05d", (i * 7919) % KV_KEYS_MAX);
    v = val("v");
    CHECK(store_put(key, 6, v) == 1 || i >= KV_KEYS_MAX);
    store_unref(v);
  }
  v = val("v");
  CHECK(store_keys() == KV_KEYS_MAX && store_put("zzz", 3, v) < 0);
  store_unref(v);
  char prev[8] = "", *k;
  u32 klen;
  int sorted = 1, pos = store_next(0, 0);
  for(int i = 0; pos >= 0; i++, pos = store_next(k, klen)){
    k = (char *)store_key(pos, &klen);
    sorted &= kstrncmp(prev, k, 6) < 0;
    kmemcpy(prev, k, 6);
  }
  CHECK(sorted);
}

void
test_store(void)
{
  mem = malloc(8 << 20);
  test_store_keys();
  test_store_refs();
  test_store_full();
  free(mem);
}
