// The page's side of the LAN: every running appliance of this origin, in every tab and window, is on one switch that
// lives in a SharedWorker (worker/lan-worker.ts). The page connects to it, hands each machine worker a port of its
// own to join with (frames then go worker ⇄ SharedWorker, never through this thread), and follows the members, the
// counters and, for the inspector, every frame. Without SharedWorker (Android Chrome) the switch runs in a dedicated
// worker of this tab: its appliances still see each other, other tabs' do not.
import type { HubMessage, LanCounters, LanMemberInfo, SwitchMessage, ViewerMessage } from '../worker/lan-protocol.ts';
import type { FrameBatch } from '../worker/protocol.ts';
import { holdWebLock } from '../worker/web-locks.ts';
import type { FrameSource } from './inspector.ts';

/** What the page knows of the LAN. */
export interface LanView {
  members: LanMemberInfo[];
  counters: LanCounters;
}

/** This page's connection to the LAN's switch. */
export class PageLan implements FrameSource {
  /** Where the switch runs: 'shared' (every tab of this profile) or 'tab' (this tab only: no SharedWorker). */
  readonly scope: 'shared' | 'tab';
  readonly workerStartedAt = performance.timeOrigin;
  view: LanView = {
    members: [],
    counters: { forwarded: 0, flooded: 0, dropped: 0, queueDropped: 0 },
  };
  private readonly port: MessagePort | Worker;
  private readonly viewListeners = new Set<(view: LanView) => void>();
  private readonly frameListeners = new Set<(batch: FrameBatch) => void>();
  /** Why the switch's worker failed to start (its script would not load), if it did. */
  private broken: string | undefined;

  constructor() {
    // Each `new URL` inline, as Vite wants it to bundle the worker.
    if (typeof SharedWorker === 'function') {
      this.scope = 'shared';
      const worker = new SharedWorker(new URL('../worker/lan-worker.ts', import.meta.url), {
        type: 'module',
        name: 'tabcloud-lan',
      });
      worker.addEventListener('error', () => this.fail());
      this.port = worker.port;
    } else {
      this.scope = 'tab';
      this.port = new Worker(new URL('../worker/lan-worker.ts', import.meta.url), {
        type: 'module',
        name: 'tabcloud-lan',
      });
      this.port.addEventListener('error', () => this.fail());
      console.info('Tabcloud: this browser has no SharedWorker, so the LAN spans this tab only.');
    }
    this.port.onmessage = (event: MessageEvent<HubMessage>) => this.received(event.data);
    // A reload's new page must find the names and addresses free: this page's machines leave as it goes.
    addEventListener('pagehide', () => this.post({ type: 'bye' }));
    // The switch learns that this page is gone when this lock is free: it then stops sending to it.
    const lock = `tabcloud-lan-viewer-${crypto.randomUUID()}`;
    holdWebLock(lock).then(
      () => this.post({ type: 'viewer', lock }),
      () => {},
    );
  }

  /** A new port to the switch, for one machine worker to join with (MachineApi.attachLan). */
  memberPort(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    if (this.broken === undefined) this.post({ type: 'member-port', port: port1 }, [port1]);
    else {
      // No switch will answer: the join fails at once, and the machine boots on a private link without waiting.
      const refusal: SwitchMessage = { type: 'refused', code: 'lan-unavailable', message: this.broken };
      port1.postMessage(refusal);
    }
    return port2;
  }

  private fail(): void {
    this.broken = 'the LAN worker did not start';
    console.warn(`Tabcloud: ${this.broken}: appliances run on private networks.`);
  }

  /** Calls `listener` with the members and counters now and at every change; returns the unsubscribe. */
  subscribe(listener: (view: LanView) => void): () => void {
    listener(this.view);
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** Every frame on the LAN, for the inspector (FrameSource): the switch taps while someone watches. */
  watchFrames(listener: (batch: FrameBatch) => void): () => void {
    this.frameListeners.add(listener);
    if (this.frameListeners.size === 1) this.post({ type: 'tap', on: true });
    return () => {
      if (!this.frameListeners.delete(listener)) return;
      if (this.frameListeners.size === 0) this.post({ type: 'tap', on: false });
    };
  }

  private received(message: HubMessage): void {
    if (message.type === 'members') {
      this.view = { members: message.members, counters: message.counters };
      for (const listener of this.viewListeners) listener(this.view);
    } else if (message.type === 'frames') {
      for (const listener of this.frameListeners) listener(message.batch);
    }
  }

  private post(message: ViewerMessage, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }
}

/** The page's LAN, or undefined where workers cannot reach one another (no MessageChannel or Web Locks). */
export function connectLan(): PageLan | undefined {
  if (typeof MessageChannel !== 'function' || !('locks' in navigator)) {
    console.info('Tabcloud: this browser has no Web Locks, so each appliance runs on a private network of its own.');
    return undefined;
  }
  return new PageLan();
}
