// The frame feed on its own with a fake clock, then a Machine running kv watched over a MessageChannel with
// comlink, as the page watches its worker.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import * as Comlink from 'comlink';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { FrameFeed, fromBatch } from './frame-feed.ts';
import { bodyInit } from './body-port.ts';
import type { GatewayReply, GatewayRequest } from './gateway-protocol.ts';
import { summarize } from './net/dissect.ts';
import type { FrameBatch, MachineApi } from './protocol.ts';

const frame = (n: number, length = 60): Uint8Array => new Uint8Array(length).fill(n);
/** Lets promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakeClock(t: TestContext): (ms: number) => void {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  return (ms) => t.mock.timers.tick(ms);
}

describe('frame feed', () => {
  test('a watcher gets the recent frames at once, then one batch per interval', (t) => {
    const tick = fakeClock(t);
    const feed = new FrameFeed({ intervalMs: 100 });
    feed.push(frame(1), 1000.5, 'from-guest');
    feed.push(frame(2, 1514), 1001.25, 'to-guest');
    const batches: FrameBatch[] = [];
    feed.watch((batch) => void batches.push(batch));
    tick(0);
    assert.equal(batches.length, 1);
    assert.deepEqual(
      fromBatch(batches[0]!).map((f) => [f.frame[0], f.frame.length, f.time, f.direction]),
      [
        [1, 60, 1000.5, 'from-guest'],
        [2, 1514, 1001.25, 'to-guest'],
      ],
    );
    for (let i = 0; i < 50; i++) feed.push(frame(i), 2000 + i, 'from-guest');
    tick(99);
    assert.equal(batches.length, 1, 'frames wait for the interval');
    tick(1);
    assert.equal(batches.length, 2);
    assert.equal(batches[1]!.lengths.length, 50);
    assert.equal(batches[1]!.bytes.byteLength, 50 * 60);
    assert.equal(batches[1]!.dropped, 0);
    tick(1000);
    assert.equal(batches.length, 2, 'no frames, no batch');
  });

  test('a busy watcher gets fewer, larger batches; its queue is bounded and drops are counted', async (t) => {
    const tick = fakeClock(t);
    const feed = new FrameFeed({ intervalMs: 100, recentFrames: 4, pendingFrames: 10 });
    for (let i = 0; i < 6; i++) feed.push(frame(i), i, 'from-guest');
    const batches: FrameBatch[] = [];
    let release = (): void => {};
    feed.watch((batch) => {
      batches.push(batch);
      return new Promise<void>((resolve) => (release = resolve));
    });
    tick(0);
    assert.deepEqual(
      fromBatch(batches[0]!).map((f) => f.frame[0]),
      [2, 3, 4, 5],
    );
    assert.equal(batches[0]!.dropped, 2, 'frames older than the recent ones kept');
    for (let i = 0; i < 25; i++) feed.push(frame(i), 100 + i, 'to-guest');
    tick(500);
    assert.equal(batches.length, 1, 'the page has not taken the last batch yet');
    release();
    await settle();
    tick(100);
    assert.equal(batches.length, 2);
    assert.deepEqual(
      fromBatch(batches[1]!).map((f) => f.frame[0]),
      [15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    );
    assert.equal(batches[1]!.dropped, 15);
  });

  test('unwatch ends the batches; a listener that fails is unwatched', async (t) => {
    const tick = fakeClock(t);
    const feed = new FrameFeed({ intervalMs: 10 });
    let kept = 0;
    let failing = 0;
    const id = feed.watch(() => void kept++);
    feed.watch(() => {
      failing++;
      return Promise.reject(new Error('the page is gone'));
    });
    feed.push(frame(1), 1, 'from-guest');
    tick(10);
    await settle();
    assert.deepEqual([kept, failing], [1, 1]);
    feed.unwatch(id);
    feed.push(frame(2), 2, 'from-guest');
    tick(10);
    await settle();
    assert.deepEqual([kept, failing], [1, 1]);
  });
});

test('kv watched over comlink: boot frames first, then the request, and the timeline marks', async () => {
  const appliance = (await loadCatalog()).find((a) => a.id === 'kv');
  assert.ok(appliance, 'kv is in the catalog');
  const machine = createNodeMachine();
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(machine, port1);
  const remote = Comlink.wrap<MachineApi>(port2);
  const gateway = new MessageChannel();
  try {
    const status = await machine.boot({ appliance }, () => {});
    const seen: string[] = [];
    let batches = 0;
    const id = await remote.watchFrames(
      Comlink.proxy((batch: FrameBatch) => {
        batches++;
        for (const f of fromBatch(batch)) seen.push(`${f.direction} ${summarize(f.frame)}`);
      }),
    );
    machine.attachGateway(gateway.port1);
    const replied = new Promise<GatewayReply>((resolve) => {
      gateway.port2.onmessage = (event: MessageEvent<GatewayReply>) => resolve(event.data);
    });
    const request: GatewayRequest = {
      type: 'http-request',
      id: 1,
      port: 80,
      method: 'GET',
      target: '/keys',
      headers: [],
      body: null,
    };
    gateway.port2.postMessage(request);
    const answer = await replied;
    assert.equal(answer.type === 'http-response' && answer.status, 200);
    if (answer.type === 'http-response' && answer.body) await new Response(bodyInit(answer.body)).text();
    const deadline = Date.now() + 5000;
    while (!seen.includes('from-guest HTTP 200 OK') && Date.now() < deadline) await settle();

    assert.ok(seen.includes('from-guest DHCP DISCOVER'), 'the boot is in the first batch');
    assert.ok(seen.some((line) => /^from-guest ARP who-has 10\.0\.2\.2 tell 10\.0\.2\.15$/.test(line)));
    assert.ok(seen.some((line) => /^to-guest TCP .*:80 \[SYN\] /.test(line)));
    assert.ok(seen.includes('to-guest HTTP GET /keys'));
    assert.ok(seen.includes('from-guest HTTP 200 OK'));
    assert.ok(batches < seen.length, 'frames travel in batches');
    await remote.unwatchFrames(id);

    const { host, guest, origin } = (await remote.status()).timeline;
    assert.ok(origin !== undefined && Math.abs(origin - Date.now()) < 60_000, 'origin is Unix time in ms');
    const order = ['image-loaded', 'wasm-ready', 'emulator-started', 'ready', 'first-request'];
    const times = order.map((stage) => host[stage]);
    assert.ok(
      times.every((ms, i) => ms !== undefined && (i === 0 || ms >= times[i - 1]!)),
      JSON.stringify(host),
    );
    assert.equal(status.timeline.host['first-request'], undefined, 'no request before READY');
    const entry = host['kernel-entry']!;
    assert.ok(entry >= host['emulator-started']!, 'the kernel enters after the emulator started');
    assert.ok(entry + guest['ready']! <= host['ready']! + 0.001, 'and early enough for READY to arrive when it did');
    assert.deepEqual(
      ['kernel-entry', 'nic', 'dhcp-bound', 'listening', 'ready'].filter((stage) => guest[stage] === undefined),
      [],
    );
  } finally {
    gateway.port2.close();
    remote[Comlink.releaseProxy]();
    port2.close();
    await machine.stop();
  }
});
