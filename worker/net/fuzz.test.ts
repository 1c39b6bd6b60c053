import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitArp } from './arp.ts';
import { BOOTREQUEST, emitDhcp } from './dhcp.ts';
import { emitDns } from './dns.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet, parseEthernet, type Mac } from './ethernet.ts';
import { emitIcmp } from './icmp.ts';
import {
  IP_BROADCAST,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  emitIpv4,
  ip,
  parseIpv4,
  type Ip,
} from './ipv4.ts';
import { DNS_IP, FIRST_GUEST_IP, GATEWAY_IP, GATEWAY_MAC } from './lan.ts';
import { MAX_SOCKETS, Network } from './network.ts';
import { Capture } from './pcap.ts';
import { seededRandom } from './sim.ts';
import { emitTcp } from './tcp.ts';
import { emitUdp } from './udp.ts';

const FRAMES = 100_000;

test('fuzz: 100 000 random and mutated frames: nothing throws, memory stays bounded, every reply is well-formed', () => {
  const random = seededRandom(0xc0ffee);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: T[]): T => items[int(items.length)];
  const randomBytes = (n: number): Uint8Array => {
    const bytes = new Uint8Array(n);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i + 4 <= n; i += 4) view.setUint32(i, int(2 ** 32));
    for (let i = n & ~3; i < n; i++) bytes[i] = int(256);
    return bytes;
  };
  const randomMac = (): Mac =>
    pick([
      GATEWAY_MAC,
      BROADCAST_MAC,
      '52:54:00:12:34:56',
      [...randomBytes(6)].map((b) => b.toString(16).padStart(2, '0')).join(':'),
    ]);
  const randomIp = (): Ip =>
    pick([GATEWAY_IP, DNS_IP, FIRST_GUEST_IP, IP_BROADCAST, 0, ip(10, 0, 2, int(256)), int(2 ** 32)]);

  let sentFrames = 0;
  let badReplies = 0;
  const capture = new Capture(1000, 1 << 20);
  const net = new Network({
    capture,
    random,
    send: (frame) => {
      sentFrames++;
      const eth = parseEthernet(frame);
      const ok = eth && (eth.type === ETHERTYPE_ARP || (eth.type === ETHERTYPE_IPV4 && parseIpv4(eth.payload)));
      if (!ok) badReplies++;
    },
  });
  net.listen(80, (socket) => {
    socket.write(Buffer.from('hello'));
    socket.close();
  });
  let client = net.connect(FIRST_GUEST_IP, 80);

  const ipFrame = (protocol: number, payload: (src: Ip, dst: Ip) => Uint8Array): Uint8Array => {
    const src = pick([FIRST_GUEST_IP, randomIp()]);
    const dst = pick([GATEWAY_IP, DNS_IP, randomIp()]);
    const packet = emitIpv4({
      src,
      dst,
      protocol,
      ttl: int(256),
      id: int(65536),
      moreFragments: random() < 0.05,
      payload: payload(src, dst),
    });
    return emitEthernet({
      dst: pick([GATEWAY_MAC, BROADCAST_MAC, randomMac()]),
      src: randomMac(),
      type: ETHERTYPE_IPV4,
      payload: packet,
    });
  };
  const generators: (() => Uint8Array)[] = [
    () => randomBytes(int(1600)),
    () => {
      const arp = emitArp({
        op: int(4),
        senderMac: randomMac(),
        senderIp: randomIp(),
        targetMac: randomMac(),
        targetIp: randomIp(),
      });
      return emitEthernet({ dst: randomMac(), src: randomMac(), type: ETHERTYPE_ARP, payload: arp });
    },
    () =>
      ipFrame(IP_PROTOCOL_UDP, (src, dst) => {
        const dhcp = emitDhcp({
          op: pick([BOOTREQUEST, 2]),
          xid: int(2 ** 32),
          chaddr: randomMac(),
          messageType: int(10),
          requestedIp: random() < 0.5 ? randomIp() : undefined,
          serverId: random() < 0.5 ? randomIp() : undefined,
          ciaddr: randomIp(),
        });
        return emitUdp({ srcPort: 68, dstPort: 67, payload: dhcp }, src, dst);
      }),
    () =>
      ipFrame(IP_PROTOCOL_UDP, (src, dst) => {
        const label = (): string => String.fromCharCode(...Array.from({ length: 1 + int(10) }, () => 97 + int(26)));
        const name = pick([`${label()}.tabcloud`, `${label()}.${label()}`, 'kv.tabcloud', '']);
        const questions = Array.from({ length: int(3) }, () => ({ name, type: int(300), class: int(3) }));
        const dns = emitDns({ id: int(65536), flags: int(65536), questions, answers: [] });
        return emitUdp({ srcPort: int(65536), dstPort: 53, payload: dns }, src, dst);
      }),
    () =>
      ipFrame(IP_PROTOCOL_ICMP, () =>
        emitIcmp({
          type: pick([8, 0, 3, int(256)]),
          code: int(4),
          id: int(65536),
          seq: int(65536),
          payload: randomBytes(int(100)),
        }),
      ),
    () =>
      ipFrame(IP_PROTOCOL_TCP, (src, dst) => {
        const toClient = random() < 0.5 && client.state !== 'closed';
        return emitTcp(
          {
            srcPort: toClient ? 80 : int(65536),
            dstPort: toClient ? client.localPort : pick([80, int(65536)]),
            seq: int(2 ** 32),
            ack: int(2 ** 32),
            flags: int(64),
            window: int(65536),
            options: random() < 0.3 ? { mss: int(65536), windowScale: int(15), sackPermitted: true } : undefined,
            payload: randomBytes(int(1460)),
          },
          toClient ? FIRST_GUEST_IP : src,
          toClient ? GATEWAY_IP : dst,
        );
      }),
  ];
  const mutate = (frame: Uint8Array): Uint8Array => {
    const out = random() < 0.3 ? frame.slice(0, int(frame.length + 1)) : frame.slice();
    for (let i = int(4); i >= 0 && out.length > 0; i--) out[int(out.length)] = int(256);
    return out;
  };

  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  let now = 0;
  for (let i = 0; i < FRAMES; i++) {
    const frame = pick(generators)();
    net.receive(random() < 0.4 ? mutate(frame) : frame, now);
    if (i % 500 === 0) {
      now += int(3000);
      net.poll(now);
      if (client.state === 'closed') client = net.connect(FIRST_GUEST_IP, 80);
      assert.ok(net.socketCount <= MAX_SOCKETS);
    }
  }
  const elapsed = performance.now() - started;
  global.gc?.();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  assert.equal(net.stats.received, FRAMES);
  assert.ok(net.stats.dropped > FRAMES / 2, 'most random frames are dropped');
  assert.ok(sentFrames > 1000, 'some frames were valid enough to answer');
  assert.equal(badReplies, 0);
  assert.ok(capture.frames().length <= 1000);
  assert.ok(heapGrowth < 64 * 1024 * 1024, `heap grew by ${heapGrowth} bytes`);
  assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
});
