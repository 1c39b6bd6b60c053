// The value store's memory and values. A value is a refcounted chain of
// KV_CHUNK-byte chunks with its Content-Type: its key holds one reference
// (index.c), every reader or upload in progress another, so a value
// replaced or deleted while being sent stays intact until its reader is
// done. All tables live in one region given at init and are used from a
// high-water mark up, so nothing has to be zeroed at boot.

#include "tabcloud.h"
#include "kv.h"

#define NVALUES   (KV_KEYS_MAX + TCP_CONNS + 1)   // + one per connection + the seed loader
#define NIL       0xFFFFFFFFu

struct value {
  u32 head, tail, len;     // chunk chain, data bytes
  u32 refs;                // 0: free (then head links the free list)
  u8 ctlen;
  char ctype[HTTP_CTYPE_MAX];
};

static struct {
  struct value *values;
  u32 *next;               // chunk links
  u8 *chunks;
  u32 nchunks, chunk_hw, chunk_free, nfree;
  u32 value_hw, value_free;
} st;

// Carve the tables out of mem[0..len); the number of chunks, or -1 if
// len cannot hold the tables and some chunks.
int
store_init(void *mem, u32 len)
{
  uintptr_t p = ((uintptr_t)mem + 7) & ~(uintptr_t)7, end = (uintptr_t)mem + len;
  u32 fixed = INDEX_BYTES + NVALUES * sizeof(struct value);

  memset(&st, 0, sizeof(st));
  if(end < p || end - p < fixed + 16 * (KV_CHUNK + 4))
    return -1;
  index_init((void *)p);
  st.values = (struct value *)(p + INDEX_BYTES);
  st.nchunks = (u32)((end - p - fixed) / (KV_CHUNK + 4));
  st.next = (u32 *)(st.values + NVALUES);
  st.chunks = (u8 *)(st.next + st.nchunks);
  st.chunk_free = st.value_free = NIL;
  st.nfree = st.nchunks;
  return st.nchunks;
}

// Bytes of free chunk space.
u32
store_capacity(void)
{
  return st.nfree * KV_CHUNK;
}

// A free chunk, or NIL.
static u32
chunk_alloc(void)
{
  u32 c = st.chunk_free;

  if(c != NIL)
    st.chunk_free = st.next[c];
  else if(st.chunk_hw < st.nchunks)
    c = st.chunk_hw++;
  else
    return NIL;
  st.next[c] = NIL;
  st.nfree--;
  return c;
}

// A new empty value with Content-Type ctype and one reference; -1 if none.
int
store_new(const char *ctype)
{
  u32 v = st.value_free, n = strlen(ctype);
  struct value *x;

  if(v != NIL)
    st.value_free = st.values[v].head;
  else if(st.value_hw < NVALUES)
    v = st.value_hw++;
  else
    return -1;
  x = &st.values[v];
  x->head = x->tail = NIL;
  x->len = 0;
  x->refs = 1;
  x->ctlen = n < HTTP_CTYPE_MAX ? n : HTTP_CTYPE_MAX;
  memcpy(x->ctype, ctype, x->ctlen);
  return v;
}

// Append p[0..n) to value v. 0, or -1 if the chunks ran out (what fit stays).
int
store_append(int v, const void *p, u32 n)
{
  struct value *x = &st.values[v];
  const u8 *s = p;
  u32 at, k, c;

  while(n > 0){
    at = x->len % KV_CHUNK;
    if(at == 0){
      if((c = chunk_alloc()) == NIL)
        return -1;
      if(x->tail == NIL)
        x->head = c;
      else
        st.next[x->tail] = c;
      x->tail = c;
    }
    k = KV_CHUNK - at < n ? KV_CHUNK - at : n;
    memcpy(st.chunks + (u64)x->tail * KV_CHUNK + at, s, k);
    x->len += k;
    s += k;
    n -= k;
  }
  return 0;
}

// Copy up to n bytes of value v from offset off into dst; the count. cur
// remembers the position, so reading a value front to back is linear.
u32
store_read(int v, u32 off, void *dst, u32 n, struct store_cursor *cur)
{
  struct value *x = &st.values[v];
  u8 *d = dst;
  u32 at, k, done = 0;

  if(cur->value != v || cur->base > off || cur->chunk == NIL){
    cur->value = v;
    cur->chunk = x->head;
    cur->base = 0;
  }
  n = off >= x->len ? 0 : (x->len - off < n ? x->len - off : n);
  while(done < n){
    while(off >= cur->base + KV_CHUNK){
      cur->chunk = st.next[cur->chunk];
      cur->base += KV_CHUNK;
    }
    at = off - cur->base;
    k = KV_CHUNK - at < n - done ? KV_CHUNK - at : n - done;
    memcpy(d + done, st.chunks + (u64)cur->chunk * KV_CHUNK + at, k);
    done += k;
    off += k;
  }
  return done;
}

// Take a reference to value v.
void
store_ref(int v)
{
  st.values[v].refs++;
}

// Drop a reference to value v; the last one frees its chunks.
void
store_unref(int v)
{
  struct value *x = &st.values[v];
  u32 c, n;

  if(x->refs == 0)
    panic("store_unref: value %d is free", v);
  if(--x->refs > 0)
    return;
  for(c = x->head; c != NIL; c = n){
    n = st.next[c];
    st.next[c] = st.chunk_free;
    st.chunk_free = c;
    st.nfree++;
  }
  x->head = st.value_free;
  st.value_free = v;
}

// Data bytes of value v.
u32
store_len(int v)
{
  return st.values[v].len;
}

// The Content-Type of value v (NUL-terminated copy in a static buffer).
const char *
store_ctype(int v)
{
  static char buf[HTTP_CTYPE_MAX + 1];

  memcpy(buf, st.values[v].ctype, st.values[v].ctlen);
  buf[st.values[v].ctlen] = 0;
  return buf;
}
