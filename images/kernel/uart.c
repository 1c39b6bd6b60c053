// COM1 16550A serial port: the console. Output is polled (the emulators drain
// the transmitter instantly); input arrives on IRQ 4 into a small ring that
// the idle loop's pollers drain with uart_getc.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define COM1      0x3F8
#define UART_IRQ  4

#define REG_DATA  0       // RBR/THR; divisor low with DLAB
#define REG_IER   1       // interrupt enable; divisor high with DLAB
#define REG_FCR   2       // FIFO control (write), IIR (read)
#define REG_LCR   3
#define REG_MCR   4
#define REG_LSR   5
#define REG_MSR   6

#define LCR_DLAB  0x80
#define LCR_8N1   0x03
#define FCR_FIFO  0xC7    // enable, clear both, trigger at 14 bytes
#define MCR_OUT   0x0B    // DTR, RTS, OUT2 (OUT2 gates the IRQ line on a PC)
#define IER_RX    0x01
#define LSR_DR    0x01    // receive data ready
#define LSR_THRE  0x20    // transmit holding register empty
#define DIVISOR   1       // 115200 baud

#if UART_RXBUF & (UART_RXBUF - 1)
#error "UART_RXBUF must be a power of two"
#endif

static struct {
  volatile u8 buf[UART_RXBUF];
  volatile u32 r;    // next read, advanced by uart_getc only
  volatile u32 w;    // next write, advanced by uart_intr only
} rx;

// Move every received byte into the ring; drop bytes when it is full.
static void
uart_intr(void)
{
  while(inb(COM1 + REG_LSR) & LSR_DR){
    u8 c = inb(COM1 + REG_DATA);
    if(rx.w - rx.r < UART_RXBUF){
      rx.buf[rx.w % UART_RXBUF] = c;
      rx.w++;
    }
  }
}

// Program COM1 for 115200 8N1 with FIFOs and enable the receive interrupt.
void
uart_init(void)
{
  outb(COM1 + REG_IER, 0);
  outb(COM1 + REG_LCR, LCR_DLAB);
  outb(COM1 + REG_DATA, DIVISOR & 0xFF);
  outb(COM1 + REG_IER, DIVISOR >> 8);
  outb(COM1 + REG_LCR, LCR_8N1);
  outb(COM1 + REG_FCR, FCR_FIFO);
  outb(COM1 + REG_MCR, MCR_OUT);

  // Discard whatever an earlier owner (the BIOS) left behind.
  while(inb(COM1 + REG_LSR) & LSR_DR)
    inb(COM1 + REG_DATA);
  inb(COM1 + REG_FCR);
  inb(COM1 + REG_MSR);

  irq_register(UART_IRQ, uart_intr);
  outb(COM1 + REG_IER, IER_RX);
}

// Send one raw byte, waiting (boundedly) for room in the transmitter.
static void
uart_tx(u8 c)
{
  for(int i = 0; i < UART_TX_SPIN; i++)
    if(inb(COM1 + REG_LSR) & LSR_THRE)
      break;
  outb(COM1 + REG_DATA, c);
}

// Write c to COM1; '\n' goes out as "\r\n".
void
uart_putc(int c)
{
  if(c == '\n')
    uart_tx('\r');
  uart_tx(c);
}

// Next received byte, or -1 if none is waiting. Never blocks.
int
uart_getc(void)
{
  u8 c;

  if(rx.r == rx.w)
    return -1;
  c = rx.buf[rx.r % UART_RXBUF];
  rx.r++;
  return c;
}
