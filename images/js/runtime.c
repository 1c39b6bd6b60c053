// The JavaScript engine of the js appliance: one Duktape heap in a malloc
// arena of its own, the prelude (prelude.js, the runtime's JS side), the
// user's bundle, the __native bindings, and every call into JS guarded by
// an execution deadline and a way back from a fatal error. When the script
// exhausts the heap or the engine gives up, the whole arena is dropped and
// the script loaded again with fresh state. HTTP lives in js.c.

#include <setjmp.h>
#include <stdlib.h>
#include "duktape.h"
#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"
#include "js.h"
#include "utf8.h"
#include "url.h"

#define LINEMAP "//# tabcloud-linemap "
#define WRAP_HEAD "function(exports,module){"
#define WRAP_TAIL "\n}"

extern const char js_prelude[];            // prelude.S: prelude.js and tslib.js, NUL-terminated
extern const char js_prelude_end[];
extern const char js_tslib[];
extern const char js_tslib_end[];

static struct {
  duk_context *ctx;
  void *arena;
  u32 arena_len;
  void *pristine;                          // the heap as the prelude left it (malloc_save), or null
  duk_context *pristine_ctx;
  const char *src;                         // the bundle (module 0)
  u32 src_len;
  const duk_function_list_entry *natives;  // js.c's additions to __native
  void (*dropped)(void);                   // js.c: the heap and all it held are gone
  u64 deadline;                            // of the call into JS under way (us), 0: none
  u8 alloc_failed;                         // an allocation failed during that call
  u8 in_call;
  u8 started;                              // once: later starts are no boot stages
  jmp_buf fatal;                           // where js_fatal returns to
  char error[RT_ERROR_MAX];                // the script's load error as JSON, "" if it loaded
  u64 rng;
  u64 epoch_ms;                            // wall-clock time at boot
} rt;

// Duktape's date provider: milliseconds since 1970 (UTC).
double
js_date_now(void)
{
  return (double)(rt.epoch_ms + time_ms());
}

// Duktape's monotonic clock (performance.now): milliseconds since boot.
double
js_monotonic_ms(void)
{
  return (double)time_us() / 1000.0;
}

// Duktape's execution timeout check: has the call under way run too long?
// It must keep saying so until control is back in rt_call.
int
js_timeout_check(void *udata)
{
  (void)udata;
  return rt.deadline && time_us() > rt.deadline;
}

// Duktape gave up (an error it cannot throw): back to rt_call.
void
js_fatal(void *udata, const char *msg)
{
  (void)udata;
  kprintf("js: engine failure: %s\n", msg ? msg : "?");
  if(!rt.in_call)
    panic("js: engine failure outside a call");
  longjmp(rt.fatal, 1);
}

static void *
rt_alloc(void *udata, duk_size_t n)
{
  void *p = malloc(n);

  (void)udata;
  rt.alloc_failed |= p == 0 && n > 0;
  return p;
}

static void *
rt_realloc(void *udata, void *old, duk_size_t n)
{
  void *p = realloc(old, n);

  (void)udata;
  rt.alloc_failed |= p == 0 && n > 0;
  return p;
}

static void
rt_free(void *udata, void *p)
{
  (void)udata;
  free(p);
}

// __native.write(level, text): one console line.
static duk_ret_t
nat_write(duk_context *ctx)
{
  static const char *const prefix[] = { "", "", "warn: ", "error: " };
  int level = duk_get_int(ctx, 0);
  duk_size_t n;
  const char *s = duk_safe_to_lstring(ctx, 1, &n);

  kprintf("%s%.*s\n", prefix[level & 3], (int)n, s);
  return 0;
}

// __native.now(): milliseconds since boot.
static duk_ret_t
nat_now(duk_context *ctx)
{
  duk_push_number(ctx, js_monotonic_ms());
  return 1;
}

// The next pseudo-random 64 bits (xorshift64*, stirred with the TSC).
static u64
rt_random64(void)
{
  rt.rng ^= rdtsc();
  rt.rng ^= rt.rng >> 12;
  rt.rng ^= rt.rng << 25;
  rt.rng ^= rt.rng >> 27;
  return rt.rng * 0x2545F4914F6CDD1Dull;
}

// __native.random(u8): fill a Uint8Array with pseudo-random bytes.
static duk_ret_t
nat_random(duk_context *ctx)
{
  duk_size_t n;
  u8 *p = duk_require_buffer_data(ctx, 0, &n);
  u64 r = 0;

  for(duk_size_t i = 0; i < n; i++){
    if(i % 8 == 0)
      r = rt_random64();
    p[i] = (u8)(r >> (i % 8 * 8));
  }
  return 0;
}

// __native.utf8(string): its UTF-8 bytes as a Uint8Array of their own,
// lone surrogates as U+FFFD.
static duk_ret_t
nat_utf8(duk_context *ctx)
{
  duk_size_t n;
  const u8 *s = (const u8 *)duk_require_lstring(ctx, 0, &n);
  u8 *out;
  u32 len;

  if(!memchr(s, 0xED, n)){                 // no surrogates: the same bytes
    memcpy(duk_push_fixed_buffer(ctx, n), s, n);
  } else {
    out = duk_push_fixed_buffer(ctx, n);
    len = utf8_from_js(s, n, out);
    memcpy(duk_push_fixed_buffer(ctx, len), out, len);
  }
  duk_push_buffer_object(ctx, -1, 0, duk_get_length(ctx, -1), DUK_BUFOBJ_UINT8ARRAY);
  return 1;
}

// __native.text(bytes): the string UTF-8 bytes (a buffer or a view) spell,
// as TextDecoder gives it: a leading BOM dropped, U+FFFD for what is
// malformed.
static duk_ret_t
nat_text(duk_context *ctx)
{
  duk_size_t n, i = 0;
  const u8 *s = duk_require_buffer_data(ctx, 0, &n);
  u8 *out;

  if(n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF){
    s += 3;
    n -= 3;
  }
  while(i < n && s[i] < 0x80)
    i++;
  if(i == n){                              // ASCII: the same bytes
    duk_push_lstring(ctx, (const char *)s, n);
    return 1;
  }
  out = duk_push_fixed_buffer(ctx, 3 * n);
  duk_push_lstring(ctx, (const char *)out, utf8_to_js(s, n, out));
  return 1;
}

// __native.url(string): [host, port, path, query] of a URL the WHATWG
// parser would give back unchanged (url.c), port "" and query null when
// absent; undefined for any other URL.
static duk_ret_t
nat_url(duk_context *ctx)
{
  duk_size_t n;
  const char *s = duk_require_lstring(ctx, 0, &n);
  struct url_parts p;

  if(url_simple(s, n, &p) < 0)
    return 0;
  duk_push_array(ctx);
  duk_push_lstring(ctx, s + p.host, p.host_len);
  duk_put_prop_index(ctx, -2, 0);
  duk_push_lstring(ctx, s + p.port, p.port_len);
  duk_put_prop_index(ctx, -2, 1);
  duk_push_lstring(ctx, s + p.path, p.path_len);
  duk_put_prop_index(ctx, -2, 2);
  if(p.query < 0)
    duk_push_null(ctx);
  else
    duk_push_lstring(ctx, s + p.query, n - p.query);
  duk_put_prop_index(ctx, -2, 3);
  return 1;
}

static const duk_function_list_entry rt_natives[] = {
  { "write", nat_write, 2 },
  { "now", nat_now, 0 },
  { "random", nat_random, 1 },
  { "utf8", nat_utf8, 1 },
  { "text", nat_text, 1 },
  { "url", nat_url, 1 },
  { 0, 0, 0 },
};

// The linemap line at the end of the bundle, or "" (and the code's length
// without it in *code).
static const char *
rt_linemap(u32 *code, u32 *len)
{
  u32 n = rt.src_len, start;

  while(n > 0 && (rt.src[n - 1] == '\n' || rt.src[n - 1] == '\r'))
    n--;
  for(start = n; start > 0 && rt.src[start - 1] != '\n'; start--)
    ;
  *code = rt.src_len;
  *len = 0;
  if(n - start < sizeof(LINEMAP) - 1 || strncmp(rt.src + start, LINEMAP, sizeof(LINEMAP) - 1) != 0)
    return "";
  *code = start;
  *len = n - start - (sizeof(LINEMAP) - 1);
  return rt.src + start + sizeof(LINEMAP) - 1;
}

// [] -> [fn]: the bundle compiled as the body of function(exports, module),
// on the bundle's own lines; or, if it does not compile, a function that
// throws the SyntaxError, so that load() reports it like any load error.
static void
rt_compile_module(duk_context *ctx)
{
  u32 code, maplen;

  rt_linemap(&code, &maplen);
  duk_push_string(ctx, WRAP_HEAD);
  duk_push_lstring(ctx, rt.src, code);
  duk_push_string(ctx, WRAP_TAIL);
  duk_concat(ctx, 3);
  duk_push_string(ctx, "script");
  if(duk_pcompile(ctx, DUK_COMPILE_FUNCTION) != 0){
    duk_push_string(ctx, "(function(e){return function(){throw e;};})");
    duk_eval(ctx);
    duk_swap_top(ctx, -2);
    duk_call(ctx, 1);
  }
}

// Run the NUL-terminated program [src, end) as global code (this: the
// global object). 0, or -1 after saying why.
static int
rt_program(const char *name, const char *src, const char *end)
{
  duk_push_string(rt.ctx, name);
  if(duk_pcompile_lstring_filename(rt.ctx, 0, src, end - src - 1) != 0 ||
     (duk_push_global_object(rt.ctx), duk_pcall_method(rt.ctx, 0)) != 0){
    kprintf("js: the %s failed: %s\n", name, duk_safe_to_string(rt.ctx, -1));
    return -1;
  }
  duk_pop(rt.ctx);
  return 0;
}

// Create the heap, define __native, run the prelude and tslib. 0, or -1.
static int
rt_heap(void)
{
  malloc_init(rt.arena, rt.arena_len);
  rt.ctx = duk_create_heap(rt_alloc, rt_realloc, rt_free, 0, js_fatal);
  if(!rt.ctx)
    return -1;
  if(!rt.started)
    boot_mark("js-heap");
  duk_push_object(rt.ctx);
  duk_put_function_list(rt.ctx, -1, rt_natives);
  duk_put_function_list(rt.ctx, -1, rt.natives);
  duk_put_global_string(rt.ctx, "__native");
  if(rt_program("prelude", js_prelude, js_prelude_end) < 0 || rt_program("tslib", js_tslib, js_tslib_end) < 0)
    return -1;
  if(!rt.started)
    boot_mark("js-prelude");
  return 0;
}

static void rt_fail(const char *code, const char *message);

// Record the error on the stack top as the script's load error (console
// and JSON for every request).
static void
rt_load_error(duk_context *ctx)
{
  duk_size_t n;
  const char *json;

  rt_hook(ctx, "errorInfo");
  duk_dup(ctx, -3);
  if(rt_call(ctx, 1) != RT_OK){
    kprintf("js: errorInfo failed: %s\n", duk_safe_to_string(ctx, -1));
    duk_pop_2(ctx);
    kprintf("script error: %s\n", duk_safe_to_string(ctx, -1));
    rt_fail("script-error", "the script failed to load");
    return;
  }
  duk_get_prop_string(ctx, -1, "line");
  duk_get_prop_string(ctx, -2, "column");
  duk_get_prop_string(ctx, -3, "message");
  if(duk_is_number(ctx, -3) && duk_is_number(ctx, -2))
    kprintf("script error at %d:%d: %s\n", duk_get_int(ctx, -3), duk_get_int(ctx, -2), duk_safe_to_string(ctx, -1));
  else if(duk_is_number(ctx, -3))
    kprintf("script error at %d: %s\n", duk_get_int(ctx, -3), duk_safe_to_string(ctx, -1));
  else
    kprintf("script error: %s\n", duk_safe_to_string(ctx, -1));
  duk_pop_3(ctx);
  json = duk_json_encode(ctx, -1);
  n = strlen(json);
  if(n >= sizeof(rt.error))
    n = sizeof(rt.error) - 1;
  memcpy(rt.error, json, n);
  rt.error[n] = 0;
  rt_hook_end(ctx);
}

// Record a load error of our own: code and message (plain text).
static void
rt_fail(const char *code, const char *message)
{
  kprintf("script error: %s\n", message);
  ksnprintf(rt.error, sizeof(rt.error), "{\"error\":\"%s\",\"message\":\"%s\"}", code, message);
}

// Load the bundle into a fresh heap: compile it and let the prelude run it.
static void
rt_load(void)
{
  duk_context *ctx = rt.ctx;
  u32 code, maplen;
  const char *map = rt_linemap(&code, &maplen);
  int r;

  rt.error[0] = 0;
  rt_hook(ctx, "load");
  rt_compile_module(ctx);
  duk_push_lstring(ctx, map, maplen);
  r = rt_call(ctx, 2);
  if(r == RT_THROWN)
    rt_load_error(ctx);
  else if(r != RT_OK)
    rt_fail(r == RT_TIMEOUT ? "timeout" : "out-of-memory",
            r == RT_TIMEOUT ? "the script ran longer than the time limit while loading"
                            : "the script ran out of memory while loading");
  if(r == RT_FATAL)
    rt.ctx = 0;
  else
    rt_hook_end(ctx);
}

// Restart the engine with the bundle: the heap as the prelude left it
// (copied back, or built again), then the script.
static void
rt_start(void)
{
  if(rt.pristine){
    malloc_restore(rt.pristine);
    rt.ctx = rt.pristine_ctx;
  } else if(rt_heap() < 0){
    rt_fail("engine", "the JavaScript engine did not start");
    rt.ctx = 0;
    return;
  }
  rt_load();
}

// Start the engine on arena [arena, arena+len): the heap and the prelude,
// kept in [keep, keep+keep_len) for a quick restart if they fit; natives
// are added to __native; dropped() is told whenever the heap is thrown
// away. The script comes with rt_load_script.
void
rt_init(void *arena, u32 len, void *keep, u32 keep_len, const duk_function_list_entry *natives,
        void (*dropped)(void))
{
  rt.arena = arena;
  rt.arena_len = len;
  rt.natives = natives;
  rt.dropped = dropped;
  rt.epoch_ms = rtc_epoch() * 1000ull - time_ms();
  rt.rng = rdtsc() ^ rt.epoch_ms << 20 ^ 0x9E3779B97F4A7C15ull;
  if(rt_heap() < 0){
    rt_fail("engine", "the JavaScript engine did not start");
    rt.ctx = 0;
  } else if(malloc_save(keep, keep_len) > 0){
    rt.pristine = keep;
    rt.pristine_ctx = rt.ctx;
  }
}

// Run bundle src (len bytes, which must stay in place: a restart runs it
// again) in the engine rt_init started.
void
rt_load_script(const char *src, u32 len)
{
  rt.src = src;
  rt.src_len = len;
  if(rt.ctx)
    rt_load();
  rt.started = 1;
}

// The engine's context, or null if it is not running.
duk_context *
rt_ctx(void)
{
  return rt.ctx;
}

// The script's load error as JSON, or null if it loaded.
const char *
rt_error(void)
{
  return rt.error[0] ? rt.error : 0;
}

// Bytes of the JS heap in use, and its size.
u32
rt_heap_used(u32 *size)
{
  *size = rt.arena_len;
  return malloc_used();
}

// [] -> [__tabcloud, name]: ready to push a hook's arguments for rt_call.
void
rt_hook(duk_context *ctx, const char *name)
{
  duk_get_global_string(ctx, "__tabcloud");
  duk_push_string(ctx, name);
}

// [__tabcloud, result] -> []
void
rt_hook_end(duk_context *ctx)
{
  duk_pop_2(ctx);
}

// Collect garbage cycles (the service is idle: it costs v86 about 100 ms).
void
rt_collect(void)
{
  if(rt.ctx)
    duk_gc(rt.ctx, 0);
}

// Throw the heap away and start again from the bundle, saying why.
void
rt_restart(const char *why)
{
  kprintf("js: %s (%u KiB JS heap): the script's state was reset\n", why, rt.arena_len >> 10);
  rt.ctx = 0;
  rt.dropped();
  rt_start();
}

// [__tabcloud, name, args...] -> [__tabcloud, result]: call the hook,
// interrupted after JS_CALL_MS. RT_OK, RT_THROWN (result: the error),
// RT_TIMEOUT (the heap is as the interrupted code left it), RT_NOMEM (an
// allocation failed and the heap is full or the call failed: restart; the
// result is on the stack), or RT_FATAL (the engine failed:
// the stack is gone, restart).
int
rt_call(duk_context *ctx, int nargs)
{
  int r, outer = rt.in_call;

  if(outer)
    return duk_pcall_prop(ctx, -2 - nargs, nargs) == 0 ? RT_OK : RT_THROWN;
  rt.deadline = time_us() + JS_CALL_MS * 1000ull;
  rt.alloc_failed = 0;
  rt.in_call = 1;
  if(setjmp(rt.fatal)){
    rt.in_call = 0;
    rt.deadline = 0;
    return RT_FATAL;
  }
  r = duk_pcall_prop(ctx, -2 - nargs, nargs);
  rt.in_call = 0;
  if(r != 0 && rt.deadline && time_us() > rt.deadline)
    r = RT_TIMEOUT;
  else if(rt.alloc_failed && malloc_used() > rt.arena_len / 8 * 7)
    r = RT_NOMEM;                        // full even after Duktape's emergency collection
  else if(r != 0)
    r = RT_THROWN;
  rt.deadline = 0;
  return r;
}
