// The store's memory and its seed: the largest free RAM region above the
// kernel (module 0 excluded) becomes the store; module 0, if present, is a
// JSON object of string values loaded into it. A bad seed is reported on
// the console and the store starts empty: the appliance still comes up.

#include "tabcloud.h"
#include "kv.h"

#define SEED_CTYPE "text/plain; charset=utf-8"

struct seed {
  u32 keys, bytes;
  int load;         // 0: check only, 1: store
  int value;        // being filled
};

// json_sink_fn: append decoded bytes to the value being loaded.
static int
seed_sink(void *ctx, const void *p, u32 n)
{
  struct seed *s = ctx;

  return store_append(s->value, p, n);
}

// json_sink_fn: collect a (short) decoded key.
static int
seed_key_sink(void *ctx, const void *p, u32 n)
{
  char **k = ctx;

  memcpy(*k, p, n);
  *k += n;
  return 0;
}

// json_pair_fn: check one pair against the limits, or store it.
static int
seed_pair(void *ctx, const struct json_str *k, const struct json_str *v, struct json_err *err)
{
  struct seed *s = ctx;
  char key[KV_KEY_MAX], *end = key;

  if(k->len == 0 || k->len > KV_KEY_MAX || json_decode(k, seed_key_sink, &end) < 0 ||
     !store_valid_key(key, k->len))
    err->msg = "keys must be 1-128 bytes of A-Z a-z 0-9 . _ ~ -";
  else if(v->len > KV_VALUE_MAX)
    err->msg = "a value is over 1 MiB";
  else if(!s->load && (s->keys >= KV_KEYS_MAX || s->bytes + v->len > KV_BYTES_MAX))
    err->msg = "more than the store holds (8 MiB, 4096 keys)";
  else if(s->load && ((s->value = store_new(SEED_CTYPE)) < 0 || json_decode(v, seed_sink, s) < 0 ||
                      store_put(key, k->len, s->value) < 0))
    err->msg = "out of memory";
  else {
    if(s->load)
      store_unref(s->value);
    s->keys++;
    s->bytes += v->len;
    return 0;
  }
  return -1;
}

static void *store_base;   // the store's region, to start over
static u32 store_len_;

// Load the seed p[0..n) if it is valid as a whole; report either way.
static void
seed_load(const char *p, u32 n)
{
  struct seed s = { 0, 0, 0, -1 };
  struct json_err err = { 0, 0 };

  if(json_object(p, n, seed_pair, &s, &err) < 0){
    kprintf("kv: seed rejected: %s at byte %u; starting empty\n", err.msg, err.at);
    return;
  }
  s.keys = s.bytes = 0;
  s.load = 1;
  if(json_object(p, n, seed_pair, &s, &err) < 0){
    kprintf("kv: seed load failed: %s at byte %u; starting empty\n", err.msg, err.at);
    store_init(store_base, store_len_);
    return;
  }
  kprintf("kv: seeded %u keys (%u bytes) from user-data\n", s.keys, s.bytes);
}

// Give the store its memory and load the seed, if there is one.
void
kv_seed(void)
{
  void *base;
  const u8 *seed;
  u32 len;
  int n;

  if(mem_region(&base, &len) < 0 || (n = store_init(base, len)) < 0)
    panic("kv: no memory for the store");
  store_base = base;
  store_len_ = len;
  kprintf("kv: store of %u KiB at %p\n", (u32)((u64)n * KV_CHUNK >> 10), base);
  if((u64)n * KV_CHUNK < KV_BYTES_MAX + (u64)KV_KEYS_MAX * KV_CHUNK)
    kprintf("kv: warning: memory too small for %u MiB of values\n", KV_BYTES_MAX >> 20);
  if(user_data(&seed, &len) == 0)
    seed_load((const char *)seed, len);
}
