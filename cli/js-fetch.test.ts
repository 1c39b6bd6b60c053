// `tabcloud run js` with a script that calls out with fetch(): failures come back as TypeErrors naming the
// host on both engines; on QEMU the host's loopback is the gateway (10.0.2.2), so a server here answers.
// And `tabcloud up` with the playground's database template beside a kv, as the lesson tells.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './publish.ts';
import { serve } from './testing.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabcloud-cli-js-fetch-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A service that fetches ?url= and answers with what it got, or with the error as JSON. */
const PROBE = `export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url).searchParams.get('url')!;
    try {
      const r = await fetch(url, { method: 'POST', body: 'from the guest', headers: { 'x-from': 'guest' } });
      return Response.json({ status: r.status, type: r.headers.get('content-type'), body: await r.json() });
    } catch (e) {
      return Response.json({ name: (e as Error).name, message: (e as Error).message }, { status: 502 });
    }
  },
};
`;

/** GET on a fresh connection: the JSON answer. */
function probe(port: number, url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const target = `http://127.0.0.1:${port}/?${new URLSearchParams({ url })}`;
    const req = request(target, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const engine of ['v86', 'qemu']) {
  test(`fetch failures are TypeErrors naming the host (${engine})`, async () => {
    const path = join(dir, `probe-${engine}.ts`);
    await writeFile(path, PROBE);
    const service = await serve(['js', '--user-data', path, '--engine', engine], 'js');
    try {
      const unknown = await probe(service.port, 'http://nosuch/');
      assert.equal(unknown['name'], 'TypeError');
      assert.match(String(unknown['message']), /cannot resolve nosuch/);
      const refused = await probe(service.port, 'http://10.0.2.2:9/');
      assert.equal(refused['name'], 'TypeError');
      assert.match(String(refused['message']), /10\.0\.2\.2.*refused/);
    } finally {
      await service.stop();
    }
  });
}

test('on QEMU a script fetches from a server on this machine through the gateway address', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-from']} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'from the host' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const path = join(dir, 'probe-host.ts');
  await writeFile(path, PROBE);
  const service = await serve(['js', '--user-data', path, '--engine', 'qemu'], 'js');
  try {
    const { port } = server.address() as { port: number };
    assert.deepEqual(await probe(service.port, `http://10.0.2.2:${port}/api?x=1`), {
      status: 200,
      type: 'application/json',
      body: { hello: 'from the host' },
    });
    assert.deepEqual(seen, ['POST /api?x=1 guest from the guest']);
  } finally {
    await service.stop();
    server.close();
  }
});

test('tabcloud up runs the database template beside a kv: notes kept in it by name', async () => {
  const cwd = await mkdtemp(join(dir, 'up-'));
  await copyFile(fileURLToPath(new URL('../web/templates/database.ts', import.meta.url)), join(cwd, 'api.ts'));
  const port = await freePort();
  const appliances = { kv: { image: 'kv' }, api: { image: 'js', userData: 'api.ts', publish: [`${port}:80`] } };
  await writeFile(join(cwd, 'tabcloud.json'), JSON.stringify({ appliances }));
  const cli = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'up'], { cwd, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((resolve) => child.once('close', resolve));
  try {
    const until = Date.now() + 120_000;
    while (!/^api +\| READY js\r?$/m.test(output) || !/^kv +\| READY kv\r?$/m.test(output)) {
      assert.ok(Date.now() < until && child.exitCode === null, `tabcloud up never got both READY:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const base = `http://127.0.0.1:${port}`;
    const put = await fetch(`${base}/notes/first`, { method: 'PUT', body: 'kept by kv' });
    assert.equal(put.status, 201, await put.clone().text());
    assert.deepEqual(await put.json(), { name: 'first', bytes: 10 });
    assert.equal(await (await fetch(`${base}/notes/first`)).text(), 'kept by kv');
    assert.deepEqual(await (await fetch(`${base}/notes`)).json(), ['first']);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
