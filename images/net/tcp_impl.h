// TCP internals shared by tcp.c (input, state machine), tcp_out.c (output,
// timers) and tcp_buf.c (send and receive buffers). Not for other layers.

#ifndef TCP_IMPL_H
#define TCP_IMPL_H

#include "param.h"

#define TCP_HLEN   20
#define TH_FIN     0x01
#define TH_SYN     0x02
#define TH_RST     0x04
#define TH_PSH     0x08
#define TH_ACK     0x10

#define TCP_DEFAULT_MSS 536      // RFC 1122: when the peer sends no MSS option
#define TCP_MAXWIN      65535    // the window field; beyond it only with window scaling
#define TCP_MAXSCALE    14       // RFC 7323's largest shift

// Sequence numbers compare modulo 2^32.
#define SEQ_LT(a, b)  ((i32)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((i32)((a) - (b)) <= 0)
#define SEQ_GT(a, b)  ((i32)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((i32)((a) - (b)) >= 0)

// A parsed segment.
struct tcp_seg {
  u16 sport, dport;
  u32 seq, ack;
  u8 flags;
  u32 wnd;          // as sent; scaled once the connection is known
  u16 mss;          // MSS option, 0 if absent
  u8 wscale;        // window scale option plus one, 0 if absent
  const u8 *data;
  u32 dlen;
};

#define TF_ACKNOW    0x01   // send an ACK at the next output
#define TF_TIMING    0x02   // rtt_seq is being timed
#define TF_ACCEPTED  0x04   // ops->accept said yes: ops->closed will follow
#define TF_PEERFIN   0x08   // the peer's FIN has been received
#define TF_PROBE     0x10   // the window is shut: send one byte anyway
#define TF_NEEDBUF   0x20   // tcp_space found no send buffer: ops->sent once one is free
#define TF_KICK      0x40   // tcp_kick: ops->sent at the next tcp_poll
#define TF_WSCALE    0x80   // both SYNs carried a window scale (RFC 7323)

struct tcb {
  u8 state;
  u8 flags;
  u8 dupacks;       // duplicate ACKs in a row
  u8 retries;       // timeouts since the peer was last heard
  u8 segs;          // segments received since our last ACK
  u8 nooo;          // out-of-order ranges held
  u8 err;           // why it ended (TCP_ERR_*), for ops->closed
  u16 lport, rport;
  u16 hnext;        // next connection in its lookup bucket (TCP_CONNS: none)
  u16 used;         // its place in tcp_used
  u32 rip;
  const struct tcp_ops *ops;
  u32 iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
  u32 irs, rcv_nxt, rcv_adv;
  u16 mss;          // most we send in one segment
  u8 snd_scale;     // the peer's window shift, 0 without scaling
  u8 rcv_scale;     // ours
  u32 srtt, rttvar, rto;   // microseconds; srtt 0 until the first sample
  u32 rtt_seq;
  u64 rtt_at;
  u64 rtx_at;       // retransmission or persist timer, 0 if off
  u64 ack_at;       // delayed ACK, 0 if off
  u64 wait_at;      // end of TIME_WAIT or FIN_WAIT_2, 0 if off
  u64 seen;         // last acceptable segment from the peer
  u64 data_at;      // last data from the peer
  u32 snd_head, snd_len;   // send ring: snd_una's byte, bytes queued from it
  u32 rcv_head, rcv_len;   // receive ring: next byte to read, bytes readable
  u32 ooo[TCP_OOO_MAX][2]; // out-of-order data held: [start, end) sequence numbers
  u8 *sndbuf;       // send ring from the pool while snd_len > 0, else null
  u8 *rcvbuf;       // receive ring from the pool while it holds data, else null
  u32 snd_size, rcv_size;  // their sizes (TCP_BUFSIZE or TCP_BIGBUFSIZE)
};

extern struct tcb tcbs[TCP_CONNS];

// The connections in use, in no order: a loop over the open connections costs
// what is open, not TCP_CONNS (every poll runs one). tcp_free moves the last
// entry into the place it frees, so a loop that may free walks it backwards
// and checks its index against n again after each step.
extern struct tcp_used {
  u16 c[TCP_CONNS];
  u32 n;
} tcp_used;

// Counters for the net command.
extern struct tcp_stats {
  u32 accepted, connected, waited, reclaimed, timeouts, fast_rexmits, ooo_segs, nobuf;
} tcp_stats;

// tcp.c
void tcp_free(struct tcb *t);
struct tcb *tcp_lookup(u32 rip, u16 rport, u16 lport);
void tcp_established(struct tcb *t);
struct tcb *tcp_new(u32 rip, const struct tcp_seg *s, const struct tcp_ops *ops);
struct tcb *tcp_take(u32 rip, u16 rport, u16 lport, const struct tcp_ops *ops);
u32 tcp_mss(void);
int tcp_big_link(void);
int tcp_listener(u16 port, const struct tcp_ops **ops);

// tcp_open.c
void tcp_synsent(struct tcb *t, const struct tcp_seg *s);

// tcp_out.c
int tcp_parse(const struct ip_hdr *ih, const u8 *p, u32 len, struct tcp_seg *s);
u32 tcp_emit(const struct tcp_seg *s, u8 *p);
void tcp_xmit(struct tcb *t, u32 seq, u32 off, u32 n, u8 flags);
void tcp_send_rst(u32 rip, const struct tcp_seg *s);
void tcp_out(struct tcb *t);
void tcp_rtt(struct tcb *t, u64 now);

// tcp_pool.c
void tcp_buf_reset(void);
u8 *tcp_buf_get(u32 *size);
u32 tcp_buf_next(void);
void tcp_buf_put(u8 *b);
int tcp_buf_ready(struct tcb *t);
void tcp_rcv_release(struct tcb *t);
void tcp_buf_release(struct tcb *t);
u32 tcp_buf_used(void);
u64 tcp_buf_wake(u64 now);

// tcp_buf.c
void tcp_wnd_changed(void);
u32 tcp_wnd_cap(void);
u32 tcp_rcv_window(struct tcb *t);
u32 tcp_rcv_free(struct tcb *t);
u32 tcp_rcv_data(struct tcb *t, u32 seq, const u8 *p, u32 n);
void tcp_snd_copy(struct tcb *t, u32 off, u8 *dst, u32 n);
void tcp_snd_drop(struct tcb *t, u32 n);

#endif
