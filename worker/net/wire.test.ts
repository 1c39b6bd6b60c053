// Golden frames were built by an independent script and checked by tshark with checksum validation on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp } from './arp.ts';
import { checksum, finishChecksum, sum16 } from './checksum.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet, parseEthernet } from './ethernet.ts';
import { ICMP_ECHO_REQUEST, emitIcmp, parseIcmp } from './icmp.ts';
import { IP_PROTOCOL_TCP, emitIpv4, formatIp, ip, parseIp, parseIpv4 } from './ipv4.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, emitTcp, parseTcp, seqAdd, seqDiff, seqGt, seqLe, seqLt } from './tcp.ts';
import { emitUdp, parseUdp } from './udp.ts';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const GOLDEN = {
  arpRequest: hex(`ffffffffffff 525400123456 0806 0001 0800 06 04 0001
    525400123456 0a00020f 000000000000 0a000202`),
  arpReply: hex(`525400123456 52550a000202 0806 0001 0800 06 04 0002
    52550a000202 0a000202 525400123456 0a00020f 000000000000000000000000000000000000`),
  icmpEcho: hex(`52550a000202 525400123456 0800
    4500003c0abc4000400117f50a00020f0a000202
    08003b2712340001 6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869`),
  synWithMss: hex(`525400123456 52550a000202 0800
    4500002c00004000400622bc0a0002020a00020f
    c0000050 12345678 00000000 6002 ffff 5719 0000 020405b4`),
  linuxSyn: hex(`52550a000202 525400123456 0800
    4500003c04d2400040061dda0a00020f0a000202
    9c401f90 fffffff0 00000000 a002 faf0 7537 0000 020405b4 0402 080a0102030400000000 01030307`),
  dataWithFin: hex(`525400123456 52550a000202 0800
    4500003a00074000400622a70a0002020a00020f
    c0000050 fffffffe 00001000 5019 ffff e8b8 0000 474554202f20485454502f312e310d0a0d0a`),
};

const HOST_MAC = '52:55:0a:00:02:02';
const GUEST_MAC = '52:54:00:12:34:56';
const GATEWAY = ip(10, 0, 2, 2);
const GUEST = ip(10, 0, 2, 15);

describe('checksum', () => {
  test('RFC 1071 example', () => {
    // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (before complement).
    assert.equal(finishChecksum(sum16(hex('0001f203f4f5f6f7'))), ~0xddf2 & 0xffff);
  });
  test('odd length pads with a zero byte', () => {
    assert.equal(checksum(hex('0102 03')), checksum(hex('0102 0300')));
  });
});

describe('addresses', () => {
  test('format and parse', () => {
    assert.equal(formatIp(ip(10, 0, 2, 15)), '10.0.2.15');
    assert.equal(parseIp('255.255.255.255'), 0xffffffff);
    assert.equal(parseIp('10.0.2'), null);
    assert.equal(parseIp('10.0.2.256'), null);
  });
});

describe('ethernet + arp', () => {
  test('golden ARP request parses', () => {
    const eth = parseEthernet(GOLDEN.arpRequest);
    assert.ok(eth);
    assert.deepEqual([eth.dst, eth.src, eth.type], ['ff:ff:ff:ff:ff:ff', GUEST_MAC, ETHERTYPE_ARP]);
    assert.deepEqual(parseArp(eth.payload), {
      op: ARP_REQUEST,
      senderMac: GUEST_MAC,
      senderIp: GUEST,
      targetMac: '00:00:00:00:00:00',
      targetIp: GATEWAY,
    });
  });
  test('ARP reply emits the golden bytes, padded to 60', () => {
    const payload = emitArp({
      op: ARP_REPLY,
      senderMac: HOST_MAC,
      senderIp: GATEWAY,
      targetMac: GUEST_MAC,
      targetIp: GUEST,
    });
    const frame = emitEthernet({ dst: GUEST_MAC, src: HOST_MAC, type: ETHERTYPE_ARP, payload });
    assert.equal(toHex(frame), toHex(GOLDEN.arpReply));
  });
  test('truncated or foreign ARP is null', () => {
    assert.equal(parseEthernet(new Uint8Array(13)), null);
    assert.equal(parseArp(GOLDEN.arpRequest.subarray(14, 14 + 27)), null);
    const ipv6 = GOLDEN.arpRequest.slice(14);
    ipv6[3] = 0xdd;
    assert.equal(parseArp(ipv6), null);
  });
});

describe('ipv4 + icmp', () => {
  test('golden echo request parses and re-emits identically', () => {
    const packet = parseIpv4(GOLDEN.icmpEcho.subarray(14));
    assert.ok(packet);
    assert.equal(packet.src, GUEST);
    assert.equal(packet.id, 0x0abc);
    const icmp = parseIcmp(packet.payload);
    assert.ok(icmp);
    assert.deepEqual([icmp.type, icmp.id, icmp.seq], [ICMP_ECHO_REQUEST, 0x1234, 1]);
    const again = emitIpv4({ ...packet, payload: emitIcmp(icmp) });
    assert.equal(toHex(again), toHex(GOLDEN.icmpEcho.subarray(14)));
  });
  test('a bad header checksum, a short total length or a bad version is null', () => {
    const bytes = GOLDEN.icmpEcho.slice(14);
    bytes[10] ^= 1;
    assert.equal(parseIpv4(bytes), null);
    assert.equal(parseIpv4(GOLDEN.icmpEcho.subarray(14, 14 + 40)), null);
    const v6 = GOLDEN.icmpEcho.slice(14);
    v6[0] = 0x65;
    assert.equal(parseIpv4(v6), null);
  });
  test('Ethernet padding is not payload', () => {
    const padded = new Uint8Array(60);
    padded.set(GOLDEN.synWithMss);
    assert.equal(parseIpv4(padded.subarray(14))?.payload.length, 24);
  });
  test('a bad ICMP checksum is null', () => {
    const bytes = GOLDEN.icmpEcho.slice(34);
    bytes[9] ^= 0xff;
    assert.equal(parseIcmp(bytes), null);
  });
});

describe('udp', () => {
  test('round trip, and checksum 0 means none', () => {
    const src = ip(10, 0, 2, 15);
    const dst = ip(10, 0, 2, 3);
    const bytes = emitUdp({ srcPort: 1024, dstPort: 53, payload: hex('abcdef') }, src, dst);
    assert.deepEqual(parseUdp(bytes, src, dst), { srcPort: 1024, dstPort: 53, payload: hex('abcdef') });
    assert.equal(parseUdp(bytes, src, ip(10, 0, 2, 4)), null);
    bytes[6] = bytes[7] = 0;
    assert.ok(parseUdp(bytes, src, ip(10, 0, 2, 4)));
  });
  test('a length field beyond the data is null', () => {
    assert.equal(parseUdp(hex('0400003500ff0000'), 0, 0), null);
  });
});

describe('tcp', () => {
  test('our SYN with MSS matches the golden bytes', () => {
    const segment = emitTcp(
      {
        srcPort: 49152,
        dstPort: 80,
        seq: 0x12345678,
        ack: 0,
        flags: TCP_SYN,
        window: 65535,
        options: { mss: 1460 },
        payload: new Uint8Array(0),
      },
      GATEWAY,
      GUEST,
    );
    const packet = emitIpv4({
      src: GATEWAY,
      dst: GUEST,
      protocol: IP_PROTOCOL_TCP,
      dontFragment: true,
      payload: segment,
    });
    const frame = emitEthernet({ dst: GUEST_MAC, src: HOST_MAC, type: ETHERTYPE_IPV4, payload: packet });
    // 58 bytes on the wire are padded to the 60-byte minimum.
    assert.equal(toHex(frame), toHex(GOLDEN.synWithMss) + '0000');
  });
  test('a Linux SYN parses all its options', () => {
    const packet = parseIpv4(GOLDEN.linuxSyn.subarray(14));
    assert.ok(packet);
    const segment = parseTcp(packet.payload, packet.src, packet.dst);
    assert.ok(segment);
    assert.equal(segment.seq, 0xfffffff0);
    assert.equal(segment.flags, TCP_SYN);
    assert.deepEqual(segment.options, {
      mss: 1460,
      sackPermitted: true,
      timestamps: { value: 0x01020304, echo: 0 },
      windowScale: 7,
    });
  });
  test('data with FIN round-trips', () => {
    const packet = parseIpv4(GOLDEN.dataWithFin.subarray(14));
    assert.ok(packet);
    const segment = parseTcp(packet.payload, packet.src, packet.dst);
    assert.ok(segment);
    assert.equal(segment.flags, TCP_FIN | TCP_PSH | TCP_ACK);
    assert.equal(Buffer.from(segment.payload).toString(), 'GET / HTTP/1.1\r\n\r\n');
    assert.equal(toHex(emitTcp(segment, packet.src, packet.dst)), toHex(packet.payload));
  });
  test('a wrong pseudo-header, bad data offset or option overrun is null', () => {
    const packet = parseIpv4(GOLDEN.linuxSyn.subarray(14));
    assert.ok(packet);
    assert.equal(parseTcp(packet.payload, packet.src, ip(10, 0, 2, 3)), null);
    const bad = packet.payload.slice();
    bad[12] = 0xf0; // 60-byte header in a 40-byte segment
    assert.equal(parseTcp(bad, packet.src, packet.dst), null);
    const overrun = emitTcp(
      { srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0, window: 0, options: { mss: 1 }, payload: new Uint8Array(0) },
      1,
      2,
    );
    overrun[21] = 40; // MSS option claims 40 bytes
    overrun[16] = overrun[17] = 0;
    const sum = checksum(overrun, 0 + 1 + (0 + 2) + 6 + overrun.length);
    overrun[16] = sum >> 8;
    overrun[17] = sum & 0xff;
    assert.equal(parseTcp(overrun, 1, 2), null);
  });
  test('sequence arithmetic wraps at 2^32', () => {
    assert.equal(seqAdd(0xffffffff, 2), 1);
    assert.equal(seqDiff(1, 0xffffffff), 2);
    assert.ok(seqLt(0xfffffff0, 5));
    assert.ok(seqGt(5, 0xfffffff0));
    assert.ok(seqLe(7, 7));
    assert.ok(!seqLt(5, 0xfffffff0));
  });
  test('every truncation of every golden frame parses to null or a shorter packet, never throws', () => {
    for (const frame of Object.values(GOLDEN)) {
      for (let n = 0; n <= frame.length; n++) {
        const eth = parseEthernet(frame.subarray(0, n));
        if (!eth) continue;
        parseArp(eth.payload);
        const packet = parseIpv4(eth.payload);
        if (packet) parseTcp(packet.payload, packet.src, packet.dst);
      }
    }
  });
});
