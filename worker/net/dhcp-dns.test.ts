import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BOOTREPLY, BOOTREQUEST, DHCP_DISCOVER, DHCP_OFFER, emitDhcp, parseDhcp } from './dhcp.ts';
import {
  DNS_CLASS_IN,
  DNS_FLAG_AA,
  DNS_FLAG_QR,
  DNS_FLAG_RD,
  DNS_RCODE_NXDOMAIN,
  DNS_TYPE_A,
  emitDns,
  parseDns,
} from './dns.ts';
import { parseEthernet } from './ethernet.ts';
import { ip, parseIpv4 } from './ipv4.ts';
import { parseUdp } from './udp.ts';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

// The first frame of Wireshark's sample capture dhcp.pcap, rebuilt byte for byte and checked by tshark.
const DHCP_DISCOVER_FRAME = hex(
  'ffffffffffff000b8201fc42080045000148a8360000fa11176f00000000ffffffff00440043013458e7' +
    '0101060000003d1d0000000000000000000000000000000000000000000b8201fc42' +
    '00'.repeat(10 + 64 + 128) +
    '638253633501013d0701000b8201fc4232040000000037040103062aff' +
    '00'.repeat(35),
);
// `dig @10.0.2.3 kv.tab A` from 10.0.2.15:1024.
const DNS_QUERY = hex('123401000001000000000000026b76037461620000010001');

describe('dhcp', () => {
  test('a real DISCOVER parses', () => {
    const eth = parseEthernet(DHCP_DISCOVER_FRAME);
    const packet = eth && parseIpv4(eth.payload);
    const udp = packet && parseUdp(packet.payload, packet.src, packet.dst);
    assert.ok(udp);
    assert.deepEqual([udp.srcPort, udp.dstPort], [68, 67]);
    const message = parseDhcp(udp.payload);
    assert.ok(message);
    assert.equal(message.op, BOOTREQUEST);
    assert.equal(message.xid, 0x3d1d);
    assert.equal(message.chaddr, '00:0b:82:01:fc:42');
    assert.equal(message.messageType, DHCP_DISCOVER);
    assert.equal(message.requestedIp, 0);
    assert.deepEqual(message.parameterList, [1, 3, 6, 42]);
  });
  test('the DISCOVER re-emits to the same 300 bytes', () => {
    const payload = DHCP_DISCOVER_FRAME.subarray(42);
    const message = parseDhcp(payload);
    assert.ok(message);
    // Option 61 (client id) is not kept, so compare without it.
    const again = parseDhcp(emitDhcp(message));
    assert.deepEqual(again, message);
    assert.equal(emitDhcp(message).length, 300);
  });
  test('an OFFER round-trips with every option', () => {
    const offer = {
      op: BOOTREPLY,
      xid: 0xdeadbeef,
      secs: 0,
      flags: 0x8000,
      ciaddr: 0,
      yiaddr: ip(10, 0, 2, 15),
      siaddr: ip(10, 0, 2, 2),
      giaddr: 0,
      chaddr: '52:54:00:12:34:56',
      messageType: DHCP_OFFER,
      serverId: ip(10, 0, 2, 2),
      leaseTime: 86400,
      subnetMask: ip(255, 255, 255, 0),
      router: ip(10, 0, 2, 2),
      dnsServers: [ip(10, 0, 2, 3)],
      hostname: 'kv',
    };
    assert.deepEqual(parseDhcp(emitDhcp(offer)), offer);
  });
  test('no cookie, no message type, or an option overrunning the packet is null', () => {
    const payload = DHCP_DISCOVER_FRAME.slice(42);
    const noCookie = payload.slice();
    noCookie[236] = 0;
    assert.equal(parseDhcp(noCookie), null);
    const bootp = payload.slice();
    bootp[240] = 0; // option 53 becomes padding
    bootp[241] = 0;
    bootp[242] = 0;
    assert.equal(parseDhcp(bootp), null);
    const overrun = payload.slice(0, 245);
    overrun[244] = 200; // option 61 claims 200 bytes
    assert.equal(parseDhcp(overrun), null);
    assert.equal(parseDhcp(payload.subarray(0, 239)), null);
  });
});

describe('dns', () => {
  test('a real query parses', () => {
    assert.deepEqual(parseDns(DNS_QUERY), {
      id: 0x1234,
      flags: DNS_FLAG_RD,
      questions: [{ name: 'kv.tab', type: DNS_TYPE_A, class: DNS_CLASS_IN }],
      answers: [],
      authorities: [],
      additionals: [],
    });
    assert.deepEqual(emitDns(parseDns(DNS_QUERY)!), DNS_QUERY);
  });
  test('an answer round-trips', () => {
    const answer = {
      id: 7,
      flags: DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RD,
      questions: [{ name: 'kv.tab', type: DNS_TYPE_A, class: DNS_CLASS_IN }],
      answers: [
        { name: 'kv.tab', type: DNS_TYPE_A, class: DNS_CLASS_IN, ttl: 70000, data: Uint8Array.of(10, 0, 2, 15) },
      ],
      authorities: [],
      additionals: [],
    };
    assert.deepEqual(parseDns(emitDns(answer)), answer);
  });
  test('compressed names are followed', () => {
    // A response whose answer name is a pointer to the question name at offset 12.
    const response = hex('12348180000100010000000002' + '6b76037461620000010001' + 'c00c000100010000000a00040a00020f');
    const message = parseDns(response);
    assert.equal(message?.answers[0].name, 'kv.tab');
    assert.deepEqual([...message!.answers[0].data], [10, 0, 2, 15]);
    assert.equal(message!.flags & 0xf, 0);
  });
  test('pointer loops, forward pointers and truncation are null', () => {
    assert.equal(parseDns(hex('000000000001000000000000c00c00010001')), null); // points at itself
    assert.equal(parseDns(hex('000000000001000000000000c01000010001')), null); // points forward
    for (let n = 0; n < DNS_QUERY.length; n++) assert.equal(parseDns(DNS_QUERY.subarray(0, n)), null);
    assert.equal(parseDns(hex('000000000001000000000000')), null); // one question announced, none present
  });
  test('NXDOMAIN flags', () => {
    const reply = emitDns({ id: 1, flags: DNS_FLAG_QR | DNS_RCODE_NXDOMAIN, questions: [], answers: [] });
    assert.equal(parseDns(reply)!.flags & 0xf, DNS_RCODE_NXDOMAIN);
  });
});
