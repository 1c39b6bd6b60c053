// The CMOS real-time clock, used only as a slow wakeup. While the idle
// loop's next deadline is far away (a DHCP renewal, an idle connection's
// timeout), a 2 Hz RTC interrupt stands in for a chain of 55 ms PIT
// one-shots, each of which v86 busy-waits for: a guest waiting minutes for
// a timer then costs the host next to nothing. Time itself stays the TSC.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define CMOS_ADDR   0x70
#define CMOS_DATA   0x71
#define NMI_OFF     0x80      // index bit 7: keep NMI masked
#define REG_A       0x0A
#define REG_B       0x0B
#define REG_C       0x0C
#define A_RATE_2HZ  0x0F      // 32768 Hz >> (15 - 1): a 500 ms period
#define B_PIE       0x40      // periodic interrupt enable
#define RTC_IRQ     8

static int ticking;

// Read CMOS register reg.
static u8
cmos_read(u8 reg)
{
  outb(CMOS_ADDR, NMI_OFF | reg);
  return inb(CMOS_DATA);
}

// Write v to CMOS register reg.
static void
cmos_write(u8 reg, u8 v)
{
  outb(CMOS_ADDR, NMI_OFF | reg);
  outb(CMOS_DATA, v);
}

// IRQ 8: reading register C acknowledges it (without that read no further
// RTC interrupt comes); the interrupt itself wakes the idle loop.
static void
rtc_intr(void)
{
  cmos_read(REG_C);
}

// Take IRQ 8 with the periodic interrupt off. Call once at boot.
void
rtc_init(void)
{
  cmos_write(REG_B, cmos_read(REG_B) & ~B_PIE);
  cmos_read(REG_C);
  irq_register(RTC_IRQ, rtc_intr);
}

// Start (on) or stop the 2 Hz tick; the chip is only touched on a change.
void
rtc_tick(int on)
{
  if(on == ticking)
    return;
  ticking = on;
  cmos_write(REG_A, (cmos_read(REG_A) & 0xF0) | A_RATE_2HZ);
  cmos_write(REG_B, on ? cmos_read(REG_B) | B_PIE : cmos_read(REG_B) & ~B_PIE);
  cmos_read(REG_C);
}
