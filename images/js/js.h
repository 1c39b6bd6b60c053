// The js appliance's parts: the engine (runtime.c), the HTTP glue (js.c)
// and fetch() (jsfetch.c). Only these files include duktape.h.

#ifndef JS_H
#define JS_H

#include "duktape.h"
#include "types.h"

enum { RT_OK, RT_THROWN, RT_TIMEOUT, RT_NOMEM, RT_FATAL };

#define RT_ERROR_MAX 480          // the load error's JSON, bytes

// runtime.c
void rt_init(void *arena, u32 len, void *keep, u32 keep_len, const duk_function_list_entry *natives,
             void (*dropped)(void));
void rt_load_script(const char *src, u32 len);
duk_context *rt_ctx(void);
const char *rt_error(void);
u32 rt_heap_used(u32 *size);
void rt_hook(duk_context *ctx, const char *name);
int rt_call(duk_context *ctx, int nargs);
void rt_hook_end(duk_context *ctx);
void rt_restart(const char *why);
void rt_collect(void);

// js.c
void js_ran(duk_context *ctx, int rc, const char *what);
u32 js_grow_buffer(duk_context *ctx, u32 have, u32 n, u32 max);
u32 js_header_line(char *b, const char *name, u32 nl, const char *value, u32 vl);

// jsfetch.c
duk_ret_t jsf_native(duk_context *ctx);
duk_ret_t jsf_native_abort(duk_context *ctx);
void jsf_dropped(void);

#endif
