// The gateway's body port over a MessageChannel in this process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BODY_CREDIT, receiveBody, sendBody } from './body-port.ts';

/** Chunks 0..count-1 of `size` bytes each, counting how many the sender has taken. */
function source(count: number, size = 1000, fail?: number) {
  const state = { taken: 0 };
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      if (state.taken === fail) throw new Error('the guest reset the connection');
      if (state.taken === count) return { value: undefined, done: true };
      return { value: new Uint8Array(size).fill(state.taken++ & 0xff), done: false };
    },
  };
  return { state, iterator };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

test('every chunk arrives in order, byte-exact', async () => {
  const { port1, port2 } = new MessageChannel();
  const { iterator } = source(50);
  void sendBody(port1, iterator);
  const bytes = new Uint8Array(await new Response(receiveBody(port2)).arrayBuffer());
  assert.equal(bytes.length, 50_000);
  for (let i = 0; i < 50; i++) assert.equal(bytes[i * 1000 + 999], i);
});

test('the sender keeps at most its credit in flight while nobody reads, then goes on as the reader takes', async () => {
  const { port1, port2 } = new MessageChannel();
  const { state, iterator } = source(20);
  void sendBody(port1, iterator);
  const reader = receiveBody(port2).getReader();
  await tick();
  assert.equal(state.taken, BODY_CREDIT, 'several chunks in flight, not one, and no more than the credit');
  await reader.read();
  await tick();
  assert.equal(state.taken, BODY_CREDIT + 1);
  let chunks = 1;
  while (!(await reader.read()).done) chunks++;
  assert.equal(chunks, 20);
});

test('cancelling the stream stops the sender and tells its source', async () => {
  const { port1, port2 } = new MessageChannel();
  const { state, iterator } = source(1000);
  let cancelled = false;
  const sent = sendBody(port1, iterator, () => (cancelled = true));
  const reader = receiveBody(port2).getReader();
  await reader.read();
  await reader.cancel();
  await sent;
  assert.ok(cancelled);
  assert.ok(state.taken < 10);
});

test('a source that fails mid-body errors the stream with its reason', async () => {
  const { port1, port2 } = new MessageChannel();
  void sendBody(port1, source(10, 100, 3).iterator);
  await assert.rejects(new Response(receiveBody(port2)).arrayBuffer(), /the body broke off: the guest reset/);
});
