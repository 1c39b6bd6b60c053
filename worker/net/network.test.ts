import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp } from './arp.ts';
import {
  BOOTREQUEST,
  DHCP_ACK,
  DHCP_DISCOVER,
  DHCP_FLAG_BROADCAST,
  DHCP_NAK,
  DHCP_OFFER,
  DHCP_REQUEST,
  emitDhcp,
  parseDhcp,
  type DhcpMessage,
} from './dhcp.ts';
import { DNS_RCODE_NOERROR, DNS_RCODE_NXDOMAIN, DNS_TYPE_A, DNS_TYPE_AAAA, emitDns, parseDns } from './dns.ts';
import { netErrorCode } from './errors.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet, parseEthernet, type Mac } from './ethernet.ts';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, emitIcmp, parseIcmp } from './icmp.ts';
import {
  IP_BROADCAST,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  emitIpv4,
  ip,
  parseIpv4,
  type Ip,
  type Ipv4Packet,
} from './ipv4.ts';
import { DNS_IP, FIRST_GUEST_IP, GATEWAY_IP, GATEWAY_MAC, Lan } from './lan.ts';
import { Network } from './network.ts';
import { NE2K_RX_PAGES, Sim, ne2kPages, simulatePair, type LinkFaults } from './sim.ts';
import { TCP_ACK, TCP_RST, TCP_SYN, emitTcp, parseTcp, type TcpSegment } from './tcp.ts';
import type { TcpSocket } from './tcp-socket.ts';
import { emitUdp, parseUdp } from './udp.ts';

const GUEST_MAC = '52:54:00:12:34:56';
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A host network with a guest NIC simulated by hand: the test builds frames and reads what the host sent. */
function wire(options: { lan?: Lan; name?: string } = {}) {
  const sent: Uint8Array[] = [];
  const leases: Ip[] = [];
  const net = new Network({ send: (f) => sent.push(f), onLease: (addr) => leases.push(addr), ...options });
  const take = (): Uint8Array[] => sent.splice(0);
  const ipFrame = (packet: Ipv4Packet, dstMac: Mac = GATEWAY_MAC, srcMac: Mac = GUEST_MAC): Uint8Array =>
    emitEthernet({ dst: dstMac, src: srcMac, type: ETHERTYPE_IPV4, payload: emitIpv4(packet) });
  const udp = (src: Ip, dst: Ip, srcPort: number, dstPort: number, payload: Uint8Array, mac = GUEST_MAC) =>
    ipFrame(
      { src, dst, protocol: IP_PROTOCOL_UDP, payload: emitUdp({ srcPort, dstPort, payload }, src, dst) },
      dst === IP_BROADCAST ? BROADCAST_MAC : GATEWAY_MAC,
      mac,
    );
  const tcp = (segment: TcpSegment, dst = GATEWAY_IP, src = FIRST_GUEST_IP) =>
    ipFrame({ src, dst, protocol: IP_PROTOCOL_TCP, payload: emitTcp(segment, src, dst) });
  return { net, sent, take, ipFrame, udp, tcp, leases };
}

function decode(frame: Uint8Array) {
  const eth = parseEthernet(frame)!;
  const packet = eth.type === ETHERTYPE_IPV4 ? parseIpv4(eth.payload) : null;
  return { eth, packet, arp: eth.type === ETHERTYPE_ARP ? parseArp(eth.payload) : null };
}

function dhcpOf(frame: Uint8Array): DhcpMessage {
  const { packet } = decode(frame);
  const udp = parseUdp(packet!.payload, packet!.src, packet!.dst)!;
  return parseDhcp(udp.payload)!;
}

function tcpOf(frame: Uint8Array): TcpSegment {
  const { packet } = decode(frame);
  return parseTcp(packet!.payload, packet!.src, packet!.dst)!;
}

function dhcpRequest(fields: Partial<DhcpMessage> & { messageType: number; chaddr?: Mac }): DhcpMessage {
  return { op: BOOTREQUEST, xid: 0x1234, chaddr: GUEST_MAC, flags: DHCP_FLAG_BROADCAST, ...fields };
}

/** Runs DISCOVER/OFFER/REQUEST/ACK for one MAC on a wired network; returns the leased address. */
function lease(w: ReturnType<typeof wire>, mac: Mac): Ip {
  const discover = emitDhcp(dhcpRequest({ messageType: DHCP_DISCOVER, chaddr: mac }));
  w.net.receive(w.udp(0, IP_BROADCAST, 68, 67, discover, mac), 0);
  const offer = dhcpOf(w.take()[0]);
  const request = emitDhcp(
    dhcpRequest({ messageType: DHCP_REQUEST, chaddr: mac, requestedIp: offer.yiaddr, serverId: GATEWAY_IP }),
  );
  w.net.receive(w.udp(0, IP_BROADCAST, 68, 67, request, mac), 1);
  const ack = dhcpOf(w.take()[0]);
  assert.equal(ack.messageType, DHCP_ACK);
  return ack.yiaddr!;
}

describe('network: ARP', () => {
  test('who-has the gateway or the DNS server → is-at the host MAC', () => {
    const w = wire();
    for (const target of [GATEWAY_IP, DNS_IP]) {
      const request = emitArp({
        op: ARP_REQUEST,
        senderMac: GUEST_MAC,
        senderIp: FIRST_GUEST_IP,
        targetMac: '00:00:00:00:00:00',
        targetIp: target,
      });
      w.net.receive(emitEthernet({ dst: BROADCAST_MAC, src: GUEST_MAC, type: ETHERTYPE_ARP, payload: request }), 0);
      const [reply] = w.take();
      const { eth, arp } = decode(reply);
      assert.equal(eth.dst, GUEST_MAC);
      assert.equal(reply.length, 60);
      assert.deepEqual(arp, {
        op: ARP_REPLY,
        senderMac: GATEWAY_MAC,
        senderIp: target,
        targetMac: GUEST_MAC,
        targetIp: FIRST_GUEST_IP,
      });
    }
  });

  test('who-has another address → silence', () => {
    const w = wire();
    const request = emitArp({
      op: ARP_REQUEST,
      senderMac: GUEST_MAC,
      senderIp: FIRST_GUEST_IP,
      targetMac: BROADCAST_MAC,
      targetIp: ip(10, 0, 2, 99),
    });
    w.net.receive(emitEthernet({ dst: BROADCAST_MAC, src: GUEST_MAC, type: ETHERTYPE_ARP, payload: request }), 0);
    assert.equal(w.take().length, 0);
  });

  test('connect to a guest whose MAC is unknown: ARP request first, the SYN once it answers', () => {
    const w = wire();
    w.net.connect(FIRST_GUEST_IP, 80);
    w.net.poll(0);
    const [who] = w.take();
    assert.equal(decode(who).arp?.targetIp, FIRST_GUEST_IP);
    const reply = emitArp({
      op: ARP_REPLY,
      senderMac: GUEST_MAC,
      senderIp: FIRST_GUEST_IP,
      targetMac: GATEWAY_MAC,
      targetIp: GATEWAY_IP,
    });
    w.net.receive(emitEthernet({ dst: GATEWAY_MAC, src: GUEST_MAC, type: ETHERTYPE_ARP, payload: reply }), 1);
    const [syn] = w.take();
    assert.equal(decode(syn).eth.dst, GUEST_MAC);
    assert.equal(tcpOf(syn).flags, TCP_SYN);
  });
});

describe('network: DHCP', () => {
  test('discover → offer of 10.0.2.15 with the QEMU user-network options, by broadcast', () => {
    const w = wire();
    w.net.receive(w.udp(0, IP_BROADCAST, 68, 67, emitDhcp(dhcpRequest({ messageType: DHCP_DISCOVER }))), 0);
    const [frame] = w.take();
    const { eth, packet } = decode(frame);
    assert.equal(eth.dst, BROADCAST_MAC);
    assert.equal(packet?.dst, IP_BROADCAST);
    const offer = dhcpOf(frame);
    assert.equal(offer.messageType, DHCP_OFFER);
    assert.equal(offer.xid, 0x1234);
    assert.equal(offer.yiaddr, FIRST_GUEST_IP);
    assert.equal(offer.serverId, GATEWAY_IP);
    assert.equal(offer.router, GATEWAY_IP);
    assert.deepEqual(offer.dnsServers, [DNS_IP]);
    assert.equal(offer.subnetMask, ip(255, 255, 255, 0));
    assert.equal(offer.leaseTime, 86400);
  });

  test('request → ack; the guest is known, its name registered, onLease called', () => {
    const w = wire({ name: 'kv' });
    assert.equal(lease(w, GUEST_MAC), FIRST_GUEST_IP);
    assert.deepEqual(w.net.guest, { ip: FIRST_GUEST_IP, mac: GUEST_MAC });
    assert.equal(w.net.lan.resolve('kv.tabcloud'), FIRST_GUEST_IP);
    assert.equal(w.net.lan.resolve('kv'), FIRST_GUEST_IP);
    assert.deepEqual(w.leases, [FIRST_GUEST_IP]);
  });

  test('the n-th appliance on a shared LAN gets .15 + n, and a renewal keeps its address', () => {
    const lan = new Lan();
    const first = wire({ lan });
    const second = wire({ lan });
    assert.equal(lease(first, '52:54:00:00:00:01'), ip(10, 0, 2, 15));
    assert.equal(lease(second, '52:54:00:00:00:02'), ip(10, 0, 2, 16));
    assert.equal(lease(second, '52:54:00:00:00:03'), ip(10, 0, 2, 17));
    assert.equal(lease(first, '52:54:00:00:00:01'), ip(10, 0, 2, 15));
  });

  test('request for an address leased to someone else → NAK', () => {
    const lan = new Lan();
    const w = wire({ lan });
    lease(w, '52:54:00:00:00:01');
    const request = emitDhcp(dhcpRequest({ messageType: DHCP_REQUEST, requestedIp: FIRST_GUEST_IP }));
    w.net.receive(w.udp(0, IP_BROADCAST, 68, 67, request), 0);
    assert.equal(dhcpOf(w.take()[0]).messageType, DHCP_NAK);
  });

  test('request naming another server → ignored', () => {
    const w = wire();
    const request = emitDhcp(
      dhcpRequest({ messageType: DHCP_REQUEST, requestedIp: FIRST_GUEST_IP, serverId: ip(10, 0, 2, 9) }),
    );
    w.net.receive(w.udp(0, IP_BROADCAST, 68, 67, request), 0);
    assert.equal(w.take().length, 0);
  });
});

describe('network: DNS and ICMP', () => {
  function ask(w: ReturnType<typeof wire>, name: string, type = DNS_TYPE_A) {
    const query = emitDns({ id: 99, flags: 0x0100, questions: [{ name, type, class: 1 }], answers: [] });
    w.net.receive(w.udp(FIRST_GUEST_IP, DNS_IP, 3000, 53, query), 0);
    const [frame] = w.take();
    const { packet } = decode(frame);
    assert.equal(packet?.src, DNS_IP);
    const udp = parseUdp(packet!.payload, packet!.src, packet!.dst)!;
    assert.equal(udp.dstPort, 3000);
    return parseDns(udp.payload)!;
  }

  test('<name> and <name>.tabcloud → its A record; unknown names and the internet → NXDOMAIN; AAAA → no data', () => {
    const w = wire();
    w.net.lan.register('kv', ip(10, 0, 2, 16));
    w.net.receive(w.udp(FIRST_GUEST_IP, GATEWAY_IP, 1, 2, new Uint8Array(0)), 0); // teaches the host the guest's MAC
    for (const name of ['KV.tabcloud', 'kv', 'kv.tabcloud.']) {
      const a = ask(w, name);
      assert.equal(a.id, 99);
      assert.equal(a.flags & 0xf, DNS_RCODE_NOERROR, name);
      assert.deepEqual([...a.answers[0].data], [10, 0, 2, 16]);
    }
    for (const name of ['nope.tabcloud', 'nope', 'example.com', 'kv.example.com', 'kv.tab']) {
      assert.equal(ask(w, name).flags & 0xf, DNS_RCODE_NXDOMAIN, name);
    }
    const aaaa = ask(w, 'kv.tabcloud', DNS_TYPE_AAAA);
    assert.deepEqual([aaaa.flags & 0xf, aaaa.answers.length], [DNS_RCODE_NOERROR, 0]);
  });

  test('echo request to the gateway → echo reply with the same id, seq and data', () => {
    const w = wire();
    const payload = Buffer.from('ping!');
    const echo = emitIcmp({ type: ICMP_ECHO_REQUEST, code: 0, id: 7, seq: 3, payload });
    w.net.receive(w.ipFrame({ src: FIRST_GUEST_IP, dst: GATEWAY_IP, protocol: IP_PROTOCOL_ICMP, payload: echo }), 0);
    const { packet } = decode(w.take()[0]);
    assert.equal(packet?.dst, FIRST_GUEST_IP);
    const reply = parseIcmp(packet!.payload)!;
    assert.deepEqual(
      [reply.type, reply.id, reply.seq, Buffer.from(reply.payload).toString()],
      [ICMP_ECHO_REPLY, 7, 3, 'ping!'],
    );
  });

  test('frames for another MAC and garbage are dropped and counted', () => {
    const w = wire();
    const echo = emitIcmp({ type: ICMP_ECHO_REQUEST, code: 0, id: 7, seq: 3, payload: new Uint8Array(0) });
    w.net.receive(
      w.ipFrame(
        { src: FIRST_GUEST_IP, dst: GATEWAY_IP, protocol: IP_PROTOCOL_ICMP, payload: echo },
        '52:54:00:99:99:99',
      ),
      0,
    );
    w.net.receive(new Uint8Array(5), 0);
    assert.equal(w.take().length, 0);
    assert.deepEqual(w.net.stats, { received: 2, sent: 0, dropped: 2 });
  });
});

describe('network: TCP demultiplexing', () => {
  const syn = (dstPort: number): TcpSegment => ({
    srcPort: 40000,
    dstPort,
    seq: 100,
    ack: 0,
    flags: TCP_SYN,
    window: 1000,
    payload: new Uint8Array(0),
  });

  test('SYN to a closed port → RST|ACK', () => {
    const w = wire();
    w.net.receive(w.tcp(syn(81)), 0);
    const rst = tcpOf(w.take()[0]);
    assert.deepEqual([rst.flags, rst.seq, rst.ack], [TCP_RST | TCP_ACK, 0, 101]);
  });

  test('SYN to the internet → RST from that address: there is no route out', () => {
    const w = wire();
    const far = ip(93, 184, 216, 34);
    w.net.receive(w.tcp(syn(443), far), 0);
    const [frame] = w.take();
    assert.equal(decode(frame).packet?.src, far);
    assert.equal(tcpOf(frame).flags, TCP_RST | TCP_ACK);
  });

  test('SYN to a listening port → SYN-ACK, then accept on the ACK', () => {
    const w = wire();
    const accepted: TcpSocket[] = [];
    w.net.listen(8080, (socket) => accepted.push(socket));
    w.net.receive(w.tcp(syn(8080)), 0);
    const synAck = tcpOf(w.take()[0]);
    assert.equal(synAck.flags, TCP_SYN | TCP_ACK);
    assert.equal(synAck.ack, 101);
    w.net.receive(w.tcp({ ...syn(8080), seq: 101, ack: synAck.seq + 1, flags: TCP_ACK }), 1);
    assert.equal(accepted.length, 1);
    assert.equal(accepted[0].state, 'established');
  });

  test('an ACK for no connection → RST with its ack number', () => {
    const w = wire();
    w.net.receive(w.tcp({ ...syn(80), seq: 5, ack: 777, flags: TCP_ACK }), 0);
    const rst = tcpOf(w.take()[0]);
    assert.deepEqual([rst.flags, rst.seq], [TCP_RST, 777]);
  });

  test('close() aborts every connection and ignores the wire', async () => {
    const w = wire();
    const socket = w.net.connect(FIRST_GUEST_IP, 80);
    const opened = socket.opened().catch((e: unknown) => netErrorCode(e));
    w.net.close();
    assert.equal(await opened, 'aborted');
    assert.equal(w.net.socketCount, 0);
    assert.throws(() => w.net.connect(FIRST_GUEST_IP, 80), { name: 'closed' });
  });
});

/** Host client → peer echo server over the simulated wire; returns what came back and the link counters. */
async function echoOverLink(options: {
  size: number;
  faults?: LinkFaults;
  toGuest?: LinkFaults;
  seed?: number;
  iss?: number;
  tcp?: object;
  peerRandom?: () => number;
}) {
  const sim = new Sim(options.seed ?? 1);
  const pair = simulatePair(sim, {
    faults: options.faults,
    toGuest: options.toGuest,
    host: { tcp: options.tcp },
    peer: options.peerRandom ? { random: options.peerRandom } : {},
  });
  pair.peer.listen(80, (socket) => {
    void (async () => {
      for await (const chunk of socket) socket.write(chunk);
      socket.close();
    })().catch(() => {});
  });
  const data = Uint8Array.from({ length: options.size }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
  const chunks: Uint8Array[] = [];
  let done = false;
  let error: unknown;
  const socket = pair.host.connect(FIRST_GUEST_IP, 80, { iss: options.iss });
  void (async () => {
    socket.write(data);
    socket.close();
    for await (const chunk of socket) chunks.push(chunk);
  })()
    .catch((e: unknown) => (error = e))
    .finally(() => (done = true));
  await sim.run(() => done && pair.host.socketCount === 0, { settle, limitMs: 600_000 });
  assert.equal(error, undefined);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(data));
  return { ...pair, sim };
}

const NE2K_LINK: LinkFaults = { capacity: NE2K_RX_PAGES, cost: ne2kPages, delayMs: 1 };

describe('network: TCP over a simulated link', () => {
  test('1 MiB each way on a clean link, in-flight data never above 8 segments', async () => {
    // Frames in transit to the guest sit in its NE2000 ring, and are dropped when it is full.
    const { toGuest } = await echoOverLink({ size: 1 << 20, toGuest: NE2K_LINK });
    assert.equal(toGuest.overflowed, 0);
  });

  test('an in-flight cap above the NIC ring overflows it, and retransmission still delivers everything', async () => {
    const { toGuest } = await echoOverLink({
      size: 200_000,
      toGuest: NE2K_LINK,
      tcp: { maxInFlightSegments: 32 },
    });
    assert.ok(toGuest.overflowed > 0);
  });

  test('loss 5%, duplication 5%, reordering 10%: the stream arrives intact', async () => {
    for (const seed of [1, 2, 3]) {
      await echoOverLink({ size: 100_000, seed, faults: { loss: 0.05, duplicate: 0.05, reorder: 0.1, delayMs: 2 } });
    }
  });

  test('sequence numbers wrap on both sides under loss', async () => {
    await echoOverLink({
      size: 50_000,
      iss: 0xffffffff - 20_000,
      peerRandom: () => 0.999_999_99,
      faults: { loss: 0.05, reorder: 0.1, delayMs: 2 },
    });
  });
});
