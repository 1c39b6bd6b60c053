// The js appliance: a web service written in JavaScript, served on port
// 80. Its user-data (multiboot module 0) is a bundle (see README.md) that
// runtime.c runs; here every HTTP request becomes a call of the prelude's
// request hook, and the Response it hands back (at once, or later from a
// timer or a promise) is written out. What a request holds on the JS side
// (its headers, its body, the response's bytes) lives in the heap stash
// under the connection's number until the request ends.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"
#include "net.h"
#include "http.h"
#include "js.h"

#define NAME "js"

enum {
  J_IDLE,         // no request, or one not yet handed to JS
  J_BODY,         // taking the request's body
  J_CALL,         // in the request hook
  J_WAIT,         // the hook returned; the response comes later (deferred)
  J_READY,        // a response is recorded, not yet handed to http
  J_SENDING,      // http is writing it
  J_LOST,         // the heap was dropped while the body came in
};

static struct jsc {
  struct http_conn *hc;
  u8 state;
  u8 deferred;            // http_defer was called
  double token;           // names the request to JS
  u32 blen, bcap;         // request body bytes taken, and room for them
  u64 deadline;           // us: not answered by then, it gets a 503
  int status;
  const u8 *body;         // the response body (pinned in the stash) or a static one
  u32 len, off;
  const char *head;       // its header lines
  u32 head_len;
} jsc[TCP_CONNS];

static u32 requests;      // counts every request: tokens never repeat
static int flush;         // some J_READY response waits for the poller
static u64 wait_next = TIME_NEVER;   // no J_WAIT request has an earlier deadline
static u64 timer_at = TIME_NEVER;
static int timers_dirty;  // JS ran: its timers may have changed
static u64 collect_at = TIME_NEVER;   // JS ran: collect garbage cycles once idle until then

static const char JSON_HEAD[] = "Content-Type: application/json\r\n";

static struct jsc *
js_of(struct http_conn *hc)
{
  return &jsc[http_id(hc)];
}

// [] -> [stash[id]] (undefined if none)
static void
js_slot(duk_context *ctx, int id)
{
  duk_push_heap_stash(ctx);
  duk_get_prop_index(ctx, -1, id);
  duk_remove(ctx, -2);
}

// Drop what the stash holds for connection id.
static void
js_unslot(duk_context *ctx, int id)
{
  duk_push_heap_stash(ctx);
  duk_del_prop_index(ctx, -1, id);
  duk_pop(ctx);
}

// Record a response of ours (static bytes) for k: JSON status and body.
static void
js_static(struct jsc *k, int status, const char *json)
{
  k->status = status;
  k->body = (const u8 *)json;
  k->len = strlen(json);
  k->head = JSON_HEAD;
  k->head_len = sizeof(JSON_HEAD) - 1;
  k->state = J_READY;
  flush |= k->deferred;
}

// Stream body: the recorded response's next bytes. 0 if the heap that
// held them is gone (http then aborts the connection).
static u32
js_read(struct http_conn *hc, u8 *dst, u32 n)
{
  struct jsc *k = js_of(hc);

  if(!k->body)
    return 0;
  n = n < k->len - k->off ? n : k->len - k->off;
  memcpy(dst, k->body + k->off, n);
  k->off += n;
  return n;
}

// app->head: the recorded response's header lines.
static u32
js_head(struct http_conn *hc, char *dst, u32 n)
{
  struct jsc *k = js_of(hc);

  if(k->state != J_SENDING || k->head_len > n)
    return 0;
  memcpy(dst, k->head, k->head_len);
  return k->head_len;
}

// Hand k's recorded response to http.
static void
js_send(struct jsc *k)
{
  k->state = J_SENDING;
  k->off = 0;
  http_respond_stream(k->hc, k->status, 0, k->len, js_read);
}

// Is the header line "name: value" one we may pass on? Not the framing
// (http writes those) and nothing that could split the response.
static int
js_header_ok(const char *name, duk_size_t nlen, const char *value, duk_size_t vlen)
{
  static const char *const framing[] = { "content-length", "transfer-encoding", "connection",
                                         "keep-alive", "server" };

  for(u32 i = 0; i < NELEM(framing); i++)
    if(nlen == strlen(framing[i]) && strncmp(name, framing[i], nlen) == 0)
      return 0;
  for(duk_size_t i = 0; i < nlen; i++)
    if(name[i] <= ' ' || name[i] == ':' || name[i] == 0x7F)
      return 0;
  for(duk_size_t i = 0; i < vlen; i++)
    if(value[i] == '\r' || value[i] == '\n' || value[i] == 0)
      return 0;
  return nlen > 0;
}

// Write "name: value\r\n" at b (room checked by the caller): its length.
u32
js_header_line(char *b, const char *name, u32 nl, const char *value, u32 vl)
{
  memcpy(b, name, nl);
  memcpy(b + nl, ": ", 2);
  memcpy(b + nl + 2, value, vl);
  memcpy(b + nl + 2 + vl, "\r\n", 2);
  return nl + vl + 4;
}

// [.., headers] -> [.., buffer]: the header lines of a flat [name, value,
// ...] array, as "Name: value\r\n" lines that fit in JS_HEAD_MAX.
static void
js_head_lines(duk_context *ctx, u32 *len)
{
  u32 n = duk_is_array(ctx, -1) ? duk_get_length(ctx, -1) : 0, o = 0;
  char *b = duk_push_fixed_buffer(ctx, JS_HEAD_MAX);
  duk_size_t nl, vl;
  const char *name, *value;

  for(u32 i = 0; i + 1 < n; i += 2){
    duk_get_prop_index(ctx, -2, i);
    duk_get_prop_index(ctx, -3, i + 1);
    name = duk_safe_to_lstring(ctx, -2, &nl);
    value = duk_safe_to_lstring(ctx, -1, &vl);
    if(!js_header_ok(name, nl, value, vl) || o + nl + vl + 4 > JS_HEAD_MAX)
      kprintf("warn: js: response header '%.*s' left out\n", (int)(nl < 64 ? nl : 64), name);
    else
      o += js_header_line(b + o, name, nl, value, vl);
    duk_pop_2(ctx);
  }
  duk_remove(ctx, -2);
  *len = o;
}

// __native.respond(token, status, statusText, headers, body): record the
// response of a waiting request; false if it waits no more.
static duk_ret_t
nat_respond(duk_context *ctx)
{
  double token = duk_get_number(ctx, 0);
  int id = (int)(token - (double)TCP_CONNS * (u32)(token / TCP_CONNS));
  struct jsc *k = id >= 0 && id < TCP_CONNS ? &jsc[id] : 0;
  int status = duk_get_int(ctx, 1);
  duk_size_t blen = 0;

  if(!k || k->token != token || (k->state != J_CALL && k->state != J_WAIT)){
    duk_push_false(ctx);
    return 1;
  }
  js_slot(ctx, id);                              // [.. slot]
  duk_dup(ctx, 3);
  js_head_lines(ctx, &k->head_len);
  k->head = duk_get_buffer(ctx, -1, 0);
  duk_put_prop_string(ctx, -2, "t");
  k->body = duk_is_buffer_data(ctx, 4) ? duk_get_buffer_data(ctx, 4, &blen) : 0;
  duk_dup(ctx, 4);
  duk_put_prop_string(ctx, -2, "r");
  k->status = status >= 100 && status <= 999 ? status : 500;
  k->len = blen;
  k->state = J_READY;
  flush |= k->deferred;
  duk_push_true(ctx);
  return 1;
}

static const duk_function_list_entry js_natives[] = {
  { "respond", nat_respond, 5 },
  { "fetch", jsf_native, 4 },
  { "fetchAbort", jsf_native_abort, 1 },
  { 0, 0, 0 },
};

// The heap is gone (runtime.c starts a fresh one): requests that waited
// on it get a 500; responses being written from it are cut off.
static void
js_dropped(void)
{
  static const char nomem[] = "{\"error\":\"out-of-memory\",\"message\":"
                              "\"the script ran out of memory; its state was reset\"}\n";

  for(int i = 0; i < TCP_CONNS; i++){
    struct jsc *k = &jsc[i];

    if(k->state == J_WAIT || k->state == J_READY || k->state == J_CALL)
      js_static(k, 500, nomem);
    else if(k->state == J_SENDING && k->head != JSON_HEAD)
      k->body = 0;
    else if(k->state == J_BODY)
      k->state = J_LOST;
  }
  timer_at = TIME_NEVER;
  timers_dirty = 1;
  jsf_dropped();
}

// The hook call for k ended with r (not RT_OK): answer for it.
static void
js_failed(struct jsc *k, int r)
{
  if(r == RT_TIMEOUT){
    kprintf("js: a request ran longer than %d ms: interrupted\n", JS_CALL_MS);
    js_static(k, 503, "{\"error\":\"timeout\",\"message\":\"the handler ran longer than the time limit\"}\n");
  } else if(r == RT_THROWN){
    js_static(k, 500, "{\"error\":\"internal\",\"message\":\"the runtime failed to take the request\"}\n");
  } else {
    rt_restart(r == RT_NOMEM ? "the script ran out of memory" : "the JavaScript engine failed");
  }
}

// Hand the request (headers and body read) to the script.
static void
js_dispatch(struct http_conn *hc)
{
  duk_context *ctx = rt_ctx();
  const struct http_req *r = http_request(hc);
  struct jsc *k = js_of(hc);
  int id = http_id(hc), rc;

  k->token = (double)++requests * TCP_CONNS + id;
  k->state = J_CALL;
  k->deferred = 0;
  rt_hook(ctx, "request");
  duk_push_number(ctx, k->token);
  duk_push_string(ctx, r->method_name);
  js_slot(ctx, id);                              // [hook.. token method slot]
  duk_push_string(ctx, "http://");
  if(!duk_get_prop_string(ctx, -2, "host")){
    duk_pop(ctx);
    duk_push_sprintf(ctx, IP_FMT, IP_ARGS(netif.ip));
  }
  duk_push_string(ctx, r->path);
  duk_push_string(ctx, r->path + r->qoff);
  duk_concat(ctx, 4);                            // [.. slot url]
  duk_get_prop_string(ctx, -2, "h");
  if(duk_get_prop_string(ctx, -3, "b"))
    duk_push_buffer_object(ctx, -1, 0, k->blen, DUK_BUFOBJ_UINT8ARRAY);
  else
    duk_push_null(ctx);
  duk_remove(ctx, -2);                           // [.. slot url headers body]
  duk_remove(ctx, -4);
  rc = rt_call(ctx, 5);
  timers_dirty = 1;
  collect_at = time_us() + JS_IDLE_GC_MS * 1000ull;
  if(rc != RT_FATAL)
    rt_hook_end(ctx);
  if(rc != RT_OK)
    js_failed(k, rc);
  if(k->state == J_READY){
    js_send(k);
  } else {
    k->state = J_WAIT;
    k->deferred = 1;
    k->deadline = time_us() + JS_CALL_MS * 1000ull;
    wait_next = k->deadline < wait_next ? k->deadline : wait_next;
    http_defer(hc);
  }
}

// app->start: a request line was read; its headers come next.
static void
js_start(struct http_conn *hc)
{
  duk_context *ctx = rt_ctx();
  struct jsc *k = js_of(hc);

  k->hc = hc;
  k->state = J_IDLE;
  k->blen = k->bcap = 0;
  if(!ctx)
    return;
  duk_push_heap_stash(ctx);
  duk_push_object(ctx);
  duk_push_array(ctx);
  duk_put_prop_string(ctx, -2, "h");
  duk_put_prop_index(ctx, -2, http_id(hc));
  duk_pop(ctx);
}

// Is header name "Host" (in any case)?
static int
js_is_host(const char *name)
{
  return (name[0] | 0x20) == 'h' && (name[1] | 0x20) == 'o' && (name[2] | 0x20) == 's' &&
         (name[3] | 0x20) == 't' && name[4] == 0;
}

// app->header: one more [name, value] for the request's headers.
static void
js_header(struct http_conn *hc, const char *name, const char *value)
{
  duk_context *ctx = rt_ctx();

  if(!ctx)
    return;
  js_slot(ctx, http_id(hc));
  if(js_is_host(name)){
    duk_push_string(ctx, value);
    duk_put_prop_string(ctx, -2, "host");
  }
  duk_get_prop_string(ctx, -1, "h");
  duk_push_string(ctx, name);
  duk_put_prop_index(ctx, -2, duk_get_length(ctx, -2));
  duk_push_string(ctx, value);
  duk_put_prop_index(ctx, -2, duk_get_length(ctx, -2));
  duk_pop_2(ctx);
}

// Respond with the script's load error, or say the engine is not there.
static void
js_broken(struct http_conn *hc)
{
  const char *e = rt_error();

  if(!e)
    e = "{\"error\":\"engine\",\"message\":\"the JavaScript engine is not running\"}";
  js_static(js_of(hc), 500, e);
  js_send(js_of(hc));
}

// [... obj] -> [... obj]: room for n bytes in obj's buffer "b", which holds
// have bytes (0: none yet): doubled from 4 KiB, at most max. The new size.
u32
js_grow_buffer(duk_context *ctx, u32 have, u32 n, u32 max)
{
  u32 cap = have ? have : 4096;

  while(cap < n)
    cap *= 2;
  cap = cap < max ? cap : max;
  if(have == 0){
    duk_push_dynamic_buffer(ctx, cap);
    duk_put_prop_string(ctx, -2, "b");
  } else if(cap > have){
    duk_get_prop_string(ctx, -1, "b");
    duk_resize_buffer(ctx, -1, cap);
    duk_pop(ctx);
  }
  return cap;
}

// Grow the request's body buffer to hold n bytes. 0, or -1 after a 413.
static int
js_room(struct http_conn *hc, struct jsc *k, u32 n)
{
  duk_context *ctx = rt_ctx();

  if(n > JS_BODY_MAX){
    http_error(hc, 413, "too_large", "request bodies are at most 1 MiB");
    return -1;
  }
  js_slot(ctx, http_id(hc));
  k->bcap = js_grow_buffer(ctx, k->bcap, n, JS_BODY_MAX);
  duk_pop(ctx);
  return 0;
}

// app->request: headers are in. Take the body first, if there is one.
static void
js_request(struct http_conn *hc, const struct http_req *r)
{
  struct jsc *k = js_of(hc);

  if(!rt_ctx() || rt_error()){
    js_broken(hc);
  } else if(r->chunked || r->clen > 0){
    if(js_room(hc, k, r->chunked ? 0 : r->clen) == 0){
      k->state = J_BODY;
      http_accept_body(hc);
    }
  } else
    js_dispatch(hc);
}

// app->body: more of the request's body.
static int
js_body(struct http_conn *hc, const u8 *p, u32 n)
{
  struct jsc *k = js_of(hc);
  duk_context *ctx = rt_ctx();
  u8 *b;

  if(k->state == J_LOST){
    http_error(hc, 500, "out-of-memory", "the script ran out of memory; its state was reset");
    return -1;
  }
  if(k->blen + n > k->bcap && js_room(hc, k, k->blen + n) < 0)
    return -1;
  js_slot(ctx, http_id(hc));
  duk_get_prop_string(ctx, -1, "b");
  b = duk_get_buffer(ctx, -1, 0);
  memcpy(b + k->blen, p, n);
  duk_pop_2(ctx);
  k->blen += n;
  return 0;
}

// app->end: the body is in.
static void
js_end(struct http_conn *hc)
{
  struct jsc *k = js_of(hc);

  if(k->state == J_LOST)
    http_error(hc, 500, "out-of-memory", "the script ran out of memory; its state was reset");
  else
    js_dispatch(hc);
}

// app->release: the request is over; drop what it held.
static void
js_release(struct http_conn *hc)
{
  struct jsc *k = js_of(hc);
  duk_context *ctx = rt_ctx();

  k->state = J_IDLE;
  k->token = 0;
  k->body = 0;
  if(ctx)
    js_unslot(ctx, http_id(hc));
}

static const struct http_app js_app = {
  .server = "tabcloud-" NAME,
  .request = js_request,
  .body = js_body,
  .end = js_end,
  .release = js_release,
  .start = js_start,
  .header = js_header,
  .head = js_head,
};

// A hook call from outside a request (what: for the console) ended with
// rc: pop its result, and let the poller look at timers and responses.
void
js_ran(duk_context *ctx, int rc, const char *what)
{
  if(rc != RT_FATAL)
    rt_hook_end(ctx);
  timers_dirty = 1;
  collect_at = time_us() + JS_IDLE_GC_MS * 1000ull;
  idle_wake();
  if(rc == RT_TIMEOUT)
    kprintf("js: %s ran longer than %d ms: interrupted\n", what, JS_CALL_MS);
  else if(rc == RT_NOMEM || rc == RT_FATAL)
    rt_restart(rc == RT_NOMEM ? "the script ran out of memory" : "the JavaScript engine failed");
}

// Run the script's timers that are due; note when the next one is.
static void
js_timers(void)
{
  duk_context *ctx = rt_ctx();
  double next;
  int rc;

  timers_dirty = 0;
  rt_hook(ctx, "tick");
  rc = rt_call(ctx, 0);
  next = rc == RT_OK ? duk_get_number_default(ctx, -1, -1) : -1;
  if(rc != RT_FATAL)
    rt_hook_end(ctx);
  timer_at = next < 0 ? TIME_NEVER : (u64)(next * 1000.0);
  if(rc == RT_TIMEOUT)
    kprintf("js: a timer ran longer than %d ms: interrupted\n", JS_CALL_MS);
  else if(rc == RT_NOMEM || rc == RT_FATAL)
    rt_restart(rc == RT_NOMEM ? "the script ran out of memory" : "the JavaScript engine failed");
}

// Answer the waiting requests past their deadline with 503; note the
// next deadline.
static void
js_deadlines(u64 now)
{
  wait_next = TIME_NEVER;
  for(int i = 0; i < TCP_CONNS; i++){
    struct jsc *k = &jsc[i];

    if(k->state == J_WAIT && now >= k->deadline)
      js_static(k, 503, "{\"error\":\"timeout\",\"message\":\"no response within the time limit\"}\n");
    else if(k->state == J_WAIT && k->deadline < wait_next)
      wait_next = k->deadline;
  }
}

// Poller: timers, requests past their deadline, responses to send.
static u64
js_poll(u64 now)
{
  u64 next;

  if(!rt_ctx())
    return TIME_NEVER;
  if(timers_dirty || now >= timer_at)
    js_timers();
  if(now >= wait_next)
    js_deadlines(now);
  if(now >= collect_at && wait_next == TIME_NEVER && !flush){
    collect_at = TIME_NEVER;
    rt_collect();
  }
  while(flush){
    flush = 0;
    for(int i = 0; i < TCP_CONNS; i++)
      if(jsc[i].state == J_READY && jsc[i].deferred)
        js_send(&jsc[i]);
  }
  if(timers_dirty)
    return now;
  next = timer_at < wait_next ? timer_at : wait_next;
  return collect_at < next ? collect_at : next;
}

// heap: the JS heap in use.
static void
cmd_heap(int argc, char **argv)
{
  u32 size, used = rt_heap_used(&size);

  (void)argc;
  (void)argv;
  kprintf("js heap: %u KiB of %u KiB in use\n", used >> 10, size >> 10);
}

// The script is in: run it, then start the shell, the NIC and the stack;
// READY follows once it serves, whether or not the script loaded.
static void
js_begin(const char *src, u32 len)
{
  rt_load_script(src, len);
  timers_dirty = 1;                      // loading may have set timers: the poller asks
  boot_mark("script");
  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("net", "address, ARP cache, TCP connections", net_cmd);
  shell_register("heap", "the JavaScript heap in use", cmd_heap);
  idle_register(shell_poll);
  net_serve(NAME, 80, &js_app);
  idle_register(js_poll);
}

// Snapshot mode (cmdline js.snapshot): a host saves the machine at
// "@snapshot", with the engine started and no script, and resumes it for
// each script. The first console line after resuming asks where the script
// goes ("@userdata <address> <room>"); the host writes it there and sends
// its length on the next line.
static struct {
  u8 *at;
  u32 room;
  int asked;              // "@userdata" was printed
  u32 len;                // digits of the length so far
} wait;

// Poller in snapshot mode: the two console lines of the handover.
static u64
js_wait(u64 now)
{
  int c;

  (void)now;
  while(wait.room && (c = uart_getc()) >= 0){
    if(c == '\r')
      continue;
    if(!wait.asked && c == '\n'){
      wait.asked = 1;
      kprintf("@userdata 0x%x %u\n", (u32)(uintptr_t)wait.at, wait.room);
    } else if(wait.asked && c >= '0' && c <= '9'){
      wait.len = wait.len * 10 + (c - '0');
    } else if(wait.asked && c == '\n'){
      wait.room = wait.len <= wait.room ? 0 : wait.room;
      if(wait.room == 0){
        boot_restart();
        js_begin((const char *)wait.at, wait.len);
      }
      else
        kprintf("js: a %u-byte script does not fit in %u bytes\n", wait.len, wait.room);
      wait.len = 0;
    }
  }
  return TIME_NEVER;
}

// Start the engine, then take the script from module 0, or wait for it
// in snapshot mode.
void
app_main(void)
{
  const u8 *script = 0;
  u32 len, heap, script_len = 0;
  void *mem;
  u8 *base;
  char flag[4];

  fpu_init();
  if(mem_region(&mem, &len) < 0 || len < JS_KEEP_MAX + (2u << 20))
    panic("js: no memory for the JavaScript heap");
  base = mem;
  heap = (len - JS_KEEP_MAX) / 8 * 7 < JS_HEAP_MAX ? (len - JS_KEEP_MAX) / 8 * 7 : JS_HEAP_MAX;
  rt_init(base, heap, base + heap, JS_KEEP_MAX, js_natives, js_dropped);
  if(cmdline_get("js.snapshot", flag, sizeof(flag)) >= 0){
    wait.at = base + heap + JS_KEEP_MAX;
    wait.room = len - heap - JS_KEEP_MAX;
    idle_register(js_wait);
    kprintf("@snapshot\n");
    return;
  }
  user_data(&script, &script_len);
  js_begin((const char *)script, script_len);
}
