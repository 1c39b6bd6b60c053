// Our settings for Duktape, inserted at the override block of Duktape's own
// duk_config.h when the js appliance is built (see images/Makefile): the
// engine is configured, never patched. The providers are in runtime.c.

#define DUK_USE_DATE_GET_NOW(ctx)           js_date_now()
#define DUK_USE_GET_MONOTONIC_TIME(ctx)     js_monotonic_ms()
#define DUK_USE_DATE_GET_LOCAL_TZOFFSET(d)  0      // the guest lives in UTC
#undef DUK_USE_DATE_NOW_TIME
#undef DUK_USE_DATE_TZO_GMTIME

// A call into JS that runs too long is interrupted (js_timeout_check says
// when); a fatal error longjmps back to the runtime, which starts afresh.
#define DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata)   js_timeout_check(udata)
#define DUK_USE_FATAL_HANDLER(udata, msg)   js_fatal(udata, msg)

// No mark-and-sweep in the middle of a request: it walks the whole heap
// (the prelude's thousands of objects), which takes v86 a tenth of a
// second. Reference counting frees nearly everything at once; the runtime
// collects cycles when the service is idle (js.c), and Duktape does when
// an allocation fails.
#undef DUK_USE_VOLUNTARY_GC

// Not part of the web's surface: Duktape's own JSON dialects. (CBOR stays: the
// built-in tables were generated with it.)
#undef DUK_USE_JX
#undef DUK_USE_JC

#if defined(DUK_COMPILING_DUKTAPE)
double js_date_now(void);
double js_monotonic_ms(void);
int js_timeout_check(void *udata);
void js_fatal(void *udata, const char *msg) __attribute__((noreturn));
#endif
