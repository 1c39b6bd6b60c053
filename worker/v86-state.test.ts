// Reading a v86 state for a restore (v86-state.ts): the tree v86's set_state takes, views only where v86 copies out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { HttpClient } from './net/http-client.ts';
import type { SavedMachine } from './protocol.ts';
import { readStateInfo, readV86State, readV86StateAhead } from './v86-state.ts';

const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;

/** A ready kv, saved. */
async function kvSaved(): Promise<SavedMachine> {
  const machine = createNodeMachine();
  await machine.boot({ appliance: kv, cold: true }, () => {});
  const saved = await machine.saveState();
  await machine.stop();
  return saved;
}

const saved = await kvSaved();
const { state } = saved;

test('the saved RAM and VGA memory are views into the state; the registers devices keep are copies', () => {
  const tree = readV86State(state)!;
  const ram = tree[77] as Uint8Array;
  assert.equal(ram.buffer, state);
  assert.ok(ram.length > 0 && ram.length % 4096 === 0, `${ram.length} bytes of saved pages`);
  const vga = tree[52] as unknown[];
  for (const i of [6, 39]) assert.equal((vga[i] as Uint8Array).buffer, state, `VGA buffer ${i}`);
  // The PIT keeps its saved counters and writes to them: they must not alias the caller's bytes.
  const pit = tree[58] as unknown[];
  const counters = pit.filter((value) => ArrayBuffer.isView(value)) as Uint8Array[];
  assert.ok(counters.length > 0);
  for (const counter of counters) assert.notEqual(counter.buffer, state);
  // The bitmap of saved pages is read through its .buffer (v86's Bitmap): it has a buffer of its own, exactly.
  const bitmap = tree[78] as Uint8Array;
  assert.equal(bitmap.buffer.byteLength, bitmap.byteLength);
});

test('a machine resumed from the state answers, and the state is unchanged by it (it can resume again)', async () => {
  const before = new Uint8Array(state).slice();
  for (let i = 0; i < 2; i++) {
    const machine = createNodeMachine();
    try {
      await machine.boot({ appliance: kv, resume: saved }, () => {});
      const network = machine.network!;
      const http = new HttpClient(network);
      const put = await http.request({
        ip: network.guest!.ip,
        port: 80,
        method: 'PUT',
        path: '/keys/a',
        body: new TextEncoder().encode(`v${i}`),
      });
      await put.body.bytes();
      http.close();
      assert.equal(put.status, 201); // created: each resume starts from the saved machine, without the key
    } finally {
      await machine.stop();
    }
  }
  assert.deepEqual(new Uint8Array(state), before);
});

test('a tree read ahead goes to the next read of its state only; the one after is read afresh', () => {
  const copy = state.slice(0);
  readV86StateAhead(copy);
  // The buffers v86 keeps are copied as the tree is read: the read ahead has the bytes from before this.
  new Uint8Array(copy, readStateInfo(copy)!.buffersAt).fill(0xab);
  const pitCounters = (tree: unknown[]) => (tree[58] as ArrayBufferView[]).filter((value) => ArrayBuffer.isView(value));
  const overwritten = (tree: unknown[]) =>
    pitCounters(tree).every((counter) =>
      new Uint8Array(counter.buffer, counter.byteOffset, counter.byteLength).every((byte) => byte === 0xab),
    );
  assert.equal(overwritten(readV86State(copy)!), false);
  assert.equal(overwritten(readV86State(copy)!), true);
});

test('damaged states fail with what is wrong; a compressed one is left to v86', () => {
  const bytes = new Uint8Array(state);
  const cases: [Uint8Array<ArrayBuffer>, RegExp][] = [
    [bytes.slice(0, 8), /16 bytes at least/],
    [bytes.slice(0, bytes.length - 1), /cut to/],
    [Uint8Array.from(bytes, (b, i) => (i === 0 ? b ^ 1 : b)), /not a v86 state/],
    [Uint8Array.from(bytes, (b, i) => (i === 4 ? 7 : b)), /format 7/],
  ];
  for (const [damaged, message] of cases) assert.throws(() => readV86State(damaged.buffer), message);
  const zstd = new Uint8Array(32);
  new DataView(zstd.buffer).setUint32(0, 0xfd2fb528, true);
  assert.equal(readV86State(zstd.buffer), undefined);
});
