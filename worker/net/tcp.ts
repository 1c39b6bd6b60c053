import { checksum, pseudoHeaderSum } from './checksum.ts';
import { IP_PROTOCOL_TCP, type Ip } from './ipv4.ts';

export const TCP_HEADER_BYTES = 20;
const TCP_MAX_HEADER_BYTES = 60;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

const SRC_PORT = 0;
const DST_PORT = 2;
const SEQ = 4;
const ACK = 8;
const DATA_OFFSET = 12;
const FLAGS = 13;
const WINDOW = 14;
const CHECKSUM = 16;
const URGENT = 18;

const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;
const OPTION_WINDOW_SCALE = 3;
const OPTION_SACK_PERMITTED = 4;
const OPTION_TIMESTAMPS = 8;

/** The TCP options this stack understands; others are skipped. */
export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  timestamps?: { value: number; echo: number };
}

/** A TCP segment. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  urgent?: number;
  options?: TcpOptions;
  payload: Uint8Array;
}

/** a + n modulo 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** The signed distance a - b in sequence space (valid for distances under 2^31). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b in sequence space. */
export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

/** a <= b in sequence space. */
export function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

/** a > b in sequence space. */
export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function putU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

function parseOptions(bytes: Uint8Array): TcpOptions | null {
  const options: TcpOptions = {};
  let i = 0;
  while (i < bytes.length) {
    const kind = bytes[i];
    if (kind === OPTION_END) break;
    if (kind === OPTION_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) return null;
    const length = bytes[i + 1];
    if (length < 2 || i + length > bytes.length) return null;
    if (kind === OPTION_MSS && length === 4) options.mss = (bytes[i + 2] << 8) | bytes[i + 3];
    if (kind === OPTION_WINDOW_SCALE && length === 3) options.windowScale = bytes[i + 2];
    if (kind === OPTION_SACK_PERMITTED && length === 2) options.sackPermitted = true;
    if (kind === OPTION_TIMESTAMPS && length === 10) {
      options.timestamps = { value: u32(bytes, i + 2), echo: u32(bytes, i + 6) };
    }
    i += length;
  }
  return options;
}

function emitOptions(options: TcpOptions): number[] {
  const out: number[] = [];
  if (options.mss !== undefined) out.push(OPTION_MSS, 4, options.mss >> 8, options.mss & 0xff);
  if (options.windowScale !== undefined) out.push(OPTION_NOP, OPTION_WINDOW_SCALE, 3, options.windowScale);
  if (options.sackPermitted) out.push(OPTION_NOP, OPTION_NOP, OPTION_SACK_PERMITTED, 2);
  if (options.timestamps) {
    const t = new Uint8Array(8);
    putU32(t, 0, options.timestamps.value);
    putU32(t, 4, options.timestamps.echo);
    out.push(OPTION_NOP, OPTION_NOP, OPTION_TIMESTAMPS, 10, ...t);
  }
  return out;
}

/** Parses a TCP segment sent from src to dst; null if lengths, options or the checksum are wrong. */
export function parseTcp(bytes: Uint8Array, src: Ip, dst: Ip): TcpSegment | null {
  if (bytes.length < TCP_HEADER_BYTES) return null;
  const headerLength = (bytes[DATA_OFFSET] >> 4) * 4;
  if (headerLength < TCP_HEADER_BYTES || headerLength > bytes.length) return null;
  if (checksum(bytes, pseudoHeaderSum(src, dst, IP_PROTOCOL_TCP, bytes.length)) !== 0) return null;
  const options = parseOptions(bytes.subarray(TCP_HEADER_BYTES, headerLength));
  if (!options) return null;
  return {
    srcPort: (bytes[SRC_PORT] << 8) | bytes[SRC_PORT + 1],
    dstPort: (bytes[DST_PORT] << 8) | bytes[DST_PORT + 1],
    seq: u32(bytes, SEQ),
    ack: u32(bytes, ACK),
    flags: bytes[FLAGS] & 0x3f,
    window: (bytes[WINDOW] << 8) | bytes[WINDOW + 1],
    urgent: (bytes[URGENT] << 8) | bytes[URGENT + 1],
    options,
    payload: bytes.subarray(headerLength),
  };
}

/** Emits a TCP segment from src to dst with its options (padded with NOPs) and checksum. */
export function emitTcp(segment: TcpSegment, src: Ip, dst: Ip): Uint8Array {
  const options = emitOptions(segment.options ?? {});
  while (options.length % 4 !== 0) options.push(OPTION_NOP);
  const headerLength = TCP_HEADER_BYTES + options.length;
  if (headerLength > TCP_MAX_HEADER_BYTES) throw new RangeError('TCP options too long');
  const bytes = new Uint8Array(headerLength + segment.payload.length);
  bytes[SRC_PORT] = segment.srcPort >> 8;
  bytes[SRC_PORT + 1] = segment.srcPort & 0xff;
  bytes[DST_PORT] = segment.dstPort >> 8;
  bytes[DST_PORT + 1] = segment.dstPort & 0xff;
  putU32(bytes, SEQ, segment.seq);
  putU32(bytes, ACK, segment.ack);
  bytes[DATA_OFFSET] = (headerLength / 4) << 4;
  bytes[FLAGS] = segment.flags;
  bytes[WINDOW] = segment.window >> 8;
  bytes[WINDOW + 1] = segment.window & 0xff;
  const urgent = segment.urgent ?? 0;
  bytes[URGENT] = urgent >> 8;
  bytes[URGENT + 1] = urgent & 0xff;
  bytes.set(options, TCP_HEADER_BYTES);
  bytes.set(segment.payload, headerLength);
  const sum = checksum(bytes, pseudoHeaderSum(src, dst, IP_PROTOCOL_TCP, bytes.length));
  bytes[CHECKSUM] = sum >> 8;
  bytes[CHECKSUM + 1] = sum & 0xff;
  return bytes;
}

/** Names the flags as Wireshark does, e.g. 'SYN, ACK'. */
export function formatTcpFlags(flags: number): string {
  const names: string[] = [];
  if (flags & TCP_FIN) names.push('FIN');
  if (flags & TCP_SYN) names.push('SYN');
  if (flags & TCP_RST) names.push('RST');
  if (flags & TCP_PSH) names.push('PSH');
  if (flags & TCP_ACK) names.push('ACK');
  if (flags & TCP_URG) names.push('URG');
  return names.join(', ');
}
