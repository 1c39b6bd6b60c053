import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MacTranslation, randomMac } from './lan-mac.ts';
import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp } from './net/arp.ts';
import { BROADCAST_MAC, emitEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from './net/ethernet.ts';
import { ip } from './net/ipv4.ts';

const GUEST = '52:54:00:12:34:56';
const OUTER = '0a:01:02:03:04:05';
const PEER = '52:54:00:aa:bb:cc';
const macs = new MacTranslation(GUEST, OUTER);

function arpFrame(dst: string, src: string, op: number, senderMac: string, targetMac: string): Uint8Array {
  const payload = emitArp({ op, senderMac, senderIp: ip(10, 0, 2, 16), targetMac, targetIp: ip(10, 0, 2, 15) });
  return emitEthernet({ dst, src, type: ETHERTYPE_ARP, payload });
}

test("out: the guest's frames leave with its LAN MAC, in the Ethernet source and as an ARP sender", () => {
  const ipFrame = emitEthernet({ dst: PEER, src: GUEST, type: ETHERTYPE_IPV4, payload: new Uint8Array(46) });
  const out = parseEthernet(macs.out(ipFrame))!;
  assert.deepEqual([out.src, out.dst], [OUTER, PEER]);
  assert.equal(parseEthernet(ipFrame)!.src, GUEST, 'the frame itself is left alone (it may be read elsewhere)');
  const request = parseEthernet(macs.out(arpFrame(BROADCAST_MAC, GUEST, ARP_REQUEST, GUEST, '00:00:00:00:00:00')))!;
  assert.equal(request.src, OUTER);
  assert.equal(parseArp(request.payload)!.senderMac, OUTER);
});

test('in: frames for its LAN MAC reach the guest addressed to its own, in Ethernet and as an ARP target', () => {
  const reply = parseEthernet(macs.in(arpFrame(OUTER, PEER, ARP_REPLY, PEER, OUTER)))!;
  assert.equal(reply.dst, GUEST);
  assert.deepEqual([parseArp(reply.payload)!.senderMac, parseArp(reply.payload)!.targetMac], [PEER, GUEST]);
  const broadcast = arpFrame(BROADCAST_MAC, PEER, ARP_REQUEST, PEER, '00:00:00:00:00:00');
  assert.equal(macs.in(broadcast), broadcast, 'nothing to rewrite: the same bytes');
  const runt = new Uint8Array(10);
  assert.equal(macs.in(runt), runt);
});

test('randomMac: locally administered unicast, from the random source', () => {
  assert.equal(
    randomMac(() => 0.5),
    '0a:80:80:80:80:80',
  );
  assert.match(randomMac(), /^0a(:[0-9a-f]{2}){5}$/);
});
