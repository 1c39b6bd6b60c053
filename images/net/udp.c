// UDP (RFC 768): checksummed datagrams, delivered to the function bound to
// their port (the DHCP client's, the DNS resolver's); datagrams to other
// ports are dropped silently.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

static struct {
  u16 port;
  udp_fn fn;
} binds[UDP_BINDS];

// Forget every binding.
void
udp_reset(void)
{
  memset(binds, 0, sizeof(binds));
}

// Deliver datagrams to our port to fn (replacing its binding, if any); 0,
// or -1 if the table is full.
int
udp_bind(u16 port, udp_fn fn)
{
  int free = -1;

  for(int i = 0; i < UDP_BINDS; i++){
    if(binds[i].fn && binds[i].port == port)
      free = i;
    else if(!binds[i].fn && free < 0)
      free = i;
  }
  if(free < 0)
    return -1;
  binds[free].port = port;
  binds[free].fn = fn;
  return 0;
}

// Parse the UDP header of p[0..len) carried in IP packet ih, checking the
// length and (when present) the checksum. 0, or -1 to drop.
int
udp_parse(const struct ip_hdr *ih, const u8 *p, u32 len, struct udp_hdr *h)
{
  u32 sum;

  if(len < UDP_HLEN)
    return -1;
  h->sport = get16(p);
  h->dport = get16(p + 2);
  h->len = get16(p + 4);
  if(h->len < UDP_HLEN || h->len > len)
    return -1;
  if(get16(p + 6) != 0){
    sum = inet_pseudo(ih->src, ih->dst, IP_UDP, h->len);
    if(inet_fold(inet_sum(sum, p, h->len)) != 0)
      return -1;
  }
  return 0;
}

// A datagram from IP: to the function bound to its port.
void
udp_input(const struct ip_hdr *ih, const u8 *p, u32 len)
{
  struct udp_hdr h;

  if(udp_parse(ih, p, len, &h) < 0){
    netif.rx_bad++;
    return;
  }
  for(int i = 0; i < UDP_BINDS; i++)
    if(binds[i].fn && binds[i].port == h.dport){
      binds[i].fn(ih, &h, p + UDP_HLEN, h.len - UDP_HLEN);
      return;
    }
}

// Where the payload of the next datagram goes.
u8 *
udp_txbuf(void)
{
  return ip_txbuf() + UDP_HLEN;
}

// Send the len bytes at udp_txbuf() from our port sport to (dst, dport).
int
udp_output(u32 dst, u16 sport, u16 dport, u32 len)
{
  u8 *p = ip_txbuf();
  u16 sum;

  put16(p, sport);
  put16(p + 2, dport);
  put16(p + 4, UDP_HLEN + len);
  put16(p + 6, 0);
  sum = inet_fold(inet_sum(inet_pseudo(netif.ip, dst, IP_UDP, UDP_HLEN + len), p, UDP_HLEN + len));
  put16(p + 6, sum ? sum : 0xFFFF);
  return ip_output(dst, IP_UDP, UDP_HLEN + len);
}
