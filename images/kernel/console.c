// Formatted console output on COM1, panic and halt.

#include "types.h"
#include "defs.h"
#include "x86.h"

static int panicking;

// Sink for format(): one character to the serial port.
static void
console_sink(void *arg, char c)
{
  (void)arg;
  uart_putc(c);
}

// printf to the console with a va_list.
void
kvprintf(const char *fmt, va_list ap)
{
  format(console_sink, 0, fmt, ap);
}

// printf to the console (see format.c for the conversions).
void
kprintf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
}

// Print "panic: <message>" and halt. For broken invariants, not expected errors.
void
panic(const char *fmt, ...)
{
  va_list ap;

  cli();
  if(panicking++)
    halt();      // a panic while panicking: the console itself may be broken
  kprintf("\npanic: ");
  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
  kprintf("\n");
  halt();
}

// Print the final "HALTED" line and stop the CPU for good (interrupts off).
void
halt(void)
{
  cli();
  kprintf("HALTED\n");
  hang();
}

// Stop for good with interrupts off, printing nothing.
void
hang(void)
{
  cli();
  for(;;)
    hlt();
}
