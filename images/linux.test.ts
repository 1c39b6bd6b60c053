// The linux appliance in Node: it resumes from its snapshot and boots cold, and Linux's own TCP
// is the peer of the host stack (worker/net/) for a page, 1 MiB byte-exact, 16 connections at
// once and a ping, over v86's virtio-net with 64 KiB frames and window scaling on both sides.
// Skipped when the build could not reach Debian's packages.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createNodeMachine, imagePath, loadCatalog } from '../cli/node-host.ts';
import { HttpClient } from '../worker/net/http-client.ts';
import { parseEthernet } from '../worker/net/ethernet.ts';
import { parseIpv4 } from '../worker/net/ipv4.ts';
import { parseTcp, TCP_ACK, TCP_SYN } from '../worker/net/tcp.ts';
import type { Network } from '../worker/net/network.ts';
import type { Machine } from '../worker/machine.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

const COLD_BOOT_TIMEOUT_MS = 240_000;
const CONCURRENT = 16;

const appliance = (await loadCatalog()).find((a) => a.id === 'linux');
const files = appliance ? [appliance.image, appliance.initrd, appliance.bios, appliance.snapshot] : [];
const built = appliance !== undefined && files.every((f) => f !== undefined && existsSync(imagePath(f)));

/** What /1mib.txt holds: 131072 lines of 8 bytes, "1000000\n" to "1131071\n" (images/linux/build.ts). */
function oneMebibyte(): Uint8Array {
  const lines: string[] = [];
  for (let n = 1_000_000; n < 1_131_072; n++) lines.push(`${n}\n`);
  return new TextEncoder().encode(lines.join(''));
}

interface Booted {
  machine: Machine;
  network: Network;
  ip: number;
  console(): string;
  /**
   * What the guest sent: its largest frame, and the window shift its first SYN-ACK offered (-1: none seen yet;
   * later ones may be SYN cookies, which carry no window scale without timestamps).
   */
  sent: { largest: number; synAckScale: number | undefined };
}

/** Notes a frame from the guest in `sent`. */
function noteFrame(sent: Booted['sent'], frame: Uint8Array): void {
  sent.largest = Math.max(sent.largest, frame.length);
  const ip = parseEthernet(frame)?.type === 0x0800 ? parseIpv4(frame.subarray(14)) : null;
  const tcp = ip?.protocol === 6 ? parseTcp(ip.payload, ip.src, ip.dst) : null;
  if (tcp && (tcp.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && sent.synAckScale === -1)
    sent.synAckScale = tcp.options?.windowScale;
}

async function boot(spec: ApplianceSpec, cold: boolean): Promise<Booted> {
  const sent: Booted['sent'] = { largest: 0, synAckScale: -1 };
  const machine = createNodeMachine({
    tap: (frame, _timeMs, direction) => direction === 'from-guest' && noteFrame(sent, frame),
  });
  let output = '';
  const status = await machine.boot(
    { appliance: spec, cold, ...(cold && { readyTimeoutMs: COLD_BOOT_TIMEOUT_MS }) },
    (event) => {
      if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
    },
  );
  assert.equal(status.state, 'ready');
  const network = machine.network;
  assert.ok(network?.guest, 'the guest leased its address from the host');
  return { machine, network, ip: network.guest.ip, console: () => output, sent };
}

/** Waits until the console, from `from` on, matches; resolves with that part. */
async function waitFor(booted: Booted, pattern: RegExp, from = 0, ms = 20_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const output = booted.console().slice(from);
    if (pattern.test(output)) return output;
    if (Date.now() - start > ms) throw new Error(`the console never matched ${pattern}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a shell command on the guest's console; resolves with what it printed. */
function shell(booted: Booted, command: string): Promise<string> {
  const before = booted.console().length;
  booted.machine.sendSerial(`${command}; echo "DONE $?"\r`);
  return waitFor(booted, /^DONE \d+\r?$/m, before);
}

async function get(client: HttpClient, ip: number, path: string): Promise<{ status: number; body: Uint8Array }> {
  const response = await client.request({ ip, path });
  return { status: response.status, body: await response.body.bytes() };
}

/** What both boots must do: serve the page and 1 MiB exactly, `concurrent` 16 times at once, and ping the host. */
async function interop(booted: Booted, concurrent: '/' | '/1mib.txt'): Promise<void> {
  const client = new HttpClient(booted.network, { maxConnectionsPerHost: CONCURRENT });
  try {
    const page = await get(client, booted.ip, '/');
    assert.equal(page.status, 200);
    const html = new TextDecoder().decode(page.body);
    assert.match(html, /linux: the baseline appliance/);
    assert.match(html, /Linux \d+\.\d+\.\d+-\d+-686/);

    const expected = oneMebibyte();
    const big = await get(client, booted.ip, '/1mib.txt');
    assert.equal(big.status, 200);
    assert.equal(big.body.length, 1 << 20);
    assert.ok(Buffer.from(big.body).equals(expected), '1 MiB arrives byte-exact');

    const all = await Promise.all(Array.from({ length: CONCURRENT }, () => get(client, booted.ip, concurrent)));
    for (const [i, response] of all.entries()) {
      assert.equal(response.status, 200);
      const want = concurrent === '/' ? page.body : expected;
      assert.ok(Buffer.from(response.body).equals(want), `response ${i} of ${CONCURRENT} arrives byte-exact`);
    }

    const ping = await shell(booted, 'ping -c 3 -W 2 10.0.2.2');
    assert.match(ping, /3 packets transmitted, 3 packets received/);

    // Linux took the MTU virtio-net offers and answered the host's window scale with its own.
    assert.match(await shell(booted, 'cat /sys/class/net/eth0/mtu'), /^65535\r?$/m);
    assert.ok(booted.sent.largest > 60_000, `Linux sent frames of ${booted.sent.largest} bytes at most`);
    assert.ok((booted.sent.synAckScale ?? -1) >= 0, 'Linux offered window scaling in its first SYN-ACK');
  } finally {
    client.close();
  }
}

describe(
  'linux appliance',
  { skip: !built && 'linux is not built (Debian packages unreachable at build time)' },
  () => {
    test('resumes from its snapshot and talks TCP with the host stack, 16 MiB at once', async () => {
      const booted = await boot(appliance!, false);
      try {
        assert.doesNotMatch(booted.console(), /@boot ready/, 'a resumed guest prints no boot timeline');
        await interop(booted, '/1mib.txt');
      } finally {
        await booted.machine.stop();
      }
    });

    test('boots cold from its kernel and initramfs', { timeout: COLD_BOOT_TIMEOUT_MS + 60_000 }, async () => {
      const booted = await boot(appliance!, true);
      try {
        await waitFor(booted, /^@boot ready \d+\.\d{3}\r?\nREADY linux\r?$/m);
        await interop(booted, '/');
      } finally {
        await booted.machine.stop();
      }
    });
  },
);
