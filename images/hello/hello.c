// The hello appliance: no network, just the kernel's own story on the serial
// console (boot time, memory, command line) and a small shell.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define NAME "hello"

// echo: print the arguments.
static void
cmd_echo(int argc, char **argv)
{
  for(int i = 1; i < argc; i++)
    kprintf(i > 1 ? " %s" : "%s", argv[i]);
  kprintf("\n");
}

// crash [ud|gp]: die on purpose with a CPU exception, #DE by default (for tests).
static void
cmd_crash(int argc, char **argv)
{
  u32 q;

  if(argc > 1 && strcmp(argv[1], "ud") == 0)
    asm volatile("ud2");
  if(argc > 1 && strcmp(argv[1], "gp") == 0)
    asm volatile("movw %w0, %%ds" : : "r"(0x1234));   // no such GDT entry
  asm volatile("divl %2" : "=a"(q) : "a"(1), "r"(0), "d"(0));   // #DE
  kprintf("%u\n", q);
}

// Print the banner: who we are, how fast we booted, what we were given.
static void
banner(u64 ready_tsc)
{
  u64 us = time_tsc_to_us(ready_tsc);
  u64 kib = mb_mem_total() >> 10;
  const char *src;
  u32 khz = time_tsc_khz(&src);
  u32 start, end;

  kprintf("\nTabcloud " NAME " appliance\n");
  kprintf("  boot     %llu.%03u ms from kernel entry to ready\n", us / 1000, (u32)(us % 1000));
  kprintf("  memory   %llu KiB (%llu.%llu MiB) available\n", kib, kib >> 10, (kib & 1023) * 10 >> 10);
  kprintf("  cmdline  \"%s\"\n", mb_cmdline());
  if(mb_module(&start, &end) == 0)
    kprintf("  userdata %u bytes at 0x%x\n", end - start, start);
  kprintf("  tsc      %u.%03u MHz (rate from %s)\n", khz / 1000, khz % 1000, src);
}

// Register the shell, print the banner, announce READY; the kernel then idles.
void
app_main(void)
{
  u64 ready;

  shell_init(NAME "> ");
  sysinfo_register();
  shell_register("echo", "print the arguments", cmd_echo);
  shell_register("crash", 0, cmd_crash);
  idle_register(shell_poll);

  ready = rdtsc();
  banner(ready);
  boot_ready(NAME, ready);
  shell_prompt();
}
