// One direction of a LAN port: frames batched per task into one message, with a bounded number of frames in flight
// (the other side says how many it took) and a bounded queue behind them. A sender faster than its receiver loses
// frames here, counted, instead of piling up messages in a thread that cannot keep up: Ethernet drops, TCP resends.

/** Frames posted and not yet taken by the other side; beyond, frames wait in the queue. */
export const PIPE_WINDOW_FRAMES = 512;
/** Frames waiting for the window; beyond, new frames are dropped. */
export const PIPE_QUEUE_FRAMES = 1024;

export interface FramePipeOptions {
  /** Posts one batch of frames to the other side. */
  post(frames: Uint8Array[]): void;
  window?: number;
  queue?: number;
  /** Runs the flush after the current task's frames are in (default queueMicrotask). */
  defer?(flush: () => void): void;
}

/** The sending half of a LAN port. */
export class FramePipe {
  /** Frames dropped because the queue was full. */
  dropped = 0;
  private readonly queue: Uint8Array[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly window: number;
  private readonly limit: number;

  constructor(private readonly options: FramePipeOptions) {
    this.window = options.window ?? PIPE_WINDOW_FRAMES;
    this.limit = options.queue ?? PIPE_QUEUE_FRAMES;
  }

  /** Queues a frame for the other side; false when the queue is full and the frame was dropped. */
  send(frame: Uint8Array): boolean {
    if (this.queue.length >= this.limit) {
      this.dropped++;
      return false;
    }
    this.queue.push(frame);
    this.schedule();
    return true;
  }

  /** The other side took `count` frames: room for as many more in flight. */
  took(count: number): void {
    this.inFlight = Math.max(0, this.inFlight - count);
    if (this.queue.length > 0) this.schedule();
  }

  /** Frames waiting to be posted. */
  get queued(): number {
    return this.queue.length;
  }

  /** Forgets the queue (the port is closing). */
  clear(): void {
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.window) return;
    this.scheduled = true;
    (this.options.defer ?? queueMicrotask)(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const count = Math.min(this.queue.length, this.window - this.inFlight);
    if (count <= 0) return;
    const frames = this.queue.splice(0, count);
    this.inFlight += count;
    this.options.post(frames);
  }
}
