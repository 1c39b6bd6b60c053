// Kernel entry from entry.S and the boot timeline. Each stage is recorded as
// a TSC value and printed on COM1 as "@boot <stage> <ms>" (milliseconds since
// kernel entry, 3 decimals) once the TSC is calibrated; earlier stages are
// printed then, in order.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

static struct {
  const char *stage;
  u64 tsc;
} marks[BOOT_MARKS_MAX];
static int nmarks;     // recorded
static int nprinted;   // of those, printed
static u64 origin_us;  // the timeline's zero on the clock: kernel entry, unless boot_restart moved it

// Print the recorded stages not printed yet, if times can be computed.
static void
boot_flush(void)
{
  u64 us, ms, frac;

  if(!time_ready())
    return;
  for(; nprinted < nmarks; nprinted++){
    us = time_tsc_to_us(marks[nprinted].tsc) - origin_us;
    ms = div64_udivmod(us, 1000, &frac);
    kprintf("@boot %s %llu.%03u\n", marks[nprinted].stage, ms, (u32)frac);
  }
}

// Record stage at TSC value tsc.
static void
boot_mark_at(const char *stage, u64 tsc)
{
  if(nmarks == BOOT_MARKS_MAX)
    panic("boot_mark: more than %d stages", BOOT_MARKS_MAX);
  marks[nmarks].stage = stage;
  marks[nmarks].tsc = tsc;
  nmarks++;
  boot_flush();
}

// Record (and, once time is up, print) the boot stage reached now.
void
boot_mark(const char *stage)
{
  boot_mark_at(stage, rdtsc());
}

// Start the boot timeline again now, as if the kernel had just been
// entered: for a machine resumed from a snapshot (js, handed its script),
// whose earlier stages were printed when the snapshot was made.
void
boot_restart(void)
{
  nmarks = nprinted = 0;
  origin_us = time_us();
  boot_mark("kernel-entry");
}

// The appliance is serving: print "@boot ready <ms>" for TSC value tsc,
// then note (if any: e.g. the service's address) on a line of its own, and
// then "READY <name>" alone on a line, the signal hosts and tests wait for.
void
boot_ready_note(const char *name, u64 tsc, const char *note)
{
  boot_mark_at("ready", tsc);
  if(note)
    kprintf("%s\n", note);
  kprintf("READY %s\n", name);
}

// boot_ready_note with no note.
void
boot_ready(const char *name, u64 tsc)
{
  boot_ready_note(name, tsc, 0);
}

// The appliance (without network) is serving now.
void
boot_ready_now(const char *name)
{
  boot_ready(name, rdtsc());
}

// Zero .bss unless the loader did (entry.S calls this first, on the boot
// stack, before any C code reads a global). In v86 the host touches each page
// of a kernel's megabytes of .bss for it: most of kernel entry's time there.
void
boot_zero_bss(u32 magic, u32 info)
{
  if(!mb_bss_zeroed(magic, info))
    memset(__bss_start, 0, __bss_end - __bss_start);
}

// Bring up the machine, hand over to the appliance, then idle forever.
void
kmain(u32 magic, u32 info)
{
  boot_mark_at("kernel-entry", boot_tsc);
  gdt_init();
  trap_init();
  irq_init();
  boot_mark("cpu");
  uart_init();
  kprintf("\n");      // SeaBIOS (QEMU) may have left a line unfinished
  mb_init(magic, info);
  time_init();
  boot_mark("time");
  pci_init();         // every appliance must be restorable from a snapshot
  sti();
  boot_mark("devices");
  app_main();
  idle_loop();
}
