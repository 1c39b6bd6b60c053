import type { Mac } from './ethernet.ts';
import { ip, type Ip } from './ipv4.ts';

/** The virtual LAN's addresses, as in QEMU's user network. */
export const LAN_NETWORK: Ip = ip(10, 0, 2, 0);
export const LAN_NETMASK: Ip = ip(255, 255, 255, 0);
export const LAN_BROADCAST: Ip = ip(10, 0, 2, 255);
export const GATEWAY_IP: Ip = ip(10, 0, 2, 2);
export const DNS_IP: Ip = ip(10, 0, 2, 3);
/** The first appliance gets .15, the n-th on a shared LAN .15 + n. */
export const FIRST_GUEST_IP: Ip = ip(10, 0, 2, 15);
export const LAST_GUEST_IP: Ip = ip(10, 0, 2, 254);
/** The gateway's MAC: QEMU's 52:55 prefix followed by its address. */
export const GATEWAY_MAC: Mac = '52:55:0a:00:02:02';
/** Appliances answer to `<name>` and to `<name>.tabcloud`. */
export const LAN_DOMAIN = 'tabcloud';

/** True if the address is on the LAN (10.0.2.0/24). */
export function onLan(addr: Ip): boolean {
  return (addr & LAN_NETMASK) >>> 0 === LAN_NETWORK;
}

/** The addresses shared by the appliances on one virtual LAN: DHCP leases by MAC and DNS names. */
export class Lan {
  private readonly leases = new Map<Mac, Ip>();
  private readonly used = new Set<Ip>();
  private readonly names = new Map<string, Ip>();

  constructor(
    readonly first: Ip = FIRST_GUEST_IP,
    readonly last: Ip = LAST_GUEST_IP,
  ) {}

  /** The address for mac: its lease, else `requested` if free, else the lowest free one; undefined when full. */
  lease(mac: Mac, requested?: Ip): Ip | undefined {
    const existing = this.leases.get(mac);
    if (existing !== undefined) return existing;
    let addr = requested !== undefined && this.free(requested) ? requested : undefined;
    for (let candidate = this.first; addr === undefined && candidate <= this.last; candidate++) {
      if (this.free(candidate)) addr = candidate;
    }
    if (addr === undefined) return undefined;
    this.leases.set(mac, addr);
    this.used.add(addr);
    return addr;
  }

  /** The address leased to mac, if any. */
  leaseOf(mac: Mac): Ip | undefined {
    return this.leases.get(mac);
  }

  /** Gives mac's address back to the pool. */
  release(mac: Mac): void {
    const addr = this.leases.get(mac);
    if (addr === undefined) return;
    this.leases.delete(mac);
    this.used.delete(addr);
  }

  /** Makes `<name>` and `<name>.tabcloud` resolve to addr. */
  register(name: string, addr: Ip): void {
    this.names.set(name.toLowerCase(), addr);
  }

  /** Forgets a name. */
  unregister(name: string): void {
    this.names.delete(name.toLowerCase());
  }

  /** Replaces every name with those of `table` (a member's copy of the switch's names). */
  setNames(table: Iterable<readonly [string, Ip]>): void {
    this.names.clear();
    for (const [name, addr] of table) this.register(name, addr);
  }

  /** The names and their addresses. */
  nameTable(): [string, Ip][] {
    return [...this.names];
  }

  /** The address of a DNS name such as 'kv' or 'kv.tabcloud' (case-insensitive, trailing dot allowed). */
  resolve(name: string): Ip | undefined {
    const suffix = '.' + LAN_DOMAIN;
    const fqdn = name.toLowerCase().replace(/\.$/, '');
    const label = fqdn.endsWith(suffix) ? fqdn.slice(0, -suffix.length) : fqdn;
    return label.includes('.') ? undefined : this.names.get(label);
  }

  private free(addr: Ip): boolean {
    return addr >= this.first && addr <= this.last && !this.used.has(addr);
  }
}
