// The kv appliance's hardware-free parts: the value store (store.c) and
// the strict JSON reader for its seed (json.c). Host-tested.

#ifndef KV_H
#define KV_H

#include "tabcloud.h"

// store.c: keys in sorted order, values as refcounted chains of chunks.
struct store_cursor {
  u32 chunk;        // chunk holding value offset base (valid if base <= off)
  u32 base;
  int value;        // the value this cursor walks, -1 if none yet
};
#define INDEX_BYTES (KV_KEYS_MAX * 140)   // index.c's tables
void index_init(void *mem);
int store_init(void *mem, u32 len);
u32 store_keys(void);
u32 store_bytes(void);
u32 store_capacity(void);
int store_valid_key(const char *key, u32 klen);
int store_lookup(const char *key, u32 klen);
int store_new(const char *ctype);
int store_append(int v, const void *p, u32 n);
u32 store_read(int v, u32 off, void *dst, u32 n, struct store_cursor *cur);
void store_ref(int v);
void store_unref(int v);
u32 store_len(int v);
const char *store_ctype(int v);
int store_put(const char *key, u32 klen, int v);
int store_del(const char *key, u32 klen);
int store_next(const char *after, u32 alen);
const char *store_key(int pos, u32 *klen);

// json.c: a JSON object whose values are all strings.
struct json_err {
  u32 at;           // byte offset of the problem
  const char *msg;
};
struct json_str {
  const char *raw;  // between the quotes, escapes undecoded
  u32 n;            // raw bytes
  u32 len;          // decoded bytes
};
typedef int (*json_pair_fn)(void *ctx, const struct json_str *key, const struct json_str *val,
                            struct json_err *err);
typedef int (*json_sink_fn)(void *ctx, const void *p, u32 n);
int json_object(const char *p, u32 n, json_pair_fn fn, void *ctx, struct json_err *err);
int json_decode(const struct json_str *s, json_sink_fn sink, void *ctx);

#endif
