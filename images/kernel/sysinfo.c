// Shell commands every appliance shares: uptime (with the share of time
// spent halted) and mem (the loader's memory map).

#include "types.h"
#include "defs.h"
#include "x86.h"

// Print a count of microseconds as "<s>.<ms>" seconds.
static void
print_seconds(u64 us)
{
  u64 ms = us / 1000;

  kprintf("%llu.%03u", ms / 1000, (u32)(ms % 1000));
}

// uptime: time since kernel entry and the share of it spent halted.
static void
cmd_uptime(int argc, char **argv)
{
  u64 now = rdtsc();
  u64 busy = now - boot_tsc - idle_tsc();
  u32 idle_permille = 1000 - (u32)(busy * 1000 / (now - boot_tsc));

  (void)argc;
  (void)argv;
  kprintf("up ");
  print_seconds(time_tsc_to_us(now));
  kprintf(" s, idle %u.%u%%\n", idle_permille / 10, idle_permille % 10);
}

// mem: the loader's memory map and the total of available RAM.
static void
cmd_mem(int argc, char **argv)
{
  const struct mem_region *r;
  int n = mb_mmap(&r);

  (void)argc;
  (void)argv;
  for(int i = 0; i < n; i++)
    kprintf("  0x%09llx-0x%09llx %8llu KiB %s\n", r[i].base, r[i].base + r[i].len - 1,
            r[i].len >> 10, r[i].type == 1 ? "available" : "reserved");
  kprintf("  total %llu KiB available\n", mb_mem_total() >> 10);
}

// Register uptime and mem with the shell.
void
sysinfo_register(void)
{
  shell_register("uptime", "time since boot", cmd_uptime);
  shell_register("mem", "memory map", cmd_mem);
}
