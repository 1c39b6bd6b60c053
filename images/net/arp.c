// ARP (RFC 826) for IPv4 over Ethernet: a small cache, replies for our
// address, requests for the addresses we send to. An entry being resolved
// holds the latest frame meant for it and sends it when the reply arrives,
// so the first packet to a new peer (often a SYN-ACK) is not lost. An
// address nobody answers for is unreachable: TCP fails the connections
// being opened to it (an appliance that left the LAN).

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define HTYPE_ETH  1
#define ARP_RETRY  (ARP_RETRY_MS * US_PER_MS)
#define ARP_TTL    ((u64)ARP_TTL_MS * US_PER_MS)

enum { ARP_FREE, ARP_PENDING, ARP_RESOLVED };

static struct arp_entry {
  u8 state;
  u8 tries;        // requests sent while pending
  u32 ip;
  u8 mac[6];
  u64 learned;     // when the MAC was (last) confirmed
  u64 asked;       // when the last request went out
  u32 qlen;        // bytes of the held frame, 0 if none
  u8 q[NET_ARP_FRAME + 2];
} cache[ARP_ENTRIES];

static const u8 zero_mac[6];

// Parse an Ethernet/IPv4 ARP packet; 0, or -1 if it is not one.
int
arp_parse(const u8 *p, u32 len, struct arp_pkt *a)
{
  if(len < ARP_LEN || get16(p) != HTYPE_ETH || get16(p + 2) != ETH_IP || p[4] != 6 || p[5] != 4)
    return -1;
  a->op = get16(p + 6);
  memcpy(a->sha, p + 8, 6);
  a->spa = get32(p + 14);
  memcpy(a->tha, p + 18, 6);
  a->tpa = get32(p + 24);
  return a->op == ARP_REQUEST || a->op == ARP_REPLY ? 0 : -1;
}

// Write packet a at p (ARP_LEN bytes).
void
arp_emit(const struct arp_pkt *a, u8 *p)
{
  put16(p, HTYPE_ETH);
  put16(p + 2, ETH_IP);
  p[4] = 6;
  p[5] = 4;
  put16(p + 6, a->op);
  memcpy(p + 8, a->sha, 6);
  put32(p + 14, a->spa);
  memcpy(p + 18, a->tha, 6);
  put32(p + 24, a->tpa);
}

// Forget every entry.
void
arp_reset(void)
{
  memset(cache, 0, sizeof(cache));
}

// The entry for ip, or null.
static struct arp_entry *
arp_find(u32 ip)
{
  for(int i = 0; i < ARP_ENTRIES; i++)
    if(cache[i].state != ARP_FREE && cache[i].ip == ip)
      return &cache[i];
  return 0;
}

// A fresh entry for ip: a free one, else the least recently confirmed.
static struct arp_entry *
arp_alloc(u32 ip)
{
  struct arp_entry *e = &cache[0];

  for(int i = 0; i < ARP_ENTRIES; i++){
    if(cache[i].state == ARP_FREE){
      e = &cache[i];
      break;
    }
    if(cache[i].learned < e->learned)
      e = &cache[i];
  }
  memset(e, 0, sizeof(*e) - sizeof(e->q));
  e->ip = ip;
  return e;
}

// Send an ARP packet of type op to (tha, tpa) from our address.
static void
arp_send(u16 op, const u8 tha[6], u32 tpa)
{
  struct arp_pkt a;

  a.op = op;
  memcpy(a.sha, netif.mac, 6);
  a.spa = netif.ip;
  memcpy(a.tha, tha, 6);
  a.tpa = tpa;
  arp_emit(&a, eth_txbuf() + ETH_HLEN);
  eth_output(op == ARP_REQUEST ? eth_broadcast : tha, ETH_ARP, ARP_LEN);
}

// Ask the LAN who has ip.
void
arp_request(u32 ip)
{
  struct arp_entry *e = arp_find(ip);

  if(e)
    e->asked = netif.now;
  arp_send(ARP_REQUEST, zero_mac, ip);
}

// Record ip at mac in e and send the frame it held.
static void
arp_resolved(struct arp_entry *e, const u8 mac[6])
{
  memcpy(e->mac, mac, 6);
  e->state = ARP_RESOLVED;
  e->learned = netif.now;
  if(e->qlen){
    memcpy(e->q, mac, 6);
    eth_transmit(e->q, e->qlen);
    e->qlen = 0;
  }
}

// An ARP packet: learn the sender (always if it asks for us, else only if
// it is known: RFC 826's merge), and answer requests for our address.
void
arp_input(const u8 *p, u32 len)
{
  struct arp_pkt a;
  struct arp_entry *e;
  int for_us;

  if(arp_parse(p, len, &a) < 0 || a.spa == 0 || (a.sha[0] & 1))
    return;
  for_us = netif.ip != 0 && a.tpa == netif.ip;
  if(a.spa == netif.ip)
    return;                       // someone claims our address: ignore
  e = arp_find(a.spa);
  if(!e && for_us)
    e = arp_alloc(a.spa);
  if(e)
    arp_resolved(e, a.sha);
  if(for_us && a.op == ARP_REQUEST)
    arp_send(ARP_REPLY, a.sha, a.spa);
}

// Put the MAC of ip in mac; 0, or -1 if it is not resolved.
int
arp_lookup(u32 ip, u8 mac[6])
{
  struct arp_entry *e = arp_find(ip);

  if(!e || e->state != ARP_RESOLVED)
    return -1;
  memcpy(mac, e->mac, 6);
  return 0;
}

// The MAC of ip may be stale (a SYN to it went unanswered): ask again
// before the next frame to it, and give up on ip if nobody answers.
void
arp_forget(u32 ip)
{
  struct arp_entry *e = arp_find(ip);

  if(e && e->state == ARP_RESOLVED)
    e->state = ARP_FREE;
}

// Send the IPv4 frame[0..len) (Ethernet header to be filled in) to the
// neighbour nexthop, resolving its MAC first if need be (the frame waits).
int
arp_output(u32 nexthop, u8 *frame, u32 len)
{
  struct eth_hdr h;
  struct arp_entry *e = arp_find(nexthop);

  memcpy(h.src, netif.mac, 6);
  h.type = ETH_IP;
  if(nexthop == IP_BROADCAST || (netif.mask && (nexthop | netif.mask) == IP_BROADCAST)){
    memcpy(h.dst, eth_broadcast, 6);
    eth_emit(&h, frame);
    return eth_transmit(frame, len);
  }
  if(e && e->state == ARP_RESOLVED){
    if(netif.now - e->learned > ARP_TTL && netif.now - e->asked > ARP_RETRY)
      arp_request(nexthop);      // refresh, but keep using the old answer
    memcpy(h.dst, e->mac, 6);
    eth_emit(&h, frame);
    return eth_transmit(frame, len);
  }
  if(!e){
    e = arp_alloc(nexthop);
    e->state = ARP_PENDING;
    e->learned = netif.now;
  }
  memcpy(h.dst, zero_mac, 6);
  eth_emit(&h, frame);
  if(len <= NET_ARP_FRAME){     // a larger one is resent by TCP once resolved
    memcpy(e->q, frame, len);
    e->qlen = len;
  }
  if(e->tries == 0){
    e->tries = 1;
    arp_request(nexthop);
  }
  return 0;
}

// Retry or give up on pending entries; the next time this needs to run.
u64
arp_poll(u64 now)
{
  u64 next = TIME_NEVER;
  struct arp_entry *e;

  for(int i = 0; i < ARP_ENTRIES; i++){
    e = &cache[i];
    if(e->state != ARP_PENDING)
      continue;
    if(now >= e->asked + ARP_RETRY){
      if(e->tries >= ARP_TRIES){
        e->state = ARP_FREE;
        tcp_unreachable(e->ip);
        continue;
      }
      e->tries++;
      arp_request(e->ip);
    }
    if(e->asked + ARP_RETRY < next)
      next = e->asked + ARP_RETRY;
  }
  return next;
}

// Print the cache (the shell's net command).
void
arp_print(void)
{
  for(int i = 0; i < ARP_ENTRIES; i++){
    if(cache[i].state == ARP_RESOLVED)
      kprintf("  " IP_FMT "  " MAC_FMT "\n", IP_ARGS(cache[i].ip), MAC_ARGS(cache[i].mac));
    else if(cache[i].state == ARP_PENDING)
      kprintf("  " IP_FMT "  (resolving)\n", IP_ARGS(cache[i].ip));
  }
}
