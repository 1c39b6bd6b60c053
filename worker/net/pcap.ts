import { ARP_REPLY, ARP_REQUEST, parseArp } from './arp.ts';
import {
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_OFFER,
  DHCP_REQUEST,
  DHCP_SERVER_PORT,
  dhcpTypeName,
  parseDhcp,
} from './dhcp.ts';
import { DNS_FLAG_QR, DNS_PORT, DNS_TYPE_A, dnsRcodeName, dnsTypeName, parseDns } from './dns.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from './ethernet.ts';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmp } from './icmp.ts';
import { IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP, formatIp, parseIpv4, readIp, type Ip } from './ipv4.ts';
import { TCP_ACK, formatTcpFlags, parseTcp } from './tcp.ts';
import { parseUdp } from './udp.ts';

/** Which way a frame went: from the guest's NIC to the host, or from the host to the guest. */
export type Direction = 'from-guest' | 'to-guest';

/** One recorded frame; time in ms, as passed to the network. */
export interface CapturedFrame {
  time: number;
  direction: Direction;
  frame: Uint8Array;
}

export const DEFAULT_CAPTURE_FRAMES = 10_000;
export const DEFAULT_CAPTURE_BYTES = 16 * 1024 * 1024;
const PCAP_MAGIC = 0xa1b2c3d4;
const PCAP_VERSION_MAJOR = 2;
const PCAP_VERSION_MINOR = 4;
const PCAP_SNAPLEN = 65535;
const LINKTYPE_ETHERNET = 1;
const PCAP_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
const ETHERTYPE_IPV6 = 0x86dd;

/** A bounded ring of recorded frames; the oldest are dropped first. */
export class Capture {
  private ring: (CapturedFrame | undefined)[];
  private start = 0;
  private count = 0;
  private bytes = 0;
  /** Frames dropped from the ring to respect its limits. */
  dropped = 0;

  constructor(
    readonly maxFrames = DEFAULT_CAPTURE_FRAMES,
    readonly maxBytes = DEFAULT_CAPTURE_BYTES,
  ) {
    if (!(maxFrames >= 1)) throw new RangeError('a capture needs room for at least one frame');
    this.ring = new Array<CapturedFrame | undefined>(maxFrames);
  }

  /** Records a frame (kept by reference: the network never modifies a frame after sending it). */
  record(frame: Uint8Array, time: number, direction: Direction): void {
    while (this.count > 0 && (this.count === this.maxFrames || this.bytes + frame.length > this.maxBytes)) {
      this.bytes -= this.ring[this.start]?.frame.length ?? 0;
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.maxFrames;
      this.count--;
      this.dropped++;
    }
    this.ring[(this.start + this.count) % this.maxFrames] = { time, direction, frame };
    this.count++;
    this.bytes += frame.length;
  }

  /** The recorded frames, oldest first. */
  frames(): CapturedFrame[] {
    const out: CapturedFrame[] = [];
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(this.start + i) % this.maxFrames];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Forgets every frame. */
  clear(): void {
    this.ring = new Array<CapturedFrame | undefined>(this.maxFrames);
    this.start = this.count = this.bytes = this.dropped = 0;
  }

  /** The capture as a classic pcap file; timeOffsetMs turns the recorded clock into Unix time. */
  toPcap(timeOffsetMs = 0): Uint8Array {
    const parts = [pcapHeader(), ...this.frames().map((f) => pcapRecord(f.frame, f.time + timeOffsetMs))];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** The 24-byte global header of a classic pcap file of Ethernet frames (little-endian). */
export function pcapHeader(): Uint8Array {
  const bytes = new Uint8Array(PCAP_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, PCAP_VERSION_MAJOR, true);
  view.setUint16(6, PCAP_VERSION_MINOR, true);
  view.setUint32(16, PCAP_SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  return bytes;
}

/** One pcap record: a frame captured at timeMs (Unix time in ms, fractions kept to the microsecond). */
export function pcapRecord(frame: Uint8Array, timeMs: number): Uint8Array {
  const length = Math.min(frame.length, PCAP_SNAPLEN);
  const bytes = new Uint8Array(PCAP_RECORD_HEADER_BYTES + length);
  const view = new DataView(bytes.buffer);
  const micros = Math.max(0, Math.round(timeMs * 1000));
  view.setUint32(0, Math.floor(micros / 1_000_000), true);
  view.setUint32(4, micros % 1_000_000, true);
  view.setUint32(8, length, true);
  view.setUint32(12, frame.length, true);
  bytes.set(frame.subarray(0, length), PCAP_RECORD_HEADER_BYTES);
  return bytes;
}

function summarizeUdp(payload: Uint8Array, src: Ip, dst: Ip): string {
  const udp = parseUdp(payload, src, dst);
  if (!udp) return `UDP ${formatIp(src)} → ${formatIp(dst)} (malformed)`;
  const ports = [udp.srcPort, udp.dstPort];
  if (ports.includes(DHCP_SERVER_PORT) && ports.includes(DHCP_CLIENT_PORT)) {
    const dhcp = parseDhcp(udp.payload);
    if (!dhcp) return 'DHCP (malformed)';
    const name = `DHCP ${dhcpTypeName(dhcp.messageType)}`;
    if (dhcp.messageType === DHCP_OFFER || dhcp.messageType === DHCP_ACK)
      return `${name} ${formatIp(dhcp.yiaddr ?? 0)}`;
    if (dhcp.messageType === DHCP_REQUEST && dhcp.requestedIp !== undefined)
      return `${name} ${formatIp(dhcp.requestedIp)}`;
    return name;
  }
  if (ports.includes(DNS_PORT)) {
    const dns = parseDns(udp.payload);
    const question = dns?.questions[0];
    if (!dns || !question) return 'DNS (malformed)';
    const query = `${dnsTypeName(question.type)} ${question.name}`;
    if (!(dns.flags & DNS_FLAG_QR)) return `DNS ${query}`;
    const rcode = dns.flags & 0xf;
    if (rcode !== 0) return `DNS response ${dnsRcodeName(rcode)} ${question.name}`;
    const a = dns.answers.find((r) => r.type === DNS_TYPE_A && r.data.length === 4);
    return `DNS response ${query}${a ? ` → ${formatIp(readIp(a.data, 0))}` : ''}`;
  }
  return `UDP ${formatIp(src)}:${udp.srcPort} → ${formatIp(dst)}:${udp.dstPort} len=${udp.payload.length}`;
}

function summarizeIpv4(bytes: Uint8Array): string {
  const packet = parseIpv4(bytes);
  if (!packet) return 'IPv4 (malformed)';
  const { src, dst, payload } = packet;
  const route = `${formatIp(src)} → ${formatIp(dst)}`;
  if (packet.moreFragments || packet.fragmentOffset) return `IPv4 ${route} fragment`;
  if (packet.protocol === IP_PROTOCOL_ICMP) {
    const icmp = parseIcmp(payload);
    if (!icmp) return `ICMP ${route} (malformed)`;
    if (icmp.type === ICMP_ECHO_REQUEST) return `ICMP echo request ${route} id=${icmp.id} seq=${icmp.seq}`;
    if (icmp.type === ICMP_ECHO_REPLY) return `ICMP echo reply ${route} id=${icmp.id} seq=${icmp.seq}`;
    return `ICMP ${route} type=${icmp.type} code=${icmp.code}`;
  }
  if (packet.protocol === IP_PROTOCOL_UDP) return summarizeUdp(payload, src, dst);
  if (packet.protocol === IP_PROTOCOL_TCP) {
    const tcp = parseTcp(payload, src, dst);
    if (!tcp) return `TCP ${route} (malformed)`;
    const ack = tcp.flags & TCP_ACK ? ` ack=${tcp.ack}` : '';
    const mss = tcp.options?.mss !== undefined ? ` mss=${tcp.options.mss}` : '';
    return (
      `TCP ${formatIp(src)}:${tcp.srcPort} → ${formatIp(dst)}:${tcp.dstPort} [${formatTcpFlags(tcp.flags)}]` +
      ` seq=${tcp.seq}${ack} win=${tcp.window} len=${tcp.payload.length}${mss}`
    );
  }
  return `IPv4 ${route} protocol=${packet.protocol}`;
}

/** A one-line description of a frame, like Wireshark's info column. */
export function summarize(frame: Uint8Array): string {
  const eth = parseEthernet(frame);
  if (!eth) return `Ethernet (malformed, ${frame.length} bytes)`;
  if (eth.type === ETHERTYPE_IPV4) return summarizeIpv4(eth.payload);
  if (eth.type === ETHERTYPE_ARP) {
    const arp = parseArp(eth.payload);
    if (!arp) return 'ARP (malformed)';
    if (arp.op === ARP_REQUEST) return `ARP who-has ${formatIp(arp.targetIp)} tell ${formatIp(arp.senderIp)}`;
    if (arp.op === ARP_REPLY) return `ARP ${formatIp(arp.senderIp)} is-at ${arp.senderMac}`;
    return `ARP op=${arp.op}`;
  }
  if (eth.type === ETHERTYPE_IPV6) return `IPv6 ${eth.src} → ${eth.dst}`;
  return `Ethernet ${eth.src} → ${eth.dst} type=0x${eth.type.toString(16).padStart(4, '0')}`;
}
