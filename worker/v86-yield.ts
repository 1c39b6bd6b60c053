// How v86 waits between its slices in a browser worker. v86's main loop runs the CPU for a slice, then yields for
// as long as its next timer allows (0 when it has more to run). In a browser, v86 yields through a Worker of its own
// that only runs timers: every slice costs a message to that thread and one back, two threads to schedule on a
// machine that may have two cores in all. Here the wait stays in the machine's own thread: a MessageChannel for "run
// again now" (a task, so the gateway's and the LAN's messages still get their turn, with no clamping), a timer for a
// real wait. A machine woken from idle by a device (a frame for its NIC, a key) runs its next slice right after the
// task that woke it (soon.ts): a frame from the gateway reaches the guest without a turn of the event loop. Node's v86
// waits with setImmediate and setTimeout already, in its own thread: it is left as it is.
import { next } from './soon.ts';

/** The part of v86's inner machine (`V86#v86`) that decides how it waits. */
export interface V86Loop {
  /** v86's own timer worker (browsers only; null in Node). */
  worker: Worker | null;
  yield(ms: number, tick: number): void;
  yield_callback(tick: number): void;
  register_yield(): void;
  unregister_yield(): void;
}

interface InThread {
  /** Where a wait is posted, and where it arrives. */
  port: MessagePort;
  arrival: MessagePort;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** A slice is running: the wait it asks for at its end is a real one, a task or a timer. */
  running: boolean;
  /** The tick of a wake-up waiting to run right after this task, if one is. */
  woken: number | undefined;
}

const inThread = new WeakMap<V86Loop, InThread>();

/**
 * Makes `loop`'s machine, and every machine built after it in this thread, wait in its own thread. Does nothing where
 * v86 has no timer worker (Node). The first machine's timer worker, already started by v86, is stopped.
 */
export function waitInThread(loop: V86Loop): void {
  if (!loop.worker) return;
  loop.worker.terminate();
  loop.worker = null;
  const prototype = Object.getPrototypeOf(loop) as V86Loop;
  prototype.register_yield = () => {};
  prototype.yield = yieldInThread;
  prototype.unregister_yield = stopWaiting;
}

function yieldInThread(this: V86Loop, ms: number, tick: number): void {
  const own = inThread.get(this) ?? waitsOf(this);
  // Only the newest wait counts (v86 drops the callbacks of older ones by their tick): the older timer can go.
  clearTimeout(own.timer);
  own.timer = undefined;
  if (ms < 1 && !own.running) {
    // Woken from idle (v86 asks for no wait only then, or at the end of a slice): every wake-up before the slice
    // runs moves the tick on, and the slice runs once, with the newest.
    if (own.woken === undefined) next(() => wakeUp(this, own));
    own.woken = tick;
    return;
  }
  own.woken = undefined;
  const port = own.port;
  if (ms < 1) port.postMessage(tick);
  // Through the port again, not straight from the timer: a timer set from a timer's callback is clamped to 4 ms
  // after a few levels, and the next slice sets its timer from this callback.
  else own.timer = setTimeout(() => port.postMessage(tick), ms);
}

function waitsOf(loop: V86Loop): InThread {
  const { port1, port2 } = new MessageChannel();
  const own: InThread = { port: port1, arrival: port2, timer: undefined, running: false, woken: undefined };
  port2.onmessage = (event: MessageEvent<number>) => runSlice(loop, own, event.data);
  inThread.set(loop, own);
  return own;
}

function wakeUp(loop: V86Loop, own: InThread): void {
  const tick = own.woken;
  own.woken = undefined;
  if (tick !== undefined && inThread.get(loop) === own) runSlice(loop, own, tick);
}

function runSlice(loop: V86Loop, own: InThread, tick: number): void {
  own.running = true;
  try {
    loop.yield_callback(tick);
  } finally {
    own.running = false;
  }
}

function stopWaiting(this: V86Loop): void {
  const own = inThread.get(this);
  if (!own) return;
  clearTimeout(own.timer);
  own.arrival.onmessage = null; // a wait already posted must not run a destroyed machine
  own.port.close();
  own.arrival.close();
  inThread.delete(this);
}
