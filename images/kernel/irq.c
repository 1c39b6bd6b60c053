// 8259A interrupt controllers and the IRQ registration API. Both PICs are
// re-initialised from scratch (SeaBIOS leaves them programmed, v86 without a
// BIOS does not): IRQ 0-15 arrive at vectors 0x20-0x2F, and every line stays
// masked until a handler is registered for it.

#include "types.h"
#include "defs.h"
#include "x86.h"

#define PIC1_CMD   0x20
#define PIC1_DATA  0x21
#define PIC2_CMD   0xA0
#define PIC2_DATA  0xA1
#define IRQ_BASE   0x20   // vector of IRQ 0
#define IRQ_SLAVE  2      // cascade line on the master
#define NIRQ       16

#define ICW1_INIT  0x11   // edge triggered, cascade, ICW4 follows
#define ICW4_8086  0x01
#define OCW2_EOI   0x20   // non-specific end of interrupt
#define OCW3_ISR   0x0B   // next command-port read returns the ISR
#define OCW3_IRR   0x0A   // next command-port read returns the IRR

static irq_handler handlers[NIRQ];
static u16 irq_mask = 0xFFFF & ~(1 << IRQ_SLAVE);

// Write the cached mask to both PICs.
static void
irq_setmask(void)
{
  outb(PIC1_DATA, irq_mask & 0xFF);
  outb(PIC2_DATA, irq_mask >> 8);
}

// Remap both PICs to IRQ_BASE and mask every line except the cascade.
void
irq_init(void)
{
  outb(PIC1_DATA, 0xFF);
  outb(PIC2_DATA, 0xFF);

  outb(PIC1_CMD, ICW1_INIT);
  outb(PIC1_DATA, IRQ_BASE);
  outb(PIC1_DATA, 1 << IRQ_SLAVE);
  outb(PIC1_DATA, ICW4_8086);

  outb(PIC2_CMD, ICW1_INIT);
  outb(PIC2_DATA, IRQ_BASE + 8);
  outb(PIC2_DATA, IRQ_SLAVE);
  outb(PIC2_DATA, ICW4_8086);

  outb(PIC1_CMD, OCW3_IRR);
  outb(PIC2_CMD, OCW3_IRR);
  irq_setmask();
}

// Install fn for line irq and unmask it. One handler per line.
void
irq_register(int irq, irq_handler fn)
{
  if(irq < 0 || irq >= NIRQ || irq == IRQ_SLAVE)
    panic("irq_register: bad irq %d", irq);
  if(handlers[irq] != 0)
    panic("irq_register: irq %d already taken", irq);
  handlers[irq] = fn;
  irq_mask &= ~(1 << irq);
  irq_setmask();
}

// Mask line irq at the PIC (a device handler quiets a level-triggered line
// until its poller has drained the device). Edges still latch meanwhile.
void
irq_disable(int irq)
{
  irq_mask |= 1 << irq;
  irq_setmask();
}

// Unmask line irq at the PIC; an edge latched while masked is delivered now.
void
irq_enable(int irq)
{
  irq_mask &= ~(1 << irq);
  irq_setmask();
}

// Has a handler been registered for line irq?
int
irq_taken(int irq)
{
  return irq >= 0 && irq < NIRQ && handlers[irq] != 0;
}

// Read the in-service register of the PIC at command port cmd.
static u8
irq_isr(u16 cmd)
{
  u8 isr;

  outb(cmd, OCW3_ISR);
  isr = inb(cmd);
  outb(cmd, OCW3_IRR);
  return isr;
}

// Is this IRQ 7 or 15 a spurious one (line dropped before the CPU acked it)?
// A spurious IRQ 15 still took an in-service bit on the master's cascade line.
static int
irq_spurious(int irq)
{
  if(irq == 7 && !(irq_isr(PIC1_CMD) & 0x80))
    return 1;
  if(irq == 15 && !(irq_isr(PIC2_CMD) & 0x80)){
    outb(PIC1_CMD, OCW2_EOI);
    return 1;
  }
  return 0;
}

// Called by trap() for vectors IRQ_BASE..IRQ_BASE+15: run the handler, send EOI.
void
irq_dispatch(int irq)
{
  if(irq < 0 || irq >= NIRQ)
    panic("irq_dispatch: bad irq %d", irq);
  if((irq == 7 || irq == 15) && irq_spurious(irq))
    return;
  if(handlers[irq])
    handlers[irq]();
  else {
    irq_mask |= 1 << irq;    // nobody listens: keep it quiet from now on
    irq_setmask();
  }
  if(irq >= 8)
    outb(PIC2_CMD, OCW2_EOI);
  outb(PIC1_CMD, OCW2_EOI);
  idle_wake();
}
