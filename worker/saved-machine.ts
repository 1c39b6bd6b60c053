// A saved running appliance as bytes: the v86 state, the guest's address and the console it had shown.
// The same bytes travel in IndexedDB (gzip), in share links (?state=) and in exported files.
import { byteStream } from './byte-stream.ts';
import { CodedError } from './net/errors.ts';
import type { GuestAddress, SavedMachine } from './protocol.ts';

/** What the page needs to resume a machine exactly as the user left it. */
export interface MachineImage extends SavedMachine {
  /** The console output it had shown (its tail), replayed on resume. */
  console: Uint8Array;
}

const MAGIC = 'TCSM';
const VERSION = 1;
/** Magic, version byte, header length (u32 LE). */
const PREFIX_BYTES = 9;
/** The console tail kept with a machine: enough for a screen or two, small enough for a link. */
export const CONSOLE_TAIL_BYTES = 4096;

interface Header {
  guest?: GuestAddress;
  consoleBytes: number;
  /** The v86 state's length; it is stored sparse (see sparse()), in `storedBytes`. */
  stateBytes: number;
  storedBytes: number;
}

/** The state is stored in blocks of this size, all-zero blocks left out: most of a unikernel's RAM is zeros. */
const BLOCK = 4096;

/** Thrown for bytes that are not a saved machine this version can resume. */
export class SavedMachineError extends CodedError<'bad-saved-machine'> {
  constructor(message: string) {
    super('bad-saved-machine', `${message}: it cannot be resumed. Boot the appliance afresh instead.`);
  }
}

/** Encodes a machine image; the console is cut to its last CONSOLE_TAIL_BYTES. */
export function encodeMachine(image: MachineImage): Uint8Array {
  const consoleTail = image.console.subarray(Math.max(0, image.console.length - CONSOLE_TAIL_BYTES));
  const state = sparse(new Uint8Array(image.state));
  const header: Header = {
    ...(image.guest && { guest: image.guest }),
    consoleBytes: consoleTail.length,
    stateBytes: image.state.byteLength,
    storedBytes: state.length,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.length + consoleTail.length + state.length);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint8(4, VERSION);
  view.setUint32(5, json.length, true);
  out.set(json, PREFIX_BYTES);
  out.set(consoleTail, PREFIX_BYTES + json.length);
  out.set(state, PREFIX_BYTES + json.length + consoleTail.length);
  return out;
}

/** Decodes what encodeMachine() made; throws SavedMachineError for anything else. */
export function decodeMachine(bytes: Uint8Array): MachineImage {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new SavedMachineError('This is not a saved Tabcloud machine');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(4) !== VERSION) {
    throw new SavedMachineError(`This machine was saved by another Tabcloud version (format ${view.getUint8(4)})`);
  }
  const jsonEnd = PREFIX_BYTES + view.getUint32(5, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, jsonEnd))) as Header;
  } catch {
    throw new SavedMachineError('The saved machine is damaged');
  }
  const consoleEnd = jsonEnd + header.consoleBytes;
  const stateEnd = consoleEnd + header.storedBytes;
  if (!validHeader(header) || jsonEnd > bytes.length || stateEnd !== bytes.length) {
    throw new SavedMachineError('The saved machine is damaged or cut short');
  }
  const state = dense(bytes.subarray(consoleEnd, stateEnd), header.stateBytes);
  if (!state) throw new SavedMachineError('The saved machine is damaged');
  return {
    ...(header.guest && { guest: header.guest }),
    console: bytes.slice(jsonEnd, consoleEnd),
    state: state.buffer,
  };
}

function validHeader(header: Header): boolean {
  const count = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  const guest = header.guest;
  return (
    typeof header === 'object' &&
    count(header.consoleBytes) &&
    count(header.stateBytes) &&
    count(header.storedBytes) &&
    (guest === undefined || (count(guest.ip) && typeof guest.mac === 'string'))
  );
}

/** A bitmap of the non-zero blocks, then those blocks. */
function sparse(state: Uint8Array): Uint8Array {
  const blocks = Math.ceil(state.length / BLOCK);
  const bitmap = new Uint8Array(Math.ceil(blocks / 8));
  const kept: Uint8Array[] = [];
  for (let i = 0; i < blocks; i++) {
    const block = state.subarray(i * BLOCK, (i + 1) * BLOCK);
    if (block.every((byte) => byte === 0)) continue;
    bitmap[i >> 3]! |= 1 << (i & 7);
    kept.push(block);
  }
  const out = new Uint8Array(bitmap.length + kept.reduce((sum, block) => sum + block.length, 0));
  out.set(bitmap);
  let offset = bitmap.length;
  for (const block of kept) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}

/** The state of `length` bytes that sparse() stored; undefined if the stored bytes do not fit it. */
function dense(stored: Uint8Array, length: number): Uint8Array<ArrayBuffer> | undefined {
  const blocks = Math.ceil(length / BLOCK);
  const bitmapBytes = Math.ceil(blocks / 8);
  const state = new Uint8Array(length);
  let offset = bitmapBytes;
  for (let i = 0; i < blocks; i++) {
    if (!(stored[i >> 3]! & (1 << (i & 7)))) continue;
    const size = Math.min(BLOCK, length - i * BLOCK);
    if (offset + size > stored.length) return undefined;
    state.set(stored.subarray(offset, offset + size), i * BLOCK);
    offset += size;
  }
  return stored.length >= bitmapBytes && offset === stored.length ? state : undefined;
}

/** Compresses bytes with gzip (for storage: a unikernel's RAM is mostly zeros). */
export function gzip(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return transform(bytes, new CompressionStream('gzip'));
}

export function gunzip(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return transform(bytes, new DecompressionStream('gzip'));
}

async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const body = byteStream(bytes as Uint8Array<ArrayBuffer>).pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}
