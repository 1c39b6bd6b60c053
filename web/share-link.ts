// Share links: an appliance with its user-data or saved state, packed into the URL hash.
import { byteStream } from '../worker/byte-stream.ts';
import { CodedError } from '../worker/net/errors.ts';
import { formatBytes } from './format.ts';
import { decodeOwnImage, isOwnImageError, type OwnImage } from './own-image.ts';

/** The longest share link, origin and path included, that the page makes or reads. */
export const MAX_LINK_CHARS = 64 * 1024;

/** The most bytes a link may expand to, so a crafted link cannot exhaust memory. */
export const MAX_SHARED_BYTES = 64 * 1024 * 1024;

/** Why a share link cannot be made or read. */
export type ShareLinkErrorCode = 'malformed' | 'truncated' | 'corrupt' | 'unknown-version' | 'too-large';

/** A share link that cannot be made or read; the code is the name, as for TabcloudError. */
export class ShareLinkError extends CodedError<ShareLinkErrorCode> {}

/**
 * What a share link carries: user-data to boot with, a saved v86 state to resume, or an appliance of one's own
 * (web/own-image.ts: its manifest and kernel, with its user-data or state).
 */
export type ShareKind = 'data' | 'state' | 'image';
const KINDS: readonly string[] = ['data', 'state', 'image'] satisfies ShareKind[];

/** An appliance read from a share link; `own` is the decoded bundle of an image link. */
export interface SharedAppliance {
  id: string;
  kind: ShareKind;
  bytes: Uint8Array;
  own?: OwnImage;
}

// Payload framing, little-endian, before base64url: the compressed length tells a cut-off link from a damaged one.
const FORMAT_VERSION = 1;
const OFFSET_VERSION = 0;
const OFFSET_LENGTH = 1;
const OFFSET_COMPRESSED_LENGTH = 5;
const OFFSET_CRC = 9;
const HEADER_BYTES = 13;

const ROUTE_PREFIX = '#/a/';
const APPLIANCE_ID = /^[a-z0-9-]{1,32}$/;
const ASK_AGAIN = 'Ask the sender for a new link.';
const EXPORT_INSTEAD = 'Use "Export file" instead to share this appliance.';

/** Whether a string can name an appliance: 1 to 32 lower-case letters, digits or dashes. */
export function isApplianceId(id: string): boolean {
  return APPLIANCE_ID.test(id);
}

/** Makes a link that opens appliance `id` with `bytes`; `base` is the page URL without its hash. */
export async function createShareLink(base: string, id: string, kind: ShareKind, bytes: Uint8Array): Promise<string> {
  if (!isApplianceId(id)) {
    throw new ShareLinkError('malformed', `Cannot share '${id}': an appliance id is 1 to 32 of a-z, 0-9 and '-'.`);
  }
  if (bytes.length > MAX_SHARED_BYTES) {
    throw new ShareLinkError(
      'too-large',
      `The ${kind} is ${formatBytes(bytes.length)}, more than a link can carry (${formatBytes(MAX_SHARED_BYTES)}). ${EXPORT_INSTEAD}`,
    );
  }
  const compressed = await deflate(bytes);
  const payload = new Uint8Array(HEADER_BYTES + compressed.length);
  const view = new DataView(payload.buffer);
  view.setUint8(OFFSET_VERSION, FORMAT_VERSION);
  view.setUint32(OFFSET_LENGTH, bytes.length, true);
  view.setUint32(OFFSET_COMPRESSED_LENGTH, compressed.length, true);
  view.setUint32(OFFSET_CRC, crc32(bytes), true);
  payload.set(compressed, HEADER_BYTES);
  const url = `${base}${ROUTE_PREFIX}${id}?${kind}=${toBase64Url(payload)}`;
  if (url.length > MAX_LINK_CHARS) {
    throw new ShareLinkError(
      'too-large',
      `The link would be ${url.length} characters long; links are limited to ${MAX_LINK_CHARS}. ${EXPORT_INSTEAD}`,
    );
  }
  return url;
}

/** Reads `location.hash`: the shared appliance, or undefined when the hash carries no data or state. */
export async function parseShareLink(hash: string): Promise<SharedAppliance | undefined> {
  if (!hash.startsWith(ROUTE_PREFIX)) return undefined;
  const rest = hash.slice(ROUTE_PREFIX.length);
  const queryStart = rest.indexOf('?');
  if (queryStart < 0) return undefined;
  const part = findPayload(rest.slice(queryStart + 1));
  if (!part) return undefined;
  if (hash.length > MAX_LINK_CHARS) {
    throw new ShareLinkError(
      'too-large',
      `This share link is ${hash.length} characters long; links are limited to ${MAX_LINK_CHARS}. Ask the sender to use "Export file" instead.`,
    );
  }
  const id = rest.slice(0, queryStart);
  if (!isApplianceId(id)) {
    throw new ShareLinkError('malformed', `This share link names no valid appliance (${quote(id)}). ${ASK_AGAIN}`);
  }
  const bytes = await decodePayload(part.payload);
  if (part.kind !== 'image') return { id, kind: part.kind, bytes };
  return { id, kind: part.kind, bytes, own: ownImage(id, bytes) };
}

/** The appliance of one's own an image link carries, named `id`; its bytes passed the checksum, so a fault is the sender's. */
function ownImage(id: string, bytes: Uint8Array): OwnImage {
  let own;
  try {
    own = decodeOwnImage(bytes);
  } catch (error) {
    if (!isOwnImageError(error)) throw error;
    throw new ShareLinkError('malformed', `This share link's appliance cannot boot: ${error.message}. ${ASK_AGAIN}`);
  }
  if (own.manifest.id !== id) {
    throw new ShareLinkError(
      'malformed',
      `This share link names ${quote(id)} but carries ${quote(own.manifest.id)}. ${ASK_AGAIN}`,
    );
  }
  return own;
}

/** Finds the one `data=`, `state=` or `image=` parameter of a hash query. */
function findPayload(query: string): { kind: ShareKind; payload: string } | undefined {
  let found: { kind: ShareKind; payload: string } | undefined;
  for (const parameter of query.split('&')) {
    const equals = parameter.indexOf('=');
    const key = equals < 0 ? parameter : parameter.slice(0, equals);
    if (!KINDS.includes(key)) continue;
    if (found) {
      throw new ShareLinkError(
        'malformed',
        `This share link carries data twice, so it is unclear what to load. ${ASK_AGAIN}`,
      );
    }
    found = { kind: key as ShareKind, payload: equals < 0 ? '' : parameter.slice(equals + 1) };
  }
  return found;
}

/** Checks the framing, inflates and verifies one payload. */
async function decodePayload(text: string): Promise<Uint8Array> {
  const payload = fromBase64Url(text);
  if (payload.length > 0 && payload[OFFSET_VERSION] !== FORMAT_VERSION) {
    throw new ShareLinkError(
      'unknown-version',
      `This share link was made by another version of Tabcloud (link format ${payload[OFFSET_VERSION]}; ` +
        `this page reads format ${FORMAT_VERSION}). Reload the page to update Tabcloud, then open the link again.`,
    );
  }
  if (payload.length < HEADER_BYTES) throw truncated(payload.length);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const length = view.getUint32(OFFSET_LENGTH, true);
  const compressedLength = view.getUint32(OFFSET_COMPRESSED_LENGTH, true);
  if (length > MAX_SHARED_BYTES) {
    throw new ShareLinkError(
      'too-large',
      `This share link would expand to ${formatBytes(length)}, over the limit of ${formatBytes(MAX_SHARED_BYTES)}. ` +
        'Ask the sender to use "Export file" instead.',
    );
  }
  const compressed = payload.subarray(HEADER_BYTES);
  if (compressed.length < compressedLength) {
    throw truncated(payload.length, HEADER_BYTES + compressedLength);
  }
  if (compressed.length > compressedLength) {
    throw new ShareLinkError('malformed', `This share link has extra characters after its data. ${ASK_AGAIN}`);
  }
  const bytes = await inflate(compressed, length);
  if (crc32(bytes) !== view.getUint32(OFFSET_CRC, true)) throw corrupt();
  return bytes;
}

function truncated(have: number, want?: number): ShareLinkError {
  const holds = want === undefined ? `only ${have} bytes` : `${have} of its ${want} bytes`;
  return new ShareLinkError(
    'truncated',
    `This share link is incomplete: it holds ${holds}, so it was probably cut off when it was copied or sent. ` +
      'Copy the whole link again, or ask the sender to use "Export file".',
  );
}

function corrupt(): ShareLinkError {
  return new ShareLinkError('corrupt', `This share link is damaged: its data fails the checksum. ${ASK_AGAIN}`);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Compresses bytes with raw deflate. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = byteStream(bytes as Uint8Array<ArrayBuffer>).pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates raw deflate that must yield exactly `length` bytes; stops early rather than inflate a bomb. */
async function inflate(compressed: Uint8Array, length: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const ignore = (): void => {};
  writer.write(compressed as Uint8Array<ArrayBuffer>).catch(ignore);
  writer.close().catch(ignore);
  const reader = stream.readable.getReader();
  const out = new Uint8Array(length);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.length > length) {
        await reader.cancel().catch(ignore);
        throw corrupt();
      }
      out.set(value, filled);
      filled += value.length;
    }
  } catch {
    throw corrupt();
  }
  if (filled !== length) throw corrupt();
  return out;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUES = new Map([...BASE64URL].map((char, value) => [char.charCodeAt(0), value]));

/** Encodes bytes as base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
  const chars: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const triple = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const count = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < count; j++) chars.push(BASE64URL[(triple >> (18 - 6 * j)) & 63]!);
  }
  return chars.join('');
}

/** Decodes unpadded base64url; a lone last character (half a byte, from a cut-off link) is dropped. */
function fromBase64Url(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let bitCount = 0;
  let filled = 0;
  for (let i = 0; i < text.length; i++) {
    const value = BASE64URL_VALUES.get(text.charCodeAt(i));
    if (value === undefined) {
      throw new ShareLinkError(
        'malformed',
        `This share link is damaged: it contains ${quote(text.charAt(i))}, which its data cannot hold. ${ASK_AGAIN}`,
      );
    }
    bits = ((bits << 6) | value) & 0xffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[filled++] = (bits >> bitCount) & 0xff;
    }
  }
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 (IEEE, as in zip and PNG) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
