// The network stack's interfaces, one block per file. Layers follow lwIP's
// naming: <layer>_input takes a received packet, <layer>_output sends one.
// Headers are parsed and emitted by pure <layer>_parse/<layer>_emit pairs.
// All state is static and bounded (limits in param.h); time is passed in
// (microseconds since boot), so this compiles and is tested on the host.

#ifndef NET_H
#define NET_H

#include "types.h"

struct nic;

// Wire fields are big-endian byte arrays; these read and write them.
static inline u16 get16(const u8 *p) { return (u16)(p[0] << 8 | p[1]); }
static inline u32 get32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }
static inline void put16(u8 *p, u32 v) { p[0] = (u8)(v >> 8); p[1] = (u8)v; }
static inline void put32(u8 *p, u32 v) { put16(p, v >> 16); put16(p + 2, v); }

#define IP4(a, b, c, d) ((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (u32)(d))
#define IP_FMT "%u.%u.%u.%u"
#define IP_ARGS(ip) (u32)((ip) >> 24), (u32)((ip) >> 16 & 255), (u32)((ip) >> 8 & 255), (u32)((ip) & 255)
#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]
#define IP_BROADCAST 0xFFFFFFFFu
#define US_PER_MS 1000ull

// inet.c
u32 inet_sum(u32 sum, const void *p, u32 len);
u16 inet_fold(u32 sum);
u32 inet_pseudo(u32 src, u32 dst, u8 proto, u32 len);
int inet_parse(const char *s, u32 *ip, int *prefix);
u32 inet_mask(int prefix);

// eth.c
#define ETH_HLEN   14
#define ETH_IP     0x0800
#define ETH_ARP    0x0806
struct eth_hdr {
  u8 dst[6];
  u8 src[6];
  u16 type;
};
extern const u8 eth_broadcast[6];
int eth_parse(const u8 *p, u32 len, struct eth_hdr *h);
void eth_emit(const struct eth_hdr *h, u8 *p);
void eth_input(const u8 *frame, u32 len);
u8 *eth_txbuf(void);
int eth_output(const u8 dst[6], u16 type, u32 len);
int eth_transmit(u8 *frame, u32 len);

// arp.c
#define ARP_LEN      28
#define ARP_REQUEST  1
#define ARP_REPLY    2
struct arp_pkt {
  u16 op;
  u8 sha[6];
  u32 spa;
  u8 tha[6];
  u32 tpa;
};
int arp_parse(const u8 *p, u32 len, struct arp_pkt *a);
void arp_emit(const struct arp_pkt *a, u8 *p);
void arp_reset(void);
void arp_input(const u8 *p, u32 len);
int arp_output(u32 nexthop, u8 *frame, u32 len);
void arp_request(u32 ip);
int arp_lookup(u32 ip, u8 mac[6]);
void arp_forget(u32 ip);
u64 arp_poll(u64 now);
void arp_print(void);

// ip.c
#define IP_HLEN    20
#define IP_ICMP    1
#define IP_TCP     6
#define IP_UDP     17
struct ip_hdr {
  u32 hlen;      // header bytes (options included)
  u32 len;       // total length
  u16 id;
  u16 frag;      // flags and fragment offset
  u8 ttl;
  u8 proto;
  u32 src;
  u32 dst;
};
int ip_parse(const u8 *p, u32 len, struct ip_hdr *h);
void ip_emit(const struct ip_hdr *h, u8 *p);
void ip_input(const u8 *p, u32 len);
u8 *ip_txbuf(void);
int ip_output(u32 dst, u8 proto, u32 len);

// icmp.c
void icmp_input(const struct ip_hdr *ih, const u8 *p, u32 len);

// udp.c
#define UDP_HLEN   8
struct udp_hdr {
  u16 sport;
  u16 dport;
  u16 len;
};
// A datagram's payload p[0..len) for a bound port.
typedef void (*udp_fn)(const struct ip_hdr *ih, const struct udp_hdr *h, const u8 *p, u32 len);
void udp_reset(void);
int udp_bind(u16 port, udp_fn fn);
int udp_parse(const struct ip_hdr *ih, const u8 *p, u32 len, struct udp_hdr *h);
void udp_input(const struct ip_hdr *ih, const u8 *p, u32 len);
u8 *udp_txbuf(void);
int udp_output(u32 dst, u16 sport, u16 dport, u32 len);

// dhcp.c
#define DHCP_CLIENT_PORT 68
#define DHCP_SERVER_PORT 67
void dhcp_start(u64 now);
void dhcp_stop(void);
void net_renew(u64 now);
void dhcp_input(const u8 *p, u32 len);
u64 dhcp_poll(u64 now);
const char *dhcp_state(void);

// dns.c: the resolver (A records from netif.dns), with a small cache.
#define DNS_PORT 53
enum { DNS_OK, DNS_NXDOMAIN, DNS_NODATA, DNS_FAILED, DNS_TIMEOUT, DNS_BAD };
void dns_reset(void);
int dns_lookup(const char *name, u32 *ip, const char **why);
u64 dns_poll(u64 now);
u32 dns_query(u8 *p, u16 id, const char *name);
int dns_answer(const u8 *p, u32 len, u16 id, const char *name, u32 *ip, u32 *ttl);

// tcp*.c: TCP. Connections are small integers; the ops of the listener
// (or of tcp_connect) are called as things happen.
enum {
  TCP_CLOSED, TCP_SYN_RCVD, TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2,
  TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT, TCP_SYN_SENT,
};
enum { TCP_ERR_NONE, TCP_ERR_REFUSED, TCP_ERR_RESET, TCP_ERR_TIMEOUT, TCP_ERR_UNREACHABLE };
struct tcp_ops {
  int (*accept)(int c);     // a connection is established; <0 refuses it (RST)
  void (*recv)(int c);      // data (or the peer's FIN) can be read
  void (*sent)(int c);      // send buffer space was freed
  void (*closed)(int c);    // an accepted (or connecting) connection is gone; c may be reused
  int (*reclaim)(int c);    // optional: the table is full; close idle c (0) or not (-1)
};
void tcp_reset(u32 seed);
int tcp_listen(u16 port, const struct tcp_ops *ops);
int tcp_connect(u32 rip, u16 rport, const struct tcp_ops *ops);
int tcp_error(int c);
void tcp_unreachable(u32 hop);
void tcp_input(const struct ip_hdr *ih, const u8 *p, u32 len);
u64 tcp_poll(u64 now);
u32 tcp_peek(int c, const u8 **p);
void tcp_consume(int c, u32 n);
int tcp_eof(int c);
u32 tcp_space(int c);
u32 tcp_write(int c, const void *p, u32 n);
void tcp_output(int c);
void tcp_kick(int c);
void tcp_close(int c);
void tcp_abort(int c);
int tcp_state(int c);
const char *tcp_state_name(int state);
void tcp_print(void);

// fetch*.c: the HTTP client (its interface is in tabcloud.h).
void fetch_reset(void);
u64 fetch_poll(u64 now);

// netif.c: the one interface, its configuration, and the idle poller.
struct netif {
  struct nic *nic;
  const char *name;       // the appliance's (User-Agent: tabcloud/<name>), 0 if unknown
  u8 mac[6];
  u32 ip, mask, gw, dns;
  u32 lease_s;            // DHCP lease, seconds (0: static)
  const char *how;        // "dhcp", "static", or 0 while unconfigured
  u64 now;                // time of the poll in progress, us
  u32 rx_frames, tx_frames, tx_failed;
  u32 rx_bad;             // frames dropped for a bad IP, UDP or TCP header or checksum
  u32 rx_full;            // times the NIC's receive buffer came close to full
};
extern struct netif netif;
void net_init(struct nic *nic, const char *cmdline, void (*up)(void), u64 now);
void net_config(u32 ip, u32 mask, u32 gw, u32 dns, u32 lease_s, const char *how);
u64 net_poll(u64 now);

#endif
