// Drives a host Network in real time: frames between it and the NIC, and its timers.
import type { NicRoom } from './emulator.ts';
import { readMac } from './net/ethernet.ts';
import type { Lan } from './net/lan.ts';
import { Network, type NetworkOptions } from './net/network.ts';
import type { Direction } from './net/pcap.ts';
import { serveProxy, type ProxyOptions } from './net/proxy.ts';
import type { TcpConfig } from './net/tcp-socket.ts';
import { next, soon } from './soon.ts';

export interface NetLinkOptions {
  /** Puts a frame on the guest's NIC. */
  deliver(frame: Uint8Array): void;
  /** What the NIC can take now, if it tells (an NE2000 drops what does not fit its ring, virtio what finds no buffer). */
  room?(): NicRoom | undefined;
  /** The appliance's name on the LAN (`<name>` and `<name>.tabcloud`). */
  name: string;
  /** Leases and names: on a shared LAN, the member's copy (its one address, the switch's names). */
  lan?: Lan;
  /**
   * Puts a frame the guest sent onto the shared LAN: every frame not addressed to the host's MAC (broadcasts
   * go to both). Without it the guest's link is private: only the host is on it.
   */
  uplink?(frame: Uint8Array): void;
  /** The link's MTU (default 1500): host TCP sends segments as large as its frames. */
  mtu?: number;
  /** Receives ICMP echo replies to network.ping() (the raw-NIC benchmark). */
  onEchoReply?: NetworkOptions['onEchoReply'];
  /** Hears when the guest gets (or renews) its DHCP lease. */
  onLease?: NetworkOptions['onLease'];
  /** Sees every frame in both directions, with the time in ms since the epoch (e.g. to stream a pcap). */
  tap?(frame: Uint8Array, timeMs: number, direction: Direction): void;
  /** Serves the web proxy on the gateway's port 80 (worker/net/proxy.ts) with this fetch and policy. */
  proxy?: Pick<ProxyOptions, 'fetch' | 'policy'>;
}

/** Our window shift on a link with large frames: windows up to 2 MiB. */
const LARGE_WINDOW_SCALE = 5;
/** What host TCP buffers for a reader on such a link: 16 of its largest segments. */
const LARGE_RECEIVE_BUFFER = 1 << 20;

/** Host TCP for a link of this MTU: segments as large as its frames, and windows that keep several in flight. */
export function tcpForMtu(mtu: number): Partial<TcpConfig> {
  if (mtu <= 1500) return {};
  return { mss: mtu - 40, windowScale: LARGE_WINDOW_SCALE, receiveBuffer: LARGE_RECEIVE_BUFFER };
}

/** Frames held back for a full NIC; beyond, the oldest are dropped (as a full NIC would, and TCP resends). */
const OUTBOX_MAX = 4096;
/** A held-back frame is offered again this soon, or as soon as the guest sends something. */
const OUTBOX_RETRY_MS = 1;
/** Room kept free in the ring (bytes), for the frames of other senders (ARP, DHCP) and rounding. */
const RING_SLACK = 512;

/**
 * One appliance's wire: the host Network, polled when frames arrive, when sockets have work, and at its
 * deadlines. Frames for the guest wait in an outbox while its NIC has no room: v86's NE2000 drops what
 * its ring cannot hold, and a burst of hundreds of connections (SYNs, requests, RSTs) overflows it in one
 * turn of the event loop, before the guest has run at all.
 */
export class NetLink {
  readonly network: Network;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private readonly outbox: Uint8Array[] = [];
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: NetLinkOptions) {
    this.network = new Network({
      name: options.name,
      ...(options.lan && { lan: options.lan }),
      tcp: tcpForMtu(options.mtu ?? 1500),
      ...(options.onEchoReply && { onEchoReply: options.onEchoReply }),
      ...(options.onLease && { onLease: options.onLease }),
      send: (frame) => this.toGuest(frame),
      wake: () => this.schedule(performance.now(), next),
    });
    if (options.proxy) serveProxy(this.network, { ...options.proxy, timer: realTimer });
  }

  /** Takes a frame the guest's NIC sent (already copied out of NIC memory). */
  receive(frame: Uint8Array): void {
    const now = performance.now();
    this.options.tap?.(frame, performance.timeOrigin + now, 'from-guest');
    this.flush();
    const { uplink } = this.options;
    if (uplink && !toHost(frame, this.network.mac)) {
      uplink(frame);
      if ((frame[0]! & 1) === 0) return; // unicast to another appliance: not the host's business
    }
    this.network.receive(frame, now);
    this.schedule(now);
  }

  /** Takes a frame another appliance on the LAN sent to this guest: it waits in the outbox like the host's own. */
  fromLan(frame: Uint8Array): void {
    this.toGuest(frame);
  }

  private toGuest(frame: Uint8Array): void {
    this.options.tap?.(frame, performance.timeOrigin + performance.now(), 'to-guest');
    this.outbox.push(frame);
    if (this.outbox.length > OUTBOX_MAX) this.outbox.shift();
    this.flush();
  }

  /** Aborts every connection and stops the timers. */
  close(): void {
    this.network.close();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.outbox.length = 0;
  }

  /** Delivers held-back frames in order while the NIC has room; retries soon if some are left. */
  private flush(): void {
    const room = this.options.room?.() ?? { bytes: Infinity, frames: Infinity };
    while (this.outbox.length > 0) {
      const frame = this.outbox[0]!;
      const bytes = ringBytes(frame.length);
      if (bytes + RING_SLACK > room.bytes || room.frames < 1) break;
      this.outbox.shift();
      room.bytes -= bytes;
      room.frames -= 1;
      this.options.deliver(frame);
    }
    if (this.outbox.length > 0 && this.retry === undefined) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.flush();
      }, OUTBOX_RETRY_MS);
    }
  }

  /**
   * Arms the one timer for `at`, unless it already fires sooner. A deadline that has come polls in the next task, or
   * right after this one if the application woke the stack (a request to send goes out in the task that made it).
   */
  private schedule(at: number, run: (poll: () => void) => void = soon): void {
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    const delay = at - performance.now();
    if (delay > 0) this.timer = setTimeout(() => this.poll(), delay);
    else run(() => this.timerAt === at && this.poll());
  }

  private poll(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const next = this.network.poll(performance.now());
    if (next !== undefined) this.schedule(next);
  }
}

function realTimer(ms: number, fn: () => void): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

/** True if the frame is addressed to the host's MAC, and so to nobody else on the LAN. */
function toHost(frame: Uint8Array, mac: string): boolean {
  return frame.length >= 6 && readMac(frame, 0) === mac;
}

/** Ring bytes a frame takes in an NE2000: a 4-byte header, at least 60 bytes, whole 256-byte pages. */
function ringBytes(length: number): number {
  return (1 + ((Math.max(60, length) + 4) >> 8)) * 256;
}
