// A machine worker's end of the LAN: joins the switch (worker/lan-hub.ts) through the port the page handed it, before
// the guest boots, and then carries its guest's frames to the LAN and the LAN's frames to its guest.
import { FramePipe } from './lan-pipe.ts';
import type { MemberMessage, SwitchMessage } from './lan-protocol.ts';
import { CodedError } from './net/errors.ts';
import type { Ip } from './net/ipv4.ts';
import { Lan } from './net/lan.ts';

export type LanErrorCode = 'lan-timeout' | 'lan-refused';

/** The LAN could not be joined: the machine runs on a private link instead. */
export class LanError extends CodedError<LanErrorCode> {}

/** Holds the Web Lock `lock` until the returned release is called; resolves once it is held. */
export type HoldLock = (lock: string) => Promise<() => void>;

/** A Web Lock held, or being taken, for one membership: the switch learns its name with the join. */
export interface MemberLock {
  name: string;
  held: Promise<() => void>;
}

/** Starts holding a fresh member lock: ahead of a join, so that the join does not wait for the browser to grant it. */
export function memberLock(hold: HoldLock): MemberLock {
  const name = `tabcloud-lan-member-${crypto.randomUUID()}`;
  const held = hold(name);
  held.catch(() => {}); // the join that takes it hears why
  return { name, held };
}

/** Lets go of a member lock no join took. */
export function releaseMemberLock(lock: MemberLock | undefined): void {
  void lock?.held.then(
    (free) => free(),
    () => {},
  );
}

export interface JoinOptions {
  /** The name it asks for; the switch answers `name-2`... when it is taken. */
  name: string;
  /** The address a resumed guest had, if it is free. */
  requested?: Ip;
  /** Give up (and stay on a private link) after this long. */
  timeoutMs: number;
  hold: HoldLock;
  /** The lock taken ahead (memberLock); else the join takes one first. */
  lock?: MemberLock;
}

/** This machine on the LAN. */
export class LanMembership {
  /** The member's mirror of the LAN: its DHCP pool is exactly its address; the names follow the switch. */
  readonly lan: Lan;
  /** Where frames for the guest go; set it before the guest sends anything. */
  onFrame: (frame: Uint8Array) => void = () => {};
  private readonly pipe: FramePipe;
  private reported = 0;
  private left = false;

  constructor(
    private readonly port: MessagePort,
    readonly id: number,
    readonly name: string,
    readonly addr: Ip,
    private readonly release: () => void,
  ) {
    this.lan = new Lan(addr, addr);
    this.pipe = new FramePipe({
      post: (frames) => {
        const dropped = this.pipe.dropped - this.reported;
        this.reported = this.pipe.dropped;
        this.post({ type: 'frames', frames, dropped });
      },
    });
  }

  /** A frame the guest sent onto the LAN. */
  send(frame: Uint8Array): void {
    if (!this.left) this.pipe.send(frame);
  }

  /** Frames this side dropped because the switch did not keep up. */
  get dropped(): number {
    return this.pipe.dropped;
  }

  /** Leaves the LAN: the switch forgets the name and the address. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    this.pipe.clear();
    this.post({ type: 'leave' });
    this.port.close();
    this.release();
  }

  /** A message from the switch, once joined. */
  received(message: SwitchMessage): void {
    if (this.left) return;
    if (message.type === 'frames') {
      for (const frame of message.frames) this.onFrame(frame);
      this.post({ type: 'took', count: message.frames.length });
    } else if (message.type === 'took') this.pipe.took(message.count);
    else if (message.type === 'names') this.lan.setNames(message.table);
  }

  private post(message: MemberMessage): void {
    this.port.postMessage(message);
  }
}

/**
 * Joins the LAN through `port` (a port to the switch): holds a Web Lock for the member's life first, so the switch
 * learns when the worker is gone. Rejects with a LanError when the switch refuses or does not answer in time.
 */
export async function joinLan(port: MessagePort, options: JoinOptions): Promise<LanMembership> {
  const { name: lock, held } = options.lock ?? memberLock(options.hold);
  let release: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LanError('lan-timeout', `the LAN did not answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
  });
  try {
    release = await Promise.race([held, timeout]);
    let names: [string, number][] | undefined;
    const joined = new Promise<LanMembership>((resolve, reject) => {
      port.onmessage = (event: MessageEvent<SwitchMessage>) => {
        const message = event.data;
        if (message.type === 'names') names = message.table;
        if (message.type === 'refused') reject(new LanError('lan-refused', message.message));
        if (message.type !== 'joined') return;
        const membership = new LanMembership(port, message.id, message.name, message.addr, release!);
        if (names) membership.lan.setNames(names);
        port.onmessage = (next: MessageEvent<SwitchMessage>) => membership.received(next.data);
        resolve(membership);
      };
    });
    const join: MemberMessage = {
      type: 'join',
      name: options.name,
      lock,
      ...(options.requested !== undefined && { requested: options.requested }),
    };
    port.postMessage(join);
    return await Promise.race([joined, timeout]);
  } catch (error) {
    // The switch may still take the join later: the released lock tells it to forget this member.
    port.onmessage = null;
    port.close();
    releaseMemberLock({ name: lock, held });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
