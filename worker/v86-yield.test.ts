// v86's wait between slices moved into the machine's thread, on a stand-in for v86's inner machine.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
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

/** A machine of `Loop` that is destroyed when the test ends, passed or not (its port would keep Node running). */
function machine<T extends { unregister_yield(): void }>(t: TestContext, loop: T): T {
  t.after(() => loop.unregister_yield());
  return loop;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, for at most 5 s (a loaded machine delivers messages late). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5000; waited += 5) await sleep(5);
}

test("the first machine's timer worker is stopped, and it and later machines wait in this thread", async (t) => {
  const Loop = loopClass();
  const timerWorker = { terminated: false };
  const first = machine(t, new Loop(timerWorker));
  waitInThread(first as V86Loop);
  assert.equal(timerWorker.terminated, true);
  assert.equal(first.worker, null);
  const second = machine(t, new Loop());
  first.yield(0, 1);
  second.yield(0, 7);
  assert.deepEqual(first.ticks, [], 'not inside the caller');
  await until(() => first.ticks.length > 0 && second.ticks.length > 0);
  assert.deepEqual(first.ticks, [1]);
  assert.deepEqual(second.ticks, [7]);
});

test('a timed wait calls back after its time; a newer wait replaces it', async (t) => {
  const Loop = loopClass();
  const loop = machine(t, new Loop({ terminated: false }));
  waitInThread(loop as V86Loop);
  const start = performance.now();
  loop.yield(30, 1);
  loop.yield(50, 2);
  await until(() => loop.ticks.length > 0);
  assert.ok(performance.now() - start >= 49, 'not before its time');
  await sleep(50);
  assert.deepEqual(loop.ticks, [2], 'the older timer is cleared, not merely ignored');
  loop.yield(0, 3);
  loop.unregister_yield();
  await sleep(50);
  assert.deepEqual(loop.ticks, [2], 'a destroyed machine is not called back');
});

test('where v86 has no timer worker (Node) nothing changes', () => {
  const Loop = loopClass();
  const loop = new Loop();
  waitInThread(loop as V86Loop);
  assert.throws(() => loop.yield(0, 1), /its own timer worker/);
});

test('a machine woken from idle runs once, with the newest tick, before tasks queued earlier', async (t) => {
  const Loop = loopClass();
  const loop = machine(t, new Loop({ terminated: false }));
  waitInThread(loop as V86Loop);
  const order: string[] = [];
  const task = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('task'))));
  loop.yield(0, 1); // a frame raised the NIC's interrupt: v86 asks for its next tick at once
  loop.yield(0, 2); // and another frame, in the same task
  await Promise.resolve().then(() => order.push(`ticks ${loop.ticks.join()}`));
  await task;
  assert.deepEqual(order, ['ticks 2', 'task']);
});

test("a slice's own wait of 0 ms goes through a task, so messages and timers get their turn", async (t) => {
  class Slicing extends loopClass() {
    override yield_callback(tick: number): void {
      super.yield_callback(tick);
      if (tick < 3) this.yield(0, tick + 1); // the guest has more to run
    }
  }
  const loop = machine(t, new Slicing({ terminated: false }));
  waitInThread(loop as V86Loop);
  loop.yield(0, 1);
  await Promise.resolve();
  assert.deepEqual(loop.ticks, [1], 'the wake-up ran at once, the slice after it waits for a task');
  await until(() => loop.ticks.length === 3);
  assert.deepEqual(loop.ticks, [1, 2, 3]);
});
