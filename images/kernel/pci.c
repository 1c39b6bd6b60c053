// PCI configuration space through mechanism #1 (ports 0xCF8/0xCFC), bus 0
// only: v86 and QEMU's i440FX put every device there. Finds a device, gives
// it I/O decoding, and routes its interrupt. With no BIOS (v86) nobody has
// programmed the PIIX3 PIRQ router, so a device's INTx would land on IRQ 0
// (the timer); then we pick a free IRQ ourselves. Under QEMU, SeaBIOS set
// the interrupt line register already and we use it.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define PCI_ADDR      0xCF8
#define PCI_DATA      0xCFC
#define PCI_ENABLE    0x80000000u

#define CFG_ID        0x00
#define CFG_CMD       0x04
#define CFG_HDRTYPE   0x0E
#define CFG_BAR0      0x10
#define CFG_CAPS      0x34
#define CFG_INTLINE   0x3C
#define CFG_INTPIN    0x3D
#define CMD_IO        0x0001
#define CMD_MEM       0x0002
#define CMD_MASTER    0x0004
#define STATUS_CAPS   0x0010            // a capability list is present
#define BAR_IO        0x1
#define BAR_MEM64     0x4               // memory BAR type bits: 64-bit
#define HDR_MULTIFN   0x80

#define PIIX3         PCI_DEVFN(1, 0)   // ISA bridge with the PIRQ router
#define PIIX3_PIRQ    0x60              // PIRQA..D route registers
#define PIRQ_OFF      0x80              // route register: disabled

// IRQs we may hand to a PCI device, best first: none of the timer (0),
// keyboard (1), cascade (2), COM1 (4), RTC (8), FPU (13), IDE (14/15).
static const u8 pci_irq_pool[] = { 11, 10, 9, 5 };

// The mechanism #1 address of a config register of device devfn on bus 0.
static u32
pci_addr(int devfn, int off)
{
  return PCI_ENABLE | (u32)devfn << 8 | (off & 0xFC);
}

// Read the config dword at off (4-aligned) of device devfn.
u32
pci_read32(int devfn, int off)
{
  outl(PCI_ADDR, pci_addr(devfn, off));
  return inl(PCI_DATA);
}

// Write the config dword at off (4-aligned) of device devfn.
void
pci_write32(int devfn, int off, u32 v)
{
  outl(PCI_ADDR, pci_addr(devfn, off));
  outl(PCI_DATA, v);
}

// Read the config byte at off of device devfn.
u8
pci_read8(int devfn, int off)
{
  return pci_read32(devfn, off) >> (8 * (off & 3));
}

// Write the config byte at off of device devfn (a byte cycle, as real
// hardware and both emulators accept for non-BAR registers).
void
pci_write8(int devfn, int off, u8 v)
{
  outl(PCI_ADDR, pci_addr(devfn, off));
  outb(PCI_DATA + (off & 3), v);
}

// Does devfn exist (vendor id not all ones)?
static int
pci_present(int devfn)
{
  return (pci_read32(devfn, CFG_ID) & 0xFFFF) != 0xFFFF;
}

// Call fn for every function present on bus 0.
static void
pci_each(void (*fn)(int devfn, void *arg), void *arg)
{
  for(int dev = 0; dev < 32; dev++){
    if(!pci_present(PCI_DEVFN(dev, 0)))
      continue;
    fn(PCI_DEVFN(dev, 0), arg);
    if(!(pci_read8(PCI_DEVFN(dev, 0), CFG_HDRTYPE) & HDR_MULTIFN))
      continue;
    for(int f = 1; f < 8; f++)
      if(pci_present(PCI_DEVFN(dev, f)))
        fn(PCI_DEVFN(dev, f), arg);
  }
}

// pci_each visitor: zero every BAR that reads exactly 1 (an I/O BAR at port
// 0: v86's IDE controller with no disk), which v86's PCI.set_state cannot
// restore from a snapshot.
static void
pci_fix_bars(int devfn, void *arg)
{
  (void)arg;
  for(int bar = 0; bar < 6; bar++)
    if(pci_read32(devfn, CFG_BAR0 + 4 * bar) == 1)
      pci_write32(devfn, CFG_BAR0 + 4 * bar, 0);
}

// Prepare the bus for snapshots (see pci_fix_bars). Call once at boot.
void
pci_init(void)
{
  pci_each(pci_fix_bars, 0);
}

struct pci_match {
  u32 id;       // device << 16 | vendor
  int devfn;    // found, or -1
};

// pci_each visitor: remember the first function with the wanted id.
static void
pci_match(int devfn, void *arg)
{
  struct pci_match *m = arg;

  if(m->devfn < 0 && pci_read32(devfn, CFG_ID) == m->id)
    m->devfn = devfn;
}

// Find vendor:device on bus 0; its devfn, or -1.
int
pci_find(u16 vendor, u16 device)
{
  struct pci_match m = { (u32)device << 16 | vendor, -1 };

  pci_each(pci_match, &m);
  return m.devfn;
}

// The I/O port base of BAR bar, with I/O decoding and bus mastering turned
// on; 0 if that BAR is not an I/O BAR.
u16
pci_iobase(int devfn, int bar)
{
  u32 v = pci_read32(devfn, CFG_BAR0 + 4 * bar);

  if(!(v & 1) || (v & 0xFFFC) == 0)
    return 0;
  pci_write32(devfn, CFG_CMD, (pci_read32(devfn, CFG_CMD) & 0xFFFF) | CMD_IO | CMD_MASTER);
  return v & 0xFFFC;
}

// The address of BAR bar (*io says port or memory), with decoding and bus
// mastering turned on; 0 if the BAR is unset or above 4 GiB.
u32
pci_bar(int devfn, int bar, int *io)
{
  u32 v = pci_read32(devfn, CFG_BAR0 + 4 * bar);

  *io = v & BAR_IO;
  if(!*io && (v & 0x6) == BAR_MEM64 && (bar == 5 || pci_read32(devfn, CFG_BAR0 + 4 * bar + 4) != 0))
    return 0;
  v &= *io ? 0xFFFCu : 0xFFFFFFF0u;
  if(v != 0)
    pci_write32(devfn, CFG_CMD, (pci_read32(devfn, CFG_CMD) & 0xFFFF) | CMD_IO | CMD_MEM | CMD_MASTER);
  return v;
}

// The config offset of the capability after the one at off (0: the first),
// or 0 at the end of the list.
int
pci_cap_next(int devfn, int off)
{
  if(off == 0)
    return (pci_read32(devfn, CFG_CMD) >> 16) & STATUS_CAPS ? pci_read8(devfn, CFG_CAPS) & 0xFC : 0;
  return pci_read8(devfn, off + 1) & 0xFC;
}

// A usable IRQ for a PCI route: 3..15 minus the ones taken by ISA devices.
static int
pci_irq_ok(int irq)
{
  return irq >= 3 && irq <= 15 && irq != 4 && irq != 8 && irq != 13 && irq != 14;
}

// The PIIX3 route register for INTx pin (1 = INTA) of device dev: the
// router's swizzle is (slot - 1 + pin - 1) mod 4, in v86 as in QEMU.
static int
pci_pirq(int dev, int pin)
{
  return PIIX3_PIRQ + ((dev - 1 + pin - 1) & 3);
}

// Route the interrupt of devfn and return its IRQ, or -1 if it has none.
// The firmware's choice (the interrupt line register) wins; otherwise the
// PIRQ route is programmed with a free IRQ and the line register set to it.
int
pci_route_irq(int devfn)
{
  int line = pci_read8(devfn, CFG_INTLINE);
  int pin = pci_read8(devfn, CFG_INTPIN);
  int reg, route;

  if(pin < 1 || pin > 4)
    return -1;
  if(pci_irq_ok(line))
    return line;
  reg = pci_pirq(devfn >> 3, pin);
  route = pci_read8(PIIX3, reg);
  if((route & PIRQ_OFF) || !pci_irq_ok(route)){
    route = -1;
    for(u32 i = 0; i < NELEM(pci_irq_pool) && route < 0; i++)
      if(!irq_taken(pci_irq_pool[i]))
        route = pci_irq_pool[i];
    if(route < 0)
      return -1;
    pci_write8(PIIX3, reg, route);
  }
  pci_write8(devfn, CFG_INTLINE, route);
  return route;
}
