import { FIRST_GUEST_IP } from './lan.ts';
import { Network, type NetworkOptions } from './network.ts';

/** A seeded PRNG (mulberry32), so simulations and fuzzing replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Faults of a simulated one-way link; probabilities per item. */
export interface LinkFaults<T = Uint8Array> {
  loss?: number;
  duplicate?: number;
  /** Probability that an item is held back by up to 3 × delayMs, so later ones overtake it. */
  reorder?: number;
  delayMs?: number;
  /** Room for items in transit (in units of cost); beyond it they are dropped silently, like a full NIC ring. */
  capacity?: number;
  /** What an item occupies of the capacity (default 1). */
  cost?(item: T): number;
}

/** NE2000 receive-ring pages (256 bytes, 4-byte header each frame) that a frame occupies. */
export function ne2kPages(frame: Uint8Array): number {
  return Math.ceil((frame.length + 4) / 256);
}

/** The receive ring a guest driver can give the NE2000: its 16 KiB minus one 6-page transmit buffer. */
export const NE2K_RX_PAGES = 64 - 6;

/** Counters of a simulated link. */
export interface LinkStats {
  sent: number;
  lost: number;
  overflowed: number;
}

interface SimEvent {
  at: number;
  order: number;
  run(): void;
}

/** A fake clock and event queue that drives networks and lossy links deterministically. */
export class Sim {
  now = 0;
  readonly random: () => number;
  private events: SimEvent[] = [];
  private order = 0;
  private readonly pollers: ((now: number) => number | undefined)[] = [];

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Runs fn at the given time. */
  at(time: number, fn: () => void): void {
    this.events.push({ at: Math.max(time, this.now), order: this.order++, run: fn });
  }

  /** Registers something to poll at every step; it returns its next deadline, as Network.poll does. */
  addPoller(poll: (now: number) => number | undefined): void {
    this.pollers.push(poll);
  }

  /** A one-way link with faults: call the returned function to send an item; deliver gets it later. */
  link<T>(
    deliver: (item: T, now: number) => void,
    faults: LinkFaults<T> = {},
  ): ((item: T) => void) & { stats: LinkStats } {
    const stats: LinkStats = { sent: 0, lost: 0, overflowed: 0 };
    let inTransit = 0;
    const delay = faults.delayMs ?? 1;
    const schedule = (item: T, extra: number): void => {
      const cost = faults.cost?.(item) ?? 1;
      if (inTransit + cost > (faults.capacity ?? Infinity)) {
        stats.overflowed++;
        return;
      }
      inTransit += cost;
      this.at(this.now + delay + extra, () => {
        inTransit -= cost;
        deliver(item, this.now);
      });
    };
    const send = (item: T): void => {
      stats.sent++;
      if (this.random() < (faults.loss ?? 0)) {
        stats.lost++;
        return;
      }
      const held = this.random() < (faults.reorder ?? 0) ? Math.ceil(this.random() * 3 * delay) : 0;
      schedule(item, held);
      if (this.random() < (faults.duplicate ?? 0)) schedule(item, Math.ceil(this.random() * delay));
    };
    return Object.assign(send, { stats });
  }

  /**
   * Steps the simulation until done() holds: polls, delivers due events, then jumps the clock to the next deadline.
   * settle() runs between steps so that promise chains in application code can react (tests pass a macrotask).
   */
  async run(done: () => boolean, options: { limitMs?: number; settle?: () => Promise<void> } = {}): Promise<void> {
    const limit = this.now + (options.limitMs ?? 600_000);
    const settle = options.settle ?? (() => Promise.resolve());
    for (let idle = 0; ;) {
      await settle();
      if (done()) return;
      let next = Infinity;
      for (const poll of this.pollers) next = Math.min(next, poll(this.now) ?? Infinity);
      this.events.sort((a, b) => a.at - b.at || a.order - b.order);
      const due = this.events.filter((e) => e.at <= this.now);
      this.events = this.events.filter((e) => e.at > this.now);
      for (const event of due) event.run();
      if (due.length > 0 || next <= this.now) {
        if (++idle > 100_000) throw new Error('simulation spins without time advancing');
        continue;
      }
      idle = 0;
      const wake = Math.min(next, this.events[0]?.at ?? Infinity);
      if (wake === Infinity) {
        await settle();
        if (done()) return;
        throw new Error('simulation stalled: nothing scheduled and not done');
      }
      if (wake > limit) throw new Error(`simulation passed its time limit at ${this.now} ms`);
      this.now = wake;
    }
  }
}

/** The guest's MAC in simulations (v86 picks 00:22:15:xx:xx:xx; any unicast MAC will do). */
export const SIM_GUEST_MAC = '00:22:15:aa:bb:cc';

/** A host Network and a peer Network standing in for the guest at 10.0.2.15, joined by two faulty links. */
export function simulatePair(
  sim: Sim,
  options: {
    faults?: LinkFaults;
    toGuest?: LinkFaults;
    host?: Partial<NetworkOptions>;
    peer?: Partial<NetworkOptions>;
  } = {},
): { host: Network; peer: Network; toGuest: LinkStats; toHost: LinkStats } {
  const toGuest = sim.link<Uint8Array>((frame, now) => peer.receive(frame, now), options.toGuest ?? options.faults);
  const toHost = sim.link<Uint8Array>((frame, now) => host.receive(frame, now), options.faults);
  const host: Network = new Network({ send: toGuest, random: sim.random, ...options.host });
  const peer: Network = new Network({
    send: toHost,
    ip: FIRST_GUEST_IP,
    mac: SIM_GUEST_MAC,
    services: false,
    random: sim.random,
    ...options.peer,
  });
  sim.addPoller((now) => host.poll(now));
  sim.addPoller((now) => peer.poll(now));
  return { host, peer, toGuest: toGuest.stats, toHost: toHost.stats };
}
