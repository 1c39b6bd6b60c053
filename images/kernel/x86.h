// Routines to let C code use special x86 instructions. The only place with port I/O
// and memory-mapped register access.

#ifndef X86_H
#define X86_H

#include "types.h"

static inline u8
inb(u16 port)
{
  u8 data;
  asm volatile("inb %1, %0" : "=a"(data) : "d"(port));
  return data;
}

static inline void
outb(u16 port, u8 data)
{
  asm volatile("outb %0, %1" : : "a"(data), "d"(port));
}

static inline u16
inw(u16 port)
{
  u16 data;
  asm volatile("inw %1, %0" : "=a"(data) : "d"(port));
  return data;
}

static inline void
outw(u16 port, u16 data)
{
  asm volatile("outw %0, %1" : : "a"(data), "d"(port));
}

static inline u32
inl(u16 port)
{
  u32 data;
  asm volatile("inl %1, %0" : "=a"(data) : "d"(port));
  return data;
}

static inline void
outl(u16 port, u32 data)
{
  asm volatile("outl %0, %1" : : "a"(data), "d"(port));
}

// Memory-mapped device registers (a PCI memory BAR; no paging, so the
// physical address is the pointer).
static inline u8
mmio_read8(u32 addr)
{
  return *(volatile u8 *)(uintptr_t)addr;
}

static inline u16
mmio_read16(u32 addr)
{
  return *(volatile u16 *)(uintptr_t)addr;
}

static inline u32
mmio_read32(u32 addr)
{
  return *(volatile u32 *)(uintptr_t)addr;
}

static inline void
mmio_write8(u32 addr, u8 v)
{
  *(volatile u8 *)(uintptr_t)addr = v;
}

static inline void
mmio_write16(u32 addr, u16 v)
{
  *(volatile u16 *)(uintptr_t)addr = v;
}

static inline void
mmio_write32(u32 addr, u32 v)
{
  *(volatile u32 *)(uintptr_t)addr = v;
}

// Keep the compiler from moving memory accesses across this point: x86
// orders stores to shared rings already, so descriptors are visible to a
// device before the index that publishes them.
static inline void
barrier(void)
{
  asm volatile("" : : : "memory");
}

// Read n 16-bit words from port into buf (one rep insw).
static inline void
insw(u16 port, void *buf, u32 n)
{
  asm volatile("cld; rep insw" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

// Write n 16-bit words from buf to port (one rep outsw).
static inline void
outsw(u16 port, const void *buf, u32 n)
{
  asm volatile("cld; rep outsw" : "+S"(buf), "+c"(n) : "d"(port));
}

// Copy n bytes forward from src to dst with one rep movsb (fast in v86 and
// on current CPUs).
static inline void
rep_movsb(void *dst, const void *src, size_t n)
{
  asm volatile("cld; rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

// Fill n bytes at dst with c with one rep stosb.
static inline void
rep_stosb(void *dst, u8 c, size_t n)
{
  asm volatile("cld; rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

// Descriptor-table pointer operand of lgdt/lidt.
struct dtptr {
  u16 limit;
  u32 base;
} __attribute__((packed));

static inline void
lgdt(const void *base, u16 size)
{
  struct dtptr p = { (u16)(size - 1), (u32)(uintptr_t)base };
  asm volatile("lgdt %0" : : "m"(p));
}

static inline void
lidt(const void *base, u16 size)
{
  struct dtptr p = { (u16)(size - 1), (u32)(uintptr_t)base };
  asm volatile("lidt %0" : : "m"(p));
}

static inline u64
rdtsc(void)
{
  u32 lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((u64)hi << 32) | lo;
}

static inline u32
rcr2(void)
{
  u32 val;
  asm volatile("mov %%cr2, %0" : "=r"(val));
  return val;
}

static inline u32
readeflags(void)
{
  u32 eflags;
  asm volatile("pushfl; popl %0" : "=r"(eflags));
  return eflags;
}

static inline void
cli(void)
{
  asm volatile("cli" : : : "memory");
}

static inline void
sti(void)
{
  asm volatile("sti" : : : "memory");
}

// Enable interrupts and halt in one step: sti's one-instruction delay means an
// interrupt pending at this point wakes the hlt instead of being lost before it.
static inline void
sti_hlt(void)
{
  asm volatile("sti; hlt" : : : "memory");
}

static inline void
hlt(void)
{
  asm volatile("hlt" : : : "memory");
}

static inline void
cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
  asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

// Turn floating point on for the js appliance, which computes its doubles
// in SSE2: the x87 FPU (CR0: EM and TS off, MP and NE on, double precision,
// every exception masked) and SSE (CR4: OSFXSR, OSXMMEXCPT).
static inline void
fpu_init(void)
{
  u32 cr0, cr4;
  u16 cw = 0x027F;
  asm volatile("mov %%cr0, %0" : "=r"(cr0));
  cr0 = (cr0 & ~0x0Cu) | 0x22u;
  asm volatile("mov %0, %%cr0" : : "r"(cr0));
  asm volatile("fninit; fldcw %0" : : "m"(cw));
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  cr4 |= 0x600u;
  asm volatile("mov %0, %%cr4" : : "r"(cr4));
}

#define FL_IF 0x00000200  // eflags: interrupt enable

// Layout of the trap frame built on the stack by trapasm.S and passed to trap().
struct trapframe {
  u32 edi, esi, ebp, oesp, ebx, edx, ecx, eax;  // pushal
  u32 trapno;
  u32 err;     // pushed by the CPU or as 0 by the vector stub
  u32 eip;     // pushed by the CPU; no esp/ss: there is no privilege change
  u32 cs;
  u32 eflags;
};

#endif
