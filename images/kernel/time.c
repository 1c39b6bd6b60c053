// Time since kernel entry, and alarms for the idle loop. The TSC is the
// clock (entry.S reads it first thing). Its rate is measured against the
// PIT at boot; if CPUID leaf 0x15 states a rate that agrees, that exact rate
// wins (v86), otherwise the rate is refined later against PIT channel 2 over
// ever longer baselines (QEMU, hardware). PIT ticks are never counted:
// emulators merge them when the host is busy, while the TSC stays exact.
// There is no periodic tick: channel 0 fires one-shot alarms on demand, so a
// guest with nothing to do sleeps until a device interrupts it.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define PIT_IRQ     0
#define PIT_PERIOD  0xFFFF     // reload of the free-running counters: 54.9 ms
#define CAL_WINDOW  ((u32)((u64)PIT_FREQ * TIME_CAL_US / 2 / 1000000))
#define CAL_TRIES   5
#define CAL_GIVEUP  (1ull << 36)  // TSC ticks (over 10 s at 5 GHz): the PIT is dead
#define CAL_PPM     5000       // assumed error of the boot calibration
#define SAMPLE_US   2          // assumed error of one TSC/PIT sample
#define REFINE_AT   250000ull  // first refinement baseline (us); then x16
#define REFINE_WAIT 4000000ull // refinements up to this baseline are scheduled
#define REFINE_LAST 1024000000ull  // the last refinement baseline (us)
#define ALARM_LOST  100000ull  // an alarm this late (us) is presumed lost
#define ALARM_FAR   1000000ull // a deadline further off (us) waits on the RTC's 2 Hz tick

_Static_assert(CAL_WINDOW < PIT_PERIOD / 4, "TIME_CAL_US too long for one PIT period");

static u64 tsc_hz;        // TSC ticks per second; 0 until calibrated
static u32 us_mult;       // microseconds per TSC tick, 0.32 fixed point
static u64 base_tsc;      // conversion origin: TSC base_tsc is base_us
static u64 base_us;
static const char *source = "none";
static u32 err_ppm;       // uncertainty of tsc_hz
static u64 anchor_tsc;    // channel 2 sample refinements measure from
static u32 anchor_count;
static u64 refine_at;     // TSC baseline (in us) of the next refinement; 0: none
static u64 alarm_at = TIME_NEVER;   // when the pending one-shot fires

// Read channel ch's count with the TSC at the middle of the read. Of three
// tries the tightest is kept: a first pass through cold code in v86 is slow
// enough to smear the TSC reading by tens of microseconds.
static u32
time_sample(int ch, u64 *tsc)
{
  u64 a, b, best = ~0ull;
  u32 c, count = 0;

  for(int i = 0; i < 3; i++){
    a = rdtsc();
    c = pit_count(ch);
    b = rdtsc();
    if(b - a < best){
      best = b - a;
      count = c;
      *tsc = a + ((b - a) >> 1);
    }
  }
  return count;
}

// Wait for CAL_WINDOW ticks of channel 0 after sample (t0, c0); return the
// ticks that passed and the closing sample in *t1, *c1.
static u32
time_window(u64 t0, u32 c0, u64 *t1, u32 *c1)
{
  u32 elapsed;

  do {
    *c1 = time_sample(0, t1);
    elapsed = (c0 + PIT_PERIOD - *c1) % PIT_PERIOD;
    if(*t1 - t0 > CAL_GIVEUP)
      panic("time_calibrate: the PIT does not count");
  } while(elapsed < CAL_WINDOW);
  return elapsed;
}

// Measure the TSC rate against channel 0 over two back-to-back windows;
// retry while they disagree by over 1/64 (the host stalled the guest).
static u64
time_calibrate(void)
{
  u64 t0, t1, t2, x, y;
  u32 c0, c1, c2, e1, e2;

  pit_periodic(0, PIT_PERIOD);    // IRQ 0 is still masked
  for(int try = 1; ; try++){
    c0 = time_sample(0, &t0);
    e1 = time_window(t0, c0, &t1, &c1);
    e2 = time_window(t1, c1, &t2, &c2);
    x = (t1 - t0) * e2;
    y = (t2 - t1) * e1;
    if((x > y ? x - y : y - x) < x / 64)
      break;
    if(try == CAL_TRIES){
      // A busy host stalled us in every window: keep the estimate, which
      // the refinements against channel 2 will correct within seconds.
      kprintf("time: TSC calibration unsteady, refining later\n");
      break;
    }
  }
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

// Switch to rate hz from TSC value at onwards, so that time does not jump.
static void
time_set_rate(u64 hz, u64 at, const char *why, u32 ppm)
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
  err_ppm = ppm;
  if(eflags & FL_IF)
    sti();
}

// Re-measure the rate against channel 2 since the anchor: the TSC tells how
// many whole periods passed, the count gives the fraction. If the current
// error could hide a whole period, start a new baseline instead.
static void
time_refine(void)
{
  u64 t, dt, est, ticks, k, span;
  u32 c, phase, off;

  c = time_sample(2, &t);
  dt = t - anchor_tsc;
  span = div64_udivmod(dt * err_ppm, tsc_hz, 0);          // error, us
  est = div64_udivmod(dt * PIT_FREQ, tsc_hz, 0);          // ticks, roughly
  phase = (anchor_count + PIT_PERIOD - c) % PIT_PERIOD;
  k = est + PIT_PERIOD / 2 >= phase ? div64_udivmod(est + PIT_PERIOD / 2 - phase, PIT_PERIOD, 0) : 0;
  ticks = k * PIT_PERIOD + phase;
  off = (u32)(est > ticks ? est - ticks : ticks - est);
  if(span * PIT_FREQ > PIT_PERIOD / 4 * 1000000ull || off > PIT_PERIOD / 4 || ticks == 0){
    anchor_tsc = t;
    anchor_count = c;
    return;
  }
  span = div64_udivmod(dt * 1000000, tsc_hz, 0);          // baseline, us
  time_set_rate(div64_udivmod(dt * PIT_FREQ, ticks, 0), t, "pit",
                (u32)div64_udivmod(2 * SAMPLE_US * 1000000ull, span, 0) + 1);
}

// Idle poller: refine the rate at baselines of 0.25 s and 4 s (scheduled),
// then 64 s and 1024 s (whenever the guest happens to be awake by then).
static u64
time_poll(u64 now)
{
  u64 base;

  if(refine_at == 0)
    return TIME_NEVER;
  base = time_tsc_to_us(anchor_tsc);
  if(now >= base + refine_at){
    time_refine();
    refine_at = refine_at >= REFINE_LAST ? 0 : refine_at << 4;
    base = time_tsc_to_us(anchor_tsc);
  }
  return refine_at && refine_at <= REFINE_WAIT ? base + refine_at : TIME_NEVER;
}

// IRQ 0: the one-shot fired; the interrupt itself wakes the idle loop.
static void
time_intr(void)
{
  alarm_at = TIME_NEVER;
}

// Take the TSC rate from CPUID or calibrate it against the PIT; then leave
// the PIT for alarms.
void
time_init(void)
{
  u64 hz, cpuid_hz;

  base_tsc = boot_tsc;
  cpuid_hz = time_cpuid_hz();
  if(cpuid_hz){
    // Stated exactly (v86): a PIT calibration could only blur it, since a
    // browser coarsens the clock both emulated timers derive from.
    time_set_rate(cpuid_hz, base_tsc, "cpuid", 0);
  } else {
    hz = time_calibrate();
    time_set_rate(hz, base_tsc, "pit", CAL_PPM);
    pit_periodic(2, PIT_PERIOD);
    anchor_count = time_sample(2, &anchor_tsc);
    refine_at = REFINE_AT;
  }
  irq_register(PIT_IRQ, time_intr);
  rtc_init();
  idle_register(time_poll);
  time_alarm(0);    // stops channel 0's periodic count after one interrupt
}

// Make sure an interrupt comes at time when (us) or earlier: IRQ 0 from a
// PIT one-shot when it is near; while it is over ALARM_FAR away, the RTC's
// 2 Hz tick (the idle loop asks again at each one). TIME_NEVER stops both.
// Interrupts must be off.
void
time_alarm(u64 when)
{
  u64 now = time_us();
  int far = when != TIME_NEVER && when > now + ALARM_FAR;
  u32 ticks;

  rtc_tick(far);
  if(when == TIME_NEVER || far)
    return;
  if(alarm_at != TIME_NEVER && alarm_at + ALARM_LOST < now)
    alarm_at = TIME_NEVER;
  if(when >= alarm_at)
    return;                       // an earlier alarm is pending
  if(when <= now)
    ticks = 1;
  else if(when - now >= 54000)
    ticks = 0xFFFF;               // longest one-shot; the idle loop re-arms
  else
    ticks = (u32)div64_udivmod((when - now) * PIT_FREQ, 1000000, 0) + 1;
  alarm_at = now + div64_udivmod((u64)ticks * 1000000, PIT_FREQ, 0);
  pit_oneshot(ticks);
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
