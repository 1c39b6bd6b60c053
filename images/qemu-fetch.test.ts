// The guest's HTTP client against peers nobody here wrote: kv under QEMU (TCG) with its user network (slirp),
// where 10.0.2.2 is this machine's loopback and 10.0.2.3 a DNS forwarder to its resolver. The guest's `fetch`
// console command gets a page from a Node HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/publish.ts';

const IMAGE = fileURLToPath(new URL('../public/images/kv.elf', import.meta.url));
const CATALOG = fileURLToPath(new URL('./appliances.json', import.meta.url));

describe('the guest fetch under QEMU (slirp)', () => {
  let qemu: ChildProcess;
  let server: Server;
  let port: number;
  let output = '';
  const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        if (req.url === '/chunked') {
          res.write('first ');
          setTimeout(() => res.end('second'), 50);
        } else res.end(`you sent ${req.method} ${req.url} (${body.length} bytes)\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as { id: string; memory: number }[];
    const memory = Math.ceil(catalog.find((a) => a.id === 'kv')!.memory / (1 << 20));
    qemu = spawn(
      'qemu-system-i386',
      [
        ...['-kernel', IMAGE, '-m', String(memory), '-display', 'none', '-serial', 'stdio'],
        ...['-no-reboot', '-nodefaults', '-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${await freePort()}-:80`],
        ...['-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,romfile='],
      ],
      { stdio: 'pipe' },
    );
    qemu.stdout!.on('data', (d: Buffer) => (output += d.toString('latin1')));
    qemu.stderr!.on('data', (d: Buffer) => (output += d.toString('latin1')));
    const deadline = Date.now() + 30_000;
    while (!/^READY kv\r?$/m.test(output)) {
      if (Date.now() > deadline || qemu.exitCode !== null) throw new Error(`kv never got READY under QEMU:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  after(() => {
    qemu?.kill();
    server?.close();
  });

  /** Types a command on the console; resolves with what it printed up to its last line. */
  async function run(command: string, ms = 30_000): Promise<string> {
    const start = output.length;
    qemu.stdin!.write(`${command}\r`);
    const deadline = Date.now() + ms;
    for (;;) {
      const shown = output.slice(start).replace(/\r/g, '');
      if (/^(-- \d+ bytes|fetch: ).*\n/m.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`no end of ${command} within ${ms} ms:\n${shown}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('a GET and a POST to a Node server on the loopback', async () => {
    let shown = await run(`fetch http://10.0.2.2:${port}/hello?x=1`);
    assert.match(shown, /^HTTP\/1\.1 200 OK$/m);
    assert.match(shown, /^you sent GET \/hello\?x=1 \(0 bytes\)\n-- 34 bytes/m);
    assert.equal(seen.at(-1)!.headers['user-agent'], 'tabcloud/kv');
    assert.equal(seen.at(-1)!.headers.host, `10.0.2.2:${port}`);
    shown = await run(`fetch -X PUT -d abc http://10.0.2.2:${port}/k`);
    assert.match(shown, /^you sent PUT \/k \(3 bytes\)$/m);
    assert.equal(seen.at(-1)!.body, 'abc');
  });

  test("Node's chunked response, written in two pieces", async () => {
    const shown = await run(`fetch http://10.0.2.2:${port}/chunked`);
    assert.match(shown, /^Transfer-Encoding: chunked$/im);
    assert.match(shown, /^first second\n-- 12 bytes/m);
  });

  test('a closed port and a name nobody knows are clear errors', async (t) => {
    const refused = await run(`fetch http://10.0.2.2:${await freePort()}/`);
    t.diagnostic(/^fetch: .*/m.exec(refused)![0]);
    assert.match(refused, /^fetch: 10\.0\.2\.2 port \d+ refused the connection$/m);
    const unknown = await run('fetch http://nosuch-tabcloud-name/');
    t.diagnostic(/^fetch: .*/m.exec(unknown)![0]);
    assert.match(unknown, /^fetch: cannot resolve nosuch-tabcloud-name: /m);
  });
});
