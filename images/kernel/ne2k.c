// NE2000 (RTL8029 on PCI, 10ec:8029): v86's card at 00:05.0 and QEMU's
// ne2k_pci. Behind the three-function NIC interface: ne2k_init, transmit,
// receive. Buffer memory is 256-byte pages from 0x40: up to 0x80 in v86
// (16 KiB), up to 0xC0 in QEMU (32 KiB, probed): one transmit buffer (6
// pages) and a receive ring of the rest, ~9 or ~19 full frames. When the
// ring is (nearly) full v86 drops frames and QEMU queues them until another
// frame arrives; receive() flags that in nic->rx_full so the stack can
// provoke one. The interrupt handler only masks the line (it may be
// level-triggered under SeaBIOS) and wakes the idle loop; receive() drains
// the ring and unmasks once it is empty, so it is emptied on every interrupt.
// Ring convention (the emulators'): BNRY is the next page to read; the ring
// is empty when BNRY == CURR.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define NE2K_VENDOR  0x10EC
#define NE2K_DEVICE  0x8029

#define REG_CR       0x00
#define REG_PSTART   0x01     // page 0
#define REG_PSTOP    0x02
#define REG_BNRY     0x03
#define REG_TPSR     0x04
#define REG_TBCR0    0x05
#define REG_TBCR1    0x06
#define REG_ISR      0x07
#define REG_RSAR0    0x08
#define REG_RSAR1    0x09
#define REG_RBCR0    0x0A
#define REG_RBCR1    0x0B
#define REG_RCR      0x0C
#define REG_TCR      0x0D
#define REG_DCR      0x0E
#define REG_IMR      0x0F
#define REG_PAR0     0x01     // page 1
#define REG_CURR     0x07
#define REG_MAR0     0x08
#define REG_DATA     0x10
#define REG_RESET    0x1F

#define CR_STP       0x01
#define CR_STA       0x02
#define CR_TXP       0x04
#define CR_RREAD     0x08
#define CR_RWRITE    0x10
#define CR_NODMA     0x20
#define CR_PAGE1     0x40

#define ISR_RX       0x01
#define ISR_RXE      0x04
#define ISR_OVW      0x10
#define ISR_RDC      0x40
#define ISR_RST      0x80

#define DCR_WORD     0x49     // word transfers, normal mode, FIFO threshold 8
#define RCR_BCAST    0x04     // our unicast plus broadcast
#define RCR_MONITOR  0x20
#define TCR_LOOP     0x02

#define TX_PAGE      0x40
#define RX_START     0x46     // TX_PAGE + 6 pages for one 1536-byte frame
#define RX_STOP      0x80     // end of v86's memory
#define RX_STOP_BIG  0xC0     // end of QEMU's
#define FULL_PAGES   8        // this close to full, QEMU holds frames back
#define MIN_FRAME    60

static struct {
  u16 io;
  int irq;
  u8 stop;       // end of the receive ring (page)
  u8 bnry;       // next ring page to read
} ne;

// Wait (boundedly) for the bits of mask in the ISR; 0 when seen.
static int
ne2k_wait_isr(u8 mask)
{
  for(int i = 0; i < NE2K_SPIN; i++)
    if(inb(ne.io + REG_ISR) & mask)
      return 0;
  return -1;
}

// Start a remote DMA of n bytes at card address addr in direction cmd.
static void
ne2k_dma(u16 addr, u32 n, u8 cmd)
{
  outb(ne.io + REG_CR, CR_NODMA | CR_STA);
  outb(ne.io + REG_RBCR0, n & 0xFF);
  outb(ne.io + REG_RBCR1, n >> 8);
  outb(ne.io + REG_RSAR0, addr & 0xFF);
  outb(ne.io + REG_RSAR1, addr >> 8);
  outb(ne.io + REG_CR, cmd | CR_STA);
}

// Copy n bytes (rounded up to even) from card address addr into buf.
static void
ne2k_read(u16 addr, void *buf, u32 n)
{
  n = (n + 1) & ~1u;
  ne2k_dma(addr, n, CR_RREAD);
  insw(ne.io + REG_DATA, buf, n / 2);
  outb(ne.io + REG_ISR, ISR_RDC);
}

// The card's current receive page (CURR, on register page 1).
static u8
ne2k_curr(void)
{
  u8 curr;

  outb(ne.io + REG_CR, CR_PAGE1 | CR_NODMA | CR_STA);
  curr = inb(ne.io + REG_CURR);
  outb(ne.io + REG_CR, CR_NODMA | CR_STA);
  return curr;
}

// Copy n bytes (even) from buf to card address addr.
static void
ne2k_write(u16 addr, const void *buf, u32 n)
{
  ne2k_dma(addr, n, CR_RWRITE);
  outsw(ne.io + REG_DATA, buf, n / 2);
  ne2k_wait_isr(ISR_RDC);
  outb(ne.io + REG_ISR, ISR_RDC);
}

// The end of the card's buffer memory: a pattern written at page 0x80
// reads back only where memory goes on to 0xC0 (QEMU).
static u8
ne2k_probe_stop(void)
{
  static const u16 pattern[2] = { 0x5AA5, 0xC33C };
  u16 back[2] = { 0, 0 };

  ne2k_write(RX_STOP << 8, pattern, sizeof(pattern));
  ne2k_read(RX_STOP << 8, back, sizeof(back));
  return back[0] == pattern[0] && back[1] == pattern[1] ? RX_STOP_BIG : RX_STOP;
}

// Hand page as the new read point (and free space) back to the card.
static void
ne2k_release(u8 page)
{
  ne.bnry = page;
  outb(ne.io + REG_BNRY, page);
}

// NIC receive: copy the next frame into buf (at most max bytes, max even)
// and return its length; 0 when the ring is empty, which re-arms the IRQ.
static u32
ne2k_receive(struct nic *nic, void *buf, u32 max)
{
  u8 hdr[4], curr;
  u32 len, ring = ne.stop - RX_START;

  outb(ne.io + REG_ISR, ISR_RX | ISR_RXE | ISR_OVW);   // ack before looking
  curr = ne2k_curr();
  if(ne.bnry == curr){
    irq_enable(ne.irq);
    return 0;
  }
  if((curr + ring - ne.bnry) % ring >= ring - FULL_PAGES)
    nic->rx_full = 1;
  ne2k_read(ne.bnry << 8, hdr, 4);
  len = (hdr[2] | hdr[3] << 8) - 4;
  if(hdr[1] < RX_START || hdr[1] >= ne.stop || len < 14 || len > max){
    kprintf("ne2k: bad ring header %02x %02x len %u: ring reset\n", hdr[0], hdr[1], len);
    ne2k_release(curr);
    return 0;
  }
  ne2k_read((ne.bnry << 8) + 4, buf, len);
  ne2k_release(hdr[1]);
  return len;
}

// NIC transmit: copy frame into the card and send it (padded to 60 bytes
// with whatever the buffer holds; eth_output pads with zeros). The frame
// buffer must be readable one byte past len.
static int
ne2k_transmit(struct nic *nic, const void *frame, u32 len)
{
  int i;

  if(len > nic->mtu + 14)
    return -1;
  for(i = 0; i < NE2K_SPIN && (inb(ne.io + REG_CR) & CR_TXP); i++)
    ;
  if(i == NE2K_SPIN)
    return -1;
  ne2k_write(TX_PAGE << 8, frame, (len + 1) & ~1u);
  if(len < MIN_FRAME)
    len = MIN_FRAME;
  outb(ne.io + REG_TPSR, TX_PAGE);
  outb(ne.io + REG_TBCR0, len & 0xFF);
  outb(ne.io + REG_TBCR1, len >> 8);
  outb(ne.io + REG_CR, CR_NODMA | CR_TXP | CR_STA);
  return 0;
}

// IRQ: quiet the line until receive() has emptied the ring.
static void
ne2k_intr(void)
{
  irq_disable(ne.irq);
}

// Reset the card and read the station address from its PROM (each byte
// doubled in word mode).
static void
ne2k_reset(u8 mac[6])
{
  u16 prom[16];

  outb(ne.io + REG_RESET, inb(ne.io + REG_RESET));
  ne2k_wait_isr(ISR_RST);
  outb(ne.io + REG_ISR, 0xFF);
  outb(ne.io + REG_CR, CR_NODMA | CR_STP);
  outb(ne.io + REG_DCR, DCR_WORD);
  outb(ne.io + REG_RBCR0, 0);
  outb(ne.io + REG_RBCR1, 0);
  outb(ne.io + REG_RCR, RCR_MONITOR);
  outb(ne.io + REG_TCR, TCR_LOOP);
  ne2k_read(0, prom, sizeof(prom));
  for(int i = 0; i < 6; i++)
    mac[i] = prom[i] & 0xFF;
}

// Program the ring, the station address and the receive filter; start.
static void
ne2k_start(const u8 mac[6])
{
  outb(ne.io + REG_CR, CR_NODMA | CR_STP);
  outb(ne.io + REG_PSTART, RX_START);
  outb(ne.io + REG_PSTOP, ne.stop);
  outb(ne.io + REG_BNRY, RX_START);
  outb(ne.io + REG_TPSR, TX_PAGE);
  outb(ne.io + REG_ISR, 0xFF);
  outb(ne.io + REG_IMR, 0);
  outb(ne.io + REG_CR, CR_PAGE1 | CR_NODMA | CR_STP);
  for(int i = 0; i < 6; i++)
    outb(ne.io + REG_PAR0 + i, mac[i]);
  for(int i = 0; i < 8; i++)
    outb(ne.io + REG_MAR0 + i, 0);
  outb(ne.io + REG_CURR, RX_START);
  outb(ne.io + REG_CR, CR_NODMA | CR_STA);
  outb(ne.io + REG_TCR, 0);
  outb(ne.io + REG_RCR, RCR_BCAST);
  outb(ne.io + REG_IMR, ISR_RX | ISR_RXE | ISR_OVW);
  ne.bnry = RX_START;
}

// Find the card on PCI, route its IRQ, reset and start it, fill in nic.
// Returns -1 (and prints why) if there is no usable NE2000.
int
ne2k_init(struct nic *nic)
{
  int devfn = pci_find(NE2K_VENDOR, NE2K_DEVICE);

  if(devfn < 0)
    return -1;
  ne.io = pci_iobase(devfn, 0);
  ne.irq = pci_route_irq(devfn);
  if(ne.io == 0 || ne.irq < 0){
    kprintf("ne2k: 00:%02x.%d has no I/O BAR or IRQ\n", devfn >> 3, devfn & 7);
    return -1;
  }
  ne2k_reset(nic->mac);
  ne.stop = ne2k_probe_stop();
  ne2k_start(nic->mac);
  nic->name = "ne2k";
  nic->irq = ne.irq;
  nic->iobase = ne.io;
  nic->rx_bytes = (ne.stop - RX_START) << 8;
  nic->rx_frames = nic->rx_bytes / 256;  // a frame takes at least one page
  nic->mtu = 1500;
  nic->transmit = ne2k_transmit;
  nic->receive = ne2k_receive;
  irq_register(ne.irq, ne2k_intr);
  return 0;
}
