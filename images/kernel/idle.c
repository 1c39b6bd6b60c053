// The main loop: run every registered poller, then sleep with hlt until an
// interrupt. Pollers say when they next need to run; the earliest deadline
// becomes a one-shot PIT alarm (or, while it is far off, a 2 Hz RTC tick).
// With no deadline nothing ticks at all: a halted guest costs the host
// (nearly) nothing, and nothing here ever spins.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

static idle_poll_fn polls[IDLE_POLLS_MAX];
static int npolls;
static volatile int woken;   // an interrupt arrived since the polls started
static u64 halted_tsc;       // TSC ticks spent in hlt

// Add fn to the pollers run after every wakeup.
void
idle_register(idle_poll_fn fn)
{
  if(npolls == IDLE_POLLS_MAX)
    panic("idle_register: more than %d pollers", IDLE_POLLS_MAX);
  polls[npolls++] = fn;
}

// Note that work may be pending (called by every interrupt).
void
idle_wake(void)
{
  woken = 1;
}

// Run every poller once; return the earliest deadline they asked for.
static u64
idle_poll(void)
{
  u64 now = time_us(), next = TIME_NEVER, t;

  for(int i = 0; i < npolls; i++){
    t = polls[i](now);
    if(t < next)
      next = t;
  }
  return next;
}

// Run the pollers and halt between interrupts, forever.
void
idle_loop(void)
{
  u64 next, t;

  for(;;){
    woken = 0;
    next = idle_poll();
    cli();
    if(woken || next <= time_us()){   // more work already: poll again
      sti();
      continue;
    }
    time_alarm(next);
    t = rdtsc();
    sti_hlt();               // atomic: no interrupt slips in before the hlt
    halted_tsc += rdtsc() - t;
  }
}

// TSC ticks spent halted so far.
u64
idle_tsc(void)
{
  return halted_tsc;
}
