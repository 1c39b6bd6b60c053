// The LAN of a browser profile: one LanSwitch and the ports to it. Machine workers join through a port the page
// handed them (frames go worker ⇄ switch, never through a page); pages connect to follow the members, the counters
// and, in the inspector, every frame. It runs in a SharedWorker (worker/lan-worker.ts) and, in tests, in-process.
import { FrameFeed } from './frame-feed.ts';
import { FramePipe } from './lan-pipe.ts';
import type {
  HubMessage,
  LanCounters,
  LanMemberInfo,
  MemberMessage,
  SwitchMessage,
  ViewerMessage,
} from './lan-protocol.ts';
import { formatIp } from './net/ipv4.ts';
import { LanSwitch } from './net/switch.ts';

/** Pages get the counters at most this often while they change. */
const COUNTERS_MS = 1000;

export interface LanHubOptions {
  lanSwitch?: LanSwitch;
  /**
   * Resolves once nobody holds the Web Lock named `lock` any more: the member's worker (or the page) that held it
   * stopped or died. In a browser, navigator.locks.request(lock, ...) (worker/lan-worker.ts).
   */
  released(lock: string): Promise<void>;
  /** ms, monotonic (default performance.now). */
  now?(): number;
}

interface Viewer {
  port: MessagePort;
  tap: number | undefined;
  /** The members that joined through ports this page handed over: they leave with it. */
  members: Set<() => void>;
}

/** The switch and its ports. */
export class LanHub {
  readonly lanSwitch: LanSwitch;
  /** Frames dropped because a member's queue was full (here, or in its worker before they reached the switch). */
  queueDropped = 0;
  private readonly viewers = new Set<Viewer>();
  private readonly feed = new FrameFeed();
  private timer: ReturnType<typeof setInterval> | undefined;
  private sentCounters = '';
  private readonly now: () => number;

  constructor(private readonly options: LanHubOptions) {
    this.lanSwitch = options.lanSwitch ?? new LanSwitch();
    this.now = options.now ?? (() => performance.now());
  }

  /** A machine worker's port (it speaks MemberMessage): it joins, sends its guest's frames, gets the others'. */
  connectMember(port: MessagePort, owner?: Viewer): void {
    const post = (message: SwitchMessage): void => port.postMessage(message);
    const pipe = new FramePipe({ post: (frames) => post({ type: 'frames', frames }) });
    let id: number | undefined;
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      owner?.members.delete(leave);
      pipe.clear();
      port.close();
      if (id === undefined) return;
      this.lanSwitch.leave(id);
      this.changed();
    };
    port.onmessage = (event: MessageEvent<MemberMessage>) => {
      const message = event.data;
      if (left) return;
      switch (message.type) {
        case 'join': {
          if (id !== undefined) return;
          const lanPort = {
            frame: (frame: Uint8Array) => {
              if (!pipe.send(frame)) this.queueDropped++;
            },
            names: (table: [string, number][]) => post({ type: 'names', table }),
          };
          try {
            const member = this.lanSwitch.join(message.name, lanPort, message.requested);
            id = member.id;
            post({ type: 'joined', id: member.id, name: member.name, addr: member.addr });
          } catch (error) {
            const { name: code, message: why } = error as Error;
            post({ type: 'refused', code, message: why });
            left = true;
            port.close();
            return;
          }
          void this.options.released(message.lock).then(leave);
          owner?.members.add(leave);
          this.changed();
          return;
        }
        case 'frames':
          if (id !== undefined) this.forward(id, message.frames);
          this.queueDropped += message.dropped;
          post({ type: 'took', count: message.frames.length });
          return;
        case 'took':
          pipe.took(message.count);
          return;
        case 'leave':
          leave();
          return;
      }
    };
  }

  /** A page's port (it speaks ViewerMessage): it gets the members and counters, and the frames while it taps. */
  connectViewer(port: MessagePort): void {
    const viewer: Viewer = { port, tap: undefined, members: new Set() };
    this.viewers.add(viewer);
    port.onmessage = (event: MessageEvent<ViewerMessage>) => {
      const message = event.data;
      switch (message.type) {
        case 'viewer':
          void this.options.released(message.lock).then(() => this.drop(viewer));
          return;
        case 'member-port':
          this.connectMember(message.port, viewer);
          return;
        case 'bye':
          for (const leave of [...viewer.members]) leave();
          return;
        case 'tap':
          this.tap(viewer, message.on);
          return;
      }
    };
    this.postMembers(viewer);
    this.timer ??= setInterval(() => this.sendCounters(), COUNTERS_MS);
  }

  /** The members, as the pages see them. */
  members(): LanMemberInfo[] {
    return this.lanSwitch.members().map((member) => ({ name: member.name, addr: formatIp(member.addr) }));
  }

  counters(): LanCounters {
    return { ...this.lanSwitch.stats, queueDropped: this.queueDropped };
  }

  /** Stops the counters' timer and every tap (tests; a SharedWorker just ends). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.feed.close();
    for (const viewer of this.viewers) viewer.port.close();
    this.viewers.clear();
  }

  private forward(id: number, frames: Uint8Array[]): void {
    const now = this.now();
    const time = performance.timeOrigin + now;
    for (const frame of frames) {
      if (this.lanSwitch.forward(id, frame, now)) this.feed.push(frame, time, 'from-guest');
    }
  }

  private tap(viewer: Viewer, on: boolean): void {
    if (viewer.tap !== undefined) this.feed.unwatch(viewer.tap);
    viewer.tap = undefined;
    if (!on) return;
    viewer.tap = this.feed.watch((batch) => {
      const message: HubMessage = { type: 'frames', batch };
      viewer.port.postMessage(message, [
        batch.bytes,
        batch.lengths.buffer,
        batch.times.buffer,
        batch.directions.buffer,
      ]);
    });
  }

  private drop(viewer: Viewer): void {
    for (const leave of [...viewer.members]) leave();
    this.tap(viewer, false);
    viewer.port.close();
    this.viewers.delete(viewer);
    if (this.viewers.size > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The members changed: every page hears it now. */
  private changed(): void {
    for (const viewer of this.viewers) this.postMembers(viewer);
  }

  private sendCounters(): void {
    const counters = JSON.stringify(this.counters());
    if (counters === this.sentCounters) return;
    this.changed();
  }

  private postMembers(viewer: Viewer): void {
    const counters = this.counters();
    this.sentCounters = JSON.stringify(counters);
    const message: HubMessage = { type: 'members', members: this.members(), counters };
    viewer.port.postMessage(message);
  }
}
