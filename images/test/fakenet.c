// The fake NIC and scripted peer (see fakenet.h).

#include "param.h"
#include "test.h"
#include "fakenet.h"

const u8 our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
const u8 peer_mac[6] = { 0x52, 0x55, 0x0A, 0x00, 0x02, 0x02 };

static struct fn_frame txq[FN_MAXTX];
static int ntx, head, drop_tx, ups;
u16 fn_dport = 80;

// NIC transmit: record the frame (or drop it, when told to).
static int
fn_transmit(struct nic *nic, const void *frame, u32 len)
{
  (void)nic;
  if(drop_tx)
    return 0;
  if(ntx == FN_MAXTX)
    panic("fakenet: more than %d frames queued", FN_MAXTX);
  txq[ntx].len = len;
  kmemcpy(txq[ntx].b, frame, len);
  ntx++;
  return 0;
}

// NIC receive: the tests deliver frames directly; nothing is queued here.
static u32
fn_receive(struct nic *nic, void *buf, u32 max)
{
  (void)nic;
  (void)buf;
  (void)max;
  return 0;
}

struct nic fn_nic = {
  .name = "fake",
  .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
  .rx_bytes = 30720,                 // QEMU's ring
  .mtu = 1500,
  .transmit = fn_transmit,
  .receive = fn_receive,
};

// Counts calls of the "interface is up" callback.
static void
fn_on_up(void)
{
  ups++;
}

// Number of times the up callback ran since fn_init.
int
fn_up_calls(void)
{
  return ups;
}

// Fresh stack at time 0 on the fake NIC (DHCP starts: its DISCOVER is queued).
void
fn_init(const char *cmdline)
{
  ntx = head = drop_tx = ups = 0;
  net_init(&fn_nic, cmdline, fn_on_up, 0);
}

// The peer answers an ARP request for its address.
void
fn_arp_reply(void)
{
  u8 arp[ARP_LEN];
  struct arp_pkt a = { ARP_REPLY, { 0 }, PEER_IP, { 0 }, OUR_IP };
  u8 frame[ETH_HLEN + ARP_LEN];
  struct eth_hdr h;

  kmemcpy(a.sha, peer_mac, 6);
  kmemcpy(a.tha, our_mac, 6);
  arp_emit(&a, arp);
  kmemcpy(h.dst, our_mac, 6);
  kmemcpy(h.src, peer_mac, 6);
  h.type = ETH_ARP;
  eth_emit(&h, frame);
  kmemcpy(frame + ETH_HLEN, arp, ARP_LEN);
  fn_deliver(frame, sizeof(frame));
}

// Take the stack's ARP requests for the peer out of the queue and answer
// them (frames held for the peer go out then); how many there were.
int
fn_arp_answer(void)
{
  struct arp_pkt a;
  int j = head, n = 0;

  for(int i = head; i < ntx; i++){
    if(get16(txq[i].b + 12) == ETH_ARP && arp_parse(txq[i].b + ETH_HLEN, txq[i].len - ETH_HLEN, &a) == 0 &&
       a.op == ARP_REQUEST && a.tpa == PEER_IP)
      n++;
    else if(j++ != i)
      txq[j - 1] = txq[i];
  }
  ntx = j;
  if(n)
    fn_arp_reply();
  return n;
}

// Fresh stack, configured statically as 10.0.2.15/24 with the peer's MAC
// known; nothing queued.
void
fn_up(void)
{
  fn_init("");
  dhcp_stop();
  net_config(OUR_IP, IP4(255, 255, 255, 0), PEER_IP, IP4(10, 0, 2, 3), 0, "static");
  fn_arp_reply();
  fn_tx_clear();
  test_out_reset();
}

int
fn_ntx(void)
{
  return ntx - head;
}

struct fn_frame *
fn_tx(int i)
{
  return &txq[head + i];
}

void
fn_tx_clear(void)
{
  ntx = head = 0;
}

// Take the oldest transmitted frame; 0, or -1 if there is none.
int
fn_pop(struct fn_frame *f)
{
  if(head == ntx)
    return -1;
  *f = txq[head++];
  if(head == ntx)
    ntx = head = 0;
  return 0;
}

// Take the oldest transmitted frame as a TCP segment (checksums checked).
int
fn_pop_seg(struct fn_seg *s)
{
  struct fn_frame f;
  struct ip_hdr ih;
  const u8 *t;
  u32 tl, hl;

  if(fn_pop(&f) < 0)
    return -1;
  if(get16(f.b + 12) != ETH_IP || ip_parse(f.b + ETH_HLEN, f.len - ETH_HLEN, &ih) < 0 || ih.proto != IP_TCP)
    return -1;
  t = f.b + ETH_HLEN + ih.hlen;
  tl = ih.len - ih.hlen;
  if(inet_fold(inet_sum(inet_pseudo(ih.src, ih.dst, IP_TCP, tl), t, tl)) != 0)
    return -1;
  hl = (t[12] >> 4) * 4;
  s->sport = get16(t);
  s->dport = get16(t + 2);
  s->seq = get32(t + 4);
  s->ack = get32(t + 8);
  s->flags = t[13];
  s->wnd = get16(t + 14);
  s->mss = 0;
  s->wscale = 0;
  for(u32 i = 20; i + 1 < hl;){      // options: MSS, window scale (after a NOP)
    if(t[i] == 1){
      i++;
      continue;
    }
    if(t[i] == 2)
      s->mss = get16(t + i + 2);
    if(t[i] == 3)
      s->wscale = t[i + 2] + 1;
    i += t[i + 1] < 2 ? hl : t[i + 1];
  }
  s->len = tl - hl;
  kmemcpy(s->data, t + hl, s->len);
  return 0;
}

// Hand a frame to the stack as if the NIC had received it.
void
fn_deliver(const u8 *frame, u32 len)
{
  eth_input(frame, len);
}

// Deliver an IPv4 packet from src to dst carrying payload (protocol proto).
void
fn_ip_in(u32 src, u32 dst, u8 proto, const void *payload, u32 len)
{
  static u8 f[NET_FRAME_MAX + 2];
  struct eth_hdr e;
  struct ip_hdr h = { IP_HLEN, IP_HLEN + len, 7, 0x4000, 64, proto, src, dst };

  kmemcpy(e.dst, dst == IP_BROADCAST ? eth_broadcast : our_mac, 6);
  kmemcpy(e.src, peer_mac, 6);
  e.type = ETH_IP;
  eth_emit(&e, f);
  ip_emit(&h, f + ETH_HLEN);
  kmemcpy(f + ETH_HLEN + IP_HLEN, payload, len);
  fn_deliver(f, ETH_HLEN + IP_HLEN + len);
}

// Deliver a TCP segment from the peer's port sport to our port fn_dport,
// with an MSS option if mss and a window scale option if wscale (shift + 1).
static void
fn_tcp_opt(u16 sport, u32 seq, u32 ack, u8 flags, u16 wnd, u16 mss, u8 wscale, const void *data, u32 len)
{
  static u8 t[1600];
  u32 hl = 20 + (mss ? 4 : 0) + (wscale ? 4 : 0);

  kmemset(t, 0, hl);
  put16(t, sport);
  put16(t + 2, fn_dport);
  put32(t + 4, seq);
  put32(t + 8, ack);
  t[12] = (hl / 4) << 4;
  t[13] = flags;
  put16(t + 14, wnd);
  if(mss){
    t[20] = 2;
    t[21] = 4;
    put16(t + 22, mss);
  }
  if(wscale){
    t[hl - 4] = 1;
    t[hl - 3] = 3;
    t[hl - 2] = 3;
    t[hl - 1] = wscale - 1;
  }
  kmemcpy(t + hl, data, len);
  put16(t + 16, inet_fold(inet_sum(inet_pseudo(PEER_IP, OUR_IP, IP_TCP, hl + len), t, hl + len)));
  fn_ip_in(PEER_IP, OUR_IP, IP_TCP, t, hl + len);
}

void
fn_tcp_in(u16 sport, u32 seq, u32 ack, u8 flags, u16 wnd, const void *data, u32 len)
{
  fn_tcp_opt(sport, seq, ack, flags, wnd, 0, 0, data, len);
}

// A SYN from the peer's port sport with an MSS option (0: none).
void
fn_syn_in(u16 sport, u32 seq, u16 mss)
{
  fn_tcp_opt(sport, seq, 0, TH_SYN, 65535, mss, 0, "", 0);
}

// A SYN with an MSS option and a window scale option of shift.
void
fn_syn_ws_in(u16 sport, u32 seq, u16 mss, u8 shift)
{
  fn_tcp_opt(sport, seq, 0, TH_SYN, 65535, mss, shift + 1, "", 0);
}

// A SYN-ACK from the peer's port sport acknowledging ack, with an MSS option
// (0: none) and a window scale option of shift (-1: none).
void
fn_synack_in(u16 sport, u32 seq, u32 ack, u16 mss, int shift)
{
  fn_tcp_opt(sport, seq, ack, TH_SYN | TH_ACK, 65535, mss, shift + 1, "", 0);
}

// While on, transmitted frames vanish (loss on the way out).
void
fn_set_drop(int on)
{
  drop_tx = on;
}

// Parse hex digits (spaces ignored) into out; the byte count.
int
fn_hex(const char *hex, u8 *out)
{
  int n = 0, hi = -1, v;

  for(; *hex; hex++){
    if(*hex == ' ' || *hex == '\n')
      continue;
    v = *hex <= '9' ? *hex - '0' : (*hex | 0x20) - 'a' + 10;
    if(hi < 0)
      hi = v;
    else {
      out[n++] = hi << 4 | v;
      hi = -1;
    }
  }
  return n;
}
