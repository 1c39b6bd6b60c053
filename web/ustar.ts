// POSIX ustar archives, the user-data of the static appliance: pure functions over bytes (no DOM).
// packTar writes plain ustar (prefix/name split for long paths); unpackTar also reads GNU and pax
// long names, as the appliance does (images/static/ustar.c).
import { CodedError } from '../worker/net/errors.ts';

/** One regular file of an archive; its name is a relative path such as "css/site.css". */
export interface TarFile {
  name: string;
  data: Uint8Array;
}

/** Why an archive cannot be made or read. */
export type TarErrorCode = 'bad-name' | 'too-large' | 'truncated' | 'bad-checksum' | 'bad-header';

/** An archive that cannot be made or read; the code is the name, as for TabcloudError. */
export class TarError extends CodedError<TarErrorCode> {}

const BLOCK = 512;
/** Header fields: offset and width. */
const NAME = [0, 100] as const;
const MODE = [100, 8] as const;
const UID = [108, 8] as const;
const GID = [116, 8] as const;
const SIZE = [124, 12] as const;
const MTIME = [136, 12] as const;
const CHKSUM = [148, 8] as const;
const TYPE = 156;
const MAGIC = [257, 6] as const;
const VERSION = [263, 2] as const;
const DEVMAJOR = [329, 8] as const;
const DEVMINOR = [337, 8] as const;
const PREFIX = [345, 155] as const;
/** The largest size an 11-digit octal field holds (8 GiB - 1). */
const MAX_SIZE = 8 ** 11 - 1;

type Field = readonly [offset: number, width: number];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes `value` as zero-padded octal digits and a NUL into the field. */
function putOctal(header: Uint8Array, [offset, width]: Field, value: number): void {
  header.set(encoder.encode(value.toString(8).padStart(width - 1, '0')), offset);
}

/** Splits a UTF-8 path into ustar's prefix and name fields; throws if it cannot fit. */
function splitName(path: string, bytes: Uint8Array): [prefix: Uint8Array, name: Uint8Array] {
  if (bytes.length <= NAME[1]) return [new Uint8Array(0), bytes];
  for (let i = bytes.length - 1; i > 0; i--) {
    if (bytes[i] === 0x2f && i <= PREFIX[1] && bytes.length - i - 1 <= NAME[1] && bytes.length - i - 1 > 0) {
      return [bytes.subarray(0, i), bytes.subarray(i + 1)];
    }
  }
  throw new TarError('bad-name', `'${path}' is too long for a tar archive: at most 100 bytes after its last folder`);
}

/** Checks that a path is relative, with no empty, "." or ".." part, and no NUL. */
function checkPath(path: string): void {
  const parts = path.split('/');
  if (path.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new TarError('bad-name', `'${path}' is not a file path such as "index.html" or "css/site.css"`);
  }
}

/** The header block of one regular file. */
function header(file: TarFile): Uint8Array {
  checkPath(file.name);
  if (file.data.length > MAX_SIZE) throw new TarError('too-large', `'${file.name}' is over 8 GiB`);
  const [prefix, name] = splitName(file.name, encoder.encode(file.name));
  const h = new Uint8Array(BLOCK);
  h.set(name, NAME[0]);
  putOctal(h, MODE, 0o644);
  putOctal(h, UID, 0);
  putOctal(h, GID, 0);
  putOctal(h, SIZE, file.data.length);
  putOctal(h, MTIME, 0);
  h[TYPE] = 0x30; // '0': a regular file
  h.set(encoder.encode('ustar\0'), MAGIC[0]);
  h.set(encoder.encode('00'), VERSION[0]);
  putOctal(h, DEVMAJOR, 0);
  putOctal(h, DEVMINOR, 0);
  h.set(prefix, PREFIX[0]);
  h.set(encoder.encode(checksum(h).toString(8).padStart(6, '0') + '\0 '), CHKSUM[0]);
  return h;
}

/** The sum of a header's bytes with its checksum field counted as spaces. */
function checksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= CHKSUM[0] && i < CHKSUM[0] + CHKSUM[1] ? 0x20 : h[i]!;
  return sum;
}

/** A ustar archive of the files, in order; ends with two zero blocks. Throws a TarError for a bad name or size. */
export function packTar(files: TarFile[]): Uint8Array {
  const headers = files.map(header);
  const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;
  const total = files.reduce((sum, f) => sum + BLOCK + padded(f.data.length), 2 * BLOCK);
  const out = new Uint8Array(total);
  let offset = 0;
  files.forEach((file, i) => {
    out.set(headers[i]!, offset);
    out.set(file.data, offset + BLOCK);
    offset += BLOCK + padded(file.data.length);
  });
  return out;
}

/** A NUL-terminated (or full-width) text field. */
function text(h: Uint8Array, [offset, width]: Field): string {
  const field = h.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

/** An octal number field (leading spaces, digits, then NUL, space or its end), or undefined if malformed. */
function octal(h: Uint8Array, field: Field): number | undefined {
  const match = /^ *([0-7]+)(?: |$)/.exec(text(h, field));
  return match ? parseInt(match[1]!, 8) : undefined;
}

/** The path record of a pax extended header ("<len> path=<value>\n" records), if any. */
function paxPath(data: Uint8Array): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const digits = decoder.decode(data.subarray(at, space));
    const len = Number(digits);
    if (!/^\d+$/.test(digits) || len <= space - at + 1 || at + len > data.length || data[at + len - 1] !== 0x0a) break;
    const record = decoder.decode(data.subarray(space + 1, at + len - 1));
    if (record.startsWith('path=')) path = record.slice(5);
    at += len;
  }
  return path;
}

/** A name as the appliance maps it: without a leading "./" or "/". */
function siteName(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

/**
 * The regular files of a tar archive (ustar, GNU or pax), in order; directories, links and other
 * entries are left out. File data are views into `bytes`. Throws a TarError where the archive is
 * damaged: a bad header checksum or size field, or data cut short.
 */
export function unpackTar(bytes: Uint8Array): TarFile[] {
  const files: TarFile[] = [];
  let longName: string | undefined;
  for (let at = 0; at < bytes.length;) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break; // the end-of-archive blocks (or a zero tail)
    if (h.length < BLOCK) throw new TarError('truncated', `the archive is cut short inside a header at byte ${at}`);
    const sum = octal(h, CHKSUM);
    if (sum === undefined || sum !== checksum(h)) {
      throw new TarError('bad-checksum', `bad header checksum at byte ${at}: is this a tar archive?`);
    }
    const size = octal(h, SIZE);
    if (size === undefined) throw new TarError('bad-header', `bad size field in the header at byte ${at}`);
    const data = bytes.subarray(at + BLOCK, at + BLOCK + size);
    if (data.length < size) {
      throw new TarError('truncated', `the archive is cut short: the file at byte ${at} needs ${size} bytes`);
    }
    const type = String.fromCharCode(h[TYPE]!);
    if (type === 'L') longName = decoder.decode(data).replace(/\0+$/, '');
    else if (type === 'x') longName = paxPath(data);
    else {
      if (type === '0' || type === '\0' || type === '7') {
        const prefix = text(h, MAGIC) === 'ustar' ? text(h, PREFIX) : ''; // POSIX only: GNU has "ustar " here
        const name = longName ?? (prefix ? `${prefix}/${text(h, NAME)}` : text(h, NAME));
        files.push({ name: siteName(name), data });
      }
      longName = undefined;
    }
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
