import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpResponseParser } from './http.ts';
import { GATEWAY_IP } from './lan.ts';
import type { OutboundPolicy } from './outbound.ts';
import { PROXY_MAX_BODY_BYTES } from './proxy-request.ts';
import { serveProxy, type OutboundRequest, type OutboundResponse, type ProxyOptions } from './proxy.ts';
import { Sim, simulatePair } from './sim.ts';
import type { TcpSocket } from './tcp-socket.ts';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ANY: OutboundPolicy = { allow: ['*'], howToAllow: 'add <host> to its list' };

interface Reply {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

type Answer = (request: OutboundRequest) => Promise<OutboundResponse>;

/** A text response as the host's fetch would give it, body in the pieces given. */
function response(status: number, pieces: string[], headers: [string, string][] = []): OutboundResponse {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const piece of pieces) yield Buffer.from(piece);
  }
  return { status, statusText: status === 200 ? 'OK' : '', headers, body: body() };
}

/** The host runs the proxy with a scripted fetch on a fake clock; the peer stands in for the guest. */
function setup(answer: Answer, options: { policy?: OutboundPolicy; tweak?: Partial<ProxyOptions> } = {}) {
  const sim = new Sim(3);
  const { host, peer } = simulatePair(sim);
  const seen: OutboundRequest[] = [];
  let aborted = 0;
  const timer = (ms: number, fn: () => void): (() => void) => {
    let live = true;
    sim.at(sim.now + ms, () => live && fn());
    return () => (live = false);
  };
  serveProxy(host, {
    fetch: (request) => {
      seen.push(request);
      // Like fetch() with an AbortSignal: aborting rejects what has not settled yet.
      let abort = (): void => {};
      const stopped = new Promise<never>((_, reject) => (abort = () => reject(new Error('aborted'))));
      stopped.catch(() => {});
      return {
        response: Promise.race([answer(request), stopped]),
        abort: () => {
          aborted++;
          abort();
        },
      };
    },
    policy: () => options.policy ?? ANY,
    timer,
    ...options.tweak,
  });
  const run = async <T>(promise: Promise<T>): Promise<T> => {
    let done = false;
    const guarded = promise.finally(() => (done = true));
    guarded.catch(() => {});
    await sim.run(() => done, { settle, limitMs: 600_000 });
    return guarded;
  };
  /** Opens a guest connection to the gateway's port 80. */
  const open = async (): Promise<TcpSocket> => {
    const socket = peer.connect(GATEWAY_IP, 80);
    await run(socket.opened());
    return socket;
  };
  /** Writes raw bytes and reads one response. */
  const ask = async (socket: TcpSocket, ...pieces: (string | Uint8Array)[]): Promise<Reply> => {
    for (const piece of pieces) socket.write(typeof piece === 'string' ? Buffer.from(piece) : piece);
    return run(readReply(socket));
  };
  return { sim, host, peer, seen, run, open, ask, aborted: () => aborted };
}

async function readReply(socket: TcpSocket, method = 'GET'): Promise<Reply> {
  const parser = new HttpResponseParser(method);
  const reply: Reply = { status: 0, reason: '', headers: {}, body: '' };
  while (!parser.done) {
    const chunk = await socket.read();
    for (const event of chunk ? parser.push(chunk) : parser.end()) {
      if (event.type === 'head') {
        reply.status = event.head.status;
        reply.reason = event.head.reason;
        for (const [name, value] of event.head.headers) reply.headers[name.toLowerCase()] = value;
      } else if (event.type === 'data') reply.body += Buffer.from(event.data).toString();
    }
  }
  return reply;
}

/** Reads until the host closes its side; true if it did (FIN), false if it reset. */
async function closedByHost(socket: TcpSocket): Promise<'fin' | 'reset'> {
  try {
    while ((await socket.read()) !== null);
    return 'fin';
  } catch {
    return 'reset';
  }
}

const GET = (url: string, extra = ''): string => `GET ${url} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

describe('web proxy', () => {
  test('a GET in absolute form is fetched; the answer comes back chunked, without hop-by-hop headers', async () => {
    const s = setup(async () =>
      response(
        200,
        ['hello ', 'web'],
        [
          ['Content-Type', 'text/plain'],
          ['Content-Length', '9'],
          ['Content-Encoding', 'gzip'],
          ['Connection', 'keep-alive'],
          ['X-Latin', 'caf\xe9'],
        ],
      ),
    );
    const socket = await s.open();
    const reply = await s.ask(
      socket,
      GET(
        'https://Example.COM/a/b?q=1',
        'User-Agent: tabcloud/hello\r\nConnection: close, X-Drop\r\nX-Drop: 1\r\nAccept-Encoding: zstd\r\n',
      ),
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'hello web');
    assert.equal(reply.headers['content-type'], 'text/plain');
    assert.equal(reply.headers['transfer-encoding'], 'chunked');
    assert.equal(reply.headers['content-encoding'], undefined, 'fetch decoded the body already');
    assert.equal(reply.headers['connection'], 'close');
    assert.equal(reply.headers['x-latin'], 'caf\xe9', 'a header byte string passes byte for byte');
    assert.deepEqual(s.seen, [
      {
        url: 'https://example.com/a/b?q=1',
        method: 'GET',
        headers: [['User-Agent', 'tabcloud/hello']],
        body: undefined,
      },
    ]);
    assert.equal(await s.run(closedByHost(socket)), 'fin');
  });

  test('keep-alive: several requests on one connection, bodies by Content-Length and chunked', async () => {
    const s = setup(async (request) =>
      response(201, [`${request.method} ${Buffer.from(request.body ?? []).toString()}`]),
    );
    const socket = await s.open();
    const first = await s.ask(socket, 'POST http://api.test/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel', 'lo');
    assert.deepEqual(
      [first.status, first.reason, first.body],
      [201, 'Created', 'POST hello'],
      'no statusText (HTTP/2)',
    );
    const chunked =
      'PUT http://api.test/y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\nT: 1\r\n\r\n';
    const second = await s.ask(socket, chunked.slice(0, 50), chunked.slice(50));
    assert.deepEqual([second.status, second.body], [201, 'PUT abcde']);
    const third = await s.ask(socket, GET('http://api.test/z'));
    assert.deepEqual([third.status, third.body], [201, 'GET ']);
    assert.equal(s.seen.length, 3);
    assert.equal(s.host.socketCount, 1);
  });

  test('HTTP/1.0: the body is delimited by closing the connection', async () => {
    const s = setup(async () => response(200, ['old', ' school']));
    const socket = await s.open();
    socket.write(Buffer.from('GET http://old.test/ HTTP/1.0\r\n\r\n'));
    const reply = await s.run(readReply(socket));
    assert.deepEqual([reply.status, reply.body, reply.headers['connection']], [200, 'old school', 'close']);
  });

  test('a host not on the allow-list is 403 saying how to allow it; nothing is fetched', async () => {
    const policy = { allow: ['*.example.com', 'api.test:8080'], howToAllow: 'run tabcloud with --allow-net=<host>' };
    const s = setup(async () => response(200, ['never']), { policy });
    const socket = await s.open();
    const reply = await s.ask(socket, GET('http://api.test/'));
    assert.equal(reply.status, 403);
    assert.match(reply.body, /api\.test is not on its allow-list \(\*\.example\.com, api\.test:8080\)/);
    assert.match(reply.body, /run tabcloud with --allow-net=api\.test/);
    const allowed = await s.ask(socket, GET('http://api.test:8080/'));
    assert.equal(allowed.status, 200);
    assert.equal(s.seen.length, 1);
  });

  test('an untrusted appliance is refused whatever its list says', async () => {
    const policy = { allow: ['*'], blocked: 'it is untrusted: press Trust it.', howToAllow: '' };
    const s = setup(async () => response(200, ['never']), { policy });
    const reply = await s.ask(await s.open(), GET('https://example.com/'));
    assert.equal(reply.status, 403);
    assert.equal(reply.body, 'Calls out to the web are off for this appliance: it is untrusted: press Trust it.\n');
    assert.equal(s.seen.length, 0);
  });

  test('a fetch that fails is 502 carrying its reason; the connection stays usable', async () => {
    const s = setup(async (request) => {
      if (request.url.startsWith('https://'))
        throw new TypeError('the browser refused (CORS or network): Failed to fetch');
      return response(200, ['fine']);
    });
    const socket = await s.open();
    const reply = await s.ask(socket, GET('https://blocked.example/'));
    assert.equal(reply.status, 502);
    assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(
      reply.body,
      'The host could not fetch https://blocked.example/: the browser refused (CORS or network): Failed to fetch\n',
    );
    assert.equal((await s.ask(socket, GET('http://ok.example/'))).body, 'fine');
  });

  test('no answer within 30 s is 504 and the fetch is aborted', async () => {
    const s = setup(() => new Promise<OutboundResponse>(() => {}));
    const start = s.sim.now;
    const reply = await s.ask(await s.open(), GET('http://slow.example/'));
    assert.equal(reply.status, 504);
    assert.equal(reply.body, 'No answer from slow.example within 30 s.\n');
    assert.ok(s.sim.now - start >= 30_000);
    assert.equal(s.aborted(), 1);
  });

  test('a guest that resets while its fetch is under way frees it at once', async () => {
    const s = setup(() => new Promise<OutboundResponse>(() => {}));
    const socket = await s.open();
    socket.write(Buffer.from(GET('http://slow.example/')));
    await s.sim.run(() => s.seen.length === 1, { settle });
    const start = s.sim.now;
    socket.abort();
    await s.sim.run(() => s.aborted() > 0 && s.host.socketCount === 0, { settle });
    assert.ok(s.sim.now - start < 1000);
  });

  test('a body that stalls for 30 s resets the connection and aborts the fetch', async () => {
    const stalled: OutboundResponse = {
      status: 200,
      statusText: 'OK',
      headers: [],
      body: (async function* () {
        yield Buffer.from('first part');
        await new Promise(() => {});
      })(),
    };
    const s = setup(async () => stalled);
    const socket = await s.open();
    socket.write(Buffer.from(GET('http://stall.example/')));
    assert.equal(await s.run(closedByHost(socket)), 'reset');
    assert.equal(s.aborted(), 1);
  });

  test('malformed and unsupported requests get 400, 501, 413, 431 and the connection closes', async () => {
    const cases: [string, number, RegExp][] = [
      ['GET / HTTP/1.1\r\nHost: example.com\r\n\r\n', 400, /send an absolute http:\/\/ or https:\/\/ URL/],
      ['GET http://user:pw@example.com/ HTTP/1.1\r\n\r\n', 400, /no user:password@/],
      ['GET http://0x7f.1/ HTTP/1.1\r\n\r\n', 400, /IPv4 address/],
      ['GET http://example.com/ HTTP/2.0\r\n\r\n', 400, /Not an HTTP\/1.x request line/],
      ['CONNECT example.com:443 HTTP/1.1\r\n\r\n', 501, /CONNECT tunnels are not offered/],
      ['POST http://a.test/ HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 501, /only chunked/],
      ['POST http://a.test/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /Both/],
      [`POST http://a.test/ HTTP/1.1\r\nContent-Length: ${PROXY_MAX_BODY_BYTES + 1}\r\n\r\n`, 413, /larger than/],
      [`GET http://a.test/ HTTP/1.1\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431, /head is larger than 16384/],
    ];
    for (const [request, status, body] of cases) {
      const s = setup(async () => response(200, ['never']));
      const socket = await s.open();
      const reply = await s.ask(socket, request);
      assert.equal(reply.status, status, request.slice(0, 40));
      assert.match(reply.body, body);
      assert.equal(await s.run(closedByHost(socket)), 'fin');
      assert.equal(s.seen.length, 0);
    }
  });

  test('a 1 MiB chunked body is forwarded whole; one byte more is 413', async () => {
    const s = setup(async (request) => response(200, [String(request.body?.length)]));
    const body = Buffer.alloc(PROXY_MAX_BODY_BYTES, 7);
    const chunk = (part: Buffer): Buffer =>
      Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]);
    const head = 'POST http://up.test/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n';
    const socket = await s.open();
    const parts = [0, 1, 2, 3].map((i) => chunk(body.subarray(i * 262_144, (i + 1) * 262_144)));
    const reply = await s.ask(socket, head, ...parts, '0\r\n\r\n');
    assert.deepEqual([reply.status, reply.body], [200, String(PROXY_MAX_BODY_BYTES)]);
    const over = await s.ask(socket, head, ...parts, chunk(Buffer.from('x')), '0\r\n\r\n');
    assert.equal(over.status, 413);
  });

  test('more than 16 fetches in flight: the next is 503 at once; it works again once they end', async () => {
    const waiting: (() => void)[] = [];
    let hold = true;
    const s = setup(async () => {
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      return response(200, ['late']);
    });
    const sockets = await Promise.all(Array.from({ length: 17 }, () => s.open()));
    for (const socket of sockets.slice(0, 16)) socket.write(Buffer.from(GET('http://busy.test/')));
    await s.sim.run(() => waiting.length === 16, { settle });
    const refused = await s.ask(sockets[16]!, GET('http://busy.test/'));
    assert.equal(refused.status, 503);
    assert.match(refused.body, /16 calls out in flight/);
    hold = false;
    for (const release of waiting) release();
    const replies = await s.run(Promise.all(sockets.slice(0, 16).map((socket) => readReply(socket))));
    assert.ok(replies.every((reply) => reply.body === 'late'));
    assert.equal((await s.ask(sockets[16]!, GET('http://busy.test/'))).status, 200);
  });

  test('a redirect the host followed off the allow-list is withheld as 403', async () => {
    const policy = { allow: ['api.test'], howToAllow: 'add <host>' };
    const s = setup(async () => ({ ...response(200, ['secret']), url: 'https://elsewhere.test/x' }), { policy });
    const reply = await s.ask(await s.open(), GET('http://api.test/go'));
    assert.equal(reply.status, 403);
    assert.match(
      reply.body,
      /^http:\/\/api\.test\/go redirected to https:\/\/elsewhere\.test\/x: elsewhere\.test is not on/,
    );
    assert.equal(s.aborted(), 1);
  });

  test('an idle connection is closed after a minute', async () => {
    const s = setup(async () => response(200, ['x']));
    const socket = await s.open();
    const start = s.sim.now;
    assert.equal(await s.run(closedByHost(socket)), 'fin');
    assert.ok(s.sim.now - start >= 60_000);
  });
});
