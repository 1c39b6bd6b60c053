// Test runner and the stubs that stand in for the hardware-facing kernel.

#include "test.h"
#include "net.h"

char test_out[4096];
static size_t out_len;
static const char *uart_in;

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

// Stub: the idle loop's wakeup (the tests poll by hand).
void
idle_wake(void)
{
}

// Stub: the clock is the network stack's (netif.now).
u64
time_us(void)
{
  return netif.now;
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
  test_dns();
  test_tcp_open();
  test_tcp_connect();
  test_tcp_table();
  test_tcp();
  test_tcp_close();
  test_tcp_data();
  test_http();
  test_http_limits();
  test_http_pool();
  test_http_app();
  test_fetch();
  test_fetch_bad();
  test_utf8();
  test_url();
  test_store();
  test_json();
  test_ustar();
  test_static();
  return test_summary();
}
