// An appliance of one's own: its manifest and kernel image travel with it (in storage, links and files), since the
// catalog does not know it.
import { checkImage, ManifestError, parseManifest, type Manifest } from '../worker/manifest.ts';
import { CodedError } from '../worker/net/errors.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

/** A user's appliance as it travels in a link: manifest, kernel, and optionally its user-data and running machine. */
export interface OwnImage {
  manifest: Manifest;
  image: Uint8Array;
  userData?: Uint8Array;
  /** A saved machine (worker/saved-machine.ts) to resume instead of booting. */
  state?: Uint8Array;
}

/** Bytes that are not an OwnImage bundle; the message says what is wrong with them. */
export class OwnImageError extends CodedError<'bad-bundle'> {}

interface Header {
  manifest: Manifest;
  imageBytes: number;
  userDataBytes: number;
  stateBytes: number | null;
}

// Layout: magic, version u8, header length u32 LE, JSON header, image, user-data, state.
const MAGIC = new TextEncoder().encode('TCIMAGE');
const VERSION = 1;
const PREAMBLE_BYTES = MAGIC.length + 1 + 4;
const MAX_HEADER_BYTES = 16 * 1024;

/** The catalog entry an appliance of one's own stands for: its manifest; its image comes with each boot. */
export function ownSpec(manifest: Manifest): ApplianceSpec {
  return { ...manifest, image: `${manifest.id}.elf` };
}

/** The spec of a saved appliance: its own manifest if it has an image, else its catalog entry. */
export function specOf(
  saved: { applianceId: string; manifest?: Manifest; image?: Uint8Array },
  catalog: ApplianceSpec[],
): ApplianceSpec | undefined {
  if (saved.manifest && saved.image) return ownSpec(saved.manifest);
  return catalog.find((a) => a.id === saved.applianceId);
}

/** The manifest fields of a spec, as an appliance.json would hold them. */
export function manifestOf(spec: ApplianceSpec): Manifest {
  const { id, title, summary, memory, ports, userData } = spec;
  return { id, title, summary, memory, ports, ...(userData && { userData }) };
}

/** Packs an appliance of one's own into bytes (for a share link). */
export function encodeOwnImage(own: OwnImage): Uint8Array {
  const userData = own.userData ?? new Uint8Array();
  const state = own.state ?? new Uint8Array();
  const header: Header = {
    manifest: own.manifest,
    imageBytes: own.image.length,
    userDataBytes: userData.length,
    stateBytes: own.state ? state.length : null,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREAMBLE_BYTES + json.length + own.image.length + userData.length + state.length);
  out.set(MAGIC);
  const view = new DataView(out.buffer);
  view.setUint8(MAGIC.length, VERSION);
  view.setUint32(MAGIC.length + 1, json.length, true);
  let offset = PREAMBLE_BYTES;
  for (const part of [json, own.image, userData, state]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads what encodeOwnImage() made, checking the manifest and the image; throws OwnImageError or ManifestError. */
export function decodeOwnImage(bytes: Uint8Array): OwnImage {
  if (bytes.length < PREAMBLE_BYTES || !MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new OwnImageError('bad-bundle', 'it holds no appliance image');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(MAGIC.length);
  if (version !== VERSION) {
    throw new OwnImageError('bad-bundle', `its image was packed by another Tabcloud version (format ${version})`);
  }
  const jsonEnd = PREAMBLE_BYTES + view.getUint32(MAGIC.length + 1, true);
  if (jsonEnd - PREAMBLE_BYTES > MAX_HEADER_BYTES || jsonEnd > bytes.length) {
    throw new OwnImageError('bad-bundle', 'its header is cut short');
  }
  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, jsonEnd));
  const imageEnd = jsonEnd + header.imageBytes;
  const userDataEnd = imageEnd + header.userDataBytes;
  const end = userDataEnd + (header.stateBytes ?? 0);
  if (end !== bytes.length) throw new OwnImageError('bad-bundle', 'its parts do not add up to its length');
  const image = bytes.slice(jsonEnd, imageEnd);
  checkImage(image, `The image of ${header.manifest.id}`);
  return {
    manifest: header.manifest,
    image,
    ...(header.userDataBytes > 0 && { userData: bytes.slice(imageEnd, userDataEnd) }),
    ...(header.stateBytes !== null && { state: bytes.slice(userDataEnd, end) }),
  };
}

function parseHeader(json: Uint8Array): Header {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as Record<string, unknown>;
  } catch {
    throw new OwnImageError('bad-bundle', 'its header is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new OwnImageError('bad-bundle', 'its header is no object');
  const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  const { imageBytes, userDataBytes, stateBytes } = value;
  if (!count(imageBytes) || !count(userDataBytes) || !(stateBytes === null || count(stateBytes))) {
    throw new OwnImageError('bad-bundle', 'its header has no valid sizes');
  }
  const manifest = parseManifest(JSON.stringify(value['manifest'] ?? null), 'its appliance.json');
  return { manifest, imageBytes, userDataBytes, stateBytes };
}

/** Whether an error is one of decodeOwnImage()'s: bytes that are not a good appliance of one's own. */
export function isOwnImageError(error: unknown): error is OwnImageError | ManifestError {
  return error instanceof OwnImageError || error instanceof ManifestError;
}
