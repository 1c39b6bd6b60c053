import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { netErrorCode } from './errors.ts';
import { HttpClient, type HttpRequest, type HttpResponse } from './http-client.ts';
import { FIRST_GUEST_IP } from './lan.ts';
import type { Network } from './network.ts';
import { Sim, simulatePair, type LinkFaults } from './sim.ts';
import type { TcpSocket } from './tcp-socket.ts';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface ServerRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What a scripted server does with a request: write a reply and return whether to keep the connection. */
type Outcome = 'keep' | 'close' | 'done';
type Handler = (request: ServerRequest, socket: TcpSocket) => Outcome | Promise<Outcome>;

/** A minimal keep-alive HTTP/1.1 server on the peer (the guest's stand-in), one request at a time per connection. */
function serve(peer: Network, handler: Handler, port = 80): { connections: number; open: number; maxOpen: number } {
  const stats = { connections: 0, open: 0, maxOpen: 0 };
  peer.listen(port, (socket) => {
    stats.connections++;
    stats.maxOpen = Math.max(stats.maxOpen, ++stats.open);
    void (async () => {
      let buffer = Buffer.alloc(0);
      for (;;) {
        let end = buffer.indexOf('\r\n\r\n');
        while (end < 0) {
          const chunk = await socket.read();
          if (!chunk) return socket.close();
          buffer = Buffer.concat([buffer, chunk]);
          end = buffer.indexOf('\r\n\r\n');
        }
        const [requestLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        const length = Number(headers['content-length'] ?? 0);
        buffer = buffer.subarray(end + 4);
        while (buffer.length < length) buffer = Buffer.concat([buffer, (await socket.read())!]);
        const [method, path] = requestLine.split(' ');
        const outcome = await handler({ method, path, headers, body: buffer.subarray(0, length) }, socket);
        buffer = buffer.subarray(length);
        if (outcome === 'close') return socket.close();
        if (outcome === 'done') return;
      }
    })()
      .catch(() => {})
      .finally(() => stats.open--);
  });
  return stats;
}

const reply = (status: string, body: string | Buffer, headers: string[] = []): Buffer =>
  Buffer.concat([
    Buffer.from(`HTTP/1.1 ${status}\r\n${[...headers, `Content-Length: ${body.length}`].join('\r\n')}\r\n\r\n`),
    Buffer.from(body),
  ]);

/** A host with an HTTP client, a peer server, and a helper that runs the simulation until a promise settles. */
function setup(options: { faults?: LinkFaults; maxConnectionsPerHost?: number; tcp?: object } = {}) {
  const sim = new Sim(7);
  const pair = simulatePair(sim, { faults: options.faults, host: { tcp: options.tcp } });
  const client = new HttpClient(pair.host, { maxConnectionsPerHost: options.maxConnectionsPerHost });
  const run = async <T>(promise: Promise<T>): Promise<T> => {
    let done = false;
    const guarded = promise.finally(() => (done = true));
    guarded.catch(() => {});
    await sim.run(() => done, { settle, limitMs: 120_000 });
    return guarded;
  };
  const request = (fields: Partial<HttpRequest> = {}): Promise<HttpResponse> =>
    client.request({ ip: FIRST_GUEST_IP, ...fields });
  const text = async (fields: Partial<HttpRequest> = {}): Promise<[number, string]> => {
    const response = await request(fields);
    return [response.status, Buffer.from(await response.body.bytes()).toString()];
  };
  const code = async (promise: Promise<unknown>): Promise<string | undefined> =>
    run(promise).then(
      () => 'no error',
      (e: unknown) => netErrorCode(e),
    );
  return { ...pair, sim, client, run, request, text, code };
}

describe('http client', () => {
  test('GET, then a second GET reuses the kept-alive connection', async () => {
    const s = setup();
    const server = serve(s.peer, (req, socket) => {
      socket.write(reply('200 OK', `you asked for ${req.path}`, ['Content-Type: text/plain']));
      return 'keep';
    });
    assert.deepEqual(await s.run(s.text({ path: '/keys/a' })), [200, 'you asked for /keys/a']);
    assert.deepEqual(await s.run(s.text({ path: '/keys/b' })), [200, 'you asked for /keys/b']);
    assert.equal(server.connections, 1);
  });

  test('the request carries Host, headers and a 1 MiB body; a 1 MiB chunked response streams back', async () => {
    const s = setup();
    let seen: ServerRequest | undefined;
    serve(s.peer, async (req, socket): Promise<Outcome> => {
      seen = req;
      socket.write(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
      for (let i = 0; i < req.body.length; i += 60_000) {
        const part = req.body.subarray(i, i + 60_000);
        socket.write(Buffer.from(`${part.length.toString(16)};i=${i}\r\n`));
        socket.write(part);
        socket.write(Buffer.from('\r\n'));
        await socket.drained();
      }
      socket.write(Buffer.from('0\r\n\r\n'));
      return 'keep';
    });
    const body = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 13) & 0xff);
    const response = await s.run(s.request({ method: 'PUT', path: '/keys/big', headers: [['X-Test', '1']], body }));
    const chunks: Uint8Array[] = [];
    await s.run(
      (async () => {
        for await (const chunk of response.body) chunks.push(chunk);
      })(),
    );
    assert.equal(seen?.headers.host, '10.0.2.15');
    assert.equal(seen?.headers['x-test'], '1');
    assert.equal(seen?.headers['content-length'], String(1 << 20));
    assert.ok(Buffer.concat(chunks).equals(Buffer.from(body)));
  });

  test('Connection: close → a fresh connection for the next request', async () => {
    const s = setup();
    const server = serve(s.peer, (_req, socket) => {
      socket.write(reply('200 OK', 'bye', ['Connection: close']));
      return 'close';
    });
    await s.run(s.text());
    await s.run(s.text());
    assert.equal(server.connections, 2);
  });

  test('a response that arrived whole is complete at once; a streamed one only once it has ended', async () => {
    const s = setup();
    serve(s.peer, (req, socket) => {
      if (req.path === '/small') socket.write(reply('200 OK', 'tiny'));
      else socket.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nhalf'));
      return req.path === '/small' ? 'keep' : 'done';
    });
    const small = await s.run(s.request({ path: '/small' }));
    assert.equal(small.body.complete(), true);
    assert.equal(Buffer.from(await small.body.bytes()).toString(), 'tiny');
    const half = await s.run(s.request({ path: '/half' }));
    assert.equal(half.body.complete(), false, 'four of eight bytes arrived');
    half.body.cancel();
  });

  test('a close-delimited body ends when the guest closes', async () => {
    const s = setup();
    serve(s.peer, (_req, socket) => {
      socket.write(Buffer.from('HTTP/1.1 200 OK\r\n\r\nuntil the end'));
      return 'close';
    });
    assert.deepEqual(await s.run(s.text()), [200, 'until the end']);
  });

  test('nothing listening → refused', async () => {
    const s = setup();
    assert.equal(await s.code(s.request({ port: 81 })), 'refused');
  });

  test('the guest resets mid-body → reset from the body', async () => {
    const s = setup();
    serve(s.peer, (_req, socket) => {
      socket.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial'));
      s.sim.at(s.sim.now + 20, () => socket.abort());
      return 'done';
    });
    const response = await s.run(s.request());
    assert.equal(await s.code(response.body.bytes()), 'reset');
  });

  test('a dead link → timeout', async () => {
    const s = setup({ faults: { loss: 1 }, tcp: { connectTimeoutMs: 3000 } });
    assert.equal(await s.code(s.request()), 'timeout');
  });

  test('garbage from the guest → malformed-response, and the connection is not reused', async () => {
    const s = setup();
    let calls = 0;
    const server = serve(s.peer, (_req, socket) => {
      socket.write(Buffer.from(calls++ === 0 ? 'SSH-2.0-OpenSSH\r\n\r\n' : 'HTTP/1.1 204 No Content\r\n\r\n'));
      return 'keep';
    });
    assert.equal(await s.code(s.request()), 'malformed-response');
    assert.deepEqual(await s.run(s.text()), [204, '']);
    assert.equal(server.connections, 2);
  });

  test('the guest closes an idle connection: the pool drops it and the next request opens another', async () => {
    const s = setup();
    const server = serve(s.peer, (_req, socket) => {
      socket.write(reply('200 OK', 'x'));
      s.sim.at(s.sim.now + 50, () => socket.close());
      return 'done';
    });
    await s.run(s.text());
    await s.run(new Promise((resolve) => s.sim.at(s.sim.now + 500, () => resolve(undefined))));
    assert.equal(s.host.socketCount, 0, 'the host answered the FIN and closed too');
    assert.deepEqual(await s.run(s.text()), [200, 'x']);
    assert.equal(server.connections, 2);
  });

  test('a kept-alive connection reset under a new GET is retried once on a fresh connection', async () => {
    const s = setup();
    let calls = 0;
    const server = serve(s.peer, (_req, socket) => {
      if (calls++ === 1) {
        socket.abort();
        return 'done';
      }
      socket.write(reply('200 OK', `call ${calls}`));
      return 'keep';
    });
    assert.deepEqual(await s.run(s.text()), [200, 'call 1']);
    assert.deepEqual(await s.run(s.text()), [200, 'call 3']);
    assert.equal(server.connections, 2);
  });

  test('32 concurrent requests share at most maxConnectionsPerHost connections', async () => {
    const s = setup({ maxConnectionsPerHost: 4 });
    const server = serve(s.peer, async (req, socket): Promise<Outcome> => {
      await new Promise((resolve) => s.sim.at(s.sim.now + 5, () => resolve(undefined)));
      socket.write(reply('200 OK', req.path));
      return 'keep';
    });
    const all = Promise.all(Array.from({ length: 32 }, (_, i) => s.text({ path: `/${i}` })));
    const results = await s.run(all);
    assert.deepEqual(
      results.map(([, body]) => body),
      Array.from({ length: 32 }, (_, i) => `/${i}`),
    );
    assert.equal(server.connections, 4);
    assert.equal(server.maxOpen, 4);
  });

  test('abort → aborted, for a request waiting on the guest and for one waiting for a connection', async () => {
    const s = setup({ maxConnectionsPerHost: 1 });
    serve(s.peer, () => 'done'); // never answers
    const first = new AbortController();
    const second = new AbortController();
    const a = s.request({ signal: first.signal });
    const b = s.request({ signal: second.signal });
    s.sim.at(100, () => {
      second.abort();
      first.abort();
    });
    const results = await s.run(Promise.allSettled([a, b]));
    assert.deepEqual(
      results.map((r) => r.status === 'rejected' && netErrorCode(r.reason)),
      ['aborted', 'aborted'],
    );
    assert.equal(s.host.socketCount, 0, 'the aborted connection was reset');
  });

  test('a body read slower than it arrives still arrives whole (the TCP window throttles the guest)', async () => {
    const s = setup();
    const big = Buffer.alloc(300_000, 7);
    serve(s.peer, (_req, socket) => {
      socket.write(reply('200 OK', big));
      return 'keep';
    });
    const response = await s.run(s.request());
    let total = 0;
    await s.run(
      (async () => {
        for await (const chunk of response.body) {
          total += chunk.length;
          await new Promise((resolve) => s.sim.at(s.sim.now + 3, () => resolve(undefined)));
        }
      })(),
    );
    assert.equal(total, big.length);
  });

  test('invalid requests fail before any connection is made', async () => {
    const s = setup();
    assert.equal(await s.code(s.request({ path: 'no-slash' })), 'invalid-request');
    assert.equal(s.host.socketCount, 0);
  });
});
