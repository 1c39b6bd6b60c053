// The static appliance in v86 (no BIOS) behind the project's own host stack: its built-in site, a site packed by
// web/ustar.ts, a damaged archive, a 10 MiB file, and `tabcloud run static --user-data site.tar -p`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { publish, freePort } from '../cli/publish.ts';
import { packTar, type TarFile } from '../web/ustar.ts';
import type { Machine } from '../worker/machine.ts';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request, sent as is (no path normalisation), on its own connection. */
function call(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A booted static appliance: its published port, and its console (which arrives in batches after the events). */
interface Vm {
  port(): number;
  /** Resolves once the console matches, with the console so far. */
  console(pattern: RegExp): Promise<string>;
}

/** Boots static (with user-data, and memory, if given) behind a published port, for the tests of a describe. */
function bootStatic(userData?: Uint8Array, memory?: number): Vm {
  let machine: Machine;
  let server: Server;
  let port = 0;
  let output = '';
  before(async () => {
    const appliance = (await loadCatalog()).find((a) => a.id === 'static');
    assert.ok(appliance, 'static is in the catalog');
    machine = createNodeMachine();
    port = await freePort();
    server = await publish({ host: port, guest: 80 }, () => machine.network);
    const status = await machine.boot(
      { appliance: { ...appliance, ...(memory && { memory }) }, ...(userData && { userData }) },
      (event) => {
        if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
      },
    );
    assert.equal(status.state, 'ready');
  });
  after(async () => {
    server?.close();
    await machine?.stop();
  });
  const console = async (pattern: RegExp): Promise<string> => {
    const deadline = Date.now() + 5000;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) assert.fail(`the console never matched ${pattern}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return output;
  };
  return { port: () => port, console };
}

describe('static with no user-data', () => {
  const vm = bootStatic();

  test('boots through the same stages as kv, plus site', async () => {
    const output = await vm.console(/^READY static\r?$/m);
    for (const stage of ['devices', 'site', 'nic', 'dhcp-bound', 'listening', 'ready']) {
      assert.match(output, new RegExp(`^@boot ${stage} \\d+\\.\\d{3}\\r?$`, 'm'));
    }
    assert.match(output, /^static: no user-data: serving the built-in site\r?$/m);
    assert.match(output, /^static listening on http:\/\/10\.0\.2\.15:80\/\r?\nREADY static\r?$/m);
  });

  test('GET / is the built-in page about itself, as HTML with an ETag', async () => {
    const { status, headers, body } = await call(vm.port(), '/');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.match(headers.etag ?? '', /^"[0-9a-f]+-[0-9a-f]{8}"$/);
    const page = body.toString();
    assert.match(page, /unikernel/);
    assert.match(page, /v86/);
    assert.match(page, /\/vm\/static\//);
    assert.match(page, /tabcloud run static --user-data site\.tar/);
    assert.doesNotMatch(page, /class="note"/);
  });

  test('a missing page gets the built-in 404 page', async () => {
    const { status, headers, body } = await call(vm.port(), '/no/such/page.html');
    assert.equal(status, 404);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.match(body.toString(), /no such page/);
  });
});

describe('static serving a site packed by web/ustar.ts', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
  const site: TarFile[] = [
    { name: 'index.html', data: text('<!doctype html><link rel="stylesheet" href="css/site.css"><h1>My site</h1>\n') },
    { name: 'css/site.css', data: text('h1 { color: rebeccapurple }\n') },
    { name: 'docs/index.html', data: text('<h1>Docs</h1>\n') },
    { name: 'a b.txt', data: text('a space\n') },
    { name: 'logo.png', data: png },
    { name: '404.html', data: text('<h1>Not here, sorry</h1>\n') },
  ];
  const vm = bootStatic(packTar(site));

  test('each file with its content type', async () => {
    const types: [string, string, Uint8Array][] = [
      ['/', 'text/html; charset=utf-8', site[0]!.data],
      ['/index.html', 'text/html; charset=utf-8', site[0]!.data],
      ['/css/site.css', 'text/css; charset=utf-8', site[1]!.data],
      ['/css/site.css?v=2', 'text/css; charset=utf-8', site[1]!.data],
      ['/docs/', 'text/html; charset=utf-8', site[2]!.data],
      ['/a%20b.txt', 'text/plain; charset=utf-8', site[3]!.data],
      ['/logo.png', 'image/png', png],
    ];
    for (const [path, type, data] of types) {
      const { status, headers, body } = await call(vm.port(), path);
      assert.equal(status, 200, path);
      assert.equal(headers['content-type'], type, path);
      assert.deepEqual(new Uint8Array(body), data, path);
    }
    await vm.console(/^static: 6 files \(\d+ bytes\) from user-data, served in place\r?$/m);
  });

  test('ETag and If-None-Match give 304 with no body; a stale tag gets the file', async () => {
    const first = await call(vm.port(), '/css/site.css');
    const etag = first.headers.etag!;
    assert.match(etag, /^"1c-[0-9a-f]{8}"$/);
    assert.equal((await call(vm.port(), '/css/site.css')).headers.etag, etag, 'the same tag every time');
    assert.notEqual((await call(vm.port(), '/index.html')).headers.etag, etag);
    const cached = await call(vm.port(), '/css/site.css', 'GET', { 'If-None-Match': etag });
    assert.equal(cached.status, 304);
    assert.equal(cached.headers.etag, etag);
    assert.equal(cached.body.length, 0);
    const listed = await call(vm.port(), '/css/site.css', 'GET', { 'If-None-Match': `"other", W/${etag}` });
    assert.equal(listed.status, 304);
    const stale = await call(vm.port(), '/css/site.css', 'GET', { 'If-None-Match': '"1c-00000000"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.body.toString(), 'h1 { color: rebeccapurple }\n');
  });

  test('HEAD has the headers of GET and no body', async () => {
    const get = await call(vm.port(), '/index.html');
    const head = await call(vm.port(), '/index.html', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(site[0]!.data.length));
    for (const name of ['content-length', 'content-type', 'etag', 'cache-control']) {
      assert.equal(head.headers[name], get.headers[name], name);
    }
  });

  test('paths out of the archive are refused', async () => {
    for (const path of [
      '/../etc/passwd',
      '/..',
      '/%2e%2e/x',
      '/%2E%2E/index.html',
      '/docs/../../x',
      '/..%2fx',
      '/a\\..\\b',
    ]) {
      const { status, body } = await call(vm.port(), path);
      assert.ok(status === 400 || status === 404, `${path}: ${status}`);
      assert.doesNotMatch(body.toString(), /My site|Docs/, path);
    }
  });

  test('a folder without its slash is redirected; a missing file gets the site 404.html', async () => {
    const folder = await call(vm.port(), '/docs');
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.location, 'docs/');
    const missing = await call(vm.port(), '/missing.css');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(missing.body.toString(), '<h1>Not here, sorry</h1>\n');
  });

  test('other methods get 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const { status, headers } = await call(vm.port(), '/index.html', method);
      assert.equal(status, 405, method);
      assert.equal(headers.allow, 'GET, HEAD');
    }
  });
});

describe('static with a damaged archive', () => {
  const archive = packTar([
    { name: 'kept.txt', data: text('before the damage\n') },
    { name: 'index.html', data: new Uint8Array(4000) },
  ]);
  const vm = bootStatic(archive.subarray(0, 2048));

  test('says so on the console and on the built-in page, and serves the files before the damage', async () => {
    await vm.console(
      /^static: user-data is damaged: cut short inside a file's data at byte 1024 \(files before it: 1\)/m,
    );
    const { status, body } = await call(vm.port(), '/');
    assert.equal(status, 200);
    assert.match(body.toString(), /class="note">The user-data archive is damaged \(cut short/);
    assert.equal((await call(vm.port(), '/kept.txt')).body.toString(), 'before the damage\n');
  });
});

describe('static serving a 10 MiB file', () => {
  const big = randomBytes(10 << 20);
  const vm = bootStatic(
    packTar([
      { name: 'index.html', data: text('big') },
      { name: 'big.bin', data: big },
    ]),
  );

  test('downloads intact', async (t) => {
    const start = performance.now();
    const { status, headers, body } = await call(vm.port(), '/big.bin');
    const ms = performance.now() - start;
    t.diagnostic(`10 MiB in ${ms.toFixed(0)} ms (${((10 * 1000) / ms).toFixed(1)} MiB/s)`);
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'application/octet-stream');
    assert.equal(headers['content-length'], String(big.length));
    assert.ok(body.equals(big), 'the bytes are the same');
    const site = /^@boot site (\d+\.\d+)/m.exec(await vm.console(/^READY static/m));
    t.diagnostic(`site stage (archive read, 10 MiB hashed) at ${site?.[1]} ms`);
  });
});

describe('tabcloud run static --user-data site.tar -p', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tabcloud-static-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serves the archive on the published port', async () => {
    const tar = join(dir, 'site.tar');
    writeFileSync(tar, packTar([{ name: 'index.html', data: text('<h1>from the CLI</h1>\n') }]));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'run', 'static', '--user-data', tar, '-p', `${port}:80`], {
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('latin1')));
    try {
      const deadline = Date.now() + 30_000;
      while (!/^READY static/m.test(output)) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `no READY static:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const { status, body } = await call(port, '/');
      assert.equal(status, 200);
      assert.equal(body.toString(), '<h1>from the CLI</h1>\n');
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
