// v86's saved state read for a restore: the object tree v86's own restore_state hands its CPU's set_state, without
// the copies it makes of the buffers set_state only copies out of. Here, not in emulator.ts, so that it is tested
// (and read by the page, savedMemorySize) without loading v86.

/** v86's state header: magic, format version, total length, then the length of the JSON info block that follows. */
const STATE_MAGIC = 0x86768676 | 0;
const STATE_VERSION = 6;
const STATE_HEADER_BYTES = 16;
/** A state v86 compressed (zstd's magic number): only v86 itself reads it. */
const ZSTD_MAGIC = 0xfd2fb528 | 0;

/** Where a CPU's tree (readV86State) keeps the RAM's saved pages, and the bitmap of which pages they are. */
export const SAVED_PAGES = 77;
export const SAVED_PAGES_BITMAP = 78;

/**
 * The buffers of the saved CPU that set_state only copies out of, by their path in the state tree: the saved pages of
 * guest RAM (unpack_memory copies them into RAM), and the VGA's video memory, SVGA memory and pixel buffer (each
 * copied with set()). They stay views into the state. Every other buffer becomes a copy of its own as v86 makes it:
 * devices keep those as their registers and write to them (the PIT's counters, the RTC's CMOS, the IDE's data).
 */
const COPIED_OUT = new Set([String(SAVED_PAGES), '52.6', '52.39', '52.61']);

const TYPED: Record<string, new (buffer: ArrayBuffer, offset?: number, length?: number) => ArrayBufferView> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
};

interface StateInfo {
  buffer_infos: { offset: number; length: number }[];
  state: unknown;
}

/** A typed array or Map as v86's save_state writes it in the info block. */
interface Saved {
  __state_type__: string;
  buffer_id?: number;
  args?: [unknown, unknown][];
}

/**
 * What v86's CPU.unpack_memory does once RAM is zero: each page whose bit is set in `bitmap` (bit `page & 7` of byte
 * `page >> 3`) takes the next 4 KiB of `pages`. It reads the bitmap a byte at a time, where v86 calls Bitmap.get for
 * every page of RAM.
 */
export function unpackPages(ram: Uint8Array, bitmap: unknown, pages: unknown): void {
  if (!(bitmap instanceof Uint8Array) || !(pages instanceof Uint8Array)) throw new Error('a v86 state without its RAM');
  const pageCount = ram.length >> 12;
  let next = 0;
  for (let byte = 0; byte < bitmap.length && byte << 3 < pageCount; byte++) {
    const bits = bitmap[byte]!;
    if (bits === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      const page = (byte << 3) | bit;
      if (!(bits & (1 << bit)) || page >= pageCount) continue;
      ram.set(pages.subarray(next << 12, (next + 1) << 12), page << 12);
      next++;
    }
  }
}

/** Info blocks read, by state: a resume reads its state's RAM size twice before it reads the tree (nothing writes them). */
const infos = new WeakMap<ArrayBuffer, { info: StateInfo; buffersAt: number }>();
/** Trees read ahead (readV86StateAhead), each for the one readV86State() of its state that follows. */
const readAhead = new WeakMap<ArrayBuffer, unknown[]>();

/** The header and info block of a plain (uncompressed) v86 state; undefined for a compressed one. Throws if damaged. */
export function readStateInfo(state: ArrayBuffer): { info: StateInfo; buffersAt: number } | undefined {
  const known = infos.get(state);
  if (known && state.byteLength > 0) return known; // (a transferred state has no bytes left: it fails below)
  if (state.byteLength < STATE_HEADER_BYTES) throw new Error(`a v86 state has ${STATE_HEADER_BYTES} bytes at least`);
  const [magic, version, length, infoLength] = new Int32Array(state, 0, 4) as unknown as number[];
  if (magic === ZSTD_MAGIC) return undefined;
  if (magic !== STATE_MAGIC) throw new Error('not a v86 state (its header is wrong)');
  if (version !== STATE_VERSION)
    throw new Error(`a v86 state of format ${version}, where this v86 reads ${STATE_VERSION}`);
  if (length !== state.byteLength) throw new Error(`a v86 state of ${length} bytes, cut to ${state.byteLength}`);
  if (infoLength! <= 0 || STATE_HEADER_BYTES + infoLength! > state.byteLength) {
    throw new Error('a v86 state whose info block overruns it');
  }
  const json = new TextDecoder().decode(new Uint8Array(state, STATE_HEADER_BYTES, infoLength));
  const read = { info: JSON.parse(json) as StateInfo, buffersAt: (STATE_HEADER_BYTES + infoLength! + 3) & ~3 };
  infos.set(state, read);
  return read;
}

/**
 * Reads `state`'s tree now, for the readV86State() of the restore that follows: a worker does it while it waits for
 * v86 (it compiles, or builds the machine), and its restore starts with the tree. A damaged state is left for the
 * restore to report.
 */
export function readV86StateAhead(state: ArrayBuffer): void {
  try {
    const tree = readV86State(state);
    if (tree) readAhead.set(state, tree);
  } catch {
    // the restore reads it again and fails with why
  }
}

/**
 * The tree v86's CPU set_state takes, read from a plain v86 state; undefined for a compressed one (v86's own
 * restore_state reads it). It equals what v86's restore_state builds, except that the buffers set_state only copies
 * out of (COPIED_OUT) are views into `state` instead of new ArrayBuffers: right after a machine's tens of MB of memory
 * were allocated, V8 collects its young generation for "external memory pressure" when the next big ArrayBuffers are
 * allocated (10–30 ms of a resume in Node, twice). Throws for a damaged state.
 */
export function readV86State(state: ArrayBuffer): unknown[] | undefined {
  // A tree goes to one restore only: v86 keeps some of its arrays and writes to them.
  const ahead = readAhead.get(state);
  readAhead.delete(state);
  if (ahead && state.byteLength > 0) return ahead;
  const read = readStateInfo(state);
  if (!read) return undefined;
  const { info, buffersAt } = read;
  const revive = (value: unknown, path: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((item, i) => revive(item, path ? `${path}.${i}` : String(i)));
    const saved = value as Saved;
    if (saved.__state_type__ === 'Map') return new Map(saved.args);
    const Typed = TYPED[saved.__state_type__];
    const where = info.buffer_infos[saved.buffer_id ?? -1];
    if (!Typed || !where) throw new Error(`a v86 state with an unknown value at ${path}`);
    const offset = buffersAt + where.offset;
    if (offset < buffersAt || offset + where.length > state.byteLength) {
      throw new Error(`a v86 state whose buffer at ${path} overruns it`);
    }
    const size = (Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    if (COPIED_OUT.has(path) && offset % size === 0 && where.length % size === 0) {
      return new Typed(state, offset, where.length / size);
    }
    return new Typed(state.slice(offset, offset + where.length));
  };
  const tree = revive(info.state, '');
  if (!Array.isArray(tree)) throw new Error('a v86 state without a CPU');
  return tree;
}
