// Time since kernel entry. The TSC is the clock (entry.S reads it first);
// its rate is measured against the 8254 PIT, whose input is 1.193182 MHz in
// every PC and emulator. Channel 0 then keeps running at PIT_HZ to wake the
// idle loop. Its ticks are never counted (emulators merge ticks when the host
// is busy); instead the TSC rate is refined later against channel 0's phase
// over a long baseline, unless CPUID leaf 0x15 states the exact rate (v86).

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define PIT_FREQ    1193182u   // input clock, Hz
#define PIT_CH0     0x40
#define PIT_CMD     0x43
#define PIT_MODE2   0x34       // channel 0, lobyte/hibyte, rate generator, binary
#define PIT_LATCH0  0x00       // latch channel 0's count for reading
#define PIT_IRQ     0
#define PIT_RELOAD  ((PIT_FREQ + PIT_HZ / 2) / PIT_HZ)
#define CAL_WINDOW  ((u32)((u64)PIT_FREQ * TIME_CAL_US / 2 / 1000000))
#define CAL_TRIES   5
#define CAL_GIVEUP  (1ull << 36)  // TSC ticks (over 10 s at 5 GHz): the PIT is dead
#define REFINE_AT   250000ull     // first refinement after this many us; then x16
#define REFINES     4

_Static_assert(CAL_WINDOW < PIT_RELOAD / 2, "TIME_CAL_US too long for one PIT period");
_Static_assert(PIT_RELOAD <= 0xFFFF, "PIT_HZ too low for a 16-bit counter");

static u64 tsc_hz;        // TSC ticks per second; 0 until calibrated
static u32 us_mult;       // microseconds per TSC tick, 0.32 fixed point
static u64 base_tsc;      // conversion origin: TSC base_tsc is base_us
static u64 base_us;
static const char *source = "none";
static u64 anchor_tsc;    // channel 0 sample that refinements measure from
static u32 anchor_count;
static int refines;       // refinements done
static u64 refine_at;     // us at which the next refinement is due

// Read channel 0's current count.
static u32
time_pit_count(void)
{
  u32 lo, hi;

  outb(PIT_CMD, PIT_LATCH0);
  lo = inb(PIT_CH0);
  hi = inb(PIT_CH0);
  return lo | hi << 8;
}

// Read the PIT count with the TSC at the middle of the read. Of three tries
// the tightest is kept: a first pass through cold code in v86 is slow enough
// to smear the TSC reading by tens of microseconds.
static u32
time_sample(u64 *tsc)
{
  u64 a, b, best = ~0ull;
  u32 c, count = 0;

  for(int i = 0; i < 3; i++){
    a = rdtsc();
    c = time_pit_count();
    b = rdtsc();
    if(b - a < best){
      best = b - a;
      count = c;
      *tsc = a + ((b - a) >> 1);
    }
  }
  return count;
}

// Wait for CAL_WINDOW PIT ticks after sample (t0, c0); return the ticks that
// passed and the closing sample in *t1, *c1.
static u32
time_window(u64 t0, u32 c0, u64 *t1, u32 *c1)
{
  u32 elapsed;

  do {
    *c1 = time_sample(t1);
    elapsed = (c0 + PIT_RELOAD - *c1) % PIT_RELOAD;
    if(*t1 - t0 > CAL_GIVEUP)
      panic("time_calibrate: the PIT does not count");
  } while(elapsed < CAL_WINDOW);
  return elapsed;
}

// Switch to rate hz from TSC value at onwards, so time_us does not jump.
static void
time_set_rate(u64 hz, u64 at, const char *why)
{
  u32 eflags = readeflags();

  if(hz < 2000000)
    panic("time: TSC at %u Hz is too slow", (u32)hz);
  cli();
  base_us = time_tsc_to_us(at);
  base_tsc = at;
  tsc_hz = hz;
  us_mult = (u32)div64_udivmod(1000000ull << 32, hz, 0);
  source = why;
  if(eflags & FL_IF)
    sti();
}

// Measure the TSC rate over two back-to-back windows; retry while they
// disagree by over 1/64 (the host stalled the guest in the middle of one).
static u64
time_calibrate(void)
{
  u64 t0, t1, t2;
  u64 x, y;
  u32 c0, c1, c2, e1, e2;

  for(int try = 1; ; try++){
    c0 = time_sample(&t0);
    e1 = time_window(t0, c0, &t1, &c1);
    e2 = time_window(t1, c1, &t2, &c2);
    x = (t1 - t0) * e2;
    y = (t2 - t1) * e1;
    if((x > y ? x - y : y - x) < x / 64)
      break;
    if(try == CAL_TRIES)
      panic("time_calibrate: the PIT and the TSC disagree");
  }
  anchor_tsc = t2;
  anchor_count = c2;
  return div64_udivmod((t2 - t0) * PIT_FREQ, e1 + e2, 0);
}

// The TSC rate stated by CPUID leaf 0x15 (crystal * ebx / eax), or 0.
static u64
time_cpuid_hz(void)
{
  u32 max, den, num, crystal, unused;

  cpuid(0, &max, &unused, &unused, &unused);
  if(max < 0x15)
    return 0;
  cpuid(0x15, &den, &num, &crystal, &unused);
  if(den == 0 || num == 0 || crystal == 0)
    return 0;
  return div64_udivmod((u64)crystal * num, den, 0);
}

// Re-measure the TSC rate against channel 0 since the anchor: the TSC says
// roughly how many whole PIT periods passed, the count gives the fraction.
// Skipped if the period count is ambiguous (the estimate is not near a whole).
static void
time_refine(void)
{
  u64 t, dt, est, ticks, k;
  u32 c, phase, off;

  c = time_sample(&t);
  dt = t - anchor_tsc;
  est = div64_udivmod(dt * PIT_FREQ, tsc_hz, 0);
  phase = (anchor_count + PIT_RELOAD - c) % PIT_RELOAD;
  if(est < phase)
    return;
  k = div64_udivmod(est - phase + PIT_RELOAD / 2, PIT_RELOAD, 0);
  ticks = k * PIT_RELOAD + phase;
  off = (u32)(est > ticks ? est - ticks : ticks - est);
  if(off < PIT_RELOAD / 4)
    time_set_rate(div64_udivmod(dt * PIT_FREQ, ticks, 0), t, "pit");
}

// Idle poller: refine the rate at 0.25 s, 4 s, 64 s and 1024 s of uptime.
static void
time_poll(void)
{
  if(refines == REFINES || time_us() < refine_at)
    return;
  time_refine();
  refines++;
  refine_at <<= 4;
}

// Timer interrupt: nothing to count; the interrupt itself wakes the idle loop.
static void
time_intr(void)
{
}

// Start channel 0 at PIT_HZ, calibrate the TSC against it, enable IRQ 0.
void
time_init(void)
{
  u64 hz, cpuid_hz;

  outb(PIT_CMD, PIT_MODE2);
  outb(PIT_CH0, PIT_RELOAD & 0xFF);
  outb(PIT_CH0, PIT_RELOAD >> 8);
  base_tsc = boot_tsc;
  hz = time_calibrate();
  cpuid_hz = time_cpuid_hz();
  if(cpuid_hz && (cpuid_hz > hz ? cpuid_hz - hz : hz - cpuid_hz) < hz / 50){
    time_set_rate(cpuid_hz, base_tsc, "cpuid");
    refines = REFINES;
  } else
    time_set_rate(hz, base_tsc, "pit");
  refine_at = REFINE_AT;
  idle_register(time_poll);
  irq_register(PIT_IRQ, time_intr);
}

// Has the TSC been calibrated (are times meaningful yet)?
int
time_ready(void)
{
  return tsc_hz != 0;
}

// Microseconds in d TSC ticks: (d * us_mult) >> 32 without a 96-bit product.
static u64
time_scale(u64 d)
{
  return (d >> 32) * us_mult + (((d & 0xFFFFFFFFu) * us_mult) >> 32);
}

// Microseconds from kernel entry to the moment the TSC read tsc.
u64
time_tsc_to_us(u64 tsc)
{
  if(tsc >= base_tsc)
    return base_us + time_scale(tsc - base_tsc);
  return base_us - time_scale(base_tsc - tsc);
}

// Microseconds since kernel entry (0 before calibration).
u64
time_us(void)
{
  return time_tsc_to_us(rdtsc());
}

// Milliseconds since kernel entry.
u64
time_ms(void)
{
  return time_us() / 1000;
}

// Current TSC rate in kHz and where it came from ("pit" or "cpuid").
u32
time_tsc_khz(const char **src)
{
  if(src)
    *src = source;
  return (u32)(tsc_hz / 1000);
}
