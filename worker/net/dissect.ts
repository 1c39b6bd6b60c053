// Frames taken apart for people: a one-line summary (Wireshark's info column), tags a filter can match, and
// the layers with their fields. Built on the stack's own parsers, so what it shows is what the stack sees.
import { ARP_REPLY, ARP_REQUEST, parseArp, type ArpPacket } from './arp.ts';
import {
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_OFFER,
  DHCP_REQUEST,
  DHCP_SERVER_PORT,
  dhcpTypeName,
  parseDhcp,
  type DhcpMessage,
} from './dhcp.ts';
import {
  DNS_FLAG_QR,
  DNS_PORT,
  DNS_TYPE_A,
  dnsRcodeName,
  dnsTypeName,
  parseDns,
  type DnsMessage,
  type DnsRecord,
} from './dns.ts';
import { ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet, type EthernetFrame } from './ethernet.ts';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmp, type IcmpMessage } from './icmp.ts';
import {
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  formatIp,
  parseIpv4,
  readIp,
  type Ipv4Packet,
} from './ipv4.ts';
import { TCP_ACK, formatTcpFlags, parseTcp, type TcpSegment } from './tcp.ts';
import { UDP_HEADER_BYTES, parseUdp, type UdpDatagram } from './udp.ts';

const ETHERTYPE_IPV6 = 0x86dd;
/** An HTTP start line longer than this is not recognised (the guest's own limit is 1024 for the target). */
const HTTP_LINE_MAX = 2048;
const HTTP_REQUEST_LINE = /^([A-Z][A-Z_-]*) (\S+) HTTP\/1\.[01]$/;
const HTTP_STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;
const CR = 0x0d;
const LF = 0x0a;
/** Bytes per hex dump row. */
export const HEX_ROW_BYTES = 16;

/** What a list of frames shows and filters on. */
export interface FrameInfo {
  /** The highest layer understood, e.g. 'HTTP', 'TCP', 'ARP'. */
  protocol: string;
  /** One line, starting with the protocol, e.g. 'ARP who-has 10.0.2.2 tell 10.0.2.15'. */
  summary: string;
  /** Every layer's tag, lower case, e.g. ['eth', 'ip', 'tcp', 'http']. */
  tags: string[];
  /** The UDP or TCP ports, source first; empty for other frames. */
  ports: number[];
}

/** One decoded layer: a title line and its fields, and where its bytes are in the frame. */
export interface Layer {
  name: string;
  title: string;
  fields: [string, string][];
  /** Its bytes are frame[start, end). */
  start: number;
  end: number;
}

/** The head of an HTTP message that starts in a TCP segment. */
export interface HttpHead {
  firstLine: string;
  request?: { method: string; target: string };
  response?: { status: number; reason: string };
  /** The header lines in this segment. */
  headers: [string, string][];
  /** Whether the segment holds the whole head (up to the empty line). */
  complete: boolean;
}

/** Every layer of a frame as parsed; null where a layer is malformed, undefined where there is none. */
interface Stack {
  frame: Uint8Array;
  eth: EthernetFrame | null;
  arp?: ArpPacket | null;
  ipv6?: boolean;
  ip?: Ipv4Packet | null;
  fragment?: boolean;
  icmp?: IcmpMessage | null;
  udp?: UdpDatagram | null;
  tcp?: TcpSegment | null;
  dhcp?: DhcpMessage | null;
  dns?: DnsMessage | null;
  http?: HttpHead;
}

function parseStack(frame: Uint8Array): Stack {
  const stack: Stack = { frame, eth: parseEthernet(frame) };
  const eth = stack.eth;
  if (!eth) return stack;
  if (eth.type === ETHERTYPE_ARP) stack.arp = parseArp(eth.payload);
  if (eth.type === ETHERTYPE_IPV6) stack.ipv6 = true;
  if (eth.type !== ETHERTYPE_IPV4) return stack;
  const ip = (stack.ip = parseIpv4(eth.payload));
  if (!ip) return stack;
  if (ip.moreFragments || ip.fragmentOffset) {
    stack.fragment = true;
    return stack;
  }
  if (ip.protocol === IP_PROTOCOL_ICMP) stack.icmp = parseIcmp(ip.payload);
  if (ip.protocol === IP_PROTOCOL_TCP) {
    const tcp = (stack.tcp = parseTcp(ip.payload, ip.src, ip.dst));
    const http = tcp && tcp.payload.length > 0 ? sniffHttp(tcp.payload) : null;
    if (http) stack.http = http;
  }
  if (ip.protocol === IP_PROTOCOL_UDP) {
    const udp = (stack.udp = parseUdp(ip.payload, ip.src, ip.dst));
    if (!udp) return stack;
    const ports = [udp.srcPort, udp.dstPort];
    if (ports.includes(DHCP_SERVER_PORT) && ports.includes(DHCP_CLIENT_PORT)) stack.dhcp = parseDhcp(udp.payload);
    else if (ports.includes(DNS_PORT)) stack.dns = parseDns(udp.payload);
  }
  return stack;
}

/** Reads the head of an HTTP request or response that starts at the first byte; null if it does not. */
export function sniffHttp(payload: Uint8Array): HttpHead | null {
  const firstEnd = lineEnd(payload, 0);
  if (firstEnd < 0) return null;
  const firstLine = ascii(payload, 0, firstEnd);
  const head: HttpHead = { firstLine, headers: [], complete: false };
  const request = HTTP_REQUEST_LINE.exec(firstLine);
  const response = request ? null : HTTP_STATUS_LINE.exec(firstLine);
  if (request) head.request = { method: request[1]!, target: request[2]! };
  else if (response) head.response = { status: Number(response[1]), reason: response[2] ?? '' };
  else return null;
  for (let at = firstEnd + 2; ;) {
    const end = lineEnd(payload, at);
    if (end < 0) break;
    if (end === at) {
      head.complete = true;
      break;
    }
    const line = ascii(payload, at, end);
    const colon = line.indexOf(':');
    head.headers.push(colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()]);
    at = end + 2;
  }
  return head;
}

/** Where the printable line starting at `start` ends with CRLF; -1 if it does not within HTTP_LINE_MAX. */
function lineEnd(bytes: Uint8Array, start: number): number {
  const limit = Math.min(bytes.length - 1, start + HTTP_LINE_MAX);
  for (let i = start; i < limit; i++) {
    const byte = bytes[i];
    if (byte === CR) return bytes[i + 1] === LF ? i : -1;
    if (byte < 0x20 || byte > 0x7e) return -1;
  }
  return -1;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function summarizeUdp(stack: Stack, ip: Ipv4Packet): string {
  const udp = stack.udp;
  if (!udp) return `UDP ${formatIp(ip.src)} → ${formatIp(ip.dst)} (malformed)`;
  if (stack.dhcp !== undefined) {
    const dhcp = stack.dhcp;
    if (!dhcp) return 'DHCP (malformed)';
    const name = `DHCP ${dhcpTypeName(dhcp.messageType)}`;
    if (dhcp.messageType === DHCP_OFFER || dhcp.messageType === DHCP_ACK)
      return `${name} ${formatIp(dhcp.yiaddr ?? 0)}`;
    if (dhcp.messageType === DHCP_REQUEST && dhcp.requestedIp !== undefined)
      return `${name} ${formatIp(dhcp.requestedIp)}`;
    return name;
  }
  if (stack.dns !== undefined) {
    const dns = stack.dns;
    const question = dns?.questions[0];
    if (!dns || !question) return 'DNS (malformed)';
    const query = `${dnsTypeName(question.type)} ${question.name}`;
    if (!(dns.flags & DNS_FLAG_QR)) return `DNS ${query}`;
    const rcode = dns.flags & 0xf;
    if (rcode !== 0) return `DNS response ${dnsRcodeName(rcode)} ${question.name}`;
    const a = dns.answers.find((r) => r.type === DNS_TYPE_A && r.data.length === 4);
    return `DNS response ${query}${a ? ` → ${formatIp(readIp(a.data, 0))}` : ''}`;
  }
  const route = `${formatIp(ip.src)}:${udp.srcPort} → ${formatIp(ip.dst)}:${udp.dstPort}`;
  return `UDP ${route} len=${udp.payload.length}`;
}

function summarizeIpv4(stack: Stack, ip: Ipv4Packet): string {
  const route = `${formatIp(ip.src)} → ${formatIp(ip.dst)}`;
  if (stack.fragment) return `IPv4 ${route} fragment`;
  if (stack.icmp !== undefined) {
    const icmp = stack.icmp;
    if (!icmp) return `ICMP ${route} (malformed)`;
    if (icmp.type === ICMP_ECHO_REQUEST) return `ICMP echo request ${route} id=${icmp.id} seq=${icmp.seq}`;
    if (icmp.type === ICMP_ECHO_REPLY) return `ICMP echo reply ${route} id=${icmp.id} seq=${icmp.seq}`;
    return `ICMP ${route} type=${icmp.type} code=${icmp.code}`;
  }
  if (stack.udp !== undefined) return summarizeUdp(stack, ip);
  if (stack.tcp !== undefined) {
    const tcp = stack.tcp;
    if (!tcp) return `TCP ${route} (malformed)`;
    const http = stack.http;
    if (http?.request) return `HTTP ${http.request.method} ${http.request.target}`;
    if (http?.response) return `HTTP ${http.response.status} ${http.response.reason}`.trimEnd();
    const ack = tcp.flags & TCP_ACK ? ` ack=${tcp.ack}` : '';
    const mss = tcp.options?.mss !== undefined ? ` mss=${tcp.options.mss}` : '';
    const scale = tcp.options?.windowScale !== undefined ? ` wscale=${tcp.options.windowScale}` : '';
    return (
      `TCP ${formatIp(ip.src)}:${tcp.srcPort} → ${formatIp(ip.dst)}:${tcp.dstPort} [${formatTcpFlags(tcp.flags)}]` +
      ` seq=${tcp.seq}${ack} win=${tcp.window} len=${tcp.payload.length}${mss}${scale}`
    );
  }
  return `IPv4 ${route} protocol=${ip.protocol}`;
}

function summarizeStack(stack: Stack): string {
  const { eth, frame } = stack;
  if (!eth) return `Ethernet (malformed, ${frame.length} bytes)`;
  if (stack.ip !== undefined) return stack.ip ? summarizeIpv4(stack, stack.ip) : 'IPv4 (malformed)';
  if (stack.arp !== undefined) {
    const arp = stack.arp;
    if (!arp) return 'ARP (malformed)';
    if (arp.op === ARP_REQUEST) return `ARP who-has ${formatIp(arp.targetIp)} tell ${formatIp(arp.senderIp)}`;
    if (arp.op === ARP_REPLY) return `ARP ${formatIp(arp.senderIp)} is-at ${arp.senderMac}`;
    return `ARP op=${arp.op}`;
  }
  if (stack.ipv6) return `IPv6 ${eth.src} → ${eth.dst}`;
  return `Ethernet ${eth.src} → ${eth.dst} type=0x${hex(eth.type, 4)}`;
}

/** A one-line description of a frame, like Wireshark's info column. */
export function summarize(frame: Uint8Array): string {
  return summarizeStack(parseStack(frame));
}

/** The tags, highest protocol, summary and ports of a frame, for a list and its filter. */
export function frameInfo(frame: Uint8Array): FrameInfo {
  const stack = parseStack(frame);
  const layers: [unknown, string, string][] = [
    [stack.eth, 'eth', 'Ethernet'],
    [stack.arp, 'arp', 'ARP'],
    [stack.ipv6, 'ipv6', 'IPv6'],
    [stack.ip, 'ip', 'IPv4'],
    [stack.icmp, 'icmp', 'ICMP'],
    [stack.udp, 'udp', 'UDP'],
    [stack.tcp, 'tcp', 'TCP'],
    [stack.dhcp, 'dhcp', 'DHCP'],
    [stack.dns, 'dns', 'DNS'],
    [stack.http, 'http', 'HTTP'],
  ];
  const present = layers.filter(([layer]) => layer !== undefined);
  const transport = stack.tcp ?? stack.udp;
  return {
    protocol: present.at(-1)?.[2] ?? 'Ethernet',
    summary: summarizeStack(stack),
    tags: present.map(([, tag]) => tag),
    ports: transport ? [transport.srcPort, transport.dstPort] : [],
  };
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

function word(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

function ethernetLayer(eth: EthernetFrame, length: number): Layer {
  const types: Record<number, string> = { [ETHERTYPE_IPV4]: 'IPv4', [ETHERTYPE_ARP]: 'ARP', [ETHERTYPE_IPV6]: 'IPv6' };
  return {
    name: 'Ethernet',
    title: `Ethernet II, ${eth.src} → ${eth.dst}`,
    fields: [
      ['Destination', eth.dst],
      ['Source', eth.src],
      ['Type', `0x${hex(eth.type, 4)}${types[eth.type] ? ` (${types[eth.type]})` : ''}`],
      ['Frame length', `${length} bytes`],
    ],
    start: 0,
    end: ETHERNET_HEADER_BYTES,
  };
}

function arpLayer(arp: ArpPacket, start: number): Layer {
  const op = arp.op === ARP_REQUEST ? 'request' : arp.op === ARP_REPLY ? 'reply' : `op ${arp.op}`;
  return {
    name: 'ARP',
    title: `Address Resolution Protocol (${op})`,
    fields: [
      ['Opcode', `${arp.op} (${op})`],
      ['Sender MAC', arp.senderMac],
      ['Sender IP', formatIp(arp.senderIp)],
      ['Target MAC', arp.targetMac],
      ['Target IP', formatIp(arp.targetIp)],
    ],
    start,
    end: start + 28,
  };
}

function ipv4Layer(ip: Ipv4Packet, bytes: Uint8Array, start: number): Layer {
  const headerLength = (bytes[0] & 0x0f) * 4;
  const protocols: Record<number, string> = {
    [IP_PROTOCOL_ICMP]: 'ICMP',
    [IP_PROTOCOL_TCP]: 'TCP',
    [IP_PROTOCOL_UDP]: 'UDP',
  };
  const flags = [ip.dontFragment && "DF (don't fragment)", ip.moreFragments && 'MF (more fragments)'].filter(Boolean);
  return {
    name: 'IPv4',
    title: `Internet Protocol Version 4, ${formatIp(ip.src)} → ${formatIp(ip.dst)}`,
    fields: [
      ['Header length', `${headerLength} bytes`],
      ['Type of service', `0x${hex(ip.tos ?? 0, 2)}`],
      ['Total length', String(word(bytes, 2))],
      ['Identification', `0x${hex(ip.id ?? 0, 4)} (${ip.id ?? 0})`],
      ['Flags', flags.length ? flags.join(', ') : 'none'],
      ['Fragment offset', String(ip.fragmentOffset ?? 0)],
      ['Time to live', String(ip.ttl ?? 0)],
      ['Protocol', `${ip.protocol}${protocols[ip.protocol] ? ` (${protocols[ip.protocol]})` : ''}`],
      ['Header checksum', `0x${hex(word(bytes, 10), 4)} (correct)`],
      ['Source', formatIp(ip.src)],
      ['Destination', formatIp(ip.dst)],
    ],
    start,
    end: start + headerLength,
  };
}

function tcpLayer(tcp: TcpSegment, bytes: Uint8Array, start: number): Layer {
  const headerLength = bytes.length - tcp.payload.length;
  const options = tcp.options ?? {};
  const optionText = [
    options.mss !== undefined && `MSS ${options.mss}`,
    options.windowScale !== undefined && `window scale ${options.windowScale}`,
    options.sackPermitted && 'SACK permitted',
    options.timestamps && `timestamps ${options.timestamps.value}/${options.timestamps.echo}`,
  ].filter(Boolean);
  const ack = tcp.flags & TCP_ACK ? `, Ack: ${tcp.ack}` : '';
  return {
    name: 'TCP',
    title: `Transmission Control Protocol, ${tcp.srcPort} → ${tcp.dstPort}, Seq: ${tcp.seq}${ack}, Len: ${tcp.payload.length}`,
    fields: [
      ['Source port', String(tcp.srcPort)],
      ['Destination port', String(tcp.dstPort)],
      ['Sequence number', String(tcp.seq)],
      ['Acknowledgment number', tcp.flags & TCP_ACK ? String(tcp.ack) : '(not set)'],
      ['Header length', `${headerLength} bytes`],
      ['Flags', `0x${hex(tcp.flags, 3)} (${formatTcpFlags(tcp.flags) || 'none'})`],
      ['Window', String(tcp.window)],
      ['Checksum', `0x${hex(word(bytes, 16), 4)} (correct)`],
      ['Urgent pointer', String(tcp.urgent ?? 0)],
      ['Options', optionText.length ? optionText.join(', ') : 'none'],
      ['Payload', `${tcp.payload.length} bytes`],
    ],
    start,
    end: start + headerLength,
  };
}

function udpLayer(udp: UdpDatagram, bytes: Uint8Array, start: number): Layer {
  return {
    name: 'UDP',
    title: `User Datagram Protocol, ${udp.srcPort} → ${udp.dstPort}`,
    fields: [
      ['Source port', String(udp.srcPort)],
      ['Destination port', String(udp.dstPort)],
      ['Length', String(word(bytes, 4))],
      ['Checksum', word(bytes, 6) === 0 ? 'none' : `0x${hex(word(bytes, 6), 4)} (correct)`],
      ['Payload', `${udp.payload.length} bytes`],
    ],
    start,
    end: start + UDP_HEADER_BYTES,
  };
}

function icmpLayer(icmp: IcmpMessage, bytes: Uint8Array, start: number): Layer {
  const names: Record<number, string> = { [ICMP_ECHO_REQUEST]: 'echo request', [ICMP_ECHO_REPLY]: 'echo reply' };
  const name = names[icmp.type];
  return {
    name: 'ICMP',
    title: `Internet Control Message Protocol${name ? ` (${name})` : ''}`,
    fields: [
      ['Type', `${icmp.type}${name ? ` (${name})` : ''}`],
      ['Code', String(icmp.code)],
      ['Checksum', `0x${hex(word(bytes, 2), 4)} (correct)`],
      ['Identifier', String(icmp.id)],
      ['Sequence number', String(icmp.seq)],
      ['Data', `${icmp.payload.length} bytes`],
    ],
    start,
    end: start + bytes.length,
  };
}

function dhcpLayer(dhcp: DhcpMessage, start: number, end: number): Layer {
  const ip = (value: number | undefined): string => formatIp(value ?? 0);
  const optional: [string, string | undefined][] = [
    ['Requested IP', dhcp.requestedIp === undefined ? undefined : ip(dhcp.requestedIp)],
    ['Server identifier', dhcp.serverId === undefined ? undefined : ip(dhcp.serverId)],
    ['Lease time', dhcp.leaseTime === undefined ? undefined : `${dhcp.leaseTime} s`],
    ['Subnet mask', dhcp.subnetMask === undefined ? undefined : ip(dhcp.subnetMask)],
    ['Router', dhcp.router === undefined ? undefined : ip(dhcp.router)],
    ['DNS servers', dhcp.dnsServers?.map(formatIp).join(', ')],
    ['Host name', dhcp.hostname],
  ];
  return {
    name: 'DHCP',
    title: `Dynamic Host Configuration Protocol (${dhcpTypeName(dhcp.messageType)})`,
    fields: [
      ['Message type', `${dhcp.messageType} (${dhcpTypeName(dhcp.messageType)})`],
      ['Transaction ID', `0x${hex(dhcp.xid, 8)}`],
      ['Client MAC', dhcp.chaddr],
      ['Client IP', ip(dhcp.ciaddr)],
      ['Your IP', ip(dhcp.yiaddr)],
      ['Server IP', ip(dhcp.siaddr)],
      ...optional.filter((field): field is [string, string] => field[1] !== undefined),
    ],
    start,
    end,
  };
}

function dnsRecordText(record: DnsRecord): string {
  const data = record.type === DNS_TYPE_A && record.data.length === 4 ? formatIp(readIp(record.data, 0)) : '';
  return `${record.name} ${dnsTypeName(record.type)}${data ? ` ${data}` : ''} ttl=${record.ttl}`;
}

function dnsLayer(dns: DnsMessage, start: number, end: number): Layer {
  const response = (dns.flags & DNS_FLAG_QR) !== 0;
  return {
    name: 'DNS',
    title: `Domain Name System (${response ? 'response' : 'query'})`,
    fields: [
      ['Transaction ID', `0x${hex(dns.id, 4)}`],
      ['Flags', `0x${hex(dns.flags, 4)} (${response ? `response, ${dnsRcodeName(dns.flags & 0xf)}` : 'query'})`],
      ...dns.questions.map((q): [string, string] => ['Question', `${q.name} ${dnsTypeName(q.type)}`]),
      ...dns.answers.map((r): [string, string] => ['Answer', dnsRecordText(r)]),
    ],
    start,
    end,
  };
}

function httpLayer(http: HttpHead, start: number, end: number): Layer {
  const fields: [string, string][] = http.headers.map(([name, value]) => [name, value]);
  if (!http.complete) fields.push(['…', 'the head continues in the next segment']);
  return { name: 'HTTP', title: `Hypertext Transfer Protocol: ${http.firstLine}`, fields, start, end };
}

function malformed(name: string, start: number, end: number): Layer {
  return { name, title: `${name} (malformed: bad length or checksum)`, fields: [], start, end };
}

/** The layers of a frame, outermost first, as a packet analyser's detail tree shows them. */
export function dissect(frame: Uint8Array): Layer[] {
  const stack = parseStack(frame);
  const { eth } = stack;
  if (!eth) return [malformed('Ethernet', 0, frame.length)];
  const layers = [ethernetLayer(eth, frame.length)];
  const at = ETHERNET_HEADER_BYTES;
  if (stack.arp !== undefined) layers.push(stack.arp ? arpLayer(stack.arp, at) : malformed('ARP', at, frame.length));
  if (stack.ip === undefined) return layers;
  if (!stack.ip) return [...layers, malformed('IPv4', at, frame.length)];
  const ip = stack.ip;
  const ipLayer = ipv4Layer(ip, eth.payload, at);
  layers.push(ipLayer);
  const transport = ipLayer.end;
  const end = transport + ip.payload.length;
  if (stack.icmp !== undefined) {
    layers.push(stack.icmp ? icmpLayer(stack.icmp, ip.payload, transport) : malformed('ICMP', transport, end));
  }
  if (stack.tcp !== undefined) {
    if (!stack.tcp) return [...layers, malformed('TCP', transport, end)];
    const tcp = tcpLayer(stack.tcp, ip.payload, transport);
    layers.push(tcp);
    if (stack.http) layers.push(httpLayer(stack.http, tcp.end, end));
  }
  if (stack.udp !== undefined) {
    if (!stack.udp) return [...layers, malformed('UDP', transport, end)];
    const udp = udpLayer(stack.udp, ip.payload, transport);
    layers.push(udp);
    if (stack.dhcp !== undefined)
      layers.push(stack.dhcp ? dhcpLayer(stack.dhcp, udp.end, end) : malformed('DHCP', udp.end, end));
    if (stack.dns !== undefined)
      layers.push(stack.dns ? dnsLayer(stack.dns, udp.end, end) : malformed('DNS', udp.end, end));
  }
  return layers;
}

/** Where byte `i` (0-15) of a row appears in a hexDump() line: its hex digits, and its ASCII character. */
export function hexDumpColumns(i: number): { hex: number; ascii: number } {
  return { hex: 6 + i * 3 + (i >= 8 ? 1 : 0), ascii: 6 + HEX_ROW_BYTES * 3 + 2 + i };
}

/** The bytes as a hex dump, 16 a row: offset, hex, and printable ASCII ('.' for the rest). */
export function hexDump(bytes: Uint8Array): string[] {
  const rows: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += HEX_ROW_BYTES) {
    const row = bytes.subarray(offset, offset + HEX_ROW_BYTES);
    let hexText = '';
    let text = '';
    for (let i = 0; i < HEX_ROW_BYTES; i++) {
      const byte = row[i];
      hexText += (i === 8 ? '  ' : i > 0 ? ' ' : '') + (byte === undefined ? '  ' : hex(byte, 2));
      if (byte !== undefined) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    rows.push(`${hex(offset, 4)}  ${hexText}  ${text}`);
  }
  return rows;
}
