// Global descriptor table: flat 4 GiB code and data segments, ring 0 only.
// v86 starts a multiboot kernel with GDTR garbage and QEMU's loader leaves
// its own table in low memory, so the kernel installs one before any fault,
// interrupt or segment load can consult it.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define SEG_KCODE 0x08
#define SEG_KDATA 0x10

// Descriptors: base 0, limit 0xFFFFF pages, 32-bit, present, ring 0; the
// accessed bit is preset so the CPU never writes to this (read-only) table.
static const u64 gdt[3] = {
  0,
  0x00CF9B000000FFFFull,  // code: execute/read
  0x00CF93000000FFFFull,  // data: read/write
};

// Load the GDT and reload every segment register from it.
void
gdt_init(void)
{
  lgdt(gdt, sizeof(gdt));
  asm volatile(
    "ljmp %[cs], $1f\n"
    "1:\n\t"
    "movw %w[ds], %%ds\n\t"
    "movw %w[ds], %%es\n\t"
    "movw %w[ds], %%fs\n\t"
    "movw %w[ds], %%gs\n\t"
    "movw %w[ds], %%ss\n\t"
    : : [cs] "i"(SEG_KCODE), [ds] "r"(SEG_KDATA) : "memory");
}
