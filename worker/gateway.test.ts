// The worker's gateway over a MessageChannel in this process, against the real kv appliance.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { bodyInit } from './body-port.ts';
import type { GatewayReply, GatewayRequest } from './gateway-protocol.ts';
import type { Machine } from './machine.ts';

let machine: Machine;
let gatewayPort: MessagePort;

before(async () => {
  const appliance = (await loadCatalog()).find((a) => a.id === 'kv');
  assert.ok(appliance, 'kv is in the catalog');
  machine = createNodeMachine();
  await machine.boot({ appliance }, () => {});
  const { port1, port2 } = new MessageChannel();
  machine.attachGateway(port1);
  gatewayPort = port2;
});

after(async () => {
  gatewayPort.close();
  await machine.stop();
});

let nextId = 1;

/** Sends one request through the gateway port; resolves to its reply (picked by id) with the body unread. */
function call(request: Omit<GatewayRequest, 'type' | 'id'>): Promise<GatewayReply> {
  const id = nextId++;
  const replied = new Promise<GatewayReply>((resolve) => {
    const listener = (event: MessageEvent<GatewayReply>): void => {
      if (event.data.id !== id) return;
      gatewayPort.removeEventListener('message', listener as EventListener);
      resolve(event.data);
    };
    gatewayPort.addEventListener('message', listener as EventListener);
  });
  gatewayPort.start();
  gatewayPort.postMessage({ type: 'http-request', id, ...request } satisfies GatewayRequest);
  return replied;
}

/** Sends one request through the gateway port; resolves to the reply with the body read whole. */
async function send(request: Omit<GatewayRequest, 'type' | 'id'>): Promise<{ reply: GatewayReply; text: string }> {
  const reply = await call(request);
  if (reply.type !== 'http-response' || reply.body === null) return { reply, text: '' };
  return { reply, text: await new Response(bodyInit(reply.body)).text() };
}

const get = (target: string, port = 80) => send({ port, method: 'GET', target, headers: [], body: null });

test('a PUT and a GET reach the guest; the body streams back', async () => {
  const body = new TextEncoder().encode('through the gateway').buffer as ArrayBuffer;
  const put = await send({
    port: 80,
    method: 'PUT',
    target: '/keys/g',
    headers: [['Content-Type', 'text/plain']],
    body,
  });
  assert.equal(put.reply.type, 'http-response');
  const { reply, text } = await get('/keys/g');
  assert.ok(reply.type === 'http-response');
  assert.equal(reply.status, 200);
  assert.equal(text, 'through the gateway');
});

test('hop-by-hop request headers are dropped and Host names the appliance', async () => {
  const { reply } = await send({
    port: 80,
    method: 'GET',
    target: '/',
    headers: [
      ['Connection', 'close, x-secret'],
      ['Transfer-Encoding', 'chunked'],
      ['Host', 'evil.example'],
    ],
    body: null,
  });
  assert.ok(reply.type === 'http-response');
  assert.equal(reply.status, 200);
});

test('a closed guest port is port-closed', async () => {
  const { reply } = await get('/', 81);
  assert.ok(reply.type === 'http-error');
  assert.equal(reply.code, 'port-closed');
});

test('a 1 MiB value round-trips byte-exact', async () => {
  const value = new Uint8Array(1 << 20).map((_, i) => (i * 7 + (i >> 11)) & 0xff);
  const put = await send({ port: 80, method: 'PUT', target: '/keys/big', headers: [], body: value.slice().buffer });
  assert.ok(put.reply.type === 'http-response' && put.reply.status < 300);
  const reply = await call({ port: 80, method: 'GET', target: '/keys/big', headers: [], body: null });
  assert.ok(reply.type === 'http-response' && reply.body !== null);
  const bytes = new Uint8Array(await new Response(bodyInit(reply.body)).arrayBuffer());
  assert.equal(bytes.length, value.length);
  assert.ok(bytes.every((b, i) => b === value[i]));
});
