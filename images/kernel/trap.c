// Interrupt descriptor table and trap dispatch. CPU exceptions are fatal: the
// fault is printed on COM1 and the machine halts. Vectors 32-47 are the
// remapped PIC lines and go to irq_dispatch.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define NVECTORS   48      // 32 exceptions + 16 IRQs; beyond the limit -> #GP
#define T_IRQ0     32
#define T_PGFLT    14
#define GATE_INTR  0x8E    // present, ring 0, 32-bit interrupt gate (IF cleared)
#define SEG_KCODE  0x08

struct gatedesc {
  u16 off_lo;
  u16 sel;
  u8 zero;
  u8 type;
  u16 off_hi;
};

extern const u32 trap_vectors[NVECTORS];   // trapasm.S

static struct gatedesc idt[NVECTORS];

static const char *const trap_names[32] = {
  "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
  "#OF overflow", "#BR bound range", "#UD invalid opcode", "#NM no FPU",
  "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
  "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
  "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
  "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
  "reserved 24", "reserved 25", "reserved 26", "reserved 27",
  "#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved 31",
};

// Fill the IDT with the stubs of trapasm.S and load it.
void
trap_init(void)
{
  for(int i = 0; i < NVECTORS; i++){
    idt[i].off_lo = trap_vectors[i] & 0xFFFF;
    idt[i].sel = SEG_KCODE;
    idt[i].zero = 0;
    idt[i].type = GATE_INTR;
    idt[i].off_hi = trap_vectors[i] >> 16;
  }
  lidt(idt, sizeof(idt));
}

// Print a CPU exception with the registers at the time of the fault, then halt.
static void __attribute__((noreturn))
trap_fault(struct trapframe *tf)
{
  kprintf("\ncpu exception %u (%s) eip 0x%08x err 0x%x",
          tf->trapno, trap_names[tf->trapno], tf->eip, tf->err);
  if(tf->trapno == T_PGFLT)
    kprintf(" cr2 0x%08x", rcr2());
  kprintf("\n  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
  kprintf("  esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp,
          (u32)(uintptr_t)&tf->eflags + 4);
  kprintf("  cs %04x eflags %08x\n", tf->cs, tf->eflags);
  halt();
}

// Entry from alltraps with interrupts disabled.
void
trap(struct trapframe *tf)
{
  if(tf->trapno < T_IRQ0)
    trap_fault(tf);
  if(tf->trapno < NVECTORS){
    irq_dispatch(tf->trapno - T_IRQ0);
    return;
  }
  panic("trap: unexpected vector %u", tf->trapno);
}
