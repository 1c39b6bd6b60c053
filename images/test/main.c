// Test runner and the stubs that stand in for the hardware-facing kernel.

#include <stdlib.h>
#include "test.h"

static int passed, failed;
jmp_buf *test_panic_jmp;
char test_panic_msg[256];
char test_out[4096];
static size_t out_len;
static const char *uart_in;

// Count one check; print it if it failed.
void
test_check(int ok, const char *what, const char *file, int line)
{
  if(ok){
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s:%d: %s\n", file, line, what);
}

// Are two strings equal (independent of the kernel's strcmp under test)?
int
test_streq(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return *a == *b;
}

// The first occurrence of n in h, or null.
char *
test_strstr(const char *h, const char *n)
{
  for(; *h; h++){
    const char *a = h, *b = n;
    while(*b && *a == *b){
      a++;
      b++;
    }
    if(*b == 0)
      return (char *)h;
  }
  return 0;
}

// Check got equals want; print both if not.
void
test_check_str(const char *got, const char *want, const char *what, const char *file, int line)
{
  test_check(test_streq(got, want), what, file, line);
  if(!test_streq(got, want))
    printf("     got  \"%s\"\n     want \"%s\"\n", got, want);
}

// Stub: kernel panic jumps back into CHECK_PANICS, or aborts the tests.
void
panic(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  kvsnprintf(test_panic_msg, sizeof(test_panic_msg), fmt, ap);
  va_end(ap);
  if(test_panic_jmp)
    longjmp(*test_panic_jmp, 1);
  printf("unexpected panic: %s\n", test_panic_msg);
  abort();
}

// format() sink appending to test_out.
static void
out_sink(void *arg, char c)
{
  (void)arg;
  if(out_len + 1 < sizeof(test_out)){
    test_out[out_len++] = c;
    test_out[out_len] = 0;
  }
}

// Stub: the console is test_out.
void
kprintf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  format(out_sink, 0, fmt, ap);
  va_end(ap);
}

// Empty test_out.
void
test_out_reset(void)
{
  out_len = 0;
  test_out[0] = 0;
}

// Queue s as serial input.
void
test_uart_feed(const char *s)
{
  uart_in = s;
}

// Stub: next queued serial byte, or -1.
int
uart_getc(void)
{
  if(uart_in == 0 || *uart_in == 0)
    return -1;
  return (u8)*uart_in++;
}

// xorshift64*: deterministic, so failures reproduce.
u64
test_rand(void)
{
  static u64 x = 0x9E3779B97F4A7C15ull;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  return x * 0x2545F4914F6CDD1Dull;
}

int
main(void)
{
  test_format();
  test_div64();
  test_string();
  test_shell();
  test_multiboot();
  test_net();
  test_dhcp();
  test_tcp_open();
  test_tcp_table();
  test_tcp();
  test_tcp_close();
  test_tcp_data();
  test_http();
  test_http_limits();
  test_http_pool();
  test_http_app();
  test_utf8();
  test_url();
  test_store();
  test_json();
  test_ustar();
  test_static();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
