// The frames on an appliance's wire, fed to watchers (the page's packet inspector) in batches: one message
// per interval with the bytes transferred, however many frames a transfer puts on the wire.
import { releaseProxy, transfer } from 'comlink';
import { Capture, type CapturedFrame, type Direction } from './net/pcap.ts';
import type { FrameBatch } from './protocol.ts';

export interface FrameFeedOptions {
  /** A watcher gets at most one batch per this many ms (default 100). */
  intervalMs?: number;
  /** Frames kept for a watcher that comes later (e.g. to show the boot's DHCP), and their bytes. */
  recentFrames?: number;
  recentBytes?: number;
  /** Frames (and bytes) waiting for a watcher that is still busy with its last batch; beyond, the oldest drop. */
  pendingFrames?: number;
  pendingBytes?: number;
}

/** Takes a batch; a returned promise (a comlink proxy returns one) holds the next batch back until it settles. */
export type FrameListener = (batch: FrameBatch) => void | Promise<void>;

interface Watch {
  id: number;
  listener: FrameListener;
  pending: Capture;
  timer: ReturnType<typeof setTimeout> | undefined;
  busy: boolean;
}

const DEFAULTS: Required<FrameFeedOptions> = {
  intervalMs: 100,
  recentFrames: 2000,
  recentBytes: 4 * 1024 * 1024,
  pendingFrames: 10_000,
  pendingBytes: 16 * 1024 * 1024,
};

/** Fans the frames of one wire out to watchers; frames are kept by reference until a batch copies them. */
export class FrameFeed {
  private readonly options: Required<FrameFeedOptions>;
  private readonly recent: Capture;
  private readonly watches = new Map<number, Watch>();
  private nextId = 1;

  constructor(options: FrameFeedOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.recent = new Capture(this.options.recentFrames, this.options.recentBytes);
  }

  /** Takes one frame that crossed the wire at timeMs (ms since the epoch); the frame must not change later. */
  push(frame: Uint8Array, timeMs: number, direction: Direction): void {
    this.recent.record(frame, timeMs, direction);
    for (const watch of this.watches.values()) {
      watch.pending.record(frame, timeMs, direction);
      this.schedule(watch, this.options.intervalMs);
    }
  }

  /** Starts sending batches to `listener`, the recent frames at once; returns the id for unwatch(). */
  watch(listener: FrameListener): number {
    const id = this.nextId++;
    const pending = new Capture(this.options.pendingFrames, this.options.pendingBytes);
    for (const { frame, time, direction } of this.recent.frames()) pending.record(frame, time, direction);
    pending.dropped = this.recent.dropped;
    const watch: Watch = { id, listener, pending, timer: undefined, busy: false };
    this.watches.set(id, watch);
    this.schedule(watch, 0);
    return id;
  }

  /** Stops the batches of watch `id` and lets go of its listener. */
  unwatch(id: number): void {
    const watch = this.watches.get(id);
    if (!watch) return;
    this.watches.delete(id);
    clearTimeout(watch.timer);
    (watch.listener as Partial<Record<typeof releaseProxy, () => void>>)[releaseProxy]?.();
  }

  /** Ends every watch. */
  close(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }

  private schedule(watch: Watch, delayMs: number): void {
    if (watch.timer !== undefined || watch.busy || !this.watches.has(watch.id)) return;
    if (watch.pending.length === 0 && watch.pending.dropped === 0) return;
    watch.timer = setTimeout(() => this.flush(watch), delayMs);
  }

  private flush(watch: Watch): void {
    watch.timer = undefined;
    const batch = toBatch(watch.pending.frames(), watch.pending.dropped);
    watch.pending.clear();
    watch.busy = true;
    const done = (): void => {
      watch.busy = false;
      this.schedule(watch, this.options.intervalMs);
    };
    // The page that watched is gone or its listener threw: stop feeding it.
    const failed = (): void => this.unwatch(watch.id);
    try {
      const transferables = [batch.bytes, batch.lengths.buffer, batch.times.buffer, batch.directions.buffer];
      const result = watch.listener(transfer(batch, transferables));
      if (result instanceof Promise) result.then(done, failed);
      else done();
    } catch {
      failed();
    }
  }
}

/** Copies frames into one batch of flat arrays, ready to transfer. */
export function toBatch(frames: CapturedFrame[], dropped: number): FrameBatch {
  const total = frames.reduce((sum, f) => sum + f.frame.length, 0);
  const bytes = new Uint8Array(total);
  const lengths = new Uint32Array(frames.length);
  const times = new Float64Array(frames.length);
  const directions = new Uint8Array(frames.length);
  let offset = 0;
  frames.forEach(({ frame, time, direction }, i) => {
    bytes.set(frame, offset);
    offset += frame.length;
    lengths[i] = frame.length;
    times[i] = time;
    directions[i] = direction === 'to-guest' ? 1 : 0;
  });
  return { bytes: bytes.buffer, lengths, times, directions, dropped };
}

/** The frames of a batch, as views into its bytes. */
export function fromBatch(batch: FrameBatch): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  let offset = 0;
  for (let i = 0; i < batch.lengths.length; i++) {
    const length = batch.lengths[i]!;
    frames.push({
      frame: new Uint8Array(batch.bytes, offset, length),
      time: batch.times[i]!,
      direction: batch.directions[i] === 1 ? 'to-guest' : 'from-guest',
    });
    offset += length;
  }
  return frames;
}
