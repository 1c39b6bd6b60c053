import { readMac, writeMac, type Mac } from './ethernet.ts';
import { readIp, writeIp, type Ip } from './ipv4.ts';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_DECLINE = 4;
export const DHCP_ACK = 5;
export const DHCP_NAK = 6;
export const DHCP_RELEASE = 7;
export const DHCP_INFORM = 8;

/** A DHCP flag: the client cannot receive unicast before it is configured. */
export const DHCP_FLAG_BROADCAST = 0x8000;

const MESSAGE_TYPE_NAMES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

const OP = 0;
const HTYPE = 1;
const HLEN = 2;
const XID = 4;
const SECS = 8;
const FLAGS = 10;
const CIADDR = 12;
const YIADDR = 16;
const SIADDR = 20;
const GIADDR = 24;
const CHADDR = 28;
const COOKIE = 236;
const OPTIONS = 240;
const MAGIC_COOKIE = 0x63825363;
const HTYPE_ETHERNET = 1;
/** BOOTP relays and old clients expect at least this many bytes. */
const BOOTP_MIN_BYTES = 300;

const OPT_PAD = 0;
const OPT_SUBNET_MASK = 1;
const OPT_ROUTER = 3;
const OPT_DNS = 6;
const OPT_HOSTNAME = 12;
const OPT_REQUESTED_IP = 50;
const OPT_LEASE_TIME = 51;
const OPT_MESSAGE_TYPE = 53;
const OPT_SERVER_ID = 54;
const OPT_PARAMETER_LIST = 55;
const OPT_END = 255;

/** A DHCP message with the options this server reads or writes. */
export interface DhcpMessage {
  op: number;
  xid: number;
  secs?: number;
  flags?: number;
  ciaddr?: Ip;
  yiaddr?: Ip;
  siaddr?: Ip;
  giaddr?: Ip;
  chaddr: Mac;
  messageType: number;
  requestedIp?: Ip;
  serverId?: Ip;
  /** In seconds. */
  leaseTime?: number;
  subnetMask?: Ip;
  router?: Ip;
  dnsServers?: Ip[];
  hostname?: string;
  parameterList?: number[];
}

/** The name of a DHCP message type, e.g. 'DISCOVER'. */
export function dhcpTypeName(type: number): string {
  return MESSAGE_TYPE_NAMES[type] ?? `type ${type}`;
}

/** Parses a DHCP message; null for plain BOOTP, a wrong cookie or malformed options. */
export function parseDhcp(bytes: Uint8Array): DhcpMessage | null {
  if (bytes.length < OPTIONS || bytes[HTYPE] !== HTYPE_ETHERNET || bytes[HLEN] !== 6) return null;
  if (readIp(bytes, COOKIE) !== MAGIC_COOKIE) return null;
  const message: DhcpMessage = {
    op: bytes[OP],
    xid: readIp(bytes, XID),
    secs: (bytes[SECS] << 8) | bytes[SECS + 1],
    flags: (bytes[FLAGS] << 8) | bytes[FLAGS + 1],
    ciaddr: readIp(bytes, CIADDR),
    yiaddr: readIp(bytes, YIADDR),
    siaddr: readIp(bytes, SIADDR),
    giaddr: readIp(bytes, GIADDR),
    chaddr: readMac(bytes, CHADDR),
    messageType: 0,
  };
  let i = OPTIONS;
  while (i < bytes.length) {
    const code = bytes[i];
    if (code === OPT_END) break;
    if (code === OPT_PAD) {
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) return null;
    const length = bytes[i + 1];
    const start = i + 2;
    if (start + length > bytes.length) return null;
    const value = bytes.subarray(start, start + length);
    if (code === OPT_MESSAGE_TYPE && length === 1) message.messageType = value[0];
    if (code === OPT_REQUESTED_IP && length === 4) message.requestedIp = readIp(value, 0);
    if (code === OPT_SERVER_ID && length === 4) message.serverId = readIp(value, 0);
    if (code === OPT_LEASE_TIME && length === 4) message.leaseTime = readIp(value, 0);
    if (code === OPT_SUBNET_MASK && length === 4) message.subnetMask = readIp(value, 0);
    if (code === OPT_ROUTER && length >= 4) message.router = readIp(value, 0);
    if (code === OPT_DNS && length >= 4 && length % 4 === 0) {
      message.dnsServers = Array.from({ length: length / 4 }, (_, k) => readIp(value, k * 4));
    }
    if (code === OPT_HOSTNAME && length > 0) message.hostname = String.fromCharCode(...value);
    if (code === OPT_PARAMETER_LIST) message.parameterList = [...value];
    i = start + length;
  }
  return message.messageType === 0 ? null : message;
}

function ipOption(code: number, addr: Ip): number[] {
  return [code, 4, addr >>> 24, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff];
}

/** Emits a DHCP message, padded to the BOOTP minimum of 300 bytes. */
export function emitDhcp(message: DhcpMessage): Uint8Array {
  const options: number[] = [OPT_MESSAGE_TYPE, 1, message.messageType];
  if (message.serverId !== undefined) options.push(...ipOption(OPT_SERVER_ID, message.serverId));
  if (message.requestedIp !== undefined) options.push(...ipOption(OPT_REQUESTED_IP, message.requestedIp));
  if (message.leaseTime !== undefined) options.push(...ipOption(OPT_LEASE_TIME, message.leaseTime));
  if (message.subnetMask !== undefined) options.push(...ipOption(OPT_SUBNET_MASK, message.subnetMask));
  if (message.router !== undefined) options.push(...ipOption(OPT_ROUTER, message.router));
  if (message.dnsServers?.length) {
    options.push(OPT_DNS, message.dnsServers.length * 4);
    for (const dns of message.dnsServers) options.push(...ipOption(0, dns).slice(2));
  }
  if (message.hostname !== undefined) {
    const name = [...message.hostname].map((c) => c.charCodeAt(0) & 0xff).slice(0, 255);
    options.push(OPT_HOSTNAME, name.length, ...name);
  }
  if (message.parameterList) options.push(OPT_PARAMETER_LIST, message.parameterList.length, ...message.parameterList);
  options.push(OPT_END);
  const bytes = new Uint8Array(Math.max(OPTIONS + options.length, BOOTP_MIN_BYTES));
  bytes[OP] = message.op;
  bytes[HTYPE] = HTYPE_ETHERNET;
  bytes[HLEN] = 6;
  writeIp(bytes, XID, message.xid);
  bytes[SECS] = (message.secs ?? 0) >> 8;
  bytes[SECS + 1] = (message.secs ?? 0) & 0xff;
  bytes[FLAGS] = (message.flags ?? 0) >> 8;
  bytes[FLAGS + 1] = (message.flags ?? 0) & 0xff;
  writeIp(bytes, CIADDR, message.ciaddr ?? 0);
  writeIp(bytes, YIADDR, message.yiaddr ?? 0);
  writeIp(bytes, SIADDR, message.siaddr ?? 0);
  writeIp(bytes, GIADDR, message.giaddr ?? 0);
  writeMac(bytes, CHADDR, message.chaddr);
  writeIp(bytes, COOKIE, MAGIC_COOKIE);
  bytes.set(options, OPTIONS);
  return bytes;
}
