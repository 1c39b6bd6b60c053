// How v86 waits between its slices in a browser worker. v86's main loop runs the CPU for a slice, then yields for
// as long as its next timer allows (0 when it has more to run). In a browser, v86 yields through a Worker of its own
// that only runs timers: every slice costs a message to that thread and one back, two threads to schedule on a
// machine that may have two cores in all. Here the wait stays in the machine's own thread: a MessageChannel for "run
// again now" (a task, so the gateway's and the LAN's messages still get their turn, with no clamping), a timer for a
// real wait. Node's v86 waits with setImmediate and setTimeout already, in its own thread: it is left as it is.

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
  let own = inThread.get(this);
  if (!own) {
    const { port1, port2 } = new MessageChannel();
    port2.onmessage = (event: MessageEvent<number>) => this.yield_callback(event.data);
    own = { port: port1, arrival: port2, timer: undefined };
    inThread.set(this, own);
  }
  // Only the newest wait counts (v86 drops the callbacks of older ones by their tick): the older timer can go.
  clearTimeout(own.timer);
  own.timer = undefined;
  const port = own.port;
  if (ms < 1) port.postMessage(tick);
  // Through the port again, not straight from the timer: a timer set from a timer's callback is clamped to 4 ms
  // after a few levels, and the next slice sets its timer from this callback.
  else own.timer = setTimeout(() => port.postMessage(tick), ms);
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
