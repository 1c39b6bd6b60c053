import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp } from './arp.ts';
import {
  BOOTREPLY,
  BOOTREQUEST,
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_DISCOVER,
  DHCP_INFORM,
  DHCP_NAK,
  DHCP_OFFER,
  DHCP_RELEASE,
  DHCP_REQUEST,
  DHCP_SERVER_PORT,
  emitDhcp,
  parseDhcp,
  type DhcpMessage,
} from './dhcp.ts';
import {
  DNS_CLASS_IN,
  DNS_FLAG_AA,
  DNS_FLAG_QR,
  DNS_FLAG_RD,
  DNS_PORT,
  DNS_RCODE_FORMERR,
  DNS_RCODE_NOERROR,
  DNS_RCODE_NOTIMP,
  DNS_RCODE_NXDOMAIN,
  DNS_TYPE_A,
  DNS_TYPE_ANY,
  emitDns,
  parseDns,
  type DnsRecord,
} from './dns.ts';
import { NetError } from './errors.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet, parseEthernet, type Mac } from './ethernet.ts';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, emitIcmp, parseIcmp, type IcmpMessage } from './icmp.ts';
import {
  IP_BROADCAST,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  emitIpv4,
  parseIpv4,
  writeIp,
  type Ip,
  type Ipv4Packet,
} from './ipv4.ts';
import { DNS_IP, GATEWAY_IP, GATEWAY_MAC, LAN_BROADCAST, LAN_NETMASK, Lan, onLan } from './lan.ts';
import type { Capture } from './pcap.ts';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, emitTcp, parseTcp, seqAdd, type TcpSegment } from './tcp.ts';
import { DEFAULT_TCP_CONFIG, TcpSocket, type TcpConfig, type TcpEndpoint, type TcpSocketHost } from './tcp-socket.ts';
import { emitUdp, parseUdp } from './udp.ts';

/** Connections open at once, counting half-open and TIME-WAIT ones; bounds memory under a SYN flood. */
export const MAX_SOCKETS = 1024;
/** IPv4 packets held per address while its MAC is being resolved. */
const MAX_PENDING_PER_IP = 16;
const ARP_RETRY_MS = 1000;
const DHCP_LEASE_SECONDS = 86_400;
/** Short, because appliances come and go. */
const DNS_TTL_SECONDS = 10;
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;
const NEVER_REQUESTED = -Infinity;

/** How a Network talks to the outside world. */
export interface NetworkOptions {
  /** Receives each frame for the guest; hand it to the NIC (v86 "net0-receive"). Do not modify it. */
  send(frame: Uint8Array): void;
  /** Called when the application queued work (a write, a close, a read that reopened the window): poll(now) soon. */
  wake?(): void;
  /** Leases and names shared with the other appliances on the LAN; a fresh LAN by default. */
  lan?: Lan;
  /** The appliance's name: once it has a DHCP lease, `<name>.tab` resolves to it. */
  name?: string;
  /** Called when the guest gets (or renews) its DHCP lease. */
  onLease?(addr: Ip, mac: Mac): void;
  /** The host's own address and MAC (default: the gateway's). */
  ip?: Ip;
  mac?: Mac;
  /** Whether the host also acts as DHCP and DNS server (default true; off for a test peer). */
  services?: boolean;
  tcp?: Partial<TcpConfig>;
  /** Records every frame in and out. */
  capture?: Capture;
  /** Receives the ICMP echo replies to ping() (the raw-NIC benchmark). */
  onEchoReply?(reply: IcmpMessage): void;
  /** Source of randomness for initial sequence numbers and ports (default Math.random). */
  random?: () => number;
}

/** Counters for the UI and for tests. */
export interface NetworkStats {
  received: number;
  sent: number;
  /** Frames received and ignored: malformed, not for us, or for a service that does not exist. */
  dropped: number;
}

/**
 * The host's side of one appliance's virtual wire: it answers ARP for the gateway and DNS addresses, serves DHCP,
 * DNS and ping, and demultiplexes TCP to host sockets. Frames come in through receive(frame, now) and go out
 * through options.send; timers run in poll(now).
 */
export class Network {
  readonly ip: Ip;
  readonly mac: Mac;
  readonly lan: Lan;
  readonly capture: Capture | undefined;
  readonly stats: NetworkStats = { received: 0, sent: 0, dropped: 0 };
  /** The appliance's address and MAC, once it has a DHCP lease. */
  guest: { ip: Ip; mac: Mac } | undefined;

  private readonly services: boolean;
  private readonly tcpConfig: TcpConfig;
  private readonly random: () => number;
  private readonly arpCache = new Map<Ip, Mac>();
  private readonly pending = new Map<Ip, { requestedAt: number; packets: Uint8Array[] }>();
  private readonly sockets = new Map<string, TcpSocket>();
  private readonly listeners = new Map<number, (socket: TcpSocket) => void>();
  private nextPort: number;
  private nextIpId = 0;
  private now = 0;
  private closed = false;

  constructor(private readonly options: NetworkOptions) {
    this.ip = options.ip ?? GATEWAY_IP;
    this.mac = options.mac ?? GATEWAY_MAC;
    this.lan = options.lan ?? new Lan();
    this.capture = options.capture;
    this.services = options.services ?? true;
    this.tcpConfig = { ...DEFAULT_TCP_CONFIG, ...options.tcp };
    this.random = options.random ?? Math.random;
    this.nextPort = EPHEMERAL_FIRST + Math.floor(this.random() * EPHEMERAL_COUNT);
  }

  /** Number of open connections. */
  get socketCount(): number {
    return this.sockets.size;
  }

  /** Takes a frame the guest sent (v86 "net0-send"); the network keeps it, so pass a copy of NIC memory. */
  receive(frame: Uint8Array, now: number): void {
    if (this.closed) return;
    this.now = now;
    this.stats.received++;
    this.capture?.record(frame, now, 'from-guest');
    const eth = parseEthernet(frame);
    const handled =
      eth !== null &&
      (eth.dst === this.mac || eth.dst === BROADCAST_MAC) &&
      (eth.type === ETHERTYPE_ARP
        ? this.arpArrived(eth.payload)
        : eth.type === ETHERTYPE_IPV4 && this.ipArrived(eth.payload, eth.src));
    if (!handled) this.stats.dropped++;
  }

  /** Runs TCP timers and sends queued data; returns when to poll next (≤ now: at once; undefined: no timer). */
  poll(now: number): number | undefined {
    if (this.closed) return undefined;
    this.now = now;
    let next: number | undefined;
    for (const socket of this.sockets.values()) {
      socket.poll(now);
      const at = socket.pollAt();
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Sends an ICMP echo request with `payload` to `ip`; the reply goes to options.onEchoReply. */
  ping(ip: Ip, id: number, seq: number, payload: Uint8Array, now: number): void {
    this.now = now;
    this.sendIp(ip, IP_PROTOCOL_ICMP, emitIcmp({ type: ICMP_ECHO_REQUEST, code: 0, id, seq, payload }));
  }

  /** Opens a TCP connection from the host to ip:port; the SYN goes out on the next poll(). */
  connect(ip: Ip, port: number, options: { iss?: number } = {}): TcpSocket {
    if (this.closed) throw new NetError('closed', 'the network is closed');
    if (this.sockets.size >= MAX_SOCKETS)
      throw new NetError('refused', `the host already has ${MAX_SOCKETS} connections`);
    const endpoint = { localIp: this.ip, localPort: this.allocatePort(ip, port), remoteIp: ip, remotePort: port };
    const socket = TcpSocket.connect(
      endpoint,
      this.socketHost(endpoint),
      this.tcpConfig,
      options.iss ?? this.randomU32(),
    );
    this.sockets.set(socketKey(endpoint), socket);
    this.options.wake?.();
    return socket;
  }

  /** Accepts connections to a host port (handy for tests and for guests that call the host); returns a stop function. */
  listen(port: number, accept: (socket: TcpSocket) => void): () => void {
    this.listeners.set(port, accept);
    return () => {
      if (this.listeners.get(port) === accept) this.listeners.delete(port);
    };
  }

  /**
   * Takes back a guest that resumed from a snapshot with the lease it had: it will not ask DHCP again.
   * Returns false if that address is taken on the LAN by another MAC.
   */
  restoreGuest(guest: { ip: Ip; mac: Mac }): boolean {
    if (this.lan.lease(guest.mac, guest.ip) !== guest.ip) return false;
    this.bind(guest.ip, guest.mac);
    return true;
  }

  private bind(addr: Ip, mac: Mac): void {
    this.guest = { ip: addr, mac };
    this.arpCache.set(addr, mac);
    if (this.options.name) this.lan.register(this.options.name, addr);
    this.options.onLease?.(addr, mac);
  }

  /** Aborts every connection and ignores the wire from now on (e.g. before restoring a guest snapshot). */
  close(): void {
    this.closed = true;
    for (const socket of [...this.sockets.values()]) socket.abort();
    this.sockets.clear();
    this.pending.clear();
  }

  private randomU32(): number {
    return Math.floor(this.random() * 0x1_0000_0000) >>> 0;
  }

  private allocatePort(remoteIp: Ip, remotePort: number): number {
    for (let i = 0; i < EPHEMERAL_COUNT; i++) {
      const port = this.nextPort;
      this.nextPort = EPHEMERAL_FIRST + ((this.nextPort - EPHEMERAL_FIRST + 1) % EPHEMERAL_COUNT);
      if (!this.sockets.has(socketKey({ remoteIp, remotePort, localPort: port }))) return port;
    }
    throw new NetError('refused', 'no free local port');
  }

  private socketHost(endpoint: TcpEndpoint, accept?: (socket: TcpSocket) => void): TcpSocketHost {
    const key = socketKey(endpoint);
    return {
      output: (segment) =>
        this.sendIp(endpoint.remoteIp, IP_PROTOCOL_TCP, emitTcp(segment, this.ip, endpoint.remoteIp)),
      wake: () => this.options.wake?.(),
      closed: (socket) => {
        if (this.sockets.get(key) === socket) this.sockets.delete(key);
      },
      opened: accept,
    };
  }

  private transmit(frame: Uint8Array): void {
    if (this.closed) return;
    this.stats.sent++;
    this.capture?.record(frame, this.now, 'to-guest');
    this.options.send(frame);
  }

  private sendArp(op: number, targetMac: Mac, targetIp: Ip, senderIp: Ip): void {
    const arp = emitArp({ op, senderMac: this.mac, senderIp, targetMac, targetIp });
    const dst = op === ARP_REQUEST ? BROADCAST_MAC : targetMac;
    this.transmit(emitEthernet({ dst, src: this.mac, type: ETHERTYPE_ARP, payload: arp }));
  }

  // Sends an IPv4 packet, resolving the guest's MAC with ARP first if need be.
  private sendIp(dst: Ip, protocol: number, payload: Uint8Array, src = this.ip): void {
    const packet = emitIpv4({ src, dst, protocol, id: this.nextIpId++ & 0xffff, dontFragment: true, payload });
    const mac = dst === IP_BROADCAST || dst === LAN_BROADCAST ? BROADCAST_MAC : this.arpCache.get(dst);
    if (mac) return this.transmit(emitEthernet({ dst: mac, src: this.mac, type: ETHERTYPE_IPV4, payload: packet }));
    if (!onLan(dst)) return; // there is no internet behind this gateway
    const waiting = this.pending.get(dst) ?? { requestedAt: NEVER_REQUESTED, packets: [] };
    this.pending.set(dst, waiting);
    if (waiting.packets.length < MAX_PENDING_PER_IP) waiting.packets.push(packet);
    if (this.now - waiting.requestedAt >= ARP_RETRY_MS) {
      waiting.requestedAt = this.now;
      this.sendArp(ARP_REQUEST, '00:00:00:00:00:00', dst, this.ip);
    }
  }

  // Remembers where a LAN address lives and sends what was waiting for it.
  private learn(addr: Ip, mac: Mac): void {
    if (!onLan(addr) || addr === LAN_BROADCAST || (addr & ~LAN_NETMASK) === 0 || this.isOurs(addr)) return;
    if (mac === BROADCAST_MAC || (parseInt(mac.slice(0, 2), 16) & 1) !== 0) return; // never a multicast source
    this.arpCache.set(addr, mac);
    const waiting = this.pending.get(addr);
    if (!waiting) return;
    this.pending.delete(addr);
    for (const packet of waiting.packets) {
      this.transmit(emitEthernet({ dst: mac, src: this.mac, type: ETHERTYPE_IPV4, payload: packet }));
    }
  }

  private isOurs(addr: Ip): boolean {
    return addr === this.ip || (this.services && addr === DNS_IP);
  }

  private arpArrived(bytes: Uint8Array): boolean {
    const arp = parseArp(bytes);
    if (!arp) return false;
    this.learn(arp.senderIp, arp.senderMac);
    if (arp.op !== ARP_REQUEST || !this.isOurs(arp.targetIp)) return arp.op === ARP_REPLY;
    this.sendArp(ARP_REPLY, arp.senderMac, arp.senderIp, arp.targetIp);
    return true;
  }

  private ipArrived(bytes: Uint8Array, srcMac: Mac): boolean {
    const packet = parseIpv4(bytes);
    // Nothing on this LAN fragments (every sender keeps to its link's MTU), so fragments are dropped.
    if (!packet || packet.moreFragments || packet.fragmentOffset) return false;
    this.learn(packet.src, srcMac);
    const broadcast = packet.dst === IP_BROADCAST || packet.dst === LAN_BROADCAST;
    if (packet.protocol === IP_PROTOCOL_UDP && (broadcast || this.isOurs(packet.dst))) return this.udpArrived(packet);
    if (packet.protocol === IP_PROTOCOL_TCP && !broadcast) return this.tcpArrived(packet);
    if (packet.protocol === IP_PROTOCOL_ICMP && this.isOurs(packet.dst)) return this.icmpArrived(packet);
    return false;
  }

  private icmpArrived(packet: Ipv4Packet): boolean {
    const icmp = parseIcmp(packet.payload);
    if (icmp?.type === ICMP_ECHO_REPLY && this.options.onEchoReply) {
      this.options.onEchoReply(icmp);
      return true;
    }
    if (!icmp || icmp.type !== ICMP_ECHO_REQUEST) return false;
    const reply = emitIcmp({ ...icmp, type: ICMP_ECHO_REPLY, code: 0 });
    this.sendIp(packet.src, IP_PROTOCOL_ICMP, reply, packet.dst);
    return true;
  }

  private udpArrived(packet: Ipv4Packet): boolean {
    const udp = parseUdp(packet.payload, packet.src, packet.dst);
    if (!udp || !this.services) return false;
    if (udp.dstPort === DHCP_SERVER_PORT && udp.srcPort === DHCP_CLIENT_PORT) return this.dhcpArrived(udp.payload);
    if (udp.dstPort === DNS_PORT && packet.dst === DNS_IP) {
      const reply = this.answerDns(udp.payload);
      if (!reply) return false;
      const datagram = emitUdp({ srcPort: DNS_PORT, dstPort: udp.srcPort, payload: reply }, DNS_IP, packet.src);
      this.sendIp(packet.src, IP_PROTOCOL_UDP, datagram, DNS_IP);
      return true;
    }
    return false;
  }

  private dhcpArrived(bytes: Uint8Array): boolean {
    const request = parseDhcp(bytes);
    if (!request || request.op !== BOOTREQUEST) return false;
    const mac = request.chaddr;
    switch (request.messageType) {
      case DHCP_DISCOVER: {
        const addr = this.lan.lease(mac, request.requestedIp);
        if (addr === undefined) return false; // the pool is exhausted: stay silent, as RFC 2131 allows
        this.sendDhcp(request, DHCP_OFFER, addr);
        return true;
      }
      case DHCP_REQUEST: {
        // A REQUEST naming another server means the client chose that one.
        if (request.serverId !== undefined && request.serverId !== this.ip) return false;
        const wanted = request.requestedIp ?? request.ciaddr ?? 0;
        const addr = this.lan.lease(mac, wanted || undefined);
        if (addr === undefined || (wanted !== 0 && addr !== wanted)) {
          this.sendDhcp(request, DHCP_NAK, 0);
          return true;
        }
        this.sendDhcp(request, DHCP_ACK, addr);
        this.bind(addr, mac);
        return true;
      }
      case DHCP_RELEASE:
        this.lan.release(mac);
        return true;
      case DHCP_INFORM:
        this.sendDhcp(request, DHCP_ACK, 0);
        return true;
      default:
        return false;
    }
  }

  // Replies by broadcast, as QEMU's slirp does: the client may not accept unicast before it is configured.
  private sendDhcp(request: DhcpMessage, type: number, addr: Ip): void {
    const reply: DhcpMessage = {
      op: BOOTREPLY,
      xid: request.xid,
      flags: request.flags,
      ciaddr: request.ciaddr,
      giaddr: request.giaddr,
      chaddr: request.chaddr,
      messageType: type,
      serverId: this.ip,
    };
    if (type !== DHCP_NAK) {
      Object.assign(reply, { siaddr: this.ip, subnetMask: LAN_NETMASK, router: this.ip, dnsServers: [DNS_IP] });
    }
    // An ACK to INFORM configures options only: no address, no lease.
    if (addr !== 0) Object.assign(reply, { yiaddr: addr, leaseTime: DHCP_LEASE_SECONDS });
    const datagram = emitUdp(
      { srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT, payload: emitDhcp(reply) },
      this.ip,
      IP_BROADCAST,
    );
    this.sendIp(IP_BROADCAST, IP_PROTOCOL_UDP, datagram);
  }

  // Answers `<name>.tab` from the LAN and NXDOMAIN for everything else: there is no internet to ask.
  private answerDns(bytes: Uint8Array): Uint8Array | null {
    const query = parseDns(bytes);
    if (!query || query.flags & DNS_FLAG_QR) return null;
    const opcode = (query.flags >> 11) & 0xf;
    const flags = DNS_FLAG_QR | (query.flags & (0xf << 11)) | (query.flags & DNS_FLAG_RD);
    const reply = (rcode: number, answers: DnsRecord[] = []): Uint8Array =>
      emitDns({ id: query.id, flags: flags | DNS_FLAG_AA | rcode, questions: query.questions, answers });
    if (opcode !== 0) return reply(DNS_RCODE_NOTIMP);
    const question = query.questions[0];
    if (query.questions.length !== 1 || !question) return reply(DNS_RCODE_FORMERR);
    const addr = this.lan.resolve(question.name);
    if (addr === undefined) return reply(DNS_RCODE_NXDOMAIN);
    if (question.type !== DNS_TYPE_A && question.type !== DNS_TYPE_ANY) return reply(DNS_RCODE_NOERROR);
    const data = new Uint8Array(4);
    writeIp(data, 0, addr);
    return reply(DNS_RCODE_NOERROR, [
      { name: question.name, type: DNS_TYPE_A, class: DNS_CLASS_IN, ttl: DNS_TTL_SECONDS, data },
    ]);
  }

  private tcpArrived(packet: Ipv4Packet): boolean {
    const segment = parseTcp(packet.payload, packet.src, packet.dst);
    if (!segment) return false;
    const endpoint = {
      localIp: packet.dst,
      localPort: segment.dstPort,
      remoteIp: packet.src,
      remotePort: segment.srcPort,
    };
    const socket = packet.dst === this.ip ? this.sockets.get(socketKey(endpoint)) : undefined;
    if (socket) {
      socket.segmentArrived(segment, this.now);
      return true;
    }
    const accept = packet.dst === this.ip ? this.listeners.get(segment.dstPort) : undefined;
    const isSyn = (segment.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN;
    if (accept && isSyn && this.sockets.size < MAX_SOCKETS) {
      const passive = TcpSocket.accept(
        endpoint,
        segment,
        this.socketHost(endpoint, accept),
        this.tcpConfig,
        this.randomU32(),
      );
      this.sockets.set(socketKey(endpoint), passive);
      passive.poll(this.now);
      return true;
    }
    // A closed port, or an address beyond the gateway: refuse at once so the guest does not wait.
    this.sendReset(segment, packet.src, packet.dst);
    return false;
  }

  private sendReset(segment: TcpSegment, remote: Ip, local: Ip): void {
    if (segment.flags & TCP_RST) return;
    const length = segment.payload.length + (segment.flags & TCP_SYN ? 1 : 0) + (segment.flags & TCP_FIN ? 1 : 0);
    const reset: TcpSegment =
      segment.flags & TCP_ACK
        ? {
            srcPort: segment.dstPort,
            dstPort: segment.srcPort,
            seq: segment.ack,
            ack: 0,
            flags: TCP_RST,
            window: 0,
            payload: new Uint8Array(0),
          }
        : {
            srcPort: segment.dstPort,
            dstPort: segment.srcPort,
            seq: 0,
            ack: seqAdd(segment.seq, length),
            flags: TCP_RST | TCP_ACK,
            window: 0,
            payload: new Uint8Array(0),
          };
    this.sendIp(remote, IP_PROTOCOL_TCP, emitTcp(reset, local, remote), local);
  }
}

function socketKey(endpoint: Pick<TcpEndpoint, 'remoteIp' | 'remotePort' | 'localPort'>): string {
  return `${endpoint.remoteIp}:${endpoint.remotePort}:${endpoint.localPort}`;
}
