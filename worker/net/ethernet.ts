/** A MAC address in lower-case colon form, e.g. '52:55:0a:00:02:02'. */
export type Mac = string;

export const ETHERNET_HEADER_BYTES = 14;
/** Frames shorter than this (without the FCS) are padded, as a real NIC would. */
export const ETHERNET_MIN_FRAME_BYTES = 60;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';

const DST = 0;
const SRC = 6;
const TYPE = 12;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** An Ethernet II frame. */
export interface EthernetFrame {
  dst: Mac;
  src: Mac;
  type: number;
  payload: Uint8Array;
}

/** Reads the MAC address at offset (the caller checks the length). */
export function readMac(bytes: Uint8Array, offset: number): Mac {
  let mac = HEX[bytes[offset]];
  for (let i = 1; i < 6; i++) mac += ':' + HEX[bytes[offset + i]];
  return mac;
}

/** Writes a MAC address at offset. */
export function writeMac(bytes: Uint8Array, offset: number, mac: Mac): void {
  const parts = mac.split(':');
  if (parts.length !== 6) throw new RangeError(`not a MAC address: ${mac}`);
  for (let i = 0; i < 6; i++) bytes[offset + i] = parseInt(parts[i], 16);
}

/** Parses an Ethernet II frame; null if it is too short. */
export function parseEthernet(bytes: Uint8Array): EthernetFrame | null {
  if (bytes.length < ETHERNET_HEADER_BYTES) return null;
  return {
    dst: readMac(bytes, DST),
    src: readMac(bytes, SRC),
    type: (bytes[TYPE] << 8) | bytes[TYPE + 1],
    payload: bytes.subarray(ETHERNET_HEADER_BYTES),
  };
}

/** Emits an Ethernet II frame, padded to the 60-byte minimum. */
export function emitEthernet(frame: EthernetFrame): Uint8Array {
  const length = Math.max(ETHERNET_HEADER_BYTES + frame.payload.length, ETHERNET_MIN_FRAME_BYTES);
  const bytes = new Uint8Array(length);
  writeMac(bytes, DST, frame.dst);
  writeMac(bytes, SRC, frame.src);
  bytes[TYPE] = frame.type >> 8;
  bytes[TYPE + 1] = frame.type & 0xff;
  bytes.set(frame.payload, ETHERNET_HEADER_BYTES);
  return bytes;
}
