// A machine's place on the LAN, boot after boot: the port it joins with (MachineApi.attachLan), its membership, the
// note that says why it runs on a private link instead, and the MAC its guest has on the LAN when it is a copy.
import {
  joinLan,
  memberLock,
  releaseMemberLock,
  type HoldLock,
  type LanMembership,
  type MemberLock,
} from './lan-client.ts';
import { MacTranslation, randomMac } from './lan-mac.ts';
import type { NetLink, NetLinkOptions } from './net-link.ts';
import { formatIp, type Ip } from './net/ipv4.ts';
import type { Network } from './net/network.ts';
import type { ApplianceSpec, GuestAddress, LanStatus } from './protocol.ts';

/** A boot waits this long at most for the LAN (it joins while its images load), then runs on a private link. */
export const LAN_JOIN_TIMEOUT_MS = 3000;

/** The LAN side of one Machine. */
export class MachineLan {
  private port: MessagePort | undefined;
  private member: LanMembership | undefined;
  private note: string | undefined;
  private macs: MacTranslation | undefined;
  /** Bumped by leave(): a join that ends after it leaves at once. */
  private generation = 0;
  /** The Web Lock of the next join, taken ahead (prepare). */
  private ahead: MemberLock | undefined;

  /** `hold` keeps a Web Lock for a membership's life (worker/web-locks.ts); without it there is no LAN. */
  constructor(private readonly hold: HoldLock | undefined) {}

  /** Takes the Web Lock of the next join now, so that the join only asks the switch (Machine.prepare). */
  prepare(): void {
    if (this.hold) this.ahead ??= memberLock(this.hold);
  }

  /** The port to the switch the next boot joins with. */
  attach(port: MessagePort): void {
    this.port?.close();
    this.port = port;
  }

  /**
   * Joins for a boot as `name`, asking for `requested` (a resumed guest's address). Never rejects: on a failure the
   * machine runs on a private link and status() says why. An appliance that serves nothing (hello) stays off the LAN.
   */
  async join(appliance: ApplianceSpec, name: string, requested?: Ip): Promise<void> {
    const port = this.port;
    const generation = this.generation;
    const lock = this.ahead;
    this.port = this.note = this.macs = this.ahead = undefined;
    if (!port || appliance.ports.length === 0 || !this.hold) {
      releaseMemberLock(lock);
      port?.close();
      if (port && !this.hold) this.note = 'this host cannot hold Web Locks';
      return;
    }
    try {
      const options = { name, timeoutMs: LAN_JOIN_TIMEOUT_MS, hold: this.hold, ...(lock && { lock }) };
      const member = await joinLan(port, { ...options, ...(requested !== undefined && { requested }) });
      if (generation !== this.generation) member.leave();
      else this.member = member;
    } catch (error) {
      this.note = `the LAN could not be joined (${(error as Error).message})`;
    }
  }

  /** What the machine's NetLink takes for the LAN: the member's name, its copy of the LAN, the uplink. */
  linkOptions(name: string): Pick<NetLinkOptions, 'name' | 'lan' | 'uplink'> {
    const { member } = this;
    if (!member) return { name };
    return { name: member.name, lan: member.lan, uplink: (frame) => member.send(this.macs?.out(frame) ?? frame) };
  }

  /** Sends the LAN's frames for the guest into `link`. */
  connect(link: NetLink): void {
    if (this.member) this.member.onFrame = (frame) => link.fromLan(this.macs?.in(frame) ?? frame);
  }

  /**
   * Whether a resumed guest must give up its saved address (the switch gave it another one) and ask DHCP again. It
   * may be a copy of a guest still running (one saved machine in two tabs), so it takes a MAC of its own on the LAN.
   */
  mustRenew(guest: GuestAddress | undefined): boolean {
    if (!guest || !this.member || guest.ip === this.member.addr) return false;
    this.macs = new MacTranslation(guest.mac, randomMac());
    return true;
  }

  /** Where the machine's network is, for MachineStatus; undefined when it was given no LAN port. */
  status(name: string, network: Network | undefined): LanStatus | undefined {
    const { member } = this;
    if (member) return { link: 'lan', name: member.name, addr: formatIp(member.addr) };
    if (this.note === undefined) return undefined;
    const guest = network?.guest;
    return { link: 'private', name, note: this.note, ...(guest && { addr: formatIp(guest.ip) }) };
  }

  /** Leaves the LAN (the machine stopped or failed). */
  leave(): void {
    this.generation++;
    this.member?.leave();
    this.member = undefined;
  }
}
