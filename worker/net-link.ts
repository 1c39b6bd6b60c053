// Drives a host Network in real time: frames between it and the NIC, and its timers.
import type { Lan } from './net/lan.ts';
import { Network } from './net/network.ts';
import type { Direction } from './net/pcap.ts';

export interface NetLinkOptions {
  /** Puts a frame on the guest's NIC. */
  deliver(frame: Uint8Array): void;
  /** The appliance's name on the LAN (`<name>.tab`). */
  name: string;
  lan?: Lan;
  /** Sees every frame in both directions, with the time in ms since the epoch (e.g. to stream a pcap). */
  tap?(frame: Uint8Array, timeMs: number, direction: Direction): void;
}

/** One appliance's wire: the host Network, polled when frames arrive, when sockets have work, and at its deadlines. */
export class NetLink {
  readonly network: Network;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  constructor(private readonly options: NetLinkOptions) {
    this.network = new Network({
      name: options.name,
      ...(options.lan && { lan: options.lan }),
      send: (frame) => {
        options.tap?.(frame, performance.timeOrigin + performance.now(), 'to-guest');
        options.deliver(frame);
      },
      wake: () => this.schedule(performance.now()),
    });
  }

  /** Takes a frame the guest's NIC sent (already copied out of NIC memory). */
  receive(frame: Uint8Array): void {
    const now = performance.now();
    this.options.tap?.(frame, performance.timeOrigin + now, 'from-guest');
    this.network.receive(frame, now);
    this.schedule(now);
  }

  /** Aborts every connection and stops the timers. */
  close(): void {
    this.network.close();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Arms the one timer for `at`, unless it already fires sooner. */
  private schedule(at: number): void {
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.poll(), Math.max(0, at - performance.now()));
  }

  private poll(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const next = this.network.poll(performance.now());
    if (next !== undefined) this.schedule(next);
  }
}
