// 8254 programmable interval timer. Channel 0 (IRQ 0) is either a periodic
// counter (TSC calibration at boot) or a one-shot alarm for the idle loop;
// channel 2 (no IRQ, gated by port 0x61) can run free as a phase reference.
// Its input clock is PIT_FREQ in every PC and emulator.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define PIT_DATA(ch)  (0x40 + (ch))
#define PIT_CMD       0x43
#define PIT_SEL(ch)   ((ch) << 6)
#define PIT_LOHI      0x30     // access lobyte then hibyte
#define PIT_MODE0     0x00     // interrupt on terminal count (one-shot)
#define PIT_MODE2     0x04     // rate generator (periodic)
#define PIT_LATCH     0x00     // counter latch command
#define PORT_B        0x61     // system control port B
#define PORTB_GATE2   0x01     // channel 2 gate
#define PORTB_SPKR    0x02     // channel 2 output to the speaker

// Load a 16-bit count into channel ch after a control word; counting starts now.
static void
pit_load(int ch, u8 mode, u32 count)
{
  outb(PIT_CMD, PIT_SEL(ch) | PIT_LOHI | mode);
  outb(PIT_DATA(ch), count & 0xFF);
  outb(PIT_DATA(ch), count >> 8);
}

// Run channel ch (0 or 2) as a periodic counter from reload down to 1.
// Channel 2 is gated on with its speaker output kept off.
void
pit_periodic(int ch, u32 reload)
{
  if(reload < 2 || reload > 0xFFFF || (ch != 0 && ch != 2))
    panic("pit_periodic: channel %d reload %u", ch, reload);
  if(ch == 2)
    outb(PORT_B, (inb(PORT_B) & ~PORTB_SPKR) | PORTB_GATE2);
  pit_load(ch, PIT_MODE2, reload);
}

// Raise IRQ 0 once, ticks PIT cycles from now (1..0xFFFF); then stay quiet.
void
pit_oneshot(u32 ticks)
{
  if(ticks < 1 || ticks > 0xFFFF)
    panic("pit_oneshot: %u ticks", ticks);
  pit_load(0, PIT_MODE0, ticks);
}

// Current count of channel ch.
u32
pit_count(int ch)
{
  u32 lo, hi;

  outb(PIT_CMD, PIT_SEL(ch) | PIT_LATCH);
  lo = inb(PIT_DATA(ch));
  hi = inb(PIT_DATA(ch));
  return lo | hi << 8;
}
