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

// A date/time register, decoded from BCD unless the chip counts in binary.
static u32
rtc_field(u8 reg, u8 b)
{
  u8 v = cmos_read(reg);

  return b & 0x04 ? v : (v >> 4) * 10 + (v & 0x0F);
}

// Days from 1970-01-01 to the date y-m-d (proleptic Gregorian).
static u32
rtc_days(u32 y, u32 m, u32 d)
{
  u32 era, yoe, doy;

  y -= m <= 2;
  era = y / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

// The wall-clock time: seconds since 1970 (UTC), read from the CMOS clock.
u64
rtc_epoch(void)
{
  u8 b = cmos_read(REG_B);
  u32 y, mo, d, h, mi, s, pm, c;

  for(int i = 0; i < 100000 && (cmos_read(REG_A) & 0x80); i++)
    ;                                        // an update is under way
  s = rtc_field(0x00, b);
  mi = rtc_field(0x02, b);
  h = cmos_read(0x04);
  pm = h & 0x80;
  h &= 0x7F;
  h = b & 0x04 ? h : (h >> 4) * 10 + (h & 0x0F);
  if(!(b & 0x02))
    h = h % 12 + (pm ? 12 : 0);
  d = rtc_field(0x07, b);
  mo = rtc_field(0x08, b);
  c = rtc_field(0x32, b);                    // the century, where the chip keeps one
  y = rtc_field(0x09, b) + (c >= 19 && c <= 21 ? c * 100 : 2000);
  return (u64)rtc_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}
