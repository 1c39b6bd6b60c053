// The LAN that appliances share: an Ethernet switch and the registry of their addresses and names.
// Transport-free: in the CLI members are function calls; in the page each is a MessagePort (web/lan-worker.ts).
import { ETHERNET_HEADER_BYTES, readMac, type Mac } from './ethernet.ts';
import { CodedError } from './errors.ts';
import type { Ip } from './ipv4.ts';
import { FIRST_GUEST_IP, LAST_GUEST_IP, Lan } from './lan.ts';

/** A member's side as the switch sees it. */
export interface LanPort {
  /** A frame from another member for this one's guest (read-only: the same bytes may go to several members). */
  frame(frame: Uint8Array): void;
  /** The LAN's names changed: the whole table. */
  names(table: [string, Ip][]): void;
}

/** A member of the LAN: its unique name and its one address. */
export interface LanMember {
  id: number;
  name: string;
  addr: Ip;
}

export interface LanSwitchOptions {
  first?: Ip;
  last?: Ip;
  /** Frames a member may send per second, sustained (a burst of one second's worth is allowed). */
  framesPerSecond?: number;
  /** Bytes a member may send per second, sustained. */
  bytesPerSecond?: number;
  /** Broadcast and unknown-destination frames a member may send per second: each one costs every member. */
  floodsPerSecond?: number;
  /** Sees every frame a member sent that the switch forwarded (the LAN's packet inspector). */
  tap?(frame: Uint8Array, from: LanMember, now: number): void;
}

export interface LanSwitchStats {
  /** Frames sent to the one member that has their destination MAC. */
  forwarded: number;
  /** Frames sent to every other member: broadcasts, and destinations not learned yet. */
  flooded: number;
  /** Frames dropped: over their sender's rate, too short, or for a MAC that is nobody's but the sender's. */
  dropped: number;
}

/** Rates that no well-behaved appliance reaches and that a flooding one cannot exceed. */
const DEFAULT_FRAMES_PER_SECOND = 50_000;
const DEFAULT_BYTES_PER_SECOND = 512 * 1024 * 1024;
const DEFAULT_FLOODS_PER_SECOND = 500;

/** A token bucket: `rate` per second, holding at most one second's worth. */
class Bucket {
  private tokens: number;
  private at = -Infinity;

  constructor(private readonly rate: number) {
    this.tokens = rate;
  }

  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) * this.rate) / 1000);
    this.at = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

interface Member extends LanMember {
  port: LanPort;
  frames: Bucket;
  bytes: Bucket;
  floods: Bucket;
}

/**
 * Switches frames between members by destination MAC, learned from source MACs as a hardware switch does, and
 * keeps the addresses (each member gets one, which its host's DHCP server hands its guest) and the names.
 */
export class LanSwitch {
  readonly stats: LanSwitchStats = { forwarded: 0, flooded: 0, dropped: 0 };
  private readonly lan: Lan;
  private readonly byId = new Map<number, Member>();
  private readonly byMac = new Map<Mac, Member>();
  private nextId = 1;

  constructor(private readonly options: LanSwitchOptions = {}) {
    this.lan = new Lan(options.first ?? FIRST_GUEST_IP, options.last ?? LAST_GUEST_IP);
  }

  /**
   * Adds a member: its unique name (`name`, else `name-2`, `name-3`…) and its address (`requested` if free, else
   * the lowest free one). Every member, the new one too, gets the new names table.
   */
  join(name: string, port: LanPort, requested?: Ip): LanMember {
    const id = this.nextId++;
    const addr = this.lan.lease(`member-${id}`, requested);
    if (addr === undefined)
      throw new CodedError('lan-full', `The LAN has no address left for ${name}: stop an appliance first.`);
    const unique = this.uniqueName(name.toLowerCase());
    const member: Member = {
      id,
      name: unique,
      addr,
      port,
      frames: new Bucket(this.options.framesPerSecond ?? DEFAULT_FRAMES_PER_SECOND),
      bytes: new Bucket(this.options.bytesPerSecond ?? DEFAULT_BYTES_PER_SECOND),
      floods: new Bucket(this.options.floodsPerSecond ?? DEFAULT_FLOODS_PER_SECOND),
    };
    this.byId.set(id, member);
    this.lan.register(unique, addr);
    this.announce();
    return { id, name: unique, addr };
  }

  /** Removes a member, its address, name and MACs; the others get the new names table. Unknown ids are ignored. */
  leave(id: number): void {
    const member = this.byId.get(id);
    if (!member) return;
    this.byId.delete(id);
    for (const [mac, owner] of this.byMac) if (owner === member) this.byMac.delete(mac);
    this.lan.release(`member-${id}`);
    this.lan.unregister(member.name);
    this.announce();
  }

  /** The members, in the order they joined. */
  members(): LanMember[] {
    return [...this.byId.values()].map(({ id, name, addr }) => ({ id, name, addr }));
  }

  /**
   * A frame member `id`'s guest sent onto the LAN: to the member whose guest has its destination MAC, else to
   * every other member. False when it was dropped (counted in stats.dropped).
   */
  forward(id: number, frame: Uint8Array, now: number): boolean {
    const from = this.byId.get(id);
    if (!from || frame.length < ETHERNET_HEADER_BYTES) return this.drop();
    if (!from.frames.take(1, now) || !from.bytes.take(frame.length, now)) return this.drop();
    const src = readMac(frame, 6);
    if ((frame[6] & 1) === 0) this.byMac.set(src, from);
    const to = (frame[0] & 1) === 0 ? this.byMac.get(readMac(frame, 0)) : undefined;
    if (to === from) return this.drop();
    if (!to && !from.floods.take(1, now)) return this.drop();
    this.options.tap?.(frame, from, now);
    if (to) {
      this.stats.forwarded++;
      to.port.frame(frame);
      return true;
    }
    this.stats.flooded++;
    for (const member of this.byId.values()) if (member !== from) member.port.frame(frame);
    return true;
  }

  private drop(): false {
    this.stats.dropped++;
    return false;
  }

  private uniqueName(name: string): string {
    const taken = (candidate: string) => [...this.byId.values()].some((member) => member.name === candidate);
    let unique = name;
    for (let n = 2; taken(unique); n++) unique = `${name}-${n}`;
    return unique;
  }

  private announce(): void {
    const table = this.lan.nameTable();
    for (const member of this.byId.values()) member.port.names(table);
  }
}
