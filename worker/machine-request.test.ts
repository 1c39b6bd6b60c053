// MachineApi.request(): the gateway without a service worker, over comlink on a MessageChannel in this process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as Comlink from 'comlink';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { Machine } from './machine.ts';
import type { MachineApi } from './protocol.ts';

let machine: Machine;
let api: Comlink.Remote<MachineApi>;
let channel: MessageChannel;

before(async () => {
  const appliance = (await loadCatalog()).find((a) => a.id === 'kv');
  assert.ok(appliance, 'kv is in the catalog');
  machine = createNodeMachine();
  await machine.boot({ appliance }, () => {});
  channel = new MessageChannel();
  Comlink.expose(machine, channel.port1);
  api = Comlink.wrap<MachineApi>(channel.port2);
});

after(async () => {
  api[Comlink.releaseProxy]();
  channel.port1.close();
  channel.port2.close();
  await machine.stop();
});

test('a PUT then a GET through request() reach the guest and answer with the body whole', async () => {
  const body = new TextEncoder().encode('no service worker').buffer as ArrayBuffer;
  const put = await api.request({ port: 80, method: 'PUT', target: '/keys/direct', headers: [], body });
  assert.equal(put.status, 201);
  const got = await api.request({ port: 80, method: 'GET', target: '/keys/direct', headers: [], body: null });
  assert.equal(got.status, 200);
  assert.equal(got.statusText, 'OK');
  assert.equal(new TextDecoder().decode(got.body), 'no service worker');
  assert.ok(got.headers.some(([name]) => name.toLowerCase() === 'content-length'));
});

test('a closed guest port rejects with the gateway code as the error name', async () => {
  await assert.rejects(api.request({ port: 81, method: 'GET', target: '/', headers: [], body: null }), {
    name: 'port-closed',
  });
});
