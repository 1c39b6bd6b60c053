// Kernel interfaces, one block per file (xv6 style). Declarations only:
// host unit tests include this too. What appliances may call is declared in
// tabcloud.h (the appliance API), not repeated here.

#ifndef DEFS_H
#define DEFS_H

#include "types.h"
#include "tabcloud.h"

struct trapframe;

// console.c
void halt(void) __attribute__((noreturn));

// div64.c
u64 div64_udivmod(u64 n, u64 d, u64 *rem);
i64 div64_sdivmod(i64 n, i64 d, i64 *rem);
u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
i64 __divdi3(i64 n, i64 d);
i64 __moddi3(i64 n, i64 d);
u64 __udivmoddi4(u64 n, u64 d, u64 *rem);
i64 __divmoddi4(i64 n, i64 d, i64 *rem);

// format.c
typedef void (*format_sink)(void *arg, char c);
int format(format_sink sink, void *arg, const char *fmt, va_list ap);

// gdt.c
void gdt_init(void);

// idle.c
void idle_wake(void);
void idle_loop(void) __attribute__((noreturn));
u64 idle_tsc(void);

// irq.c
typedef void (*irq_handler)(void);
void irq_init(void);
void irq_register(int irq, irq_handler fn);
void irq_dispatch(int irq);
void irq_disable(int irq);
void irq_enable(int irq);
int irq_taken(int irq);

// main.c (boot timeline)
extern u64 boot_tsc;
extern char __end[];    // kernel.ld: first byte after the image, bss and stack
extern char __bss_start[], __bss_end[];   // kernel.ld: .bss
void boot_zero_bss(u32 magic, u32 info);
void kmain(u32 magic, u32 info);
void boot_restart(void);
void boot_ready(const char *name, u64 ready_us);
void boot_ready_note(const char *name, u64 tsc, const char *note);

// multiboot.c
struct mem_region {
  u64 base;
  u64 len;
  u32 type;    // 1 = available RAM
};
void mb_init(u32 magic, u32 info);
int mb_bss_zeroed(u32 magic, u32 info);
void mb_parse_mmap(const u8 *p, u32 len);
const char *mb_cmdline(void);
int cmdline_find(const char *line, const char *key, char *buf, int n);
int mb_mmap(const struct mem_region **regions);
u64 mb_mem_total(void);
int mb_module(u32 *start, u32 *end);
int mb_free_region(u32 lo, u32 *base, u32 *len);
void mb_set_module(u32 start, u32 end);

// ne2k.c, virtio_net.c, and the interface every NIC driver fills in
struct nic {
  const char *name;
  u8 mac[6];
  int irq;
  u32 iobase;     // its registers: an I/O port, or a memory address (QEMU's virtio)
  u32 rx_bytes;   // receive buffer size
  u32 rx_frames;  // frames the receive buffer holds at most, whatever their size
  u32 mtu;        // largest IP packet the link carries
  int rx_full;    // set by receive: the buffer came close to full (cleared by the stack)
  // Send one Ethernet frame (no FCS); 0, or -1 if it was dropped.
  int (*transmit)(struct nic *nic, const void *frame, u32 len);
  // Copy the next received frame into buf; its length, or 0 if none waits.
  u32 (*receive)(struct nic *nic, void *buf, u32 max);
};
int ne2k_init(struct nic *nic);

// virtio_net.c
int virtio_net_init(struct nic *nic);

// pci.c
#define PCI_DEVFN(dev, fn) ((dev) << 3 | (fn))
void pci_init(void);
u32 pci_read32(int devfn, int off);
void pci_write32(int devfn, int off, u32 v);
u8 pci_read8(int devfn, int off);
void pci_write8(int devfn, int off, u8 v);
int pci_find(u16 vendor, u16 device);
u16 pci_iobase(int devfn, int bar);
u32 pci_bar(int devfn, int bar, int *io);
int pci_cap_next(int devfn, int off);
int pci_route_irq(int devfn);

// pit.c
#define PIT_FREQ 1193182u   // input clock of the 8254, Hz
void pit_periodic(int ch, u32 reload);
void pit_oneshot(u32 ticks);
u32 pit_count(int ch);

// shell.c
void shell_input(int c);
void shell_prompt(void);
void shell_later(void);

// rtc.c
void rtc_init(void);
void rtc_tick(int on);

// time.c
void time_init(void);
int time_ready(void);
u64 time_tsc_to_us(u64 tsc);
void time_alarm(u64 when);
u32 time_tsc_khz(const char **src);

// trap.c
void trap_init(void);
void trap(struct trapframe *tf);

// uart.c
void uart_init(void);
void uart_putc(int c);
int uart_getc(void);

#endif
