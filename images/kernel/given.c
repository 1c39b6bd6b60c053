// What the host gave the appliance: its user-data (multiboot module 0) and
// the RAM the kernel does not use, for the appliance API (tabcloud.h).

#include "types.h"
#include "defs.h"

// The user-data's bytes, where the loader put them; -1 if none was given.
int
user_data(const u8 **data, u32 *len)
{
  u32 start, end;

  if(mb_module(&start, &end) < 0)
    return -1;
  *data = (const u8 *)(uintptr_t)start;
  *len = end - start;
  return 0;
}

// The largest free RAM region above the kernel image and the user-data.
int
mem_region(void **base, u32 *len)
{
  u32 b;

  if(mb_free_region((u32)(uintptr_t)__end, &b, len) < 0)
    return -1;
  *base = (void *)(uintptr_t)b;
  return 0;
}
