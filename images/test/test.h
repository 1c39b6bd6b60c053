// A tiny test harness: CHECK macros count passes and failures; main.c runs
// every suite and prints "N passed, N failed". No libc string functions here:
// the kernel's own (renamed k*) are under test.

#ifndef TEST_H
#define TEST_H

#include <setjmp.h>
#include <stdio.h>
#include "types.h"
#include "defs.h"

void test_check(int ok, const char *what, const char *file, int line);
void test_check_str(const char *got, const char *want, const char *what, const char *file, int line);
int test_streq(const char *a, const char *b);
char *test_strstr(const char *h, const char *n);

#define CHECK(c) test_check(!!(c), #c, __FILE__, __LINE__)
#define CHECK_STR(got, want) test_check_str((got), (want), #got, __FILE__, __LINE__)

// Run stmt and check that it panics (panic() longjmps back here).
extern jmp_buf *test_panic_jmp;
extern char test_panic_msg[256];
#define CHECK_PANICS(stmt) do {                                   \
    jmp_buf jb_;                                                  \
    volatile int panicked_ = 0;                                   \
    test_panic_jmp = &jb_;                                        \
    if(setjmp(jb_) == 0){ stmt; } else panicked_ = 1;             \
    test_panic_jmp = 0;                                           \
    test_check(panicked_, "panics: " #stmt, __FILE__, __LINE__);  \
  } while(0)

// Console capture for code that prints with kprintf (the shell).
extern char test_out[4096];
void test_out_reset(void);

// Serial input for shell_poll: bytes returned by the fake uart_getc.
void test_uart_feed(const char *s);

// Deterministic pseudo-random numbers (xorshift64*).
u64 test_rand(void);
int test_summary(void);

// A tar entry written at tar + off (test_ustar.c); the offset after it.
u32 test_tar_add(u8 *tar, u32 off, const char *prefix, const char *name, char t, const void *data, u32 len);

void test_format(void);
void test_div64(void);
void test_string(void);
void test_shell(void);
void test_multiboot(void);
void test_net(void);
void test_dhcp(void);
void test_dns(void);
void test_fetch(void);
void test_fetch_bad(void);
void test_tcp_open(void);
void test_tcp_connect(void);
void test_tcp_table(void);
void test_tcp(void);
void test_tcp_close(void);
void test_tcp_data(void);
void test_http(void);
void test_http_limits(void);
void test_http_pool(void);
void test_http_app(void);
void test_utf8(void);
void test_url(void);
void test_store(void);
void test_json(void);
void test_ustar(void);
void test_static(void);

#endif
