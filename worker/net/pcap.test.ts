import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARP_REQUEST, emitArp } from './arp.ts';
import { BOOTREQUEST, DHCP_DISCOVER, DHCP_REQUEST, emitDhcp } from './dhcp.ts';
import { emitDns } from './dns.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet } from './ethernet.ts';
import { HttpClient } from './http-client.ts';
import { ICMP_ECHO_REQUEST, emitIcmp } from './icmp.ts';
import { IP_BROADCAST, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP, emitIpv4, type Ip } from './ipv4.ts';
import { DNS_IP, FIRST_GUEST_IP, GATEWAY_IP, GATEWAY_MAC } from './lan.ts';
import { dissect, summarize } from './dissect.ts';
import { Capture, pcapHeader, pcapRecord } from './pcap.ts';
import { SIM_GUEST_MAC, Sim, simulatePair } from './sim.ts';
import { emitUdp } from './udp.ts';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const hasTshark = spawnSync('tshark', ['--version']).status === 0;

function udpFrame(src: Ip, dst: Ip, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const udp = emitUdp({ srcPort, dstPort, payload }, src, dst);
  const packet = emitIpv4({ src, dst, protocol: IP_PROTOCOL_UDP, payload: udp });
  return emitEthernet({
    dst: dst === IP_BROADCAST ? BROADCAST_MAC : GATEWAY_MAC,
    src: SIM_GUEST_MAC,
    type: ETHERTYPE_IPV4,
    payload: packet,
  });
}

/** A capture of everything an appliance does on boot and on its first API call: DHCP, ARP, DNS, ping, HTTP. */
async function captureSession(): Promise<Capture> {
  const sim = new Sim(3);
  const capture = new Capture();
  const { host, peer } = simulatePair(sim, { host: { capture, name: 'kv' } });
  let at = 0;
  const guest = (frame: Uint8Array): void => sim.at((at += 1), () => host.receive(frame, sim.now));
  const dhcp = { op: BOOTREQUEST, xid: 0xabcd, chaddr: SIM_GUEST_MAC, flags: 0x8000 };
  guest(udpFrame(0, IP_BROADCAST, 68, 67, emitDhcp({ ...dhcp, messageType: DHCP_DISCOVER })));
  guest(
    udpFrame(
      0,
      IP_BROADCAST,
      68,
      67,
      emitDhcp({ ...dhcp, messageType: DHCP_REQUEST, requestedIp: FIRST_GUEST_IP, serverId: GATEWAY_IP }),
    ),
  );
  const arp = emitArp({
    op: ARP_REQUEST,
    senderMac: SIM_GUEST_MAC,
    senderIp: FIRST_GUEST_IP,
    targetMac: '00:00:00:00:00:00',
    targetIp: GATEWAY_IP,
  });
  guest(emitEthernet({ dst: BROADCAST_MAC, src: SIM_GUEST_MAC, type: ETHERTYPE_ARP, payload: arp }));
  for (const name of ['kv.tabcloud', 'example.com']) {
    guest(
      udpFrame(
        FIRST_GUEST_IP,
        DNS_IP,
        5353,
        53,
        emitDns({ id: 1, flags: 0x100, questions: [{ name, type: 1, class: 1 }], answers: [] }),
      ),
    );
  }
  const echo = emitIcmp({ type: ICMP_ECHO_REQUEST, code: 0, id: 1, seq: 1, payload: new Uint8Array(16) });
  const ping = emitIpv4({ src: FIRST_GUEST_IP, dst: GATEWAY_IP, protocol: IP_PROTOCOL_ICMP, payload: echo });
  guest(emitEthernet({ dst: GATEWAY_MAC, src: SIM_GUEST_MAC, type: ETHERTYPE_IPV4, payload: ping }));
  peer.listen(80, (socket) => {
    void (async () => {
      await socket.read();
      socket.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'));
      socket.close();
    })();
  });
  let injected = false;
  sim.at(at + 1, () => (injected = true));
  await sim.run(() => injected, { settle });
  let done = false;
  void new HttpClient(host)
    .request({ ip: FIRST_GUEST_IP, path: '/keys' })
    .then((r) => r.body.bytes())
    .finally(() => (done = true));
  await sim.run(() => done && host.socketCount === 0, { settle });
  return capture;
}

describe('capture', () => {
  test('summaries read like Wireshark one-liners', async () => {
    const capture = await captureSession();
    const lines = capture.frames().map((f) => `${f.direction} ${summarize(f.frame)}`);
    const expected = [
      /^from-guest DHCP DISCOVER$/,
      /^to-guest DHCP OFFER 10\.0\.2\.15$/,
      /^from-guest DHCP REQUEST 10\.0\.2\.15$/,
      /^to-guest DHCP ACK 10\.0\.2\.15$/,
      /^from-guest ARP who-has 10\.0\.2\.2 tell 10\.0\.2\.15$/,
      /^to-guest ARP 10\.0\.2\.2 is-at 52:55:0a:00:02:02$/,
      /^from-guest DNS A kv\.tabcloud$/,
      /^to-guest DNS response A kv\.tabcloud → 10\.0\.2\.15$/,
      /^from-guest DNS A example\.com$/,
      /^to-guest DNS response NXDOMAIN example\.com$/,
      /^from-guest ICMP echo request 10\.0\.2\.15 → 10\.0\.2\.2 id=1 seq=1$/,
      /^to-guest ICMP echo reply 10\.0\.2\.2 → 10\.0\.2\.15 id=1 seq=1$/,
      /^to-guest TCP 10\.0\.2\.2:\d+ → 10\.0\.2\.15:80 \[SYN\] seq=\d+ win=65535 len=0 mss=1460$/,
      /^from-guest TCP 10\.0\.2\.15:80 → 10\.0\.2\.2:\d+ \[SYN, ACK\] seq=\d+ ack=\d+ win=65535 len=0 mss=1460$/,
    ];
    expected.forEach((pattern, i) => assert.match(lines[i], pattern));
    assert.equal(lines[14], 'to-guest HTTP GET /keys');
    const response = lines.indexOf('from-guest HTTP 200 OK');
    assert.ok(response > 14, 'the response is summarised by its status line');
    const tcp = dissect(capture.frames()[response].frame).find((layer) => layer.name === 'TCP');
    assert.match(
      Object.fromEntries(tcp?.fields ?? [])['Flags'],
      /\(FIN, PSH, ACK\)/,
      'the response FIN rides on its data',
    );
    assert.equal(summarize(new Uint8Array(3)), 'Ethernet (malformed, 3 bytes)');
  });

  test('the ring keeps the newest frames within its limits', () => {
    const capture = new Capture(3, 1000);
    for (let i = 0; i < 5; i++) capture.record(new Uint8Array(100).fill(i), i, 'to-guest');
    assert.deepEqual(
      capture.frames().map((f) => f.frame[0]),
      [2, 3, 4],
    );
    capture.record(new Uint8Array(950), 5, 'to-guest');
    assert.deepEqual(
      capture.frames().map((f) => f.frame.length),
      [950],
    );
    assert.equal(capture.dropped, 5);
  });

  test('pcap header and records are classic little-endian pcap', () => {
    assert.equal(Buffer.from(pcapHeader()).toString('hex'), 'd4c3b2a10200040000000000000000000000040001000000');
    const record = pcapRecord(Uint8Array.of(1, 2, 3), 1_700_000_000_123.456);
    assert.equal(Buffer.from(record).toString('hex'), '00f15365' + '40e20100' + '03000000' + '03000000' + '010203');
    // A virtio-net frame of v86's 64 KiB MTU is kept whole (the snap length is 256 KiB).
    const large = pcapRecord(new Uint8Array(65549), 0);
    assert.equal(large.length, 16 + 65549);
    assert.deepEqual([...large.subarray(8, 16)], [0x0d, 0x00, 0x01, 0x00, 0x0d, 0x00, 0x01, 0x00]);
  });

  test(
    'tshark reads the exported pcap without a warning, checksums verified',
    { skip: !hasTshark && 'tshark is not installed (apt-get install tshark)' },
    async () => {
      const capture = await captureSession();
      const dir = mkdtempSync(join(tmpdir(), 'tabcloud-pcap-'));
      try {
        const file = join(dir, 'session.pcap');
        writeFileSync(file, capture.toPcap(Date.UTC(2025, 0, 1)));
        const checks = [
          '-o',
          'ip.check_checksum:TRUE',
          '-o',
          'tcp.check_checksum:TRUE',
          '-o',
          'udp.check_checksum:TRUE',
        ];
        const run = spawnSync('tshark', ['-r', file, ...checks], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        // tshark's note about running as root is about this machine, not the file.
        const warnings = run.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('Running as user'));
        assert.deepEqual(warnings, []);
        assert.equal(run.stdout.trim().split('\n').length, capture.frames().length);
        const problems = execFileSync(
          'tshark',
          [
            '-r',
            file,
            ...checks,
            '-Y',
            '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0',
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        assert.equal(problems, '');
        assert.match(run.stdout, /DHCP Discover/);
        assert.match(run.stdout, /Standard query response 0x0001 No such name A example\.com/);
        assert.match(run.stdout, /HTTP\/1\.1 200 OK/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
