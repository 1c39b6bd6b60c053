// The kv appliance: an in-memory key-value store with a JSON/REST API on
// port 80 (GET / for stats, GET /keys for the sorted key list, GET, PUT,
// DELETE /keys/<key>), seeded from multiboot module 0 (seed.c). Values
// keep the Content-Type they were stored with.

#include "tabcloud.h"
#include "kv.h"

#define NAME       "kv"
#define KEYS       "/keys"
#define JSON       "application/json"
#define NO_VALUE   -1

void kv_seed(void);

static struct kvc {
  int upload;              // value being received, or NO_VALUE
  u32 reserved;            // bytes it counts against KV_BYTES_MAX meanwhile
  int stream;              // value being sent, or NO_VALUE
  u32 off;                 // of the stream
  struct store_cursor cur;
  int listed;              // keys listed so far by GET /keys (-1: "[" not yet)
  u32 last_len;            // the last key listed
  char last[KV_KEY_MAX];
} kvc[TCP_CONNS];

static u32 reserved;       // sum of kvc[].reserved

// The per-connection state of hc.
static struct kvc *
kv_of(struct http_conn *hc)
{
  return &kvc[http_id(hc)];
}

// Respond with a small JSON body made by a format.
static void PRINTFLIKE(3, 4)
kv_json(struct http_conn *hc, int status, const char *fmt, ...)
{
  char body[HTTP_SMALL_BODY];
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = kvsnprintf(body, sizeof(body), fmt, ap);
  va_end(ap);
  http_respond(hc, status, JSON, body, n < (int)sizeof(body) ? (u32)n : sizeof(body) - 1);
}

// Stream body: the next bytes of the value being sent.
static u32
kv_read_value(struct http_conn *hc, u8 *dst, u32 n)
{
  struct kvc *k = kv_of(hc);
  u32 got = store_read(k->stream, k->off, dst, n, &k->cur);

  k->off += got;
  return got;
}

// Stream body (chunked): the next keys of the sorted list, as JSON. Each
// call resumes after the last key sent, so keys added or removed meanwhile
// never make it repeat or skip one that stayed.
static u32
kv_read_keys(struct http_conn *hc, u8 *dst, u32 n)
{
  struct kvc *k = kv_of(hc);
  u32 o = 0, klen;
  const char *key;
  int pos;

  if(k->listed == -2)
    return 0;
  if(k->listed == -1){
    dst[o++] = '[';
    k->listed = 0;
  }
  while(n - o >= KV_KEY_MAX + 4){
    pos = store_next(k->listed ? k->last : 0, k->last_len);
    if(pos < 0){
      dst[o++] = ']';
      dst[o++] = '\n';
      k->listed = -2;
      break;
    }
    key = store_key(pos, &klen);
    if(k->listed++)
      dst[o++] = ',';
    dst[o++] = '"';
    memcpy(dst + o, key, klen);
    o += klen;
    dst[o++] = '"';
    memcpy(k->last, key, klen);
    k->last_len = klen;
  }
  return o;
}

// GET /keys/<key>: the stored bytes with their Content-Type.
static void
kv_get(struct http_conn *hc, const char *key, u32 klen)
{
  struct kvc *k = kv_of(hc);
  int v = store_lookup(key, klen);

  if(v < 0){
    http_error(hc, 404, "not_found", "no such key");
    return;
  }
  store_ref(v);
  k->stream = v;
  k->off = 0;
  k->cur.value = NO_VALUE;
  http_respond_stream(hc, 200, store_ctype(v), store_len(v), kv_read_value);
}

// Reserve n more bytes of KV_BYTES_MAX for k's upload to key, counting the
// value it will replace as freed. 0, or -1 after answering 507.
static int
kv_reserve(struct http_conn *hc, struct kvc *k, u32 n, const char *key)
{
  int old = store_lookup(key, strlen(key));
  u32 replaced = old < 0 ? 0 : store_len(old);

  if((u64)store_bytes() - replaced + reserved + n > KV_BYTES_MAX){
    http_error(hc, 507, "storage_full", "the store is full (8 MiB of values)");
    return -1;
  }
  k->reserved += n;
  reserved += n;
  return 0;
}

// PUT /keys/<key>: check the limits, then take the body.
static void
kv_put(struct http_conn *hc, const struct http_req *r, const char *key, u32 klen)
{
  struct kvc *k = kv_of(hc);

  if(r->clen > KV_VALUE_MAX){
    http_error(hc, 413, "too_large", "values are at most 1 MiB");
    return;
  }
  if(store_lookup(key, klen) < 0 && store_keys() >= KV_KEYS_MAX){
    http_error(hc, 507, "storage_full", "too many keys");
    return;
  }
  if(kv_reserve(hc, k, r->clen, key) < 0)
    return;
  k->upload = store_new(r->ctype[0] ? r->ctype : "application/octet-stream");
  if(k->upload < 0){
    http_error(hc, 503, "busy", "too many uploads at once");
    return;
  }
  http_accept_body(hc);
}

// Body bytes of a PUT: append them (a chunked body reserves as it grows).
static int
kv_body(struct http_conn *hc, const u8 *p, u32 n)
{
  struct kvc *k = kv_of(hc);
  const struct http_req *r = http_request(hc);
  u32 len = store_len(k->upload) + n;

  if(len > KV_VALUE_MAX){
    http_error(hc, 413, "too_large", "values are at most 1 MiB");
    return -1;
  }
  if(len > k->reserved && kv_reserve(hc, k, len - k->reserved, r->path + 6) < 0)
    return -1;
  if(store_append(k->upload, p, n) < 0){
    http_error(hc, 507, "storage_full", "out of memory for values");
    return -1;
  }
  return 0;
}

// The PUT body is complete: the key now names it. 201 new, 204 replaced.
static void
kv_end(struct http_conn *hc)
{
  struct kvc *k = kv_of(hc);
  const char *key = http_request(hc)->path + 6;
  u32 klen = strlen(key), len = store_len(k->upload);
  int created = store_put(key, klen, k->upload);

  if(created < 0)
    http_error(hc, 507, "storage_full", "too many keys");
  else if(created)
    kv_json(hc, 201, "{\"key\":\"%s\",\"bytes\":%u}\n", key, len);
  else
    http_respond(hc, 204, 0, 0, 0);
}

// Requests for /keys/<key>.
static void
kv_key(struct http_conn *hc, const struct http_req *r, const char *key)
{
  u32 klen = strlen(key);

  if(!store_valid_key(key, klen)){
    http_error(hc, 400, "bad_key", "keys are 1-128 bytes of A-Z a-z 0-9 . _ ~ -");
  } else if(r->method == HTTP_GET || r->method == HTTP_HEAD){
    kv_get(hc, key, klen);
  } else if(r->method == HTTP_PUT){
    kv_put(hc, r, key, klen);
  } else if(r->method == HTTP_DELETE){
    if(store_del(key, klen) < 0)
      http_error(hc, 404, "not_found", "no such key");
    else
      http_respond(hc, 204, 0, 0, 0);
  } else {
    http_allow(hc, "GET, HEAD, PUT, DELETE");
    http_error(hc, 405, "method_not_allowed", "use GET, HEAD, PUT or DELETE");
  }
}

// Route a request (headers read).
static void
kv_request(struct http_conn *hc, const struct http_req *r)
{
  struct kvc *k = kv_of(hc);
  int get = r->method == HTTP_GET || r->method == HTTP_HEAD;

  k->upload = k->stream = NO_VALUE;
  k->reserved = 0;
  if(strncmp(r->path, KEYS "/", 6) == 0)
    kv_key(hc, r, r->path + 6);
  else if((strcmp(r->path, "/") == 0 || strcmp(r->path, KEYS) == 0) && !get){
    http_allow(hc, "GET, HEAD");
    http_error(hc, 405, "method_not_allowed", "use GET or HEAD");
  } else if(strcmp(r->path, "/") == 0)
    kv_json(hc, 200, "{\"appliance\":\"" NAME "\",\"keys\":%u,\"bytes\":%u}\n", store_keys(), store_bytes());
  else if(strcmp(r->path, KEYS) == 0){
    k->listed = -1;
    http_respond_stream(hc, 200, JSON, HTTP_CHUNKED, kv_read_keys);
  } else
    http_error(hc, 404, "not_found", "try GET / or /keys");
}

// The request is over: drop what it held.
static void
kv_release(struct http_conn *hc)
{
  struct kvc *k = kv_of(hc);

  if(k->upload != NO_VALUE)
    store_unref(k->upload);
  if(k->stream != NO_VALUE)
    store_unref(k->stream);
  reserved -= k->reserved;
  k->upload = k->stream = NO_VALUE;
  k->reserved = 0;
}

static const struct http_app kv_app = {
  .server = "tabcloud-" NAME,
  .request = kv_request,
  .body = kv_body,
  .end = kv_end,
  .release = kv_release,
};

// hang: stop answering anything, without a crash report: interrupts off,
// halted for good (for tests of a guest that does not answer).
static void
cmd_hang(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  hang();
}

// kv: the store's use and free room, and the HTTP request buffers in use
// (load tests read it before and after).
static void
cmd_kv(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  kprintf("kv: %u keys, %u bytes, %u KiB free; http buffers %u of %u in use\n", store_keys(),
          store_bytes(), store_capacity() >> 10, http_busy(), HTTP_MEMS);
}

// Set up the store, the NIC and the stack; READY follows once kv serves.
void
app_main(void)
{
  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("net", "address, ARP cache, TCP connections", net_cmd);
  shell_register("hang", 0, cmd_hang);
  shell_register("kv", "keys, bytes and free room of the store", cmd_kv);
  idle_register(shell_poll);
  kv_seed();
  net_serve(NAME, 80, &kv_app);
}
