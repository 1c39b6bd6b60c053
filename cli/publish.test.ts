// `tabcloud run kv -p HOST:80` on both engines: the same API probe through a published port,
// and the capture of the run opens in tshark.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './publish.ts';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tabcloud-publish-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI; resolves once the appliance printed READY kv. */
async function runKv(engine: string, port: number, pcap: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'run', 'kv', '-p', `${port}:80`, '--engine', engine, '--pcap', pcap], {
    stdio: 'pipe',
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no READY kv within 30 s:\n${output}`)), 30_000);
    const check = (): void => {
      if (/^READY kv/m.test(output)) {
        clearTimeout(timer);
        resolve();
      } else if (child.exitCode !== null) reject(new Error(`tabcloud exited:\n${output}`));
      else setTimeout(check, 20);
    };
    check();
  });
  return child;
}

for (const engine of ['v86', 'qemu']) {
  describe(`tabcloud run kv -p on ${engine}`, () => {
    let child: ChildProcess;
    let base: string;
    const pcap = join(dir, `${engine}.pcap`);

    test('boots and publishes port 80', async () => {
      const port = await freePort();
      child = await runKv(engine, port, pcap);
      base = `http://127.0.0.1:${port}`;
    });

    test('CRUD cycle', async () => {
      assert.equal(
        (await fetch(`${base}/keys/a`, { method: 'PUT', body: 'one', headers: { 'content-type': 'text/plain' } }))
          .status,
        201,
      );
      assert.equal((await fetch(`${base}/keys/a`, { method: 'PUT', body: 'two' })).status, 204);
      const got = await fetch(`${base}/keys/a`);
      assert.equal(got.status, 200);
      assert.equal(await got.text(), 'two');
      assert.deepEqual(await (await fetch(`${base}/keys`)).json(), ['a']);
      assert.equal((await fetch(`${base}/keys/a`, { method: 'DELETE' })).status, 204);
      assert.equal((await fetch(`${base}/keys/a`)).status, 404);
    });

    test('32 concurrent clients', async () => {
      const results = await Promise.all(
        Array.from({ length: 32 }, async (_, i) => {
          await fetch(`${base}/keys/c${i}`, { method: 'PUT', body: `value ${i}` });
          return (await fetch(`${base}/keys/c${i}`)).text();
        }),
      );
      results.forEach((text, i) => assert.equal(text, `value ${i}`));
    });

    test('a 1 MiB value round trip is byte-exact', async () => {
      const value = randomBytes(1 << 20);
      assert.equal((await fetch(`${base}/keys/big`, { method: 'PUT', body: value })).status, 201);
      const back = Buffer.from(await (await fetch(`${base}/keys/big`)).arrayBuffer());
      assert.ok(back.equals(value), 'the value came back unchanged');
    });

    test('Ctrl-C (SIGINT) exits 0 and leaves a complete capture that tshark reads', async (t) => {
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      if (spawnSync('sh', ['-c', 'command -v tshark']).status !== 0) return t.skip('tshark is not installed');
      const read = spawnSync('tshark', ['-r', pcap], { encoding: 'utf8' });
      assert.equal(read.status, 0, read.stderr);
      assert.doesNotMatch(read.stderr.replace(/^Running as user "root".*$/m, ''), /\S/, 'no warnings');
      assert.match(read.stdout, /HTTP/);
    });
  });
}
