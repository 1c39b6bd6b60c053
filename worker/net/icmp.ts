import { checksum } from './checksum.ts';

export const ICMP_HEADER_BYTES = 8;
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;

const TYPE = 0;
const CODE = 1;
const CHECKSUM = 2;
const ID = 4;
const SEQ = 6;

/** An ICMP message; id and seq are the rest-of-header words (meaningful for echo). */
export interface IcmpMessage {
  type: number;
  code: number;
  id: number;
  seq: number;
  payload: Uint8Array;
}

/** Parses an ICMP message; null if it is too short or its checksum is wrong. */
export function parseIcmp(bytes: Uint8Array): IcmpMessage | null {
  if (bytes.length < ICMP_HEADER_BYTES || checksum(bytes) !== 0) return null;
  return {
    type: bytes[TYPE],
    code: bytes[CODE],
    id: (bytes[ID] << 8) | bytes[ID + 1],
    seq: (bytes[SEQ] << 8) | bytes[SEQ + 1],
    payload: bytes.subarray(ICMP_HEADER_BYTES),
  };
}

/** Emits an ICMP message with its checksum. */
export function emitIcmp(message: IcmpMessage): Uint8Array {
  const bytes = new Uint8Array(ICMP_HEADER_BYTES + message.payload.length);
  bytes[TYPE] = message.type;
  bytes[CODE] = message.code;
  bytes[ID] = message.id >> 8;
  bytes[ID + 1] = message.id & 0xff;
  bytes[SEQ] = message.seq >> 8;
  bytes[SEQ + 1] = message.seq & 0xff;
  bytes.set(message.payload, ICMP_HEADER_BYTES);
  const sum = checksum(bytes);
  bytes[CHECKSUM] = sum >> 8;
  bytes[CHECKSUM + 1] = sum & 0xff;
  return bytes;
}
