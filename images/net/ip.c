// IPv4 (RFC 791): header checks, delivery to ICMP, UDP and TCP, and output
// routed through the gateway when the destination is off the subnet. No
// fragmentation: fragments are dropped (peers here send at most MTU-sized
// packets and TCP keeps to the MSS), and we always send with DF set.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define IP_DF      0x4000
#define IP_MF      0x2000
#define IP_OFFMASK 0x1FFF
#define IP_TTL     64

static u16 ip_id;

// Parse and check the header of packet p[0..len): version, lengths and
// checksum. 0, or -1 if the packet is to be dropped.
int
ip_parse(const u8 *p, u32 len, struct ip_hdr *h)
{
  if(len < IP_HLEN || (p[0] >> 4) != 4)
    return -1;
  h->hlen = (p[0] & 0xF) * 4;
  h->len = get16(p + 2);
  if(h->hlen < IP_HLEN || h->hlen > h->len || h->len > len)
    return -1;
  if(inet_fold(inet_sum(0, p, h->hlen)) != 0)
    return -1;
  h->id = get16(p + 4);
  h->frag = get16(p + 6);
  h->ttl = p[8];
  h->proto = p[9];
  h->src = get32(p + 12);
  h->dst = get32(p + 16);
  return 0;
}

// Write a 20-byte header for h at p, checksum included.
void
ip_emit(const struct ip_hdr *h, u8 *p)
{
  p[0] = 0x45;
  p[1] = 0;
  put16(p + 2, h->len);
  put16(p + 4, h->id);
  put16(p + 6, h->frag);
  p[8] = h->ttl;
  p[9] = h->proto;
  put16(p + 10, 0);
  put32(p + 12, h->src);
  put32(p + 16, h->dst);
  put16(p + 10, inet_fold(inet_sum(0, p, IP_HLEN)));
}

// Is dst a broadcast address on our subnet (or the limited broadcast)?
static int
ip_is_broadcast(u32 dst)
{
  return dst == IP_BROADCAST || (netif.mask && (dst | netif.mask) == IP_BROADCAST &&
                                 (dst & netif.mask) == (netif.ip & netif.mask));
}

// A packet from Ethernet: hand what is for us to the protocol above.
// Before we have an address only UDP (DHCP) gets through.
void
ip_input(const u8 *p, u32 len)
{
  struct ip_hdr h;
  int bcast;

  if(ip_parse(p, len, &h) < 0 || (h.frag & (IP_MF | IP_OFFMASK))){
    netif.rx_bad++;
    return;
  }
  bcast = ip_is_broadcast(h.dst);
  if(netif.ip == 0){
    if(h.proto == IP_UDP)
      udp_input(&h, p + h.hlen, h.len - h.hlen);
    return;
  }
  if(h.dst != netif.ip && !bcast)
    return;
  if(h.proto == IP_UDP)
    udp_input(&h, p + h.hlen, h.len - h.hlen);
  else if(h.proto == IP_ICMP && !bcast)
    icmp_input(&h, p + h.hlen, h.len - h.hlen);
  else if(h.proto == IP_TCP && !bcast)
    tcp_input(&h, p + h.hlen, h.len - h.hlen);
}

// Where the payload of the next packet goes in the transmit frame.
u8 *
ip_txbuf(void)
{
  return eth_txbuf() + ETH_HLEN + IP_HLEN;
}

// Send the len bytes at ip_txbuf() to dst as protocol proto, through the
// gateway if dst is not on our subnet. 0, or -1 if it could not be sent.
int
ip_output(u32 dst, u8 proto, u32 len)
{
  struct ip_hdr h;
  u32 hop = dst;

  if(len > NET_FRAME_MAX - ETH_HLEN - IP_HLEN)
    return -1;
  if(!ip_is_broadcast(dst) && netif.gw && (dst & netif.mask) != (netif.ip & netif.mask))
    hop = netif.gw;
  h.len = IP_HLEN + len;
  h.id = ip_id++;
  h.frag = IP_DF;
  h.ttl = IP_TTL;
  h.proto = proto;
  h.src = netif.ip;
  h.dst = dst;
  ip_emit(&h, eth_txbuf() + ETH_HLEN);
  return arp_output(hop, eth_txbuf(), ETH_HLEN + h.len);
}
