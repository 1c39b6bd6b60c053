import { checksum, pseudoHeaderSum } from './checksum.ts';
import { IP_PROTOCOL_UDP, type Ip } from './ipv4.ts';

export const UDP_HEADER_BYTES = 8;

const SRC_PORT = 0;
const DST_PORT = 2;
const LENGTH = 4;
const CHECKSUM = 6;

/** A UDP datagram. */
export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** Parses a UDP datagram sent from src to dst; null if lengths or the checksum (when present) are wrong. */
export function parseUdp(bytes: Uint8Array, src: Ip, dst: Ip): UdpDatagram | null {
  if (bytes.length < UDP_HEADER_BYTES) return null;
  const length = (bytes[LENGTH] << 8) | bytes[LENGTH + 1];
  if (length < UDP_HEADER_BYTES || length > bytes.length) return null;
  const datagram = bytes.subarray(0, length);
  const sent = (bytes[CHECKSUM] << 8) | bytes[CHECKSUM + 1];
  // A zero checksum means the sender did not compute one.
  if (sent !== 0 && checksum(datagram, pseudoHeaderSum(src, dst, IP_PROTOCOL_UDP, length)) !== 0) return null;
  return {
    srcPort: (bytes[SRC_PORT] << 8) | bytes[SRC_PORT + 1],
    dstPort: (bytes[DST_PORT] << 8) | bytes[DST_PORT + 1],
    payload: datagram.subarray(UDP_HEADER_BYTES),
  };
}

/** Emits a UDP datagram from src to dst with its checksum. */
export function emitUdp(datagram: UdpDatagram, src: Ip, dst: Ip): Uint8Array {
  const length = UDP_HEADER_BYTES + datagram.payload.length;
  const bytes = new Uint8Array(length);
  bytes[SRC_PORT] = datagram.srcPort >> 8;
  bytes[SRC_PORT + 1] = datagram.srcPort & 0xff;
  bytes[DST_PORT] = datagram.dstPort >> 8;
  bytes[DST_PORT + 1] = datagram.dstPort & 0xff;
  bytes[LENGTH] = length >> 8;
  bytes[LENGTH + 1] = length & 0xff;
  bytes.set(datagram.payload, UDP_HEADER_BYTES);
  // 0 on the wire means "no checksum", so a computed 0 is sent as 0xffff.
  const sum = checksum(bytes, pseudoHeaderSum(src, dst, IP_PROTOCOL_UDP, length)) || 0xffff;
  bytes[CHECKSUM] = sum >> 8;
  bytes[CHECKSUM + 1] = sum & 0xff;
  return bytes;
}
