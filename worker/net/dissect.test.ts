import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARP_REQUEST, emitArp } from './arp.ts';
import { BOOTREPLY, DHCP_ACK, emitDhcp } from './dhcp.ts';
import { DNS_FLAG_QR, emitDns } from './dns.ts';
import { dissect, frameInfo, hexDump, hexDumpColumns, sniffHttp, summarize, type Layer } from './dissect.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet } from './ethernet.ts';
import { compileFilter } from './frame-filter.ts';
import { ICMP_ECHO_REQUEST, emitIcmp } from './icmp.ts';
import { IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP, emitIpv4, type Ip } from './ipv4.ts';
import { DNS_IP, FIRST_GUEST_IP, GATEWAY_IP, GATEWAY_MAC } from './lan.ts';
import { TCP_ACK, TCP_PSH, TCP_SYN, emitTcp, type TcpSegment } from './tcp.ts';
import { emitUdp } from './udp.ts';

const GUEST_MAC = '52:54:00:12:34:56';
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function ipFrame(src: Ip, dst: Ip, protocol: number, payload: Uint8Array): Uint8Array {
  const packet = emitIpv4({ src, dst, protocol, payload, id: 0x1234, dontFragment: true });
  return emitEthernet({ dst: GUEST_MAC, src: GATEWAY_MAC, type: ETHERTYPE_IPV4, payload: packet });
}

function tcpFrame(segment: Partial<TcpSegment>): Uint8Array {
  const full: TcpSegment = {
    srcPort: 49152,
    dstPort: 80,
    seq: 1000,
    ack: 0,
    flags: TCP_SYN,
    window: 65535,
    payload: new Uint8Array(),
    ...segment,
  };
  return ipFrame(GATEWAY_IP, FIRST_GUEST_IP, IP_PROTOCOL_TCP, emitTcp(full, GATEWAY_IP, FIRST_GUEST_IP));
}

function udpFrame(src: Ip, dst: Ip, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return ipFrame(src, dst, IP_PROTOCOL_UDP, emitUdp({ srcPort, dstPort, payload }, src, dst));
}

const arpRequest = emitEthernet({
  dst: BROADCAST_MAC,
  src: GUEST_MAC,
  type: ETHERTYPE_ARP,
  payload: emitArp({
    op: ARP_REQUEST,
    senderMac: GUEST_MAC,
    senderIp: FIRST_GUEST_IP,
    targetMac: '00:00:00:00:00:00',
    targetIp: GATEWAY_IP,
  }),
});
const syn = tcpFrame({ options: { mss: 1460 } });
const get = tcpFrame({
  flags: TCP_PSH | TCP_ACK,
  ack: 5000,
  seq: 1001,
  payload: text('GET /keys HTTP/1.1\r\nHost: kv.tab\r\nAccept: */*\r\n\r\n'),
});
const ok = tcpFrame({
  srcPort: 80,
  dstPort: 49152,
  flags: TCP_PSH | TCP_ACK,
  payload: text('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le'),
});
const body = tcpFrame({ flags: TCP_ACK, ack: 1, payload: Uint8Array.from({ length: 1460 }, (_, i) => i & 0xff) });
const dnsAnswer = udpFrame(
  DNS_IP,
  FIRST_GUEST_IP,
  53,
  5353,
  emitDns({
    id: 7,
    flags: DNS_FLAG_QR | 0x0180,
    questions: [{ name: 'kv.tab', type: 1, class: 1 }],
    answers: [{ name: 'kv.tab', type: 1, class: 1, ttl: 60, data: Uint8Array.of(10, 0, 2, 15) }],
  }),
);
const dhcpAck = udpFrame(
  GATEWAY_IP,
  FIRST_GUEST_IP,
  67,
  68,
  emitDhcp({
    op: BOOTREPLY,
    xid: 0xabcd,
    chaddr: GUEST_MAC,
    messageType: DHCP_ACK,
    yiaddr: FIRST_GUEST_IP,
    serverId: GATEWAY_IP,
    leaseTime: 86400,
    router: GATEWAY_IP,
    dnsServers: [DNS_IP],
  }),
);
const ping = ipFrame(
  FIRST_GUEST_IP,
  GATEWAY_IP,
  IP_PROTOCOL_ICMP,
  emitIcmp({ type: ICMP_ECHO_REQUEST, code: 0, id: 1, seq: 2, payload: new Uint8Array(8) }),
);

/** A layer's fields by name. */
function fields(layers: Layer[], name: string): Record<string, string> {
  const layer = layers.find((l) => l.name === name);
  assert.ok(layer, `a ${name} layer`);
  return Object.fromEntries(layer.fields);
}

describe('dissect', () => {
  test('summaries name the highest protocol first, HTTP by its start line', () => {
    assert.equal(summarize(arpRequest), 'ARP who-has 10.0.2.2 tell 10.0.2.15');
    assert.equal(summarize(syn), 'TCP 10.0.2.2:49152 → 10.0.2.15:80 [SYN] seq=1000 win=65535 len=0 mss=1460');
    assert.equal(summarize(get), 'HTTP GET /keys');
    assert.equal(summarize(ok), 'HTTP 200 OK');
    assert.match(summarize(body), /^TCP .* \[ACK\] seq=1000 ack=1 win=65535 len=1460$/);
    assert.equal(summarize(dnsAnswer), 'DNS response A kv.tab → 10.0.2.15');
    assert.equal(summarize(dhcpAck), 'DHCP ACK 10.0.2.15');
    assert.equal(summarize(ping), 'ICMP echo request 10.0.2.15 → 10.0.2.2 id=1 seq=2');
  });

  test('a SYN with window scaling, and a 64 KiB segment (v86 virtio-net frames)', () => {
    const scaled = tcpFrame({ options: { mss: 65495, windowScale: 5 } });
    assert.equal(
      summarize(scaled),
      'TCP 10.0.2.2:49152 → 10.0.2.15:80 [SYN] seq=1000 win=65535 len=0 mss=65495 wscale=5',
    );
    const large = tcpFrame({ flags: TCP_ACK, payload: new Uint8Array(65495) });
    assert.equal(large.length, 65549);
    assert.match(summarize(large), /^TCP .* \[ACK\] seq=1000 ack=\d+ win=65535 len=65495$/);
  });

  test('frame info carries the protocol, every layer tag and the ports', () => {
    assert.deepEqual(frameInfo(get), {
      protocol: 'HTTP',
      summary: 'HTTP GET /keys',
      tags: ['eth', 'ip', 'tcp', 'http'],
      ports: [49152, 80],
    });
    assert.deepEqual(frameInfo(arpRequest).tags, ['eth', 'arp']);
    assert.equal(frameInfo(arpRequest).protocol, 'ARP');
    assert.deepEqual(frameInfo(dhcpAck).tags, ['eth', 'ip', 'udp', 'dhcp']);
    assert.deepEqual(frameInfo(dnsAnswer).ports, [53, 5353]);
    assert.equal(frameInfo(ping).protocol, 'ICMP');
    assert.equal(frameInfo(body).protocol, 'TCP');
  });

  test('a corrupted checksum makes the layer malformed, not a wrong answer', () => {
    const bad = get.slice();
    bad[bad.length - 1] ^= 0xff;
    assert.equal(summarize(bad), 'TCP 10.0.2.2 → 10.0.2.15 (malformed)');
    assert.equal(dissect(bad).at(-1)?.title, 'TCP (malformed: bad length or checksum)');
    assert.equal(summarize(new Uint8Array(3)), 'Ethernet (malformed, 3 bytes)');
    assert.deepEqual(
      dissect(new Uint8Array(3)).map((l) => l.name),
      ['Ethernet'],
    );
  });

  test('layers of an HTTP request: Ethernet, IPv4, TCP and the head, with byte ranges', () => {
    const layers = dissect(get);
    assert.deepEqual(
      layers.map((l) => [l.name, l.start, l.end]),
      [
        ['Ethernet', 0, 14],
        ['IPv4', 14, 34],
        ['TCP', 34, 54],
        ['HTTP', 54, get.length],
      ],
    );
    assert.equal(fields(layers, 'Ethernet')['Type'], '0x0800 (IPv4)');
    const ip = fields(layers, 'IPv4');
    assert.equal(ip['Source'], '10.0.2.2');
    assert.equal(ip['Protocol'], '6 (TCP)');
    assert.equal(ip['Flags'], "DF (don't fragment)");
    assert.equal(ip['Identification'], '0x1234 (4660)');
    const tcp = fields(layers, 'TCP');
    assert.equal(tcp['Flags'], '0x018 (PSH, ACK)');
    assert.equal(tcp['Acknowledgment number'], '5000');
    assert.equal(layers[3]?.title, 'Hypertext Transfer Protocol: GET /keys HTTP/1.1');
    assert.deepEqual(layers[3]?.fields, [
      ['Host', 'kv.tab'],
      ['Accept', '*/*'],
    ]);
  });

  test('layers of ARP, a SYN with options, DHCP, DNS and ICMP', () => {
    assert.deepEqual(fields(dissect(arpRequest), 'ARP'), {
      Opcode: '1 (request)',
      'Sender MAC': GUEST_MAC,
      'Sender IP': '10.0.2.15',
      'Target MAC': '00:00:00:00:00:00',
      'Target IP': '10.0.2.2',
    });
    assert.equal(fields(dissect(syn), 'TCP')['Options'], 'MSS 1460');
    assert.equal(fields(dissect(syn), 'TCP')['Acknowledgment number'], '(not set)');
    const dhcp = fields(dissect(dhcpAck), 'DHCP');
    assert.equal(dhcp['Message type'], '5 (ACK)');
    assert.equal(dhcp['Your IP'], '10.0.2.15');
    assert.equal(dhcp['Lease time'], '86400 s');
    assert.equal(dhcp['DNS servers'], '10.0.2.3');
    const dns = dissect(dnsAnswer).find((l) => l.name === 'DNS');
    assert.deepEqual(dns?.fields.slice(2), [
      ['Question', 'kv.tab A'],
      ['Answer', 'kv.tab A 10.0.2.15 ttl=60'],
    ]);
    assert.equal(fields(dissect(ping), 'ICMP')['Type'], '8 (echo request)');
  });

  test('HTTP is recognised only at the start of a segment, and a cut head says so', () => {
    assert.deepEqual(sniffHttp(text('HTTP/1.1 404 Not Found\r\n\r\n')), {
      firstLine: 'HTTP/1.1 404 Not Found',
      response: { status: 404, reason: 'Not Found' },
      headers: [],
      complete: true,
    });
    const cut = sniffHttp(text('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le'));
    assert.equal(cut?.complete, false);
    assert.deepEqual(cut?.headers, [['Content-Type', 'application/json']]);
    assert.deepEqual(dissect(ok).at(-1)?.fields.at(-1), ['…', 'the head continues in the next segment']);
    assert.equal(sniffHttp(text('{"a":"GET / HTTP/1.1"}\r\n')), null);
    assert.equal(sniffHttp(text('GET /keys HTTP/1.1')), null, 'no CRLF yet: not known to be HTTP');
    assert.equal(sniffHttp(Uint8Array.of(0, 1, 2, 13, 10)), null);
  });

  test('hex dump: offset, 16 bytes in two groups, printable ASCII', () => {
    const rows = hexDump(text('GET /keys HTTP/1.1\r\n'));
    assert.deepEqual(rows, [
      '0000  47 45 54 20 2f 6b 65 79  73 20 48 54 54 50 2f 31  GET /keys HTTP/1',
      '0010  2e 31 0d 0a                                       .1..',
    ]);
    const h = hexDumpColumns(10);
    assert.equal(rows[0]?.slice(h.hex, h.hex + 2), '48');
    assert.equal(rows[0]?.[h.ascii], 'H');
  });
});

describe('filter', () => {
  const frames = [arpRequest, syn, get, ok, body, dnsAnswer, dhcpAck, ping].map(frameInfo);
  const matching = (filter: string): string[] => frames.filter(compileFilter(filter)).map((f) => f.summary);

  test('a protocol name matches every frame that carries it', () => {
    assert.deepEqual(matching('arp'), ['ARP who-has 10.0.2.2 tell 10.0.2.15']);
    assert.equal(matching('tcp').length, 4);
    assert.deepEqual(matching('http'), ['HTTP GET /keys', 'HTTP 200 OK']);
    assert.equal(matching('udp').length, 2);
    assert.equal(matching('IP').length, 7);
  });

  test('port N, not, and free text, all of which must match', () => {
    assert.equal(matching('port 80').length, 4);
    assert.deepEqual(matching('port 53'), ['DNS response A kv.tab → 10.0.2.15']);
    assert.equal(matching('not tcp').length, 4);
    assert.equal(matching('!arp').length, 7);
    assert.deepEqual(matching('tcp syn'), [summarize(syn)]);
    assert.deepEqual(matching('/keys'), ['HTTP GET /keys']);
    assert.equal(matching('').length, frames.length);
    assert.equal(matching('port').length, 0, '"port" without a number is text');
  });
});
