import { readMac, writeMac, type Mac } from './ethernet.ts';
import { readIp, writeIp, type Ip } from './ipv4.ts';

export const ARP_BYTES = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

const HTYPE = 0;
const PTYPE = 2;
const HLEN = 4;
const PLEN = 5;
const OP = 6;
const SENDER_MAC = 8;
const SENDER_IP = 14;
const TARGET_MAC = 18;
const TARGET_IP = 24;
const HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

/** An ARP packet for IPv4 over Ethernet. */
export interface ArpPacket {
  op: number;
  senderMac: Mac;
  senderIp: Ip;
  targetMac: Mac;
  targetIp: Ip;
}

/** Parses an ARP packet; null unless it maps IPv4 to Ethernet addresses. */
export function parseArp(bytes: Uint8Array): ArpPacket | null {
  if (bytes.length < ARP_BYTES) return null;
  const htype = (bytes[HTYPE] << 8) | bytes[HTYPE + 1];
  const ptype = (bytes[PTYPE] << 8) | bytes[PTYPE + 1];
  if (htype !== HTYPE_ETHERNET || ptype !== PTYPE_IPV4 || bytes[HLEN] !== 6 || bytes[PLEN] !== 4) return null;
  return {
    op: (bytes[OP] << 8) | bytes[OP + 1],
    senderMac: readMac(bytes, SENDER_MAC),
    senderIp: readIp(bytes, SENDER_IP),
    targetMac: readMac(bytes, TARGET_MAC),
    targetIp: readIp(bytes, TARGET_IP),
  };
}

/** Emits an ARP packet. */
export function emitArp(arp: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(ARP_BYTES);
  bytes[HTYPE + 1] = HTYPE_ETHERNET;
  bytes[PTYPE] = PTYPE_IPV4 >> 8;
  bytes[HLEN] = 6;
  bytes[PLEN] = 4;
  bytes[OP] = arp.op >> 8;
  bytes[OP + 1] = arp.op & 0xff;
  writeMac(bytes, SENDER_MAC, arp.senderMac);
  writeIp(bytes, SENDER_IP, arp.senderIp);
  writeMac(bytes, TARGET_MAC, arp.targetMac);
  writeIp(bytes, TARGET_IP, arp.targetIp);
  return bytes;
}
