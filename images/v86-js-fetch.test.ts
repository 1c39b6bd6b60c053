// fetch() in the js appliance, in v86 behind the host stack as the CLI runs it: a script's requests go
// through the guest's HTTP client to servers on the host side of its network (a Node HTTP server
// reached at the gateway's address), and fail as the web's fetch does, with a TypeError naming the host.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import { connect, type Server } from 'node:net';
import { after, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { freePort, publish } from '../cli/publish.ts';
import type { Machine, MachineHost } from '../worker/machine.ts';
import type { OutboundPolicy } from '../worker/net/outbound.ts';
import { outboundFetch } from '../worker/outbound-fetch.ts';
import { GATEWAY_IP } from '../worker/net/lan.ts';
import type { Network } from '../worker/net/network.ts';
import type { TcpSocket } from '../worker/net/tcp-socket.ts';
import { transpile } from '../worker/transpile.ts';

/** The host's address as the guest sees it (the gateway), and the port its test server listens on there. */
const HOST = '10.0.2.2';
const HOST_PORT = 8080;

const running: { stop(): Promise<void> }[] = [];
/** A server on this machine's loopback that stands for the web. */
const web = createServer();
after(() => web.close());
after(async () => {
  await Promise.all(running.map((r) => r.stop()));
});

interface Booted {
  /** Where the appliance's port 80 is published on this machine's loopback. */
  url: string;
  network: Network;
  /** The console so far. */
  output(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
}

/** How a test machine reaches the web: its host's fetch, and the appliance's outbound policy. */
interface Outbound {
  fetch: MachineHost['fetch'];
  policy: OutboundPolicy;
}

/** Boots an appliance of the catalog (a js one with a TypeScript module) and publishes its port 80. */
async function boot(id: string, source?: string, outbound?: Outbound): Promise<Booted> {
  const appliance = (await loadCatalog()).find((a) => a.id === id);
  assert.ok(appliance, `${id} is in the catalog`);
  let userData: Uint8Array | undefined;
  if (source !== undefined) {
    const result = transpile(source, 'app.ts');
    assert.ok(result.ok, `the test script compiles: ${JSON.stringify(result)}`);
    userData = new TextEncoder().encode(result.bundle);
  }
  const machine: Machine = createNodeMachine(outbound ? { fetch: outbound.fetch } : {});
  const port = await freePort();
  const server: Server = await publish({ host: port, guest: 80 }, () => machine.network);
  running.push({ stop: async () => (server.close(), await machine.stop()) });
  let output = '';
  const request = { appliance, ...(userData && { userData }), ...(outbound && { outbound: outbound.policy }) };
  const status = await machine.boot(request, (event) => {
    if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
  });
  assert.equal(status.state, 'ready');
  assert.ok(machine.network, 'the machine has a network');
  return {
    url: `http://127.0.0.1:${port}`,
    network: machine.network,
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

/** Carries one connection the guest opened to the host to 127.0.0.1:port, both ways. */
function bridge(guest: TcpSocket, port: number): void {
  const host = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  host.on('error', () => guest.abort());
  host.on('data', (chunk: Buffer) => {
    if (guest.write(new Uint8Array(chunk))) return;
    host.pause();
    guest.drained().then(
      () => host.resume(),
      () => host.destroy(),
    );
  });
  host.on('end', () => guest.close());
  void (async () => {
    try {
      for await (const chunk of guest) host.write(chunk);
      host.end();
    } catch {
      host.destroy();
    }
  })();
}

/** Makes guestPort at the gateway address a door to 127.0.0.1:port. */
function forward(network: Network, guestPort: number, port: number): void {
  network.listen(guestPort, (socket) => bridge(socket, port));
}

/** A Node HTTP server on the host side of the guest's network, at 10.0.2.2:HOST_PORT. */
async function hostServer(network: Network, listener: RequestListener): Promise<void> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
  forward(network, HOST_PORT, (server.address() as { port: number }).port);
}

/** The body of a request to the Node server, as text. */
async function bodyOf(req: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

/**
 * A js service that fetches what it is asked (?url=, ?as=text|json|bytes|length; a POST's body, or
 * ?size=n bytes of its own) and reports what it got.
 */
const PROBE = `export default {
  async fetch(request: Request): Promise<Response> {
    const q = new URL(request.url).searchParams;
    const init: RequestInit = { method: request.method, headers: { 'x-from': 'guest' } };
    if (request.method === 'POST') {
      init.body = await request.arrayBuffer();
      init.headers = { 'x-from': 'guest', 'content-type': request.headers.get('content-type') ?? 'text/plain' };
    }
    if (q.has('size')) init.body = 'x'.repeat(Number(q.get('size')));
    try {
      const r = await fetch(q.get('url')!, init);
      const as = q.get('as') ?? 'text';
      const body =
        as === 'json' ? await r.json()
        : as === 'bytes' ? Array.from(new Uint8Array(await r.arrayBuffer()))
        : as === 'length' ? (await r.arrayBuffer()).byteLength
        : await r.text();
      return Response.json({
        status: r.status, statusText: r.statusText, ok: r.ok, url: r.url, redirected: r.redirected,
        type: r.headers.get('content-type'), custom: r.headers.get('x-custom'), cookies: r.headers.getSetCookie(), body,
      });
    } catch (e) {
      return Response.json({ name: (e as Error).name, message: (e as Error).message }, { status: 502 });
    }
  },
};
`;

/** Asks the probe to fetch url; its JSON report. */
async function probe(
  s: Booted,
  url: string,
  init: RequestInit & { as?: string; size?: number } = {},
): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({ url, as: init.as ?? 'text' });
  if (init.size !== undefined) q.set('size', String(init.size));
  const r = await fetch(`${s.url}/?${q}`, init);
  return (await r.json()) as Record<string, unknown>;
}

test('a handler fetches from a server on the host: status, headers, text, json, bytes, a POST body', async () => {
  const s = await boot('js', PROBE);
  const seen: { method: string; url: string; type?: string; from?: string; agent?: string; body: string }[] = [];
  await hostServer(s.network, (req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({
        method: req.method!,
        url: req.url!,
        type: req.headers['content-type'],
        from: req.headers['x-from'] as string | undefined,
        agent: req.headers['user-agent'],
        body,
      });
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-custom': 'yes', 'set-cookie': ['a=1', 'b=2'] });
        return res.end(JSON.stringify({ list: [1, 'two'], ok: true }));
      }
      if (req.url === '/bytes') return res.end(Buffer.from([0, 1, 127, 128, 255]));
      if (req.url === '/moved') return res.writeHead(302, { location: '/json' }).end();
      if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
      if (req.url === '/chunked') {
        res.write('first,');
        return setTimeout(() => res.end('second'), 50);
      }
      return res
        .writeHead(201, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`${req.method} got ${body.length} bytes`);
    });
  });
  const base = `http://${HOST}:${HOST_PORT}`;

  assert.deepEqual(await probe(s, `${base}/json`, { as: 'json' }), {
    status: 200,
    statusText: 'OK',
    ok: true,
    url: `${base}/json`,
    redirected: false,
    type: 'application/json',
    custom: 'yes',
    cookies: ['a=1', 'b=2'],
    body: { list: [1, 'two'], ok: true },
  });
  assert.equal(seen[0]!.method, 'GET');
  assert.equal(seen[0]!.from, 'guest');
  assert.match(seen[0]!.agent ?? '', /^tabcloud\//);

  assert.deepEqual((await probe(s, `${base}/bytes`, { as: 'bytes' }))['body'], [0, 1, 127, 128, 255]);
  assert.equal((await probe(s, `${base}/chunked`))['body'], 'first,second');

  const moved = await probe(s, `${base}/moved`, { as: 'json' });
  assert.deepEqual([moved['status'], moved['url'], moved['redirected']], [200, `${base}/json`, true]);

  const missing = await probe(s, `${base}/missing`);
  assert.deepEqual(
    [missing['status'], missing['statusText'], missing['ok'], missing['body']],
    [404, 'Not Found', false, 'no such thing'],
  );

  const text = 'héllo ✓ '.repeat(1000);
  const posted = await probe(s, `${base}/echo`, {
    method: 'POST',
    body: text,
    headers: { 'content-type': 'text/x-test' },
  });
  assert.deepEqual(
    [posted['status'], posted['statusText'], posted['body']],
    [201, 'Created', `POST got ${text.length} bytes`],
  );
  const last = seen[seen.length - 1]!;
  assert.deepEqual([last.method, last.type, last.body], ['POST', 'text/x-test', text]);
});

test('failures reject with a TypeError naming the host: a name that does not resolve, a refused port', async () => {
  const s = await boot('js', PROBE);
  const unknown = await probe(s, 'http://nosuch/x');
  assert.equal(unknown['name'], 'TypeError');
  assert.match(String(unknown['message']), /nosuch/);
  const refused = await probe(s, `http://${HOST}:9/`);
  assert.equal(refused['name'], 'TypeError');
  assert.match(String(refused['message']), /10\.0\.2\.2/);
  assert.match(String(refused['message']), /refused/);
  const scheme = await probe(s, 'ftp://x/');
  assert.deepEqual(scheme, { name: 'TypeError', message: 'fetch: ftp://x/: only http: and https: URLs are supported' });
  // The service goes on: the next fetch works.
  await hostServer(s.network, (_req, res) => res.end('fine'));
  assert.equal((await probe(s, `http://${HOST}:${HOST_PORT}/`))['body'], 'fine');
});

test('bodies: a 4 MiB response arrives whole, a larger one rejects; a request body goes out, over 1 MiB rejects', async () => {
  const s = await boot('js', PROBE);
  await hostServer(s.network, (req, res) => {
    void bodyOf(req).then((body) => {
      if (req.method === 'POST') return res.end(String(body.length));
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      const chunked = req.url!.includes('chunked');
      if (!chunked) res.setHeader('content-length', n);
      for (let o = 0; o < n; o += 65536) res.write('abcdefghijklmnop'.repeat(4096).slice(0, Math.min(65536, n - o)));
      return res.end();
    });
  });
  const base = `http://${HOST}:${HOST_PORT}`;
  const four = 4 * 1024 * 1024;
  const whole = await probe(s, `${base}/?n=${four}`, { as: 'length' });
  assert.equal(whole['body'], four);
  assert.equal((await probe(s, `${base}/chunked?n=${four}`, { as: 'length' }))['body'], four);
  const sized = await probe(s, `${base}/?n=${four + 1}`);
  assert.equal(sized['name'], 'TypeError');
  assert.match(String(sized['message']), /larger than 4 MiB/);
  const streamed = await probe(s, `${base}/chunked?n=${four + 65536}`);
  assert.equal(streamed['name'], 'TypeError');
  assert.match(String(streamed['message']), /larger than 4 MiB/);
  // The body goes from the script's own buffer (the kernel's client copies only the head): up to 1 MiB.
  const sent = await probe(s, `${base}/`, { method: 'POST', size: 1024 * 1024 });
  assert.equal(sent['body'], String(1024 * 1024));
  const over = await probe(s, `${base}/`, { method: 'POST', size: 1024 * 1024 + 1 });
  assert.deepEqual(over, {
    name: 'TypeError',
    message: 'fetch to 10.0.2.2: the request body is 1048577 bytes; at most 1 MiB is sent',
  });
  assert.equal((await probe(s, `${base}/?n=10`))['body'], 'abcdefghij', 'the service goes on');
});

test('the deadline: a fetch slower than it gets its request a 503, and its late answer harms nothing', async () => {
  const s = await boot(
    'js',
    `let late = 0;
export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === '/late') return new Response(String(late));
    const r = await fetch('http://${HOST}:${HOST_PORT}/slow');
    late++;
    return new Response(await r.text());
  },
};
`,
  );
  await hostServer(s.network, (_req, res) => setTimeout(() => res.end('finally'), 7000));
  const started = Date.now();
  const slow = await fetch(s.url);
  assert.equal(slow.status, 503);
  assert.equal(((await slow.json()) as { error: string }).error, 'timeout');
  assert.ok(Date.now() - started < 6900, 'the request is answered at its deadline, not when the fetch ends');
  // The fetch itself goes on and settles: the handler's code after it runs.
  const until = Date.now() + 10_000;
  while ((await (await fetch(`${s.url}/late`)).text()) !== '1') {
    assert.ok(Date.now() < until, 'the late answer reached the script');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

test('the heap reset with fetches in flight: their answers go nowhere, and fetch works after', async () => {
  const s = await boot(
    'js',
    `const hoard: string[] = [];
export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === '/hoard') {
      for (let i = 0; i < 6; i++) fetch('http://${HOST}:${HOST_PORT}/slow?' + i).then(() => console.log('never'));
      for (let i = 0; ; i++) hoard.push('x'.repeat(1 << 20) + i);
    }
    const r = await fetch('http://${HOST}:${HOST_PORT}/fast');
    return new Response(await r.text());
  },
};
`,
  );
  await hostServer(s.network, (req, res) => {
    if (req.url!.startsWith('/slow')) setTimeout(() => res.end('late'), 1000);
    else res.end('fast');
  });
  const hoard = await fetch(`${s.url}/hoard`);
  assert.equal(hoard.status, 500);
  await s.waitFor(/state was reset/);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // Every slot is free again: more fetches than the client takes at once all work.
  const texts = await Promise.all(Array.from({ length: 10 }, () => fetch(s.url).then((r) => r.text())));
  assert.deepEqual(texts, Array(10).fill('fast'));
  assert.doesNotMatch(s.output(), /never|panic/);
});

test('the template "A service with a database" keeps notes in a kv reached by its name', async () => {
  const source = await readFile(new URL('../web/templates/database.ts', import.meta.url), 'utf8');
  const api = await boot('js', source);
  const call = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${api.url}${path}`, init);
    return { status: r.status, body: await r.text() };
  };
  // No appliance named kv yet: a 503 that says what to do.
  const away = await call('/notes');
  assert.equal(away.status, 503);
  assert.match(away.body, /cannot resolve kv.*start a kv appliance on this network/);

  // The database: a kv, named kv on the js service's network (here the name leads to the host, which
  // carries the connection to that kv).
  const db = await boot('kv');
  api.network.lan.register('kv', GATEWAY_IP);
  forward(api.network, 80, Number(new URL(db.url).port));
  // The guest's resolver holds a negative answer for DNS_HOLD_MS (1 s).
  await new Promise((resolve) => setTimeout(resolve, 1200));

  assert.deepEqual(await call('/notes'), { status: 200, body: '[]' });
  const put = await call('/notes/first', { method: 'PUT', body: 'hello from a note ✓' });
  assert.equal(put.status, 201);
  assert.deepEqual(JSON.parse(put.body), { name: 'first', bytes: 21 });
  assert.equal((await call('/notes/first', { method: 'PUT', body: 'replaced' })).status, 200);
  assert.deepEqual(await call('/notes/first'), { status: 200, body: 'replaced' });
  assert.equal((await call('/notes/second', { method: 'PUT', body: '2' })).status, 201);
  assert.deepEqual(JSON.parse((await call('/notes')).body), ['first', 'second']);
  // It is in the kv itself, under the key the service chose.
  assert.equal(await (await fetch(`${db.url}/keys/note.first`)).text(), 'replaced');
  const stats = JSON.parse((await call('/')).body) as { database: { appliance: string; keys: number } };
  assert.deepEqual([stats.database.appliance, stats.database.keys], ['kv', 2]);
  assert.equal((await call('/notes/first', { method: 'DELETE' })).status, 204);
  assert.equal((await call('/notes/first')).status, 404);
  assert.equal((await call('/notes/bad name!')).status, 400);
  assert.equal((await call('/elsewhere')).status, 404);
});

test('a signal aborts a fetch in flight: the promise rejects with its reason and the connection is closed', async () => {
  const s = await boot(
    'js',
    `export default {
  async fetch(request: Request): Promise<Response> {
    const wait = Number(new URL(request.url).searchParams.get('wait'));
    try {
      const r = await fetch('http://${HOST}:${HOST_PORT}/slow', { signal: AbortSignal.timeout(wait) });
      return new Response(await r.text());
    } catch (e) {
      return new Response(\`\${(e as Error).name}: \${(e as Error).message}\`, { status: 504 });
    }
  },
};
`,
  );
  const closed: string[] = [];
  await hostServer(s.network, (req, res) => {
    const timer = setTimeout(() => res.end('in time'), 1000);
    req.socket.on('close', () => {
      clearTimeout(timer);
      closed.push(req.url!);
    });
  });
  const aborted = await fetch(`${s.url}/?wait=200`);
  assert.equal(aborted.status, 504);
  assert.equal(await aborted.text(), 'TimeoutError: The operation was aborted due to timeout');
  const until = Date.now() + 5000;
  while (closed.length === 0) {
    assert.ok(Date.now() < until, 'the guest closed the aborted connection');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(await (await fetch(`${s.url}/?wait=4000`)).text(), 'in time');
});

test('https and names outside the LAN go through the host: its 403 and 502 are Responses, not rejections', async () => {
  const seen: string[] = [];
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const port = (web.address() as { port: number }).port;
  web.on('request', (req, res) => {
    void bodyOf(req).then((body) => {
      seen.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 'the web', body }));
    });
  });
  // Node's fetch, with example.test standing for this machine's loopback server (there is no DNS here).
  const fetchImpl = outboundFetch('node', (url, init) =>
    fetch(String(url).replace(/^https:\/\/example\.test\//, `http://127.0.0.1:${port}/`), init),
  );
  const howToAllow = 'run tabcloud with --allow-net=<host>';
  const s = await boot('js', PROBE, {
    fetch: fetchImpl,
    policy: { allow: ['example.test', 'no-such-host.invalid'], howToAllow },
  });
  const got = await probe(s, 'https://example.test/api?q=1', { method: 'POST', body: 'to the web', as: 'json' });
  assert.deepEqual(
    [got['status'], got['url'], got['body']],
    [200, 'https://example.test/api?q=1', { from: 'the web', body: 'to the web' }],
  );
  assert.deepEqual(seen, ['POST /api?q=1 to the web']);
  const forbidden = await probe(s, 'http://elsewhere.test/');
  assert.deepEqual([forbidden['status'], forbidden['ok']], [403, false]);
  assert.match(String(forbidden['body']), /elsewhere\.test is not on its allow-list/);
  const failed = await probe(s, 'https://no-such-host.invalid/');
  assert.deepEqual([failed['status'], failed['statusText']], [502, 'Bad Gateway']);
  assert.match(String(failed['body']), /could not fetch https:\/\/no-such-host\.invalid\/: cannot resolve the name/);
});
