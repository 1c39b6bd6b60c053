// Running work next. A request for the guest wakes the host stack, which wakes the guest: each step is work another
// task asked for, and each step in a task of its own costs a turn of the event loop (0.1 ms and more in a browser
// worker, where a turn is a message through Chromium's scheduler). Right after the task that asked, as a microtask,
// it costs nothing; but microtasks never yield, so a chain of them (the host and the guest answering each other)
// must go back through a task now and then.

const ready: (() => void)[] = [];
let channel: MessageChannel | undefined;

/**
 * Runs `task` in a task of its own, next. Not setTimeout(0): Node waits at least 1 ms for it (browsers 4 ms once
 * nested), and every request to the guest would wait that long.
 */
export function soon(task: () => void): void {
  const immediate = (globalThis as { setImmediate?: (task: () => void) => unknown }).setImmediate;
  if (immediate) {
    immediate(task);
    return;
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => ready.shift()?.();
  }
  ready.push(task);
  channel.port2.postMessage(null);
}

/** Work run as microtasks in a row (in this thread) before the next goes through a task. */
const CHAIN_MAX = 8;
let chained = 0;

/**
 * Runs `work` right after the current task, as a microtask, unless CHAIN_MAX have run so since a task boundary: then
 * in a task of its own (soon()). So the task that wakes the work gets it done before anything else, and work waking
 * work (the host stack and the guest answering each other) keeps the event loop from timers and messages for at most
 * CHAIN_MAX pieces of work.
 */
export function next(work: () => void): void {
  if (chained >= CHAIN_MAX) {
    soon(work);
    return;
  }
  // The chain ends with the task that follows the one that started it.
  if (chained++ === 0) soon(() => (chained = 0));
  queueMicrotask(work);
}
