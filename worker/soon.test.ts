// next(): work right after the current task, but never a chain that keeps the event loop from everything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { next, soon } from './soon.ts';

/** Resolves after the tasks queued before it (and their microtasks) have run. */
const afterTasks = () => new Promise<void>((resolve) => soon(resolve));

test('next() runs work before tasks queued earlier, soon() after them', async () => {
  await afterTasks();
  const order: string[] = [];
  soon(() => order.push('task queued first'));
  soon(() => order.push('soon'));
  next(() => order.push('next'));
  assert.deepEqual(order, [], 'neither runs inside the caller');
  await afterTasks();
  assert.deepEqual(order, ['next', 'task queued first', 'soon']);
});

test('work that wakes work runs as microtasks only eight in a row, then a task lets the rest in', async () => {
  await afterTasks();
  const order: string[] = [];
  soon(() => order.push('timer or message'));
  let left = 20;
  const work = (): void => {
    order.push('work');
    if (--left > 0) next(work);
  };
  next(work);
  while (left > 0) await afterTasks();
  const first = order.indexOf('timer or message');
  assert.equal(first, 8, 'the waiting task ran after eight pieces of work');
  assert.equal(order.filter((item) => item === 'work').length, 20, 'and the rest of the work still ran');
});

test('the chain starts over after a task boundary', async () => {
  await afterTasks();
  for (let round = 0; round < 3; round++) {
    const order: string[] = [];
    soon(() => order.push('task'));
    for (let i = 0; i < 8; i++) next(() => order.push('work'));
    await afterTasks();
    assert.deepEqual(order.slice(0, 8), Array(8).fill('work'), `round ${round}: all eight ran first`);
  }
});
