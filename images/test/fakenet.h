// A fake NIC and a scripted peer for the network stack's host tests. The
// NIC records every frame the stack transmits; the peer (10.0.2.2) builds
// frames with valid checksums and hands them to eth_input. Time is
// netif.now, advanced by the tests.

#ifndef FAKENET_H
#define FAKENET_H

#include "types.h"
#include "net.h"

#define OUR_IP   IP4(10, 0, 2, 15)
#define PEER_IP  IP4(10, 0, 2, 2)
#define FN_MAXTX 512

extern const u8 our_mac[6], peer_mac[6];
extern struct nic fn_nic;
extern u16 fn_dport;      // our port the peer's segments go to (80)

struct fn_frame {
  u32 len;
  u8 b[NET_FRAME_MAX + 2];
};

// A TCP segment the stack sent, decoded.
struct fn_seg {
  u16 sport, dport;
  u32 seq, ack;
  u8 flags;
  u16 wnd, mss;
  u8 wscale;              // window scale option plus one, 0 if absent
  u32 len;
  u8 data[NET_FRAME_MAX];
};

void fn_init(const char *cmdline);
void fn_up(void);
void fn_arp_reply(void);
int fn_arp_answer(void);
int fn_ntx(void);
struct fn_frame *fn_tx(int i);
void fn_tx_clear(void);
int fn_pop(struct fn_frame *f);
int fn_pop_seg(struct fn_seg *s);
void fn_deliver(const u8 *frame, u32 len);
void fn_ip_in(u32 src, u32 dst, u8 proto, const void *payload, u32 len);
void fn_tcp_in(u16 sport, u32 seq, u32 ack, u8 flags, u16 wnd, const void *data, u32 len);
void fn_syn_in(u16 sport, u32 seq, u16 mss);
void fn_syn_ws_in(u16 sport, u32 seq, u16 mss, u8 shift);
void fn_synack_in(u16 sport, u32 seq, u32 ack, u16 mss, int shift);
void fn_set_drop(int on);
int fn_up_calls(void);
int fn_hex(const char *hex, u8 *out);

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

#endif
