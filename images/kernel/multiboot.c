// Multiboot v1 information: the command line, the memory map and module 0
// (the appliance's user-data). Everything is copied out at boot, so the
// loader's structures (at 0x7C00 in v86) may be overwritten later. Tabcloud's
// loader (worker/multiboot.ts) supplies flags 0x1, 0x4, 0x8 (user-data), 0x40
// and 0x200; v86's own only 0x4 (when a cmdline is set), 0x8 and 0x40; QEMU
// 0x1 too, and always a cmdline starting with the kernel's path.

#include "types.h"
#include "defs.h"
#include "param.h"

#define MB_BOOT_MAGIC  0x2BADB002
#define MB_MEM         0x001    // mem_lower / mem_upper valid
#define MB_CMDLINE     0x004
#define MB_MODS        0x008
#define MB_MMAP        0x040
#define MB_LOADER_NAME 0x200
#define MB_RAM         1        // memory map type: available RAM
// The name of a loader that leaves .bss zeroed: Tabcloud's (worker/multiboot.ts)
// loads into RAM that was never written.
#define MB_ZEROED_LOADER "tabcloud (bss zeroed)"

struct mb_info {
  u32 flags;
  u32 mem_lower;     // KiB below 1 MiB
  u32 mem_upper;     // KiB above 1 MiB
  u32 boot_device;
  u32 cmdline;
  u32 mods_count;
  u32 mods_addr;
  u32 syms[4];
  u32 mmap_length;
  u32 mmap_addr;
  u32 drives_length;
  u32 drives_addr;
  u32 config_table;
  u32 boot_loader_name;
};

struct mb_mmap_entry {
  u32 size;          // of the rest of the entry: usually 20
  u64 addr;
  u64 len;
  u32 type;
} __attribute__((packed));

struct mb_mod {
  u32 start;
  u32 end;
  u32 string;
  u32 reserved;
};

static char cmdline[CMDLINE_MAX];
static struct mem_region regions[MMAP_MAX];
static int nregions;
static u64 mem_total;
static u32 mod_start, mod_end;
static int have_mod;

// Replace the memory map with the one in the multiboot buffer p[0..len).
void
mb_parse_mmap(const u8 *p, u32 len)
{
  const u8 *end = p + len;
  const struct mb_mmap_entry *e;

  nregions = 0;
  mem_total = 0;
  while(p + sizeof(*e) <= end){
    e = (const struct mb_mmap_entry *)p;
    if(e->size < 20)
      break;                       // malformed: stop rather than loop forever
    if(e->type == MB_RAM)
      mem_total += e->len;
    if(nregions < MMAP_MAX)
      regions[nregions++] = (struct mem_region){ e->addr, e->len, e->type };
    p += e->size + 4;
  }
}

// Build a two-region map from mem_lower/mem_upper (loaders without flag 0x40).
static void
mb_basic_mmap(const struct mb_info *mi)
{
  regions[0] = (struct mem_region){ 0, (u64)mi->mem_lower << 10, MB_RAM };
  regions[1] = (struct mem_region){ 1 << 20, (u64)mi->mem_upper << 10, MB_RAM };
  nregions = 2;
  mem_total = regions[0].len + regions[1].len;
}

// Whether the loader left .bss zeroed (boot_zero_bss): Tabcloud's says so by
// its name. v86's own loader copies only each segment's file bytes.
int
mb_bss_zeroed(u32 magic, u32 info)
{
  const struct mb_info *mi = (const struct mb_info *)(uintptr_t)info;

  return magic == MB_BOOT_MAGIC && (mi->flags & MB_LOADER_NAME) &&
         strcmp((const char *)(uintptr_t)mi->boot_loader_name, MB_ZEROED_LOADER) == 0;
}

// Copy what the loader told us; panic if we were not started by multiboot.
void
mb_init(u32 magic, u32 info)
{
  const struct mb_info *mi = (const struct mb_info *)(uintptr_t)info;
  const struct mb_mod *mod;
  const char *s;

  if(magic != MB_BOOT_MAGIC)
    panic("mb_init: bad multiboot magic 0x%x", magic);
  if(mi->flags & MB_CMDLINE){
    s = (const char *)(uintptr_t)mi->cmdline;
    for(int i = 0; i < CMDLINE_MAX - 1 && s[i]; i++)
      cmdline[i] = s[i];
  }
  if(mi->flags & MB_MMAP)
    mb_parse_mmap((const u8 *)(uintptr_t)mi->mmap_addr, mi->mmap_length);
  else if(mi->flags & MB_MEM)
    mb_basic_mmap(mi);
  if((mi->flags & MB_MODS) && mi->mods_count > 0){
    mod = (const struct mb_mod *)(uintptr_t)mi->mods_addr;
    mb_set_module(mod->start, mod->end);
  }
}

// Record module 0 at [start, end) (mb_init; tests).
void
mb_set_module(u32 start, u32 end)
{
  mod_start = start;
  mod_end = end;
  have_mod = 1;
}

// The kernel command line ("" if none).
const char *
mb_cmdline(void)
{
  return cmdline;
}

// Look up key in a "key=value flag ..." line: copy the value (NUL-terminated,
// truncated to n-1 bytes) into buf and return its full length; a bare "key"
// gives "" and 0; a missing key gives -1.
int
cmdline_find(const char *line, const char *key, char *buf, int n)
{
  size_t klen = strlen(key);
  int len;

  if(klen == 0)
    return -1;
  while(*line){
    while(*line == ' ')
      line++;
    if(strncmp(line, key, klen) == 0 && (line[klen] == '=' || line[klen] == ' ' || line[klen] == 0)){
      line += klen + (line[klen] == '=');
      for(len = 0; line[len] && line[len] != ' '; len++)
        if(len < n - 1)
          buf[len] = line[len];
      if(n > 0)
        buf[len < n - 1 ? len : n - 1] = 0;
      return len;
    }
    while(*line && *line != ' ')
      line++;
  }
  return -1;
}

// cmdline_find on the kernel command line.
int
cmdline_get(const char *key, char *buf, int n)
{
  return cmdline_find(cmdline, key, buf, n);
}

// Point *r at the memory map; return its number of regions.
int
mb_mmap(const struct mem_region **r)
{
  *r = regions;
  return nregions;
}

// Bytes of available RAM (type 1 regions) in the memory map.
u64
mb_mem_total(void)
{
  return mem_total;
}

// Physical bounds of module 0 (user-data); -1 if the loader gave none.
int
mb_module(u32 *start, u32 *end)
{
  if(!have_mod)
    return -1;
  *start = mod_start;
  *end = mod_end;
  return 0;
}

// Clip the free range [*b, *e) around the taken range [lo, hi): keep the
// larger side.
static void
mb_clip(u64 *b, u64 *e, u64 lo, u64 hi)
{
  u64 left, right;

  if(hi <= *b || lo >= *e)
    return;
  left = lo > *b ? lo - *b : 0;
  right = hi < *e ? *e - hi : 0;
  if(left >= right)
    *e = *b + left;
  else
    *b = hi;
}

// The largest available RAM range below 4 GiB that lies above address lo
// (the kernel's end) and does not overlap module 0: free memory for an
// appliance's data. Returns -1 if there is none.
int
mb_free_region(u32 lo, u32 *base, u32 *len)
{
  u64 b, e, best = 0;

  for(int i = 0; i < nregions; i++){
    if(regions[i].type != MB_RAM)
      continue;
    b = regions[i].base > lo ? regions[i].base : lo;
    e = regions[i].base + regions[i].len;
    if(e > 0x100000000ull)
      e = 0x100000000ull;
    if(have_mod)
      mb_clip(&b, &e, mod_start, mod_end);
    if(e > b && e - b > best){
      best = e - b;
      *base = (u32)b;
      *len = (u32)(e - b);
    }
  }
  return best ? 0 : -1;
}
