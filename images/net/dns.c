// DNS resolver (RFC 1035): A-record queries for names on the LAN, sent to
// the DNS server DHCP gave (netif.dns) from one UDP port, resent with
// backoff (DNS_RETRY_MS, doubling, DNS_TRIES queries), answers cached for
// their TTL (at most DNS_TTL_MAX s; failures and NXDOMAIN for DNS_HOLD_MS,
// so that every caller waiting sees them). Callers poll dns_lookup: it
// starts a query and says "pending" until the answer. Names compare
// case-insensitively.

#include "types.h"
#include "defs.h"
#include "param.h"
#include "net.h"

#define HDR      12
#define QR       0x8000
#define RD       0x0100
#define T_A      1
#define C_IN     1
#define MS(x)    ((u64)(x) * US_PER_MS)

enum { E_FREE, E_PENDING, E_DONE };

static struct dns_ent {
  u8 state;
  u8 result;              // DNS_OK ... once done
  u8 tries;               // queries sent
  u16 id;
  char name[DNS_NAME_MAX + 1];
  u32 ip;
  u64 at;                 // pending: next retransmission; done: forgotten then
  u64 used;               // last asked for
} cache[DNS_CACHE];
static u16 port, next_id;
static char why_buf[64];

static void dns_udp(const struct ip_hdr *ih, const struct udp_hdr *h, const u8 *p, u32 len);

// Forget the cache; bind the resolver's port (one per boot, from the MAC
// and the clock).
void
dns_reset(void)
{
  u32 r = get32(netif.mac + 2) * 2654435761u ^ (u32)netif.now;

  memset(cache, 0, sizeof(cache));
  port = TCP_EPHEMERAL + r % (65536 - TCP_EPHEMERAL);
  next_id = r >> 16;
  udp_bind(port, dns_udp);
}

// c in lower case.
static int
lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

// Write a query for the A record of name (labels separated by dots, a
// trailing dot allowed) with id at p; its length.
u32
dns_query(u8 *p, u16 id, const char *name)
{
  u32 n = HDR, len;

  memset(p, 0, HDR);
  put16(p, id);
  put16(p + 2, RD);
  put16(p + 4, 1);
  while(*name){
    for(len = 0; name[len] && name[len] != '.'; len++)
      p[n + 1 + len] = lower(name[len]);
    p[n] = len;
    n += 1 + len;
    name += len + (name[len] == '.');
  }
  p[n++] = 0;
  put16(p + n, T_A);
  put16(p + n + 2, C_IN);
  return n + 4;
}

// The offset after the name at p[off] (labels, maybe ending in a
// compression pointer); -1 if it runs past len.
static int
dns_skip(const u8 *p, u32 len, u32 off)
{
  while(off < len){
    if(p[off] == 0)
      return off + 1;
    if((p[off] & 0xC0) == 0xC0)
      return off + 2 <= len ? (int)off + 2 : -1;
    if(p[off] & 0xC0)
      return -1;
    off += 1 + p[off];
  }
  return -1;
}

// Parse the answer p[0..len) to our query id for name: DNS_OK with the
// first A record's address and TTL, DNS_NXDOMAIN, DNS_NODATA (no A record),
// DNS_FAILED (another error code), or DNS_BAD if it is not an answer to
// that query (or malformed).
int
dns_answer(const u8 *p, u32 len, u16 id, const char *name, u32 *ip, u32 *ttl)
{
  u8 q[HDR + DNS_NAME_MAX + 6];
  u32 qlen = dns_query(q, id, name), an, rcode;
  int off;

  if(len < qlen || get16(p) != id || !(get16(p + 2) & QR) || get16(p + 4) != 1)
    return DNS_BAD;
  for(u32 i = HDR; i < qlen; i++)
    if(lower(p[i]) != q[i])
      return DNS_BAD;                   // not our question
  rcode = get16(p + 2) & 0xF;
  if(rcode)
    return rcode == 3 ? DNS_NXDOMAIN : DNS_FAILED;
  off = qlen;
  for(an = get16(p + 6); an > 0; an--){
    if((off = dns_skip(p, len, off)) < 0 || (u32)off + 10 > len || (u32)off + 10 + get16(p + off + 8) > len)
      return DNS_BAD;
    if(get16(p + off) == T_A && get16(p + off + 2) == C_IN && get16(p + off + 8) == 4){
      *ttl = get32(p + off + 4);
      *ip = get32(p + off + 10);
      return DNS_OK;
    }
    off += 10 + get16(p + off + 8);
  }
  return DNS_NODATA;
}

// Send e's query (once more).
static void
dns_send(struct dns_ent *e)
{
  udp_output(netif.dns, port, DNS_PORT, dns_query(udp_txbuf(), e->id, e->name));
  e->at = netif.now + (MS(DNS_RETRY_MS) << e->tries);
  e->tries++;
}

// e is done with result, kept for ttl seconds (or DNS_HOLD_MS).
static void
dns_done(struct dns_ent *e, int result, u32 ttl)
{
  u64 keep = (u64)(ttl < DNS_TTL_MAX ? ttl : DNS_TTL_MAX) * 1000000;

  e->state = E_DONE;
  e->result = result;
  e->at = netif.now + (keep > MS(DNS_HOLD_MS) ? keep : MS(DNS_HOLD_MS));
}

// A datagram to the resolver's port: the answer to a pending query.
static void
dns_udp(const struct ip_hdr *ih, const struct udp_hdr *h, const u8 *p, u32 len)
{
  struct dns_ent *e;
  u32 ip = 0, ttl = 0;
  int r;

  if(ih->src != netif.dns || h->sport != DNS_PORT || len < HDR)
    return;
  for(e = cache; e < cache + DNS_CACHE; e++)
    if(e->state == E_PENDING && e->id == get16(p) &&
       (r = dns_answer(p, len, e->id, e->name, &ip, &ttl)) != DNS_BAD){
      e->ip = ip;
      dns_done(e, r, r == DNS_OK ? ttl : 0);
      return;
    }
}

// Why a lookup failed, for "cannot resolve <name>: <why>".
static const char *
dns_why(int result)
{
  if(result == DNS_NXDOMAIN)
    return "no such appliance on this network";
  if(result == DNS_NODATA)
    return "it has no IPv4 address";
  ksnprintf(why_buf, sizeof(why_buf), "%s the DNS server " IP_FMT,
            result == DNS_FAILED ? "an error from" : "no answer from", IP_ARGS(netif.dns));
  return why_buf;
}

// The entry of name (*found = 1), or one to take for it: free, else
// expired, else the least recently used answer; null if all are pending.
static struct dns_ent *
dns_find(const char *name, int *found)
{
  struct dns_ent *e, *victim = 0;
  u64 rank, best = 0;
  int live;
  u32 i;

  *found = 0;
  for(e = cache; e < cache + DNS_CACHE; e++){
    for(i = 0; e->name[i] && lower(name[i]) == e->name[i]; i++)
      ;
    live = e->state == E_PENDING || (e->state == E_DONE && netif.now < e->at);
    if(live && e->name[i] == 0 && name[i] == 0){
      *found = 1;
      return e;
    }
    rank = live ? e->used + 1 : 0;
    if(e->state != E_PENDING && (!victim || rank < best)){
      victim = e;
      best = rank;
    }
  }
  return victim;
}

// Start resolving name in e.
static void
dns_start(struct dns_ent *e, const char *name)
{
  u32 i;

  for(i = 0; name[i]; i++)
    e->name[i] = lower(name[i]);
  e->name[i] = 0;
  e->state = E_PENDING;
  e->tries = 0;
  e->id = next_id += 0x9E37;
  dns_send(e);
}

// The address of name: 0 with *ip; 1 while its query is under way (ask
// again later: dns_poll and the answer move it on); -1 with *why when it
// cannot be resolved.
int
dns_lookup(const char *name, u32 *ip, const char **why)
{
  struct dns_ent *e;
  int found;

  if(!netif.dns){
    *why = "the network gave no DNS server";
    return -1;
  }
  if(strlen(name) > DNS_NAME_MAX){
    *why = "the name is too long";
    return -1;
  }
  if(!(e = dns_find(name, &found))){
    *why = "too many names being looked up at once";
    return -1;
  }
  e->used = netif.now;
  if(!found)
    dns_start(e, name);
  if(e->state == E_PENDING)
    return 1;
  if(e->result != DNS_OK){
    *why = dns_why(e->result);
    return -1;
  }
  *ip = e->ip;
  return 0;
}

// Idle poller part: resend queries unanswered, give up after DNS_TRIES;
// the next deadline.
u64
dns_poll(u64 now)
{
  u64 next = TIME_NEVER;

  netif.now = now;
  for(struct dns_ent *e = cache; e < cache + DNS_CACHE; e++){
    if(e->state != E_PENDING)
      continue;
    if(now >= e->at){
      if(e->tries >= DNS_TRIES){
        dns_done(e, DNS_TIMEOUT, 0);
        continue;
      }
      dns_send(e);
    }
    if(e->at < next)
      next = e->at;
  }
  return next;
}
