// The kv appliance against a TCP stack nobody here wrote: QEMU's user network (slirp) is the
// DHCP server and the TCP peer; Node's fetch/http/net drive the API through hostfwd on loopback.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/publish.ts';

const IMAGE = fileURLToPath(new URL('../public/images/kv.elf', import.meta.url));
const CATALOG = fileURLToPath(new URL('./appliances.json', import.meta.url));
const MiB = 1 << 20;
/** The cards kv drives under QEMU: the catalog's virtio-net (modern-only, structures in a memory BAR) and the NE2000. */
const CARDS = [
  { name: 'virtio-net', device: 'virtio-net-pci,netdev=n0,disable-legacy=on,romfile=' },
  { name: 'ne2k', device: 'ne2k_pci,netdev=n0' },
];

interface Kv {
  url: string;
  port: number;
  console: () => string;
  stop: () => void;
}

/** The memory the catalog gives kv, in MiB. */
async function catalogMiB(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const catalog = JSON.parse(await readFile(CATALOG, 'utf8')) as { id: string; memory: number }[];
  return Math.ceil(catalog.find((a) => a.id === 'kv')!.memory / MiB);
}

/** Boots kv.elf under QEMU with port 80 forwarded and the given card; resolves once it printed READY kv. */
async function bootKv(initrd?: string, device = CARDS[0]!.device): Promise<Kv> {
  const port = await freePort();
  const args = [
    ...['-kernel', IMAGE, '-m', String(await catalogMiB())],
    ...['-display', 'none', '-serial', 'stdio', '-no-reboot', '-nodefaults'],
    ...['-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:80`, '-device', device],
    ...(initrd ? ['-initrd', initrd] : []),
  ];
  const qemu: ChildProcess = spawn('qemu-system-i386', args, { stdio: 'pipe' });
  let output = '';
  qemu.stdout!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  qemu.stderr!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  await new Promise<void>((resolve, reject) => {
    const start = Date.now();
    const check = (): void => {
      // The whole line, its end included: the first test matches the console up to it.
      if (/^READY kv\r?\n/m.test(output)) resolve();
      else if (Date.now() - start > 20_000 || qemu.exitCode !== null) {
        qemu.kill();
        reject(new Error(`kv never got READY under QEMU:\n${output}`));
      } else setTimeout(check, 20);
    };
    check();
  });
  return { url: `http://127.0.0.1:${port}`, port, console: () => output, stop: () => qemu.kill() };
}

/** Sends raw bytes on a fresh connection; resolves with everything the server sent until it closed. */
function raw(port: number, bytes: string | Buffer, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${ms} ms; got:\n${data}`));
    }, ms);
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.write(bytes);
  });
}

/** The status code of the first response in raw output. */
function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1]);
}

/** A keep-alive HTTP/1.1 client on one socket: one request at a time, Content-Length responses. */
class KeepAlive {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake?.();
    });
  }

  static open(port: number): Promise<KeepAlive> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new KeepAlive(socket)));
      socket.on('error', reject);
    });
  }

  /** Sends a request; resolves to [status, body] of its response. */
  async call(method: string, path: string, body = ''): Promise<[number, string]> {
    this.socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: kv\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      const head = end < 0 ? '' : this.buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (end >= 0 && this.buffer.length >= end + 4 + length) {
        const text = this.buffer.subarray(end + 4, end + 4 + length).toString();
        this.buffer = this.buffer.subarray(end + 4 + length);
        return [statusOf(head), text];
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): void {
    this.socket.end();
  }
}

for (const card of CARDS)
  describe(`kv under QEMU on ${card.name} (slirp as the peer)`, () => {
    let kv: Kv;
    before(async () => (kv = await bootKv(undefined, card.device)));
    after(() => kv?.stop());

    test('boots with DHCP and announces its address and card', () => {
      const out = kv.console();
      assert.match(out, new RegExp(`^nic: ${card.name} [0-9a-f:]{17} at 0x[0-9a-f]+ irq \\d+ mtu 1500,`, 'm'));
      for (const stage of ['nic', 'dhcp-bound', 'listening', 'ready'])
        assert.match(out, new RegExp(`@boot ${stage} \\d+\\.\\d{3}`));
      assert.match(out, /@boot ready [\d.]+\r?\nkv listening on http:\/\/10\.0\.2\.15:80\/\r?\nREADY kv\r?\n/);
    });

    test('CRUD cycle with Content-Type kept', async () => {
      let r = await fetch(`${kv.url}/`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('server'), 'tabcloud-kv');
      assert.deepEqual(await r.json(), { appliance: 'kv', keys: 0, bytes: 0 });
      r = await fetch(`${kv.url}/keys/greeting`, {
        method: 'PUT',
        body: 'hello',
        headers: { 'content-type': 'text/x-test' },
      });
      assert.equal(r.status, 201);
      await r.arrayBuffer();
      r = await fetch(`${kv.url}/keys/greeting`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/x-test');
      assert.equal(await r.text(), 'hello');
      r = await fetch(`${kv.url}/keys/greeting`, { method: 'PUT', body: 'hello again' });
      assert.equal(r.status, 204);
      await fetch(`${kv.url}/keys/a.b-c_d~e`, { method: 'PUT', body: '' }).then((x) => x.arrayBuffer());
      assert.deepEqual(await (await fetch(`${kv.url}/keys`)).json(), ['a.b-c_d~e', 'greeting']);
      assert.deepEqual(await (await fetch(`${kv.url}/`)).json(), { appliance: 'kv', keys: 2, bytes: 11 });
      assert.equal((await fetch(`${kv.url}/keys/greeting`, { method: 'DELETE' })).status, 204);
      assert.equal((await fetch(`${kv.url}/keys/greeting`, { method: 'DELETE' })).status, 404);
      r = await fetch(`${kv.url}/keys/greeting`);
      assert.equal(r.status, 404);
      assert.equal((await r.json()).error, 'not_found');
      assert.equal((await fetch(`${kv.url}/keys/a.b-c_d~e`, { method: 'DELETE' })).status, 204);
    });

    test('32 concurrent clients', async () => {
      // Connected one by one: slirp's hostfwd listener accepts only a few connections at a time and the
      // host retries the rest after a second; the requests then run concurrently on 32 connections.
      const clients: KeepAlive[] = [];
      for (let i = 0; i < 32; i++) {
        const c = await KeepAlive.open(kv.port);
        assert.equal((await c.call('GET', '/'))[0], 200);
        clients.push(c);
      }
      const value = (i: number): string => `value of ${i} `.repeat(10 * i + 1);
      const puts = await Promise.all(clients.map((c, i) => c.call('PUT', `/keys/client${i}`, value(i))));
      assert.deepEqual(
        puts.map(([s]) => s),
        clients.map(() => 201),
      );
      const gets = await Promise.all(clients.map((c, i) => c.call('GET', `/keys/client${i}`)));
      gets.forEach(([s, body], i) => assert.deepEqual([s, body], [200, value(i)]));
      const keys = (await (await fetch(`${kv.url}/keys`)).json()) as string[];
      assert.deepEqual(keys, clients.map((_, i) => `client${i}`).sort());
      const dels = await Promise.all(clients.map((c, i) => c.call('DELETE', `/keys/client${i}`)));
      assert.deepEqual(
        dels.map(([s]) => s),
        clients.map(() => 204),
      );
      for (const c of clients) c.close();
    });

    test('a 1 MiB value round trip is byte-exact', async (t) => {
      const value = randomBytes(MiB);
      let start = performance.now();
      const put = await fetch(`${kv.url}/keys/big`, { method: 'PUT', body: value });
      const putMs = performance.now() - start;
      assert.equal(put.status, 201);
      start = performance.now();
      const get = await fetch(`${kv.url}/keys/big`);
      const back = Buffer.from(await get.arrayBuffer());
      const getMs = performance.now() - start;
      assert.equal(get.headers.get('content-length'), String(MiB));
      assert.ok(back.equals(value), 'the bytes came back unchanged');
      t.diagnostic(`1 MiB PUT ${putMs.toFixed(0)} ms, GET ${getMs.toFixed(0)} ms`);
      assert.equal((await fetch(`${kv.url}/keys/big`, { method: 'DELETE' })).status, 204);
    });

    test('keep-alive reuses one connection, and requests/s over it', async (t) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const get = (): Promise<boolean> =>
        new Promise((resolve, reject) => {
          const req = request(`${kv.url}/`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(req.reusedSocket));
          });
          req.on('error', reject);
          req.end();
        });
      assert.equal(await get(), false);
      assert.equal(await get(), true);
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < 1000) {
        assert.equal(await get(), true);
        n++;
      }
      t.diagnostic(`${((n * 1000) / (performance.now() - start)).toFixed(0)} requests/s on one keep-alive connection`);
      agent.destroy();
    });

    test('each limit answers with its status', async () => {
      const status = async (path: string, init?: RequestInit): Promise<number> => {
        const r = await fetch(`${kv.url}${path}`, init);
        await r.arrayBuffer();
        return r.status;
      };
      assert.equal(await status('/keys/bad%20key', { method: 'PUT', body: 'x' }), 400);
      assert.equal(await status(`/keys/${'k'.repeat(129)}`), 400);
      assert.equal(await status('/nothing'), 404);
      assert.equal(await status('/keys/a', { method: 'POST', body: 'x' }), 405);
      assert.equal(await status('/keys', { method: 'DELETE' }), 405);
      assert.equal(await status('/keys/huge', { method: 'PUT', body: Buffer.alloc(MiB + 1) }), 413);
      assert.equal(statusOf(await raw(kv.port, `GET /${'u'.repeat(3000)} HTTP/1.1\r\n\r\n`)), 414);
      assert.equal(statusOf(await raw(kv.port, `GET / HTTP/1.1\r\nX-Big: ${'h'.repeat(9000)}\r\n\r\n`)), 431);
      const filler = randomBytes(MiB);
      for (let i = 0; i < 8; i++) assert.equal(await status(`/keys/fill${i}`, { method: 'PUT', body: filler }), 201);
      const full = await fetch(`${kv.url}/keys/one-more`, { method: 'PUT', body: 'x' });
      assert.equal(full.status, 507);
      assert.equal((await full.json()).error, 'storage_full');
      assert.equal(await status('/keys/fill0', { method: 'PUT', body: filler }), 204, 'replacing still fits');
      for (let i = 0; i < 8; i++) assert.equal(await status(`/keys/fill${i}`, { method: 'DELETE' }), 204);
    });

    test('a malformed request does not stop the service', async () => {
      const bad = await raw(kv.port, 'GARBAGE\r\n\r\n');
      assert.equal(statusOf(bad), 400);
      assert.match(bad, /Connection: close/);
      assert.equal(statusOf(await raw(kv.port, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]))), 400);
      const pipelined = await raw(kv.port, 'GET / HTTP/1.1\r\n\r\nGET /keys HTTP/1.1\r\nConnection: close\r\n\r\n');
      assert.deepEqual(pipelined.match(/HTTP\/1\.1 200/g), ['HTTP/1.1 200', 'HTTP/1.1 200']);
      const r = await fetch(`${kv.url}/`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { appliance: 'kv', keys: 0, bytes: 0 });
    });
  });

describe('kv seeded from user-data (-initrd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-seed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a JSON object of strings is served', async () => {
    const seed = join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify({ greeting: 'hello, world\n', 'unicode.txt': 'h\u00e9llo \u2603', empty: '' }));
    const kv = await bootKv(seed);
    try {
      assert.match(kv.console(), /seeded 3 keys/);
      assert.deepEqual(await (await fetch(`${kv.url}/keys`)).json(), ['empty', 'greeting', 'unicode.txt']);
      const r = await fetch(`${kv.url}/keys/unicode.txt`);
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(await r.text(), 'h\u00e9llo \u2603');
      assert.equal(await (await fetch(`${kv.url}/keys/greeting`)).text(), 'hello, world\n');
    } finally {
      kv.stop();
    }
  });

  test('a bad seed is reported and the store starts empty', async () => {
    const seed = join(dir, 'bad.json');
    writeFileSync(seed, '{"ok": "1", "n": 2}');
    const kv = await bootKv(seed);
    try {
      assert.match(kv.console(), /kv: seed rejected: values must be strings at byte 17; starting empty/);
      assert.deepEqual(await (await fetch(`${kv.url}/`)).json(), { appliance: 'kv', keys: 0, bytes: 0 });
    } finally {
      kv.stop();
    }
  });
});
