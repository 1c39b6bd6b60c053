// The web proxy with real clients: Node's fetch out to an HTTP server on this machine's loopback, through host TCP
// in real time (NetLink, as an appliance has it), from a simulated guest.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HttpResponseParser } from './net/http.ts';
import { FIRST_GUEST_IP, GATEWAY_IP } from './net/lan.ts';
import { Network } from './net/network.ts';
import type { OutboundPolicy } from './net/outbound.ts';
import { SIM_GUEST_MAC } from './net/sim.ts';
import { NetLink } from './net-link.ts';
import { fetchFailure, outboundFetch } from './outbound-fetch.ts';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let server: Server;
let port = 0;
const requests: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/gzip') {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'text/plain' });
        res.end(gzipSync('unzipped by the host'));
      } else if (req.url === '/moved') {
        res.writeHead(302, { Location: '/hello' });
        res.end();
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Server': 'loopback' });
        res.end(`${req.method} ${req.url} ${body}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

/** An appliance's wire with the proxy, and a guest stand-in on it, in real time. */
function guestAndHost(policy: OutboundPolicy) {
  const peer: Network = new Network({
    send: (frame) => setImmediate(() => link.receive(frame)),
    ip: FIRST_GUEST_IP,
    mac: SIM_GUEST_MAC,
    services: false,
    wake: () => setImmediate(() => peer.poll(performance.now())),
  });
  const link = new NetLink({
    name: 'guest',
    deliver: (frame) => setImmediate(() => peer.receive(frame, performance.now())),
    proxy: { fetch: outboundFetch('node'), policy: () => policy },
  });
  const ticker = setInterval(() => peer.poll(performance.now()), 5);
  /** Sends one request from the guest and reads the answer. */
  const ask = async (request: string): Promise<Reply> => {
    const socket = peer.connect(GATEWAY_IP, 80);
    socket.write(Buffer.from(request));
    const parser = new HttpResponseParser(request.split(' ')[0]!);
    const reply: Reply = { status: 0, headers: {}, body: '' };
    while (!parser.done) {
      const chunk = await socket.read();
      for (const event of chunk ? parser.push(chunk) : parser.end()) {
        if (event.type === 'head') {
          reply.status = event.head.status;
          for (const [name, value] of event.head.headers) reply.headers[name.toLowerCase()] = value;
        } else if (event.type === 'data') reply.body += Buffer.from(event.data).toString();
      }
    }
    socket.close();
    return reply;
  };
  const stop = (): void => {
    clearInterval(ticker);
    link.close();
    peer.close();
  };
  return { ask, stop };
}

const cli: OutboundPolicy = { allow: [], howToAllow: 'run tabcloud with --allow-net=<host>' };

describe('calls out to the web through the host (Node fetch)', () => {
  test('a GET and a POST reach a server on the loopback; gzip is undone; a redirect comes back as it is', async () => {
    const { ask, stop } = guestAndHost({ ...cli, allow: [`127.0.0.1:${port}`] });
    try {
      const get = await ask(
        `GET http://127.0.0.1:${port}/hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: tabcloud/test\r\nConnection: close\r\n\r\n`,
      );
      assert.deepEqual([get.status, get.body, get.headers['x-server']], [200, 'GET /hello?x=1 ', 'loopback']);
      assert.equal(requests.at(-1)?.headers['user-agent'], 'tabcloud/test');
      const post = await ask(
        `POST http://127.0.0.1:${port}/items HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":"b c"}`,
      );
      assert.deepEqual([post.status, post.body], [200, 'POST /items {"a":"b c"}']);
      assert.equal(requests.at(-1)?.headers['content-type'], 'application/json');
      const gzip = await ask(`GET http://127.0.0.1:${port}/gzip HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n`);
      assert.deepEqual([gzip.body, gzip.headers['content-encoding']], ['unzipped by the host', undefined]);
      const moved = await ask(`GET http://127.0.0.1:${port}/moved HTTP/1.1\r\n\r\n`);
      assert.deepEqual([moved.status, moved.headers['location']], [302, '/hello']);
    } finally {
      stop();
    }
  });

  test('an https URL that cannot be reached is 502 with the reason; a closed port is 502 refused', async () => {
    const { ask, stop } = guestAndHost({ ...cli, allow: ['*'] });
    try {
      const unknown = await ask('GET https://no-such-host.invalid/ HTTP/1.1\r\n\r\n');
      assert.equal(unknown.status, 502);
      assert.match(
        unknown.body,
        /^The host could not fetch https:\/\/no-such-host\.invalid\/: cannot resolve the name/,
      );
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const refused = await ask(`GET http://127.0.0.1:${closedPort}/ HTTP/1.1\r\n\r\n`);
      assert.equal(refused.status, 502);
      assert.match(refused.body, /the connection was refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
    } finally {
      stop();
    }
  });

  test('a host off the allow-list is 403 naming the flag; nothing reaches the server', async () => {
    const { ask, stop } = guestAndHost(cli);
    try {
      const before = requests.length;
      const reply = await ask(`GET http://127.0.0.1:${port}/secret HTTP/1.1\r\n\r\n`);
      assert.equal(reply.status, 403);
      assert.equal(
        reply.body,
        `127.0.0.1:${port} is not on its allow-list (empty). To allow it, run tabcloud with --allow-net=127.0.0.1.\n`,
      );
      assert.equal(requests.length, before);
    } finally {
      stop();
    }
  });

  test("the page's wording: a refused fetch is the browser's doing", () => {
    assert.equal(
      fetchFailure('page', new TypeError('Failed to fetch')),
      'the browser refused (CORS or network): Failed to fetch',
    );
  });
});
