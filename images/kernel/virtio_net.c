// virtio-net, virtio 1.0 "modern" only (1af4:1041): v86's card at 00:0a.0,
// whose structures sit in I/O-port BARs, and QEMU's virtio-net-pci with
// disable-legacy=on, whose sit in one memory BAR; the PCI capabilities say
// where, so both are found the same way. Behind the three-function NIC
// interface (virtio_net_init, transmit, receive). No offloads: frames carry
// their own checksums, one frame per receive buffer, no mergeable buffers.
// Receive buffers are sized for the device's MTU (64 KiB in v86 when the
// host asks for it), as many as VIRTIO_RX_POOL holds. The interrupt handler
// only reads the ISR (which lowers the line); receive() takes every used
// buffer and gives it back, telling the device once per batch.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "x86.h"

#define VIRTIO_VENDOR   0x1AF4
#define VIRTIO_NET      0x1041

#define CAP_VENDOR      0x09     // PCI capability id of virtio's structures
#define CAP_COMMON      1
#define CAP_NOTIFY      2
#define CAP_ISR         3
#define CAP_DEVICE      4

#define COM_DFSELECT    0x00     // common configuration registers
#define COM_DF          0x04
#define COM_GFSELECT    0x08
#define COM_GF          0x0C
#define COM_STATUS      0x14
#define COM_QSELECT     0x16
#define COM_QSIZE       0x18
#define COM_QENABLE     0x1C
#define COM_QNOTIFY     0x1E
#define COM_QDESC       0x20
#define COM_QAVAIL      0x28
#define COM_QUSED       0x30

#define ST_ACK          0x01
#define ST_DRIVER       0x02
#define ST_DRIVER_OK    0x04
#define ST_FEATURES_OK  0x08

#define F_MTU           3        // feature bits (low word; VERSION_1 is bit 32)
#define F_MAC           5
#define F_HI_VERSION_1  0x1      // bit 32, in the high word

#define DEV_MAC         0        // device configuration
#define DEV_MTU         10

#define DESC_WRITE      2
#define AVAIL_NO_INTR   1
#define HDR_LEN         12       // struct virtio_net_hdr with num_buffers (VERSION_1)
#define RXQ             0
#define TXQ             1

struct vq_desc {
  u64 addr;
  u32 len;
  u16 flags;
  u16 next;
};

struct vq_used_elem {
  u32 id;
  u32 len;
};

// One split virtqueue, laid out as the device reads it.
struct vq {
  struct vq_desc desc[VIRTIO_QUEUE_MAX];
  struct {
    u16 flags, idx, ring[VIRTIO_QUEUE_MAX], event;
  } avail;
  struct {
    u16 flags, idx;
    struct vq_used_elem ring[VIRTIO_QUEUE_MAX];
    u16 event;
  } used __attribute__((aligned(4)));
};

// A register block: ports or memory, found through a capability.
struct vio_regs {
  u32 base;
  int io;
};

static struct vq rxq __attribute__((aligned(16)));
static struct vq txq __attribute__((aligned(16)));
static u8 rxpool[VIRTIO_RX_POOL] __attribute__((aligned(16)));
static u8 txpool[VIRTIO_TX_POOL] __attribute__((aligned(16)));

static struct {
  struct vio_regs common, isr, device, notify;
  u32 notify_mult;
  int irq;
  u32 bufsize;          // one buffer: header and a whole frame, rounded up
  u16 rxn, txn;         // queue sizes (a power of two)
  u16 rxbufs;           // receive buffers, one per descriptor from 0
  u16 rx_seen, tx_seen; // next used entry to take
  u32 rx_notify, tx_notify;   // notification addresses
  int rx_refilled;      // buffers given back since the device was told
  u16 txfree[VIRTIO_QUEUE_MAX];
  u16 ntxfree;
} vn;

// Read a width-byte register at off of block r.
static u32
vio_read(const struct vio_regs *r, u32 off, int width)
{
  u32 a = r->base + off;

  if(r->io)
    return width == 1 ? inb(a) : width == 2 ? inw(a) : inl(a);
  return width == 1 ? mmio_read8(a) : width == 2 ? mmio_read16(a) : mmio_read32(a);
}

// Write a width-byte register at off of block r.
static void
vio_write(const struct vio_regs *r, u32 off, int width, u32 v)
{
  u32 a = r->base + off;

  if(r->io){
    if(width == 1) outb(a, v); else if(width == 2) outw(a, v); else outl(a, v);
  }else{
    if(width == 1) mmio_write8(a, v); else if(width == 2) mmio_write16(a, v); else mmio_write32(a, v);
  }
}

// Find virtio's structures among the PCI capabilities of devfn (the first
// usable one of each type); 0, or -1 if one is missing.
static int
vio_find_caps(int devfn)
{
  struct vio_regs *slot[] = { 0, &vn.common, &vn.notify, &vn.isr, &vn.device };
  int off, type, io;
  u32 base;

  for(off = pci_cap_next(devfn, 0); off; off = pci_cap_next(devfn, off)){
    type = pci_read8(devfn, off + 3);
    if(pci_read8(devfn, off) != CAP_VENDOR || type < CAP_COMMON || type > CAP_DEVICE || slot[type]->base)
      continue;
    base = pci_bar(devfn, pci_read8(devfn, off + 4), &io);
    if(base == 0)
      continue;
    slot[type]->base = base + pci_read32(devfn, off + 8);
    slot[type]->io = io;
    if(type == CAP_NOTIFY)
      vn.notify_mult = pci_read32(devfn, off + 16);
  }
  return vn.common.base && vn.notify.base && vn.isr.base && vn.device.base ? 0 : -1;
}

// Set up queue q with its rings in v; its size (at most VIRTIO_QUEUE_MAX),
// and its notification address in *notify. 0 if the device has no queue q.
static u16
vio_queue(u16 q, struct vq *v, u32 *notify)
{
  u16 n;

  vio_write(&vn.common, COM_QSELECT, 2, q);
  n = vio_read(&vn.common, COM_QSIZE, 2);
  if(n == 0)
    return 0;
  if(n > VIRTIO_QUEUE_MAX)
    n = VIRTIO_QUEUE_MAX;
  vio_write(&vn.common, COM_QSIZE, 2, n);
  vio_write(&vn.common, COM_QDESC, 4, (u32)v->desc);
  vio_write(&vn.common, COM_QDESC + 4, 4, 0);
  vio_write(&vn.common, COM_QAVAIL, 4, (u32)&v->avail);
  vio_write(&vn.common, COM_QAVAIL + 4, 4, 0);
  vio_write(&vn.common, COM_QUSED, 4, (u32)&v->used);
  vio_write(&vn.common, COM_QUSED + 4, 4, 0);
  *notify = vn.notify.base + vio_read(&vn.common, COM_QNOTIFY, 2) * vn.notify_mult;
  vio_write(&vn.common, COM_QENABLE, 2, 1);
  return n;
}

// Tell the device that queue q (notification address at) has new buffers.
static void
vio_notify(u32 at, u16 q)
{
  struct vio_regs r = { at, vn.notify.io };

  vio_write(&r, 0, 2, q);
}

// Offer descriptor id to the device on queue v of size n (not yet told).
static void
vio_offer(struct vq *v, u16 n, u16 id)
{
  v->avail.ring[v->avail.idx & (n - 1)] = id;
  barrier();
  v->avail.idx++;
  barrier();
}

// Take the transmit buffers the device has finished with.
static void
vio_tx_reclaim(void)
{
  u16 id;

  while(vn.tx_seen != txq.used.idx){
    barrier();
    id = txq.used.ring[vn.tx_seen & (vn.txn - 1)].id;
    memset(txpool + id * vn.bufsize, 0, txq.desc[id].len);
    vn.txfree[vn.ntxfree++] = id;
    vn.tx_seen++;
  }
}

// NIC receive: copy the next received frame into buf (at most max bytes)
// and give its buffer back; 0 when none waits, after telling the device
// once about every buffer given back.
static u32
vio_receive(struct nic *nic, void *buf, u32 max)
{
  struct vq_used_elem e;
  u32 len;

  (void)nic;
  while(vn.rx_seen != rxq.used.idx){
    barrier();
    e = rxq.used.ring[vn.rx_seen & (vn.rxn - 1)];
    vn.rx_seen++;
    len = e.len - HDR_LEN;
    if(e.id < vn.rxbufs && e.len >= HDR_LEN + 14 && len <= max)
      memcpy(buf, rxpool + e.id * vn.bufsize + HDR_LEN, len);
    else
      len = 0;                      // a damaged entry: drop it, keep the buffer
    if(e.id < vn.rxbufs){
      memset(rxpool + e.id * vn.bufsize, 0, e.len < vn.bufsize ? e.len : vn.bufsize);
      vio_offer(&rxq, vn.rxn, e.id);
      vn.rx_refilled = 1;
    }
    if(len)
      return len;
  }
  if(vn.rx_refilled){
    vn.rx_refilled = 0;
    vio_notify(vn.rx_notify, RXQ);
  }
  return 0;
}

// NIC transmit: copy frame into a free buffer behind a zero header and hand
// it to the device; -1 if it is too large or no buffer came free in time.
static int
vio_transmit(struct nic *nic, const void *frame, u32 len)
{
  u16 id;
  u8 *b;
  int i;

  if(len > nic->mtu + 14)
    return -1;
  for(i = 0; i < VIRTIO_SPIN && vn.ntxfree == 0; i++)
    vio_tx_reclaim();
  if(vn.ntxfree == 0)
    return -1;
  id = vn.txfree[--vn.ntxfree];
  b = txpool + id * vn.bufsize;
  memset(b, 0, HDR_LEN);
  memcpy(b + HDR_LEN, frame, len);
  txq.desc[id].len = HDR_LEN + len;
  vio_offer(&txq, vn.txn, id);
  vio_notify(vn.tx_notify, TXQ);
  return 0;
}

// IRQ: reading the ISR acknowledges the interrupt and lowers the line; the
// idle loop then runs receive().
static void
vio_intr(void)
{
  vio_read(&vn.isr, 0, 1);
}

// Reset the device and agree on features (MAC, MTU, VERSION_1 only). The
// MTU the device offers (1500 if it says none); 0 if it is not modern.
static u32
vio_negotiate(u8 mac[6])
{
  u32 lo, hi, mtu = 1500;
  int i;

  vio_write(&vn.common, COM_STATUS, 1, 0);
  for(i = 0; i < VIRTIO_SPIN && vio_read(&vn.common, COM_STATUS, 1) != 0; i++)
    ;
  vio_write(&vn.common, COM_STATUS, 1, ST_ACK | ST_DRIVER);
  vio_write(&vn.common, COM_DFSELECT, 4, 0);
  lo = vio_read(&vn.common, COM_DF, 4) & (1u << F_MTU | 1u << F_MAC);
  vio_write(&vn.common, COM_DFSELECT, 4, 1);
  hi = vio_read(&vn.common, COM_DF, 4) & F_HI_VERSION_1;
  if(!hi || !(lo & 1u << F_MAC))
    return 0;
  vio_write(&vn.common, COM_GFSELECT, 4, 0);
  vio_write(&vn.common, COM_GF, 4, lo);
  vio_write(&vn.common, COM_GFSELECT, 4, 1);
  vio_write(&vn.common, COM_GF, 4, hi);
  vio_write(&vn.common, COM_STATUS, 1, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
  if(!(vio_read(&vn.common, COM_STATUS, 1) & ST_FEATURES_OK))
    return 0;
  for(i = 0; i < 6; i++)
    mac[i] = vio_read(&vn.device, DEV_MAC + i, 1);
  if(lo & 1u << F_MTU)
    mtu = vio_read(&vn.device, DEV_MTU, 2);
  return mtu < 576 ? 576 : mtu > NET_MTU_MAX ? NET_MTU_MAX : mtu;
}

// The smaller of a and b.
static u32
vio_min(u32 a, u32 b)
{
  return a < b ? a : b;
}

// Carve the pools into buffers of vn.bufsize, one per descriptor, as many
// as fit (at most a queue's size); offer every receive buffer.
static void
vio_buffers(void)
{
  u16 i;

  vn.rxbufs = vio_min(vn.rxn, VIRTIO_RX_POOL / vn.bufsize);
  for(i = 0; i < vn.rxbufs; i++){
    rxq.desc[i].addr = (u32)(rxpool + i * vn.bufsize);
    rxq.desc[i].len = vn.bufsize;
    rxq.desc[i].flags = DESC_WRITE;
    vio_offer(&rxq, vn.rxn, i);
  }
  txq.avail.flags = AVAIL_NO_INTR;  // sent buffers are reclaimed when needed
  vn.ntxfree = 0;
  for(i = 0; i < vio_min(vn.txn, VIRTIO_TX_POOL / vn.bufsize); i++){
    txq.desc[i].addr = (u32)(txpool + i * vn.bufsize);
    vn.txfree[vn.ntxfree++] = i;
  }
}

// Find a virtio-net card on PCI, route its IRQ, set it up with receive
// buffers posted, fill in nic. -1 (and a line saying why, if there is a
// card) if there is no usable one.
int
virtio_net_init(struct nic *nic)
{
  int devfn = pci_find(VIRTIO_VENDOR, VIRTIO_NET);
  u32 mtu;

  if(devfn < 0)
    return -1;
  memset(&vn, 0, sizeof(vn));
  if(vio_find_caps(devfn) < 0 || (vn.irq = pci_route_irq(devfn)) < 0){
    kprintf("virtio-net: 00:%02x.%d lacks its structures or an IRQ\n", devfn >> 3, devfn & 7);
    return -1;
  }
  if((mtu = vio_negotiate(nic->mac)) == 0){
    kprintf("virtio-net: 00:%02x.%d is not a virtio 1.0 device with a MAC\n", devfn >> 3, devfn & 7);
    return -1;
  }
  vn.bufsize = (HDR_LEN + 14 + mtu + 15) & ~15u;
  vn.rxn = vio_queue(RXQ, &rxq, &vn.rx_notify);
  vn.txn = vio_queue(TXQ, &txq, &vn.tx_notify);
  if(vn.rxn == 0 || vn.txn == 0 || (vn.rxn & (vn.rxn - 1)) || (vn.txn & (vn.txn - 1))){
    kprintf("virtio-net: queues of %u and %u descriptors are not usable\n", vn.rxn, vn.txn);
    return -1;
  }
  vio_buffers();
  irq_register(vn.irq, vio_intr);
  vio_write(&vn.common, COM_STATUS, 1, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
  vio_notify(vn.rx_notify, RXQ);
  nic->name = "virtio-net";
  nic->irq = vn.irq;
  nic->iobase = vn.common.base;
  nic->mtu = mtu;
  nic->rx_frames = vn.rxbufs;
  nic->rx_bytes = vn.rxbufs * (mtu + 14);
  nic->transmit = vio_transmit;
  nic->receive = vio_receive;
  return 0;
}
