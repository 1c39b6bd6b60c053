// The main loop: run every registered poll function, then sleep with hlt
// until the next interrupt (the PIT at PIT_HZ at the latest). A halted guest
// costs the host nothing, so nothing here ever spins.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

static idle_poll_fn polls[IDLE_POLLS_MAX];
static int npolls;
static volatile int woken;   // an interrupt arrived since the polls started
static u64 halted_tsc;       // TSC ticks spent in hlt

// Add fn to the functions run after every wakeup.
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

// Run the pollers and halt between interrupts, forever.
void
idle_loop(void)
{
  u64 t;

  for(;;){
    woken = 0;
    for(int i = 0; i < npolls; i++)
      polls[i]();
    cli();
    if(woken){               // an interrupt came during the polls: poll again
      sti();
      continue;
    }
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
