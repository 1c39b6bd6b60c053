// The network interface: binds the NIC to the stack, holds the address
// configuration (from DHCP, or the cmdline's ip=/gw= when DHCP stays
// silent for NET_DHCP_WAIT_MS), and is the idle poller that drains the NIC
// and runs the protocol timers. Also the shell's net command.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

struct netif netif;

static u8 rxbuf[NET_FRAME_MAX + 2];   // +2: the NIC copies whole words
static void (*up_fn)(void);
static struct {
  int have;
  u32 ip, mask, gw;
  u64 at;                             // when it applies if DHCP has not answered
} fallback;

// Read the static fallback (ip=a.b.c.d[/n], gw=a.b.c.d) from cmdline.
static void
net_fallback(const char *cmdline)
{
  char buf[32];
  int prefix;

  memset(&fallback, 0, sizeof(fallback));
  if(cmdline_find(cmdline, "ip", buf, sizeof(buf)) < 0)
    return;
  if(inet_parse(buf, &fallback.ip, &prefix) < 0){
    kprintf("net: ignoring ip=%s (want ip=a.b.c.d/n)\n", buf);
    return;
  }
  fallback.mask = inet_mask(prefix < 0 ? 24 : prefix);
  if(cmdline_find(cmdline, "gw", buf, sizeof(buf)) >= 0 && inet_parse(buf, &fallback.gw, &prefix) < 0)
    kprintf("net: ignoring gw=%s\n", buf);
  fallback.have = 1;
}

// Bring up the stack on nic: start DHCP, remember the static fallback from
// cmdline, and call up() once the interface has an address.
void
net_init(struct nic *nic, const char *cmdline, void (*up)(void), u64 now)
{
  memset(&netif, 0, sizeof(netif));
  netif.nic = nic;
  memcpy(netif.mac, nic->mac, 6);
  netif.now = now;
  up_fn = up;
  arp_reset();
  udp_reset();
  dns_reset();
  fetch_reset();
  tcp_reset((u32)now ^ get32(nic->mac + 2) ^ (u32)(now >> 32));
  net_fallback(cmdline);
  fallback.at = now + NET_DHCP_WAIT_MS * US_PER_MS;
  dhcp_start(now);
}

// Number of leading one bits of a netmask.
static int
net_prefix(u32 mask)
{
  int n = 0;

  while(n < 32 && (mask & (0x80000000u >> n)))
    n++;
  return n;
}

// Set (or, with ip 0, clear) the address configuration; how says where it
// came from. The first address makes the interface up.
void
net_config(u32 ip, u32 mask, u32 gw, u32 dns, u32 lease_s, const char *how)
{
  int first = netif.how == 0 && ip != 0, changed = ip != netif.ip;

  netif.ip = ip;
  netif.mask = mask;
  netif.gw = gw;
  netif.dns = dns;
  netif.lease_s = lease_s;
  netif.how = ip ? how : 0;
  if(!changed)
    return;
  if(ip == 0){
    kprintf("net: address lost\n");
    return;
  }
  kprintf("net: " IP_FMT "/%d gw " IP_FMT " (%s)\n", IP_ARGS(ip), net_prefix(mask), IP_ARGS(gw), how);
  if(gw)
    arp_request(gw);                  // have the gateway's MAC before the first SYN
  if(first && up_fn){
    up_fn();
    up_fn = 0;
  }
}

// Apply the static fallback once DHCP has been silent long enough; when it
// is next due, or TIME_NEVER.
static u64
net_fallback_poll(u64 now)
{
  if(!fallback.have || netif.how)
    return TIME_NEVER;
  if(now < fallback.at)
    return fallback.at;
  kprintf("net: no DHCP answer in %u ms: using ip= from the command line\n", NET_DHCP_WAIT_MS);
  dhcp_stop();
  net_config(fallback.ip, fallback.mask, fallback.gw, 0, 0, "static");
  return TIME_NEVER;
}

// Idle poller: take up to NET_RX_BATCH frames from the NIC, apply the
// static fallback when due, run the protocol timers; the next deadline.
u64
net_poll(u64 now)
{
  u64 next, t;
  u32 n;
  int i;

  netif.now = now;
  for(i = 0; i < NET_RX_BATCH && (n = netif.nic->receive(netif.nic, rxbuf, NET_FRAME_MAX)) > 0; i++){
    netif.rx_frames++;
    eth_input(rxbuf, n);
    memset(rxbuf, 0, n);
  }
  if(netif.nic->rx_full){
    // QEMU holds frames back while the ring is nearly full and lets them in
    // only when another frame arrives: ask the gateway for one.
    netif.nic->rx_full = 0;
    netif.rx_full++;
    if(netif.gw)
      arp_request(netif.gw);
  }
  next = i == NET_RX_BATCH ? now : net_fallback_poll(now);
  if((t = arp_poll(now)) < next)
    next = t;
  if((t = dhcp_poll(now)) < next)
    next = t;
  if((t = tcp_poll(now)) < next)
    next = t;
  if((t = dns_poll(now)) < next)
    next = t;
  if((t = fetch_poll(now)) < next)
    next = t;
  return next;
}

// Drop the address and ask DHCP for one afresh: a machine resumed on a LAN
// where its saved address is taken (the host types "net renew").
void
net_renew(u64 now)
{
  net_config(0, 0, 0, 0, 0, 0);
  fallback.at = now + NET_DHCP_WAIT_MS * US_PER_MS;
  dhcp_start(now);
}

// net [renew]: the interface's address, gateway, counters, ARP cache and TCP
// table; "renew" asks DHCP for an address afresh.
void
net_cmd(int argc, char **argv)
{
  if(argc > 1 && strcmp(argv[1], "renew") == 0){
    net_renew(netif.now);
    return;
  }
  if(argc > 1){
    kprintf("usage: net [renew]\n");
    return;
  }
  kprintf("  mac  " MAC_FMT "  (%s at 0x%x, irq %d, mtu %u)\n", MAC_ARGS(netif.mac),
          netif.nic ? netif.nic->name : "-", netif.nic ? netif.nic->iobase : 0,
          netif.nic ? netif.nic->irq : -1, netif.nic ? netif.nic->mtu : 0);
  if(netif.how)
    kprintf("  ip   " IP_FMT "/%d via %s, lease %u s\n", IP_ARGS(netif.ip), net_prefix(netif.mask),
            netif.how, netif.lease_s);
  else
    kprintf("  ip   none yet (dhcp %s)\n", dhcp_state());
  kprintf("  gw   " IP_FMT "  dns " IP_FMT "  dhcp %s\n", IP_ARGS(netif.gw), IP_ARGS(netif.dns), dhcp_state());
  kprintf("  frames rx %u (bad %u) tx %u (failed %u), rx buffer %u KiB (nearly full %u times)\n",
          netif.rx_frames, netif.rx_bad, netif.tx_frames, netif.tx_failed,
          netif.nic ? netif.nic->rx_bytes >> 10 : 0, netif.rx_full);
  kprintf("arp:\n");
  arp_print();
  kprintf("tcp:\n");
  tcp_print();
}
