// Ethernet II framing between the NIC and the protocols. One transmit frame
// buffer serves the whole stack (nothing is allocated): a layer writes its
// payload at eth_txbuf() + ETH_HLEN and calls down; frames go out at once.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define ETH_MIN 60     // shortest frame on the wire without FCS

const u8 eth_broadcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

// +2: a word-wide NIC may read one byte past an odd length.
static u8 txbuf[NET_FRAME_MAX + 2];

// Parse the header of frame p[0..len); ETH_HLEN, or -1 if too short.
int
eth_parse(const u8 *p, u32 len, struct eth_hdr *h)
{
  if(len < ETH_HLEN)
    return -1;
  memcpy(h->dst, p, 6);
  memcpy(h->src, p + 6, 6);
  h->type = get16(p + 12);
  return ETH_HLEN;
}

// Write header h at p (ETH_HLEN bytes).
void
eth_emit(const struct eth_hdr *h, u8 *p)
{
  memcpy(p, h->dst, 6);
  memcpy(p + 6, h->src, 6);
  put16(p + 12, h->type);
}

// A frame from the NIC: hand frames for us (or broadcast) to ARP or IPv4.
void
eth_input(const u8 *frame, u32 len)
{
  struct eth_hdr h;

  if(eth_parse(frame, len, &h) < 0)
    return;
  if(memcmp(h.dst, netif.mac, 6) != 0 && memcmp(h.dst, eth_broadcast, 6) != 0)
    return;
  if(h.type == ETH_ARP)
    arp_input(frame + ETH_HLEN, len - ETH_HLEN);
  else if(h.type == ETH_IP)
    ip_input(frame + ETH_HLEN, len - ETH_HLEN);
}

// The stack's transmit frame (NET_FRAME_MAX bytes, header included).
u8 *
eth_txbuf(void)
{
  return txbuf;
}

// Send the transmit frame with a payload of len bytes to dst.
int
eth_output(const u8 dst[6], u16 type, u32 len)
{
  struct eth_hdr h;

  memcpy(h.dst, dst, 6);
  memcpy(h.src, netif.mac, 6);
  h.type = type;
  eth_emit(&h, txbuf);
  return eth_transmit(txbuf, ETH_HLEN + len);
}

// Hand a complete frame to the NIC, zero-padded to the minimum length
// (frame must have room for ETH_MIN + 1 bytes). 0, or -1 if it failed.
int
eth_transmit(u8 *frame, u32 len)
{
  if(len < ETH_MIN){
    memset(frame + len, 0, ETH_MIN - len);
    len = ETH_MIN;
  }
  if(len > NET_FRAME_MAX || netif.nic == 0 || netif.nic->transmit(netif.nic, frame, len) < 0){
    netif.tx_failed++;
    return -1;
  }
  netif.tx_frames++;
  return 0;
}
