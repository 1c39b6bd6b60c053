// DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK; renewal at T1
// (unicast to the server), rebinding at T2 (broadcast), a fresh start when
// the lease runs out or the server NAKs. Retransmissions back off from
// DHCP_RETRY_MS to DHCP_RETRY_MAX_MS. netif decides on the static fallback.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define BOOTREQUEST   1
#define BOOTREPLY     2
#define DHCP_FIXED    236            // BOOTP header up to the options
#define DHCP_MAGIC    0x63825363
#define DHCP_MINLEN   300            // BOOTP's minimum message
#define FLAG_BCAST    0x8000

#define OPT_PAD 0
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_REQIP 50
#define OPT_LEASE 51
#define OPT_TYPE 53
#define OPT_SERVER 54
#define OPT_PARAMS 55
#define OPT_T1 58
#define OPT_T2 59
#define OPT_END 255

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE };
enum { D_OFF, D_SELECTING, D_REQUESTING, D_BOUND, D_RENEWING, D_REBINDING };

struct dhcp_msg {
  u8 op, type;
  u32 xid, yiaddr;
  u8 chaddr[6];
  u32 mask, router, dns, server, lease, t1, t2;
};

static struct {
  int state;
  u32 xid;
  u32 offered, server;
  u64 next;          // retransmission or T1/T2/expiry, us
  u64 bound_at;
  u32 lease, t1, t2; // seconds
  u32 retry_ms;
  int tries;
} dh;

static const char *const state_names[] = {
  "off", "selecting", "requesting", "bound", "renewing", "rebinding",
};

// Read the options p[0..len) into m; -1 if they run past the end.
static int
dhcp_options(const u8 *p, u32 len, struct dhcp_msg *m)
{
  u32 i = 0, n;

  while(i < len && p[i] != OPT_END){
    if(p[i] == OPT_PAD){
      i++;
      continue;
    }
    if(i + 2 > len || i + 2 + p[i + 1] > len)
      return -1;
    n = p[i + 1];
    if(p[i] == OPT_TYPE && n >= 1) m->type = p[i + 2];
    if(p[i] == OPT_MASK && n >= 4) m->mask = get32(p + i + 2);
    if(p[i] == OPT_ROUTER && n >= 4) m->router = get32(p + i + 2);
    if(p[i] == OPT_DNS && n >= 4) m->dns = get32(p + i + 2);
    if(p[i] == OPT_SERVER && n >= 4) m->server = get32(p + i + 2);
    if(p[i] == OPT_LEASE && n >= 4) m->lease = get32(p + i + 2);
    if(p[i] == OPT_T1 && n >= 4) m->t1 = get32(p + i + 2);
    if(p[i] == OPT_T2 && n >= 4) m->t2 = get32(p + i + 2);
    i += 2 + n;
  }
  return 0;
}

// Parse a DHCP message; 0, or -1 if it is not one.
static int
dhcp_parse(const u8 *p, u32 len, struct dhcp_msg *m)
{
  memset(m, 0, sizeof(*m));
  if(len < DHCP_FIXED + 4 || get32(p + DHCP_FIXED) != DHCP_MAGIC || p[1] != 1 || p[2] != 6)
    return -1;
  m->op = p[0];
  m->xid = get32(p + 4);
  m->yiaddr = get32(p + 16);
  memcpy(m->chaddr, p + 28, 6);
  return dhcp_options(p + DHCP_FIXED + 4, len - DHCP_FIXED - 4, m);
}

// Append option code with a 4-byte value at p; the bytes written.
static u32
dhcp_opt32(u8 *p, u8 code, u32 v)
{
  p[0] = code;
  p[1] = 4;
  put32(p + 2, v);
  return 6;
}

// Build a client message of type at p (ciaddr when renewing); its length.
static u32
dhcp_emit(u8 *p, int type)
{
  static const u8 params[] = { OPT_PARAMS, 6, OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_LEASE, OPT_T1, OPT_T2 };
  int renew = dh.state == D_RENEWING || dh.state == D_REBINDING;
  u32 n = DHCP_FIXED + 4;

  memset(p, 0, DHCP_MINLEN);
  p[0] = BOOTREQUEST;
  p[1] = 1;                            // Ethernet
  p[2] = 6;
  put32(p + 4, dh.xid);
  put16(p + 10, renew ? 0 : FLAG_BCAST);
  if(renew)
    put32(p + 12, netif.ip);
  memcpy(p + 28, netif.mac, 6);
  put32(p + DHCP_FIXED, DHCP_MAGIC);
  p[n++] = OPT_TYPE;
  p[n++] = 1;
  p[n++] = type;
  if(type == REQUEST && !renew){
    n += dhcp_opt32(p + n, OPT_REQIP, dh.offered);
    n += dhcp_opt32(p + n, OPT_SERVER, dh.server);
  }
  memcpy(p + n, params, sizeof(params));
  n += sizeof(params);
  p[n++] = OPT_END;
  return n < DHCP_MINLEN ? DHCP_MINLEN : n;
}

// Send a message of type: to the server when renewing, else broadcast.
static void
dhcp_send(int type)
{
  u32 dst = dh.state == D_RENEWING ? dh.server : IP_BROADCAST;

  udp_output(dst, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, dhcp_emit(udp_txbuf(), type));
}

// Enter state s at time now and send its message (the first try).
static void
dhcp_enter(int s, u64 now)
{
  dh.state = s;
  dh.retry_ms = DHCP_RETRY_MS;
  dh.tries = 0;
  if(s == D_SELECTING)
    dh.xid = (u32)(now * 2654435761u) ^ get32(netif.mac + 2);
  dhcp_send(s == D_SELECTING ? DISCOVER : REQUEST);
  dh.next = now + dh.retry_ms * US_PER_MS;
}

// A datagram to the client's port: a server's message.
static void
dhcp_udp(const struct ip_hdr *ih, const struct udp_hdr *h, const u8 *p, u32 len)
{
  (void)ih;
  if(h->sport == DHCP_SERVER_PORT)
    dhcp_input(p, len);
}

// Start (or restart) looking for a lease.
void
dhcp_start(u64 now)
{
  memset(&dh, 0, sizeof(dh));
  udp_bind(DHCP_CLIENT_PORT, dhcp_udp);
  dhcp_enter(D_SELECTING, now);
}

// Stop the client (a static address was chosen instead).
void
dhcp_stop(void)
{
  dh.state = D_OFF;
}

// The client's state, for the net command.
const char *
dhcp_state(void)
{
  return state_names[dh.state];
}

// An ACK: configure the interface and schedule renewal.
static void
dhcp_bound(const struct dhcp_msg *m)
{
  dh.lease = m->lease ? m->lease : 3600;
  dh.t1 = m->t1 && m->t1 < dh.lease ? m->t1 : dh.lease / 2;
  dh.t2 = m->t2 && m->t2 < dh.lease && m->t2 > dh.t1 ? m->t2 : dh.lease / 8 * 7;
  if(m->server)
    dh.server = m->server;
  dh.state = D_BOUND;
  dh.bound_at = netif.now;
  dh.next = netif.now + (u64)dh.t1 * 1000000;
  net_config(m->yiaddr, m->mask ? m->mask : inet_mask(24), m->router, m->dns, dh.lease, "dhcp");
}

// A message from a server (UDP port 68).
void
dhcp_input(const u8 *p, u32 len)
{
  struct dhcp_msg m;

  if(dh.state == D_OFF || dhcp_parse(p, len, &m) < 0 || m.op != BOOTREPLY || m.xid != dh.xid ||
     memcmp(m.chaddr, netif.mac, 6) != 0)
    return;
  if(dh.state == D_SELECTING && m.type == OFFER && m.yiaddr && m.server){
    dh.offered = m.yiaddr;
    dh.server = m.server;
    dhcp_enter(D_REQUESTING, netif.now);
  } else if(dh.state != D_SELECTING && dh.state != D_BOUND && m.type == ACK){
    dhcp_bound(&m);
  } else if(dh.state != D_SELECTING && dh.state != D_BOUND && m.type == NAK){
    if(netif.how)
      net_config(0, 0, 0, 0, 0, 0);
    dhcp_enter(D_SELECTING, netif.now);
  }
}

// Retransmit, renew, rebind or expire when due; the next deadline.
u64
dhcp_poll(u64 now)
{
  u64 end = dh.bound_at + (u64)dh.lease * 1000000;

  if(dh.state == D_OFF)
    return TIME_NEVER;
  if(now < dh.next)
    return dh.next;
  if(dh.state == D_BOUND || (dh.state == D_RENEWING && now >= dh.bound_at + (u64)dh.t2 * 1000000)){
    dhcp_enter(dh.state == D_BOUND ? D_RENEWING : D_REBINDING, now);
  } else if(dh.state == D_REBINDING && now >= end){
    net_config(0, 0, 0, 0, 0, 0);
    dhcp_enter(D_SELECTING, now);
  } else if(dh.state == D_REQUESTING && ++dh.tries >= 4){
    dhcp_enter(D_SELECTING, now);
  } else {
    dhcp_send(dh.state == D_SELECTING ? DISCOVER : REQUEST);
    dh.retry_ms = dh.retry_ms * 2 < DHCP_RETRY_MAX_MS ? dh.retry_ms * 2 : DHCP_RETRY_MAX_MS;
    dh.next = now + dh.retry_ms * US_PER_MS;
  }
  if(dh.state >= D_BOUND && dh.next > end)
    dh.next = end;
  return dh.next;
}
