// A MAC of its own on the LAN for a guest that shares its MAC with another: two tabs that resume the same saved machine
// run two guests with one MAC (the guest read it before it was saved), and a switch that learns MACs would send one's
// frames to the other. The member's host rewrites the guest's MAC to another one on the way out (the Ethernet source,
// an ARP sender) and back on the way in (the Ethernet destination, an ARP target); the guest never knows.
import { ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, readMac, writeMac, type Mac } from './net/ethernet.ts';

/** Where the hardware addresses are in an ARP packet for IPv4 over Ethernet, and its size. */
const ARP_SENDER_MAC = 8;
const ARP_TARGET_MAC = 18;
const ARP_BYTES = 28;

/** Rewrites `inner` (the guest's MAC) to `outer` (its MAC on the LAN) and back. */
export class MacTranslation {
  constructor(
    readonly inner: Mac,
    readonly outer: Mac,
  ) {}

  /** A frame from the guest for the LAN: its source (and ARP sender) becomes `outer`. */
  out(frame: Uint8Array): Uint8Array {
    return rewrite(frame, 6, ARP_SENDER_MAC, this.inner, this.outer);
  }

  /** A frame from the LAN for the guest: its destination (and ARP target) `outer` becomes `inner`. */
  in(frame: Uint8Array): Uint8Array {
    return rewrite(frame, 0, ARP_TARGET_MAC, this.outer, this.inner);
  }
}

/** A locally administered unicast MAC, random: 0a:xx:xx:xx:xx:xx. */
export function randomMac(random: () => number = Math.random): Mac {
  const bytes = [0x0a, ...Array.from({ length: 5 }, () => Math.floor(random() * 256))];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** A copy of `frame` with `from` replaced by `to` at the Ethernet offset and, in an ARP packet, at the ARP one. */
function rewrite(frame: Uint8Array, ethAt: number, arpAt: number, from: Mac, to: Mac): Uint8Array {
  if (frame.length < ETHERNET_HEADER_BYTES) return frame;
  const arp = (frame[12]! << 8) + frame[13]! === ETHERTYPE_ARP && frame.length >= ETHERNET_HEADER_BYTES + ARP_BYTES;
  const ethHit = readMac(frame, ethAt) === from;
  const arpHit = arp && readMac(frame, ETHERNET_HEADER_BYTES + arpAt) === from;
  if (!ethHit && !arpHit) return frame;
  const copy = frame.slice();
  if (ethHit) writeMac(copy, ethAt, to);
  if (arpHit) writeMac(copy, ETHERNET_HEADER_BYTES + arpAt, to);
  return copy;
}
