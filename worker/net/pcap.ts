import { concatBytes } from './bytes.ts';

/** Which way a frame went: from the guest's NIC to the host, or from the host to the guest. */
export type Direction = 'from-guest' | 'to-guest';

/** One recorded frame; time in ms, as passed to the network. */
export interface CapturedFrame {
  time: number;
  direction: Direction;
  frame: Uint8Array;
}

export const DEFAULT_CAPTURE_FRAMES = 10_000;
export const DEFAULT_CAPTURE_BYTES = 16 * 1024 * 1024;
const PCAP_MAGIC = 0xa1b2c3d4;
const PCAP_VERSION_MAJOR = 2;
const PCAP_VERSION_MINOR = 4;
/** tcpdump's default: v86's virtio-net frames (up to 65549 bytes) are kept whole. */
const PCAP_SNAPLEN = 262144;
const LINKTYPE_ETHERNET = 1;
const PCAP_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;

/** A bounded ring of recorded frames; the oldest are dropped first. */
export class Capture {
  private ring: (CapturedFrame | undefined)[];
  private start = 0;
  private count = 0;
  private bytes = 0;
  /** Frames dropped from the ring to respect its limits. */
  dropped = 0;

  constructor(
    readonly maxFrames = DEFAULT_CAPTURE_FRAMES,
    readonly maxBytes = DEFAULT_CAPTURE_BYTES,
  ) {
    if (!(maxFrames >= 1)) throw new RangeError('a capture needs room for at least one frame');
    this.ring = new Array<CapturedFrame | undefined>(maxFrames);
  }

  /** Frames held. */
  get length(): number {
    return this.count;
  }

  /** Records a frame (kept by reference: the network never modifies a frame after sending it). */
  record(frame: Uint8Array, time: number, direction: Direction): void {
    while (this.count > 0 && (this.count === this.maxFrames || this.bytes + frame.length > this.maxBytes)) {
      this.bytes -= this.ring[this.start]?.frame.length ?? 0;
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.maxFrames;
      this.count--;
      this.dropped++;
    }
    this.ring[(this.start + this.count) % this.maxFrames] = { time, direction, frame };
    this.count++;
    this.bytes += frame.length;
  }

  /** The recorded frames, oldest first. */
  frames(): CapturedFrame[] {
    const out: CapturedFrame[] = [];
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(this.start + i) % this.maxFrames];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Forgets every frame. */
  clear(): void {
    this.ring = new Array<CapturedFrame | undefined>(this.maxFrames);
    this.start = this.count = this.bytes = this.dropped = 0;
  }

  /** The capture as a classic pcap file; timeOffsetMs turns the recorded clock into Unix time. */
  toPcap(timeOffsetMs = 0): Uint8Array {
    return concatBytes([pcapHeader(), ...this.frames().map((f) => pcapRecord(f.frame, f.time + timeOffsetMs))]);
  }
}

/** The 24-byte global header of a classic pcap file of Ethernet frames (little-endian). */
export function pcapHeader(): Uint8Array {
  const bytes = new Uint8Array(PCAP_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, PCAP_VERSION_MAJOR, true);
  view.setUint16(6, PCAP_VERSION_MINOR, true);
  view.setUint32(16, PCAP_SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  return bytes;
}

/** One pcap record: a frame captured at timeMs (Unix time in ms, fractions kept to the microsecond). */
export function pcapRecord(frame: Uint8Array, timeMs: number): Uint8Array {
  const length = Math.min(frame.length, PCAP_SNAPLEN);
  const bytes = new Uint8Array(PCAP_RECORD_HEADER_BYTES + length);
  const view = new DataView(bytes.buffer);
  const micros = Math.max(0, Math.round(timeMs * 1000));
  view.setUint32(0, Math.floor(micros / 1_000_000), true);
  view.setUint32(4, micros % 1_000_000, true);
  view.setUint32(8, length, true);
  view.setUint32(12, frame.length, true);
  bytes.set(frame.subarray(0, length), PCAP_RECORD_HEADER_BYTES);
  return bytes;
}
