// ICMP (RFC 792): answer echo requests (ping); everything else is ignored.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HLEN         8

// An ICMP message for us: reply to a valid echo request with the same
// identifier, sequence number and data.
void
icmp_input(const struct ip_hdr *ih, const u8 *p, u32 len)
{
  u8 *out = ip_txbuf();

  if(len < ICMP_HLEN || p[0] != ICMP_ECHO_REQUEST || inet_fold(inet_sum(0, p, len)) != 0)
    return;
  if(len > NET_FRAME_MAX - ETH_HLEN - IP_HLEN)
    return;
  memmove(out, p, len);
  out[0] = ICMP_ECHO_REPLY;
  out[1] = 0;
  put16(out + 2, 0);
  put16(out + 2, inet_fold(inet_sum(0, out, len)));
  ip_output(ih->src, IP_ICMP, len);
}
