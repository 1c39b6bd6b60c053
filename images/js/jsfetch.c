// The js appliance's fetch(): __native.fetch hands a request to the
// kernel's HTTP client (http_fetch); the answer comes in pieces from the
// idle loop, is kept in the heap stash under the fetch's slot, and once
// whole goes to the prelude's fetched hook, which settles the promise. A
// fetch in flight is no call into JS: only that hook is, under the usual
// time limit. When the heap is dropped, the fetches it started are
// aborted and their answers go nowhere.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "http.h"
#include "js.h"

static struct jsf {
  u8 busy;              // started: done() has not come yet
  u8 dead;              // the heap that asked is gone: nothing goes to JS
  int handle;           // http_fetch's
  double token;         // names the fetch to JS
  int status;           // 0 until the head came
  u32 len, cap;         // body bytes taken, and room for them
  const char *error;    // ours (a body too large), over the client's "aborted"
  // The request as the client may read it until done(), whatever JS does.
  char method[HTTP_METHOD_MAX + 1];
  char url[JS_FETCH_URL_MAX];
  char lines[JS_FETCH_HEAD_MAX];
} jsf[FETCH_MAX];

static u32 started;     // counts every fetch: tokens never repeat

static const char TOO_LARGE[] = "the response is larger than 4 MiB, the most fetch() takes";
static const char NO_MEMORY[] = "the response does not fit in the script's memory";

// [] -> [stash, "f<i>"]
static void
jsf_key(duk_context *ctx, struct jsf *f)
{
  duk_push_heap_stash(ctx);
  duk_push_sprintf(ctx, "f%d", (int)(f - jsf));
}

// [] -> [slot]: what the stash holds for f ({h: headers, b: body}).
static void
jsf_slot(duk_context *ctx, struct jsf *f)
{
  jsf_key(ctx, f);
  duk_get_prop(ctx, -2);
  duk_remove(ctx, -2);
}

// Give f a fresh slot in the stash (headers to come in "h").
static void
jsf_new_slot(duk_context *ctx, struct jsf *f)
{
  jsf_key(ctx, f);
  duk_push_object(ctx);
  duk_push_array(ctx);
  duk_put_prop_string(ctx, -2, "h");
  duk_put_prop(ctx, -3);
  duk_pop(ctx);
}

// Drop what the stash holds for f and free the slot.
static void
jsf_free(struct jsf *f)
{
  duk_context *ctx = rt_ctx();

  if(ctx && !f->dead){
    jsf_key(ctx, f);
    duk_del_prop(ctx, -2);
    duk_pop(ctx);
  }
  f->busy = f->dead = 0;
}

// Is "name: value" (lengths given) a line we may send? No CR, LF or NUL.
static int
jsf_line_ok(const char *s, duk_size_t n)
{
  for(duk_size_t i = 0; i < n; i++)
    if(s[i] == '\r' || s[i] == '\n' || s[i] == 0)
      return 0;
  return 1;
}

// The flat [name, value, ...] array at idx as header lines in f->lines:
// 0, or -1 if they do not fit or one is malformed.
static int
jsf_lines(duk_context *ctx, duk_idx_t idx, struct jsf *f)
{
  char *lines = f->lines;
  u32 n = duk_is_array(ctx, idx) ? duk_get_length(ctx, idx) : 0, o = 0;
  duk_size_t nl, vl;
  const char *name, *value;

  for(u32 i = 0; i + 1 < n; i += 2){
    duk_get_prop_index(ctx, idx, i);
    duk_get_prop_index(ctx, idx, i + 1);
    name = duk_safe_to_lstring(ctx, -2, &nl);
    value = duk_safe_to_lstring(ctx, -1, &vl);
    if(nl == 0 || o + nl + vl + 5 > sizeof(f->lines) || !jsf_line_ok(name, nl) || !jsf_line_ok(value, vl))
      return -1;
    o += js_header_line(lines + o, name, nl, value, vl);
    duk_pop_2(ctx);
  }
  lines[o] = 0;
  return 0;
}

static int jsf_head(void *ctx, int status, const char *headers, u32 len);
static void jsf_body(void *ctx, const u8 *p, u32 n);
static void jsf_done(void *ctx, const char *error);

static const struct fetch_ops jsf_ops = { jsf_head, jsf_body, jsf_done };
static void jsf_refuse(struct jsf *f, const char *error);

// Copy the string at idx into dst (n bytes with the NUL): 0, or -1 if
// it does not fit.
static int
jsf_copy(duk_context *ctx, duk_idx_t idx, char *dst, u32 n)
{
  duk_size_t len;
  const char *s = duk_require_lstring(ctx, idx, &len);

  if(len >= n)
    return -1;
  memcpy(dst, s, len + 1);
  return 0;
}

// __native.fetch(method, url, headers, body): start a request; its token,
// -1 if FETCH_MAX are in flight (the prelude starts it later), or a
// sentence saying why it cannot start.
duk_ret_t
jsf_native(duk_context *ctx)
{
  struct fetch_req req = { 0 };
  struct jsf *f = 0;
  duk_size_t blen = 0;

  for(int i = 0; i < FETCH_MAX && !f; i++)
    if(!jsf[i].busy)
      f = &jsf[i];
  if(!f)
    return duk_push_int(ctx, -1), 1;
  if(jsf_copy(ctx, 0, f->method, sizeof(f->method)) < 0)
    return duk_push_string(ctx, "fetch: the method is too long"), 1;
  if(jsf_copy(ctx, 1, f->url, sizeof(f->url)) < 0)
    return duk_push_sprintf(ctx, "fetch: the URL is over %d bytes", JS_FETCH_URL_MAX - 1), 1;
  if(jsf_lines(ctx, 2, f) < 0)
    return duk_push_sprintf(ctx, "fetch: the request's header lines are malformed or over %d bytes", JS_FETCH_HEAD_MAX - 1), 1;
  req.body = duk_is_buffer_data(ctx, 3) ? duk_get_buffer_data(ctx, 3, &blen) : 0;
  if(blen > JS_BODY_MAX)
    return duk_push_string(ctx, "fetch: the request body is over 1 MiB"), 1;
  req.method = f->method;
  req.url = f->url;
  req.headers = f->lines;
  req.body_len = blen;
  req.body_kept = 1;                             // it stays in the slot ("q") until done()
  jsf_new_slot(ctx, f);
  if(req.body){
    jsf_slot(ctx, f);
    duk_dup(ctx, 3);
    duk_put_prop_string(ctx, -2, "q");
    duk_pop(ctx);
  }
  f->handle = http_fetch(&req, &jsf_ops, f);
  if(f->handle < 0){
    jsf_free(f);
    duk_push_string(ctx, fetch_error());
    return 1;
  }
  f->busy = 1;
  f->dead = 0;
  f->status = 0;
  f->len = f->cap = 0;
  f->error = 0;
  f->token = (double)++started * FETCH_MAX + (f - jsf);
  duk_push_number(ctx, f->token);
  return 1;
}

// __native.fetchAbort(token): stop that request (the script's signal
// aborted it); its done() still comes, with "aborted".
duk_ret_t
jsf_native_abort(duk_context *ctx)
{
  double token = duk_get_number(ctx, 0);

  for(int i = 0; i < FETCH_MAX; i++)
    if(jsf[i].busy && !jsf[i].dead && jsf[i].token == token && !jsf[i].error)
      jsf_refuse(&jsf[i], "aborted");
  return 0;
}

// The value of Content-Length in header lines, or -1.
static long
jsf_clen(const char *h, u32 n)
{
  static const char name[] = "content-length:";
  long v = -1;

  for(u32 i = 0; i < n; ){
    u32 k = 0;
    while(k < sizeof(name) - 1 && i + k < n && (h[i + k] | 0x20) == (name[k] | 0x20))
      k++;
    if(k == sizeof(name) - 1){
      for(i += k; i < n && h[i] == ' '; i++)
        ;
      for(v = 0; i < n && h[i] >= '0' && h[i] <= '9' && v <= (long)JS_FETCH_BODY_MAX; i++)
        v = v * 10 + (h[i] - '0');
    }
    while(i < n && h[i] != '\n')
      i++;
    i++;
  }
  return v;
}

struct jsf_piece {
  struct jsf *f;
  const char *p;
  u32 n;
};

// Safe call: the header lines (piece) into the slot's flat array.
static duk_ret_t
jsf_put_headers(duk_context *ctx, void *udata)
{
  struct jsf_piece *w = udata;
  const char *s = w->p, *end = w->p + w->n, *colon, *eol, *v;
  u32 i = 0;

  jsf_slot(ctx, w->f);
  duk_get_prop_string(ctx, -1, "h");
  for(; s < end; s = eol + 1){
    for(eol = s; eol < end && *eol != '\n'; eol++)
      ;
    for(colon = s; colon < eol && *colon != ':'; colon++)
      ;
    if(colon == eol)
      continue;
    for(v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
      ;
    duk_push_lstring(ctx, s, colon - s);
    duk_put_prop_index(ctx, -2, i++);
    duk_push_lstring(ctx, v, eol - v - (eol > v && eol[-1] == '\r'));
    duk_put_prop_index(ctx, -2, i++);
  }
  duk_pop_2(ctx);
  return 0;
}

// Safe call: room in the slot's body buffer for piece->n bytes.
static duk_ret_t
jsf_grow(duk_context *ctx, void *udata)
{
  struct jsf_piece *w = udata;
  struct jsf *f = w->f;

  jsf_slot(ctx, f);
  f->cap = js_grow_buffer(ctx, f->cap, w->n, JS_FETCH_BODY_MAX);
  duk_pop(ctx);
  return 0;
}

// Run fn(ctx, w) where an error (out of memory) is caught: 0, or -1.
static int
jsf_safe(duk_context *ctx, duk_safe_call_function fn, struct jsf_piece *w)
{
  int r = duk_safe_call(ctx, fn, w, 0, 1);

  duk_pop(ctx);
  return r == 0 ? 0 : -1;
}

// Give up on f's answer: error says why, the client is told to stop.
static void
jsf_refuse(struct jsf *f, const char *error)
{
  f->error = error;
  http_fetch_abort(f->handle);
}

// ops->head: the status and header lines came.
static int
jsf_head(void *c, int status, const char *headers, u32 len)
{
  struct jsf *f = c;
  duk_context *ctx = rt_ctx();
  struct jsf_piece w = { f, headers, len };
  long clen = jsf_clen(headers, len);

  if(f->dead || !ctx)
    return -1;
  f->status = status;
  if(clen > (long)JS_FETCH_BODY_MAX){
    f->error = TOO_LARGE;
    return -1;
  }
  if(jsf_safe(ctx, jsf_put_headers, &w) < 0 || (clen > 0 && (w.n = clen, jsf_safe(ctx, jsf_grow, &w)) < 0)){
    f->error = NO_MEMORY;
    return -1;
  }
  return 0;
}

// ops->body: a piece of the body.
static void
jsf_body(void *c, const u8 *p, u32 n)
{
  struct jsf *f = c;
  duk_context *ctx = rt_ctx();
  struct jsf_piece w = { f, 0, f->len + n };

  if(f->dead || f->error || !ctx)
    return;
  if(f->len + n > JS_FETCH_BODY_MAX)
    return jsf_refuse(f, TOO_LARGE);
  if(f->len + n > f->cap && jsf_safe(ctx, jsf_grow, &w) < 0)
    return jsf_refuse(f, NO_MEMORY);
  jsf_slot(ctx, f);
  duk_get_prop_string(ctx, -1, "b");
  memcpy((u8 *)duk_get_buffer(ctx, -1, 0) + f->len, p, n);
  duk_pop_2(ctx);
  f->len += n;
}

// ops->done: the answer is whole (error 0), or failed. Hand it to the
// prelude's fetched hook.
static void
jsf_done(void *c, const char *error)
{
  struct jsf *f = c;
  duk_context *ctx = rt_ctx();
  int rc;

  f->busy = 0;
  if(f->dead || !ctx){
    f->dead = 0;
    return;
  }
  error = f->error ? f->error : error;
  rt_hook(ctx, "fetched");
  duk_push_number(ctx, f->token);
  if(error)
    duk_push_string(ctx, error);
  else
    duk_push_null(ctx);
  duk_push_int(ctx, f->status);
  duk_push_string(ctx, f->status ? http_reason(f->status) : "");
  jsf_slot(ctx, f);                              // [.. slot]
  duk_get_prop_string(ctx, -1, "h");
  duk_get_prop_string(ctx, -2, "b");
  if(f->len && duk_is_buffer(ctx, -1))
    duk_push_buffer_object(ctx, -1, 0, f->len, DUK_BUFOBJ_UINT8ARRAY);
  else
    duk_push_null(ctx);
  duk_remove(ctx, -2);                           // [.. slot headers body]
  duk_remove(ctx, -3);
  jsf_free(f);
  rc = rt_call(ctx, 6);
  js_ran(ctx, rc, "a fetch's answer");
}

// The heap is gone: its fetches go on in the client until aborted, and
// their answers are dropped.
void
jsf_dropped(void)
{
  for(int i = 0; i < FETCH_MAX; i++)
    if(jsf[i].busy && !jsf[i].dead){
      jsf[i].dead = 1;
      http_fetch_abort(jsf[i].handle);
    }
}
