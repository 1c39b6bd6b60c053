// The js appliance in v86 behind the host stack, published on a loopback port as `tabcloud run js -p`
// does: scripts that serve, and scripts that go wrong in every way the runtime promises to survive.
import assert from 'node:assert/strict';
import type { Server } from 'node:net';
import { after, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { freePort, publish } from '../cli/publish.ts';
import { transpile } from '../worker/transpile.ts';

interface Service {
  url: string;
  /** The console so far. */
  output(): string;
  /** Waits until the console has printed a line matching pattern. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
}

const running: { stop(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(running.map((r) => r.stop()));
});

/**
 * Boots js with a TypeScript module (or, with raw, the bytes as they are) and publishes its port 80; `cold` boots
 * the kernel with the bundle as its module, handed over as the CLI reads files: a small Buffer from Node's pool.
 */
async function serve(source: string, options: { raw?: boolean; cold?: boolean } = {}): Promise<Service> {
  const appliance = (await loadCatalog()).find((a) => a.id === 'js');
  assert.ok(appliance, 'js is in the catalog');
  let bundle = source;
  if (!options.raw) {
    const result = transpile(source, 'app.ts');
    assert.ok(result.ok, `the test script compiles: ${JSON.stringify(result)}`);
    bundle = result.bundle;
  }
  const machine = createNodeMachine();
  const port = await freePort();
  const server: Server = await publish({ host: port, guest: 80 }, () => machine.network);
  running.push({ stop: async () => (server.close(), await machine.stop()) });
  let output = '';
  const userData = options.cold ? Buffer.from(bundle) : new TextEncoder().encode(bundle);
  const status = await machine.boot({ appliance, userData, ...(options.cold && { cold: true }) }, (event) => {
    if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
  });
  assert.equal(status.state, 'ready');
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async waitFor(pattern, ms = 10_000) {
      const until = Date.now() + ms;
      while (!pattern.test(output)) {
        if (Date.now() > until) assert.fail(`no ${pattern} on the console within ${ms} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

test('a service keeps module state and sees the method, URL, headers and body', async () => {
  const s = await serve(`let count = 0;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/slow') {
      await wait(50);
      return new Response('late', { status: 202, headers: { 'x-waited': '50' } });
    }
    count++;
    return Response.json({
      count,
      method: request.method,
      path: url.pathname,
      name: url.searchParams.get('name'),
      agent: request.headers.get('X-Agent'),
      body: await request.text(),
    });
  },
};
`);
  const first = await json(await fetch(`${s.url}/a/b?name=ann`, { headers: { 'x-agent': 'test' } }));
  assert.deepEqual(first, { count: 1, method: 'GET', path: '/a/b', name: 'ann', agent: 'test', body: '' });
  const second = await json(await fetch(`${s.url}/p`, { method: 'PATCH', body: 'héllo ✓' }));
  assert.deepEqual(second, { count: 2, method: 'PATCH', path: '/p', name: null, agent: null, body: 'héllo ✓' });
  const slow = await fetch(`${s.url}/slow`);
  assert.equal(slow.status, 202);
  assert.equal(slow.headers.get('x-waited'), '50');
  assert.equal(await slow.text(), 'late');
});

test('a script that does not compile: every request gets the error at its line', async () => {
  const s = await serve('var ok = 1;\nvar broken = 1 +* 2;\nvar more = 3;\n', { raw: true });
  await s.waitFor(/script error at 2(?::\d+)?: SyntaxError/);
  const response = await fetch(s.url);
  assert.equal(response.status, 500);
  const body = await json(response);
  assert.equal(body['error'], 'script-error');
  assert.equal(body['line'], 2);
  assert.match(String(body['message']), /SyntaxError/);
});

test('a script that throws while loading: the error at its line in the source', async () => {
  const s = await serve(`const config = { port: 80 };
type Unused = string;
throw new Error('no database configured');
export default { fetch: () => new Response('never') };
`);
  await s.waitFor(/script error at 3:\d+: Error: no database configured/);
  const body = await json(await fetch(s.url));
  assert.equal(body['error'], 'script-error');
  assert.equal(body['line'], 3);
});

test('a handler that throws, loops or never answers: 500, 503, 503, and the next request is served', async () => {
  const s = await serve(`export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/throw') {
      throw new TypeError('bad input');
    }
    if (path === '/loop') for (;;) {}
    if (path === '/never') return new Promise<Response>(() => {});
    return new Response('fine');
  },
};
`);
  const thrown = await fetch(`${s.url}/throw`);
  assert.equal(thrown.status, 500);
  const error = await json(thrown);
  assert.equal(error['error'], 'script-error');
  assert.equal(error['line'], 5);
  assert.equal(await (await fetch(s.url)).text(), 'fine');
  const looped = await fetch(`${s.url}/loop`);
  assert.equal(looped.status, 503);
  assert.equal((await json(looped))['error'], 'timeout');
  assert.equal(await (await fetch(s.url)).text(), 'fine');
  const never = await fetch(`${s.url}/never`);
  assert.equal(never.status, 503);
  assert.equal((await json(never))['error'], 'timeout');
  assert.equal(await (await fetch(s.url)).text(), 'fine');
});

test('a script that exhausts the heap is reset and the service goes on', async () => {
  const s = await serve(`let count = 0;
const hoard: string[] = [];
export default {
  fetch(request: Request): Response {
    if (new URL(request.url).pathname === '/hoard') {
      for (let i = 0; ; i++) hoard.push('x'.repeat(65536) + i);
    }
    return new Response(String(++count));
  },
};
`);
  assert.equal(await (await fetch(s.url)).text(), '1');
  assert.equal(await (await fetch(s.url)).text(), '2');
  const hoard = await fetch(`${s.url}/hoard`);
  assert.equal(hoard.status, 500);
  assert.equal((await json(hoard))['error'], 'out-of-memory');
  await s.waitFor(/state was reset/);
  assert.equal(await (await fetch(s.url)).text(), '1', 'the module state starts afresh');
});

test('bodies: over 1 MiB is refused with 413; a response of several MB arrives whole', async () => {
  const s = await serve(`export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method === 'POST') return new Response(String((await request.arrayBuffer()).byteLength));
    return new Response('0123456789abcdef'.repeat(256 * 1024), { headers: { 'content-type': 'text/plain' } });
  },
};
`);
  const posted = await fetch(s.url, { method: 'POST', body: new Uint8Array(1024 * 1024) });
  assert.equal(await posted.text(), String(1024 * 1024));
  const refused = await fetch(s.url, { method: 'POST', body: new Uint8Array(1024 * 1024 + 1) });
  assert.equal(refused.status, 413);
  const big = await (await fetch(s.url)).text();
  assert.equal(big.length, 4 * 1024 * 1024);
  assert.equal(big, '0123456789abcdef'.repeat(256 * 1024));
});

test('a script with no handler says so', async () => {
  const s = await serve('console.log("just a script");\n');
  await s.waitFor(/just a script/);
  const response = await fetch(s.url);
  assert.equal(response.status, 500);
  assert.equal((await json(response))['error'], 'no-handler');
});

test('every resume of the snapshot has a MAC of its own (so two js appliances can share a LAN)', async () => {
  const script = 'export default { fetch: () => new Response("ok") };';
  const [one, two] = await Promise.all([serve(script), serve(script)]);
  await Promise.all([one.waitFor(/nic: .* mtu/), two.waitFor(/nic: .* mtu/)]);
  const mac = (service: Service) => /nic: \S+ ([0-9a-f:]{17}) /.exec(service.output())?.[1];
  assert.ok(mac(one) && mac(two), `both consoles name their NIC:\n${one.output()}`);
  assert.notEqual(mac(one), mac(two));
  assert.equal(await (await fetch(one.url)).text(), 'ok', 'unicast frames still reach the guest');
});

test('a cold boot takes the script as its module, also from a small pooled Buffer', async () => {
  const service = await serve('export default { fetch: () => new Response("cold and well") };', { cold: true });
  assert.equal(await (await fetch(service.url)).text(), 'cold and well');
});
