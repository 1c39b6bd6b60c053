import { checksum } from './checksum.ts';

/** An IPv4 address as an unsigned 32-bit number (10.0.2.15 is 0x0a00020f). */
export type Ip = number;

export const IPV4_HEADER_BYTES = 20;
export const IP_PROTOCOL_ICMP = 1;
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;
export const IP_BROADCAST: Ip = 0xffffffff;
const DEFAULT_TTL = 64;

const VERSION_IHL = 0;
const TOS = 1;
const TOTAL_LENGTH = 2;
const ID = 4;
const FLAGS_FRAGMENT = 6;
const TTL = 8;
const PROTOCOL = 9;
const CHECKSUM = 10;
const SRC = 12;
const DST = 16;
const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;

/** An IPv4 packet; options are skipped on parse and never emitted. */
export interface Ipv4Packet {
  src: Ip;
  dst: Ip;
  protocol: number;
  ttl?: number;
  id?: number;
  tos?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In bytes. */
  fragmentOffset?: number;
  payload: Uint8Array;
}

/** Makes an address from its four dotted parts. */
export function ip(a: number, b: number, c: number, d: number): Ip {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Formats an address as dotted decimal. */
export function formatIp(addr: Ip): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

/** Parses dotted decimal; null if it is not an IPv4 address. */
export function parseIp(text: string): Ip | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return null;
  return ip(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** Reads a big-endian address at offset (the caller checks the length). */
export function readIp(bytes: Uint8Array, offset: number): Ip {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** Writes a big-endian address at offset. */
export function writeIp(bytes: Uint8Array, offset: number, addr: Ip): void {
  bytes[offset] = addr >>> 24;
  bytes[offset + 1] = addr >>> 16;
  bytes[offset + 2] = addr >>> 8;
  bytes[offset + 3] = addr;
}

/** Parses an IPv4 packet; null unless version, lengths and header checksum are valid. */
export function parseIpv4(bytes: Uint8Array): Ipv4Packet | null {
  if (bytes.length < IPV4_HEADER_BYTES || bytes[VERSION_IHL] >> 4 !== 4) return null;
  const headerLength = (bytes[VERSION_IHL] & 0x0f) * 4;
  const totalLength = (bytes[TOTAL_LENGTH] << 8) | bytes[TOTAL_LENGTH + 1];
  if (headerLength < IPV4_HEADER_BYTES || totalLength < headerLength || totalLength > bytes.length) return null;
  if (checksum(bytes.subarray(0, headerLength)) !== 0) return null;
  const flags = (bytes[FLAGS_FRAGMENT] << 8) | bytes[FLAGS_FRAGMENT + 1];
  return {
    src: readIp(bytes, SRC),
    dst: readIp(bytes, DST),
    protocol: bytes[PROTOCOL],
    ttl: bytes[TTL],
    id: (bytes[ID] << 8) | bytes[ID + 1],
    tos: bytes[TOS],
    dontFragment: (flags & FLAG_DONT_FRAGMENT) !== 0,
    moreFragments: (flags & FLAG_MORE_FRAGMENTS) !== 0,
    fragmentOffset: (flags & FRAGMENT_OFFSET_MASK) * 8,
    // Ethernet padding beyond the total length is not payload.
    payload: bytes.subarray(headerLength, totalLength),
  };
}

/** Emits an IPv4 packet with a 20-byte header and its checksum. */
export function emitIpv4(packet: Ipv4Packet): Uint8Array {
  const totalLength = IPV4_HEADER_BYTES + packet.payload.length;
  if (totalLength > 0xffff) throw new RangeError(`IPv4 packet of ${totalLength} bytes`);
  const bytes = new Uint8Array(totalLength);
  bytes[VERSION_IHL] = 0x45;
  bytes[TOS] = packet.tos ?? 0;
  bytes[TOTAL_LENGTH] = totalLength >> 8;
  bytes[TOTAL_LENGTH + 1] = totalLength & 0xff;
  const id = packet.id ?? 0;
  bytes[ID] = id >> 8;
  bytes[ID + 1] = id & 0xff;
  const flags =
    (packet.dontFragment ? FLAG_DONT_FRAGMENT : 0) |
    (packet.moreFragments ? FLAG_MORE_FRAGMENTS : 0) |
    ((packet.fragmentOffset ?? 0) / 8);
  bytes[FLAGS_FRAGMENT] = flags >> 8;
  bytes[FLAGS_FRAGMENT + 1] = flags & 0xff;
  bytes[TTL] = packet.ttl ?? DEFAULT_TTL;
  bytes[PROTOCOL] = packet.protocol;
  writeIp(bytes, SRC, packet.src);
  writeIp(bytes, DST, packet.dst);
  const sum = checksum(bytes.subarray(0, IPV4_HEADER_BYTES));
  bytes[CHECKSUM] = sum >> 8;
  bytes[CHECKSUM + 1] = sum & 0xff;
  bytes.set(packet.payload, IPV4_HEADER_BYTES);
  return bytes;
}
