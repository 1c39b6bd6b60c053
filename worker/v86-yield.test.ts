// v86's wait between slices moved into the machine's thread, on a stand-in for v86's inner machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitInThread, type V86Loop } from './v86-yield.ts';

/** A class like v86's inner machine: its prototype holds the wait, each instance counts the ticks it was called back. */
function loopClass() {
  class Loop {
    worker: Worker | null = null;
    ticks: number[] = [];
    constructor(timerWorker?: { terminated: boolean }) {
      if (timerWorker) {
        this.worker = { terminate: () => (timerWorker.terminated = true) } as unknown as Worker;
      }
    }
    yield(ms: number, tick: number): void {
      throw new Error(`v86 waits ${ms} ms for tick ${tick} with its own timer worker`);
    }
    yield_callback(tick: number): void {
      this.ticks.push(tick);
    }
    register_yield(): void {}
    unregister_yield(): void {}
  }
  return Loop;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("the first machine's timer worker is stopped, and it and later machines wait in this thread", async () => {
  const Loop = loopClass();
  const timerWorker = { terminated: false };
  const first = new Loop(timerWorker);
  waitInThread(first as V86Loop);
  assert.equal(timerWorker.terminated, true);
  assert.equal(first.worker, null);
  const second = new Loop();
  first.yield(0, 1);
  second.yield(0, 7);
  assert.deepEqual(first.ticks, [], 'a wait of 0 ms still lets other tasks run first');
  await sleep(5);
  assert.deepEqual(first.ticks, [1]);
  assert.deepEqual(second.ticks, [7]);
  first.unregister_yield();
  second.unregister_yield();
});

test('a timed wait calls back after its time; a newer wait replaces it', async () => {
  const Loop = loopClass();
  const loop = new Loop({ terminated: false });
  waitInThread(loop as V86Loop);
  loop.yield(30, 1);
  await sleep(10);
  loop.yield(5, 2);
  await sleep(60);
  assert.deepEqual(loop.ticks, [2], 'the older timer is cleared, not merely ignored');
  loop.yield(0, 3);
  loop.unregister_yield();
  await sleep(10);
  assert.deepEqual(loop.ticks, [2], 'a destroyed machine is not called back');
});

test('where v86 has no timer worker (Node) nothing changes', () => {
  const Loop = loopClass();
  const loop = new Loop();
  waitInThread(loop as V86Loop);
  assert.throws(() => loop.yield(0, 1), /its own timer worker/);
});
