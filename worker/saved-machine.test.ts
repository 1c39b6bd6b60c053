import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSOLE_TAIL_BYTES, decodeMachine, encodeMachine, gunzip, gzip } from './saved-machine.ts';

/** A state like v86's: mostly zero blocks, some data, a length that is not a multiple of the block size. */
function fakeState(): ArrayBuffer {
  const state = new Uint8Array(5 * 4096 + 123);
  state.set([1, 2, 3], 4096 + 10);
  state[state.length - 1] = 0xff;
  return state.buffer;
}

test('a machine round-trips with its address and console tail', async () => {
  const console = new TextEncoder().encode('x'.repeat(CONSOLE_TAIL_BYTES + 10) + 'tail');
  const image = { state: fakeState(), guest: { ip: 0x0a00020f, mac: '52:54:00:12:34:56' }, console };
  const bytes = await gunzip(await gzip(encodeMachine(image)));
  const back = decodeMachine(bytes);
  assert.deepEqual(new Uint8Array(back.state), new Uint8Array(image.state));
  assert.deepEqual(back.guest, image.guest);
  assert.equal(back.console.length, CONSOLE_TAIL_BYTES);
  assert.ok(new TextDecoder().decode(back.console).endsWith('tail'));
});

test('zero blocks are not stored', () => {
  assert.ok(encodeMachine({ state: fakeState(), console: new Uint8Array() }).length < 3 * 4096);
});

test('damaged bytes give a bad-saved-machine error at every cut', () => {
  const bytes = encodeMachine({ state: fakeState(), console: new Uint8Array([65]) });
  for (let cut = 0; cut < bytes.length; cut += 97) {
    assert.throws(() => decodeMachine(bytes.subarray(0, cut)), { name: 'bad-saved-machine' });
  }
  const other = bytes.slice();
  other[4] = 9;
  assert.throws(() => decodeMachine(other), /another Tabcloud version/);
  assert.throws(() => decodeMachine(new TextEncoder().encode('not a machine')), { name: 'bad-saved-machine' });
});
