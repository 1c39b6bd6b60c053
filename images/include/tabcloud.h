// The appliance API: everything an appliance may call, with its contract.
// An appliance is C files that define app_main(); it is linked with the
// kernel (kernel/) and the network stack (net/), and includes this header
// only (plus its own). kv, static and every `tabcloud new` appliance sit on
// it; the kernel's own interfaces (defs.h, net.h) are not for appliances.
//
// The model: no threads, no tick. app_main() registers console commands,
// pollers and an HTTP server, then returns; the kernel halts until an
// interrupt, then runs every poller. Nothing here blocks, and nothing
// allocates: an appliance keeps its state in static arrays (sized per
// connection with http_id()) or in the memory mem_region() hands it.

#ifndef TABCLOUD_H
#define TABCLOUD_H

#include <stdarg.h>
#include "types.h"
#include "param.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))

// --- The appliance provides -----------------------------------------------

// Called once the machine is up (console, time, interrupts): set up and return.
void app_main(void);

// --- Logging and the boot timeline (console.c, format.c, main.c) ----------
// The console is COM1; its contract is in images/README.md (Serial contract).

// Print to the console. Conversions: %d %i %u %x %X %p %s %c %%; flags - and
// 0; width and precision (digits or *); length l, ll, z. No floating point.
void kprintf(const char *fmt, ...) PRINTFLIKE(1, 2);
// kprintf with a va_list.
void kvprintf(const char *fmt, va_list ap);
// kprintf into buf (always NUL-terminated); the length the whole output needs.
int ksnprintf(char *buf, size_t n, const char *fmt, ...) PRINTFLIKE(3, 4);
// ksnprintf with a va_list.
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
// Print "panic: <message>" and stop for good. For broken invariants only.
void panic(const char *fmt, ...) PRINTFLIKE(1, 2) __attribute__((noreturn));
// Stop for good, with interrupts off and nothing printed (the machine stops answering).
void hang(void) __attribute__((noreturn));
// Print "@boot <stage> <ms>": a step of the boot that may take time was reached.
void boot_mark(const char *stage);
// An appliance without network is serving now: "@boot ready <ms>", then "READY <name>".
// (A network appliance's READY comes from net_serve.)
void boot_ready_now(const char *name);

// --- Console commands (shell.c, sysinfo.c) ----------------------------------

// A command: argv[0] is its name, argv[1..argc-1] the words typed after it.
typedef void (*shell_fn)(int argc, char **argv);
// Start the console with this prompt and the built-in help; call once, first.
void shell_init(const char *prompt);
// Add a command; help is its line in `help` (0: hidden).
void shell_register(const char *name, const char *help, shell_fn fn);
// Add the uptime and mem commands.
void sysinfo_register(void);
// The poller that reads the console: idle_register(shell_poll) after shell_init.
u64 shell_poll(u64 now);

// --- Time and timers (time.c, idle.c) -----------------------------------------

#define TIME_NEVER (~0ull)
// A poller does its work for time now (us) and returns when it next wants to
// run (absolute us), or TIME_NEVER if only an interrupt can give it work.
// A timer is a poller that returns its deadline until it is due.
typedef u64 (*idle_poll_fn)(u64 now);
// Run fn after every wakeup (at most IDLE_POLLS_MAX, param.h).
void idle_register(idle_poll_fn fn);
// Microseconds since kernel entry.
u64 time_us(void);
// Milliseconds since kernel entry.
u64 time_ms(void);
// Seconds since 1970 from the machine's real-time clock (UTC).
u64 rtc_epoch(void);

// --- User-data, command line, memory (multiboot.c) ----------------------------

// The user-data the host passed (multiboot module 0): 0 and its bytes, which
// stay where they are, or -1 if none was given.
int user_data(const u8 **data, u32 *len);
// The value of key=value on the kernel command line into buf (n bytes with the
// NUL); its length, or -1 if absent.
int cmdline_get(const char *key, char *buf, int n);
// The largest free RAM region above the image and the user-data, for the
// appliance to own: 0, or -1 if there is none.
int mem_region(void **base, u32 *len);

// --- Strings (string.c): the C library's contracts ---------------------------

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

// --- The HTTP server (net/http*.c, net/serve.c) -------------------------------
// HTTP/1.1 with keep-alive and pipelining: Content-Length and chunked request
// bodies; limits answered with their status (400, 413, 414, 431, 501); every
// response has Content-Length or is chunked, and Server: <app->server>.
//
// An application sees one request at a time per connection: request() either
// responds at once or calls http_accept_body(), after which body() gets the
// body and end() must respond. Instead of responding, request() or end() may
// call http_defer() and respond later, from outside these callbacks.
// release() ends every request that reached request(), when its response is
// out or the connection died.

#define HTTP_CHUNKED 0xFFFFFFFFu   // response length: unknown, sent chunked

enum { HTTP_GET = 1, HTTP_HEAD, HTTP_PUT, HTTP_POST, HTTP_DELETE, HTTP_OTHER };

struct http_req {
  int method;                        // HTTP_GET ... HTTP_OTHER
  char method_name[HTTP_METHOD_MAX + 1];  // the method as sent, e.g. "PATCH"
  char path[HTTP_URI_MAX + 2];       // the target's path; its query follows at path + qoff
  u16 qoff;                          // "?a=1" (or "" if none) starts here, after path's NUL
  char ctype[HTTP_CTYPE_MAX + 1];    // Content-Type, "" if none
  char etags[HTTP_ETAGS_MAX + 1];    // If-None-Match, "" if none
  u32 clen;                          // Content-Length (0 if none)
  u8 chunked;                        // Transfer-Encoding: chunked
  u8 has_clen;
  u8 keep;                           // keep-alive after the response
  u8 expect;                         // Expect: 100-continue
  u8 http10;
};

struct http_conn;

// Produce up to n bytes of a streamed response body into dst; the count.
// For a chunked response, 0 ends the body (n is at least 256 then).
typedef u32 (*http_read_fn)(struct http_conn *hc, u8 *dst, u32 n);

struct http_app {
  const char *server;                // Server header, e.g. "tabcloud-kv"
  void (*request)(struct http_conn *hc, const struct http_req *r);
  // Needed only by an application that calls http_accept_body():
  int (*body)(struct http_conn *hc, const u8 *p, u32 n);   // 0, or -1 after responding
  void (*end)(struct http_conn *hc);
  // Optional: the request is over (answered, or its connection died).
  void (*release)(struct http_conn *hc);
  // Optional: a request line was read; header() follows for each of its
  // header lines (value trimmed), then request(). A request that fails in
  // between never reaches request(), and its connection closes.
  void (*start)(struct http_conn *hc);
  void (*header)(struct http_conn *hc, const char *name, const char *value);
  // Optional: header lines ("Name: value\r\n") of the response being
  // written, into dst (at most n bytes); their length.
  u32 (*head)(struct http_conn *hc, char *dst, u32 n);
};

// Start the network card and the stack; once DHCP (or the command line's
// ip=) gives an address, serve app on port and print "READY <name>".
void net_serve(const char *name, u16 port, const struct http_app *app);
// The console command `net`: address, ARP cache, TCP connections.
void net_cmd(int argc, char **argv);
// Serve app on another TCP port too, once net_serve's READY came: 0, or -1.
int http_listen(u16 port, const struct http_app *app);
// HTTP request buffers in use (of HTTP_MEMS).
u32 http_busy(void);
// The connection's index, 0..TCP_CONNS-1: for per-connection state.
int http_id(struct http_conn *hc);
// The request being answered on hc.
const struct http_req *http_request(struct http_conn *hc);
// In request(): take the body (body() gets it, then end()).
void http_accept_body(struct http_conn *hc);
// In request() or end(): the response comes later, through http_respond*.
void http_defer(struct http_conn *hc);
// Add "Allow: methods" to the response (for a 405).
void http_allow(struct http_conn *hc, const char *methods);
// Add a header line to the response about to be written: 0, or -1 if it
// does not fit in HTTP_EXTRA_MAX.
int http_add_header(struct http_conn *hc, const char *name, const char *value);
// Whether If-None-Match's etags match etag (weak comparison, "*", lists).
int http_etag_match(const char *etags, const char *etag);
// Respond with len bytes of body, at most HTTP_SMALL_BODY (copied); ctype 0: none.
void http_respond(struct http_conn *hc, int status, const char *ctype, const void *body, u32 len);
// Respond with a body of len bytes (or HTTP_CHUNKED) that read() produces in
// pieces as the connection has room: a large body, never held whole.
void http_respond_stream(struct http_conn *hc, int status, const char *ctype, u32 len, http_read_fn read);
// Respond with {"error":"<code>","message":"<message>"}.
void http_error(struct http_conn *hc, int status, const char *code, const char *message);
// The standard reason phrase of status ("Unknown" if it has none).
const char *http_reason(int status);

// --- The HTTP client (net/fetch*.c, net/dns.c) --------------------------------
// A URL is reached in one of three ways (images/README.md, "Calling other
// services"): an IPv4 literal directly; a name without a dot, or ending in
// .tabcloud, through DNS then directly; anything else, and every https://
// URL, through the host's HTTP proxy at the gateway's address, port 80.
// The client sends Host, Connection: close, Content-Length when there is a
// body, and User-Agent: tabcloud/<appliance>. Limits: FETCH_* in param.h.

// The HTTP client: one request, answer delivered in pieces from the idle loop.
struct fetch_req {
  const char *method;   // 0: "GET"
  const char *url;      // "http://host[:port]/path?query", or "https://..." (through the host's proxy)
  const char *headers;  // 0, or extra header lines, each "Name: value\r\n"
  const void *body;     // the request body (copied by http_fetch), body_len bytes
  u32 body_len;
  u8 body_kept;         // non-zero: body is not copied (no FETCH_SEND_MAX limit on it):
                        // it must stay in place, unchanged, until done()
};
struct fetch_ops {
  // The status line and headers arrived; headers: every header line as received,
  // "Name: value\r\n"..., headers_len bytes (not NUL-terminated). <0 aborts the request.
  int (*head)(void *ctx, int status, const char *headers, u32 headers_len);
  // A piece of the body, de-chunked, as it arrives. May be called many times.
  void (*body)(void *ctx, const u8 *p, u32 n);
  // The end, always called exactly once per started request: error 0 when the whole
  // response arrived, else a sentence naming the host, e.g. "cannot resolve db: no such
  // appliance on this network", "db (10.0.2.16) port 80 refused the connection",
  // "no answer from db within 30 s", "the connection to db was reset".
  void (*done)(void *ctx, const char *error);
};
// Starts a request. ops are called later from the idle loop, never from inside http_fetch.
// Returns a handle >= 0, or -1 (ops never called) when the URL is malformed or FETCH_MAX
// requests are in flight; fetch_error() then says why.
int http_fetch(const struct fetch_req *req, const struct fetch_ops *ops, void *ctx);
const char *fetch_error(void);
// Cancels a request in flight: done() is called with "aborted" (later, from the idle loop).
void http_fetch_abort(int handle);
// The console command `fetch [-X METHOD] [-d body] <url>` (net_serve registers it).
void fetch_cmd(int argc, char **argv);

#endif
