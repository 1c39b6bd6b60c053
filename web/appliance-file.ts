// The "Export file" format: one saved appliance (catalog id, name, user-data, saved state; for an appliance of one's
// own, its manifest and image) in a single file.
import { checkImage, ManifestError, parseManifest, type Manifest } from '../worker/manifest.ts';
import { CodedError } from '../worker/net/errors.ts';
import { isApplianceId } from './share-link.ts';

/** The MIME type of an exported appliance, for downloads and file pickers. */
export const APPLIANCE_FILE_TYPE = 'application/x-tabcloud';

/** The file name extension of an exported appliance. */
export const APPLIANCE_FILE_EXTENSION = '.tabcloud';

/** The longest name a user may give a saved appliance. */
export const MAX_NAME_CHARS = 200;

/** Why a file cannot be read as (or written as) an appliance file. */
export type ApplianceFileErrorCode = 'not-an-appliance-file' | 'truncated' | 'unknown-version' | 'malformed';

/** An appliance file that cannot be read or written; the code is the name, as for TabcloudError. */
export class ApplianceFileError extends CodedError<ApplianceFileErrorCode> {}

/** A saved appliance, as exported to and imported from a file. */
export interface ApplianceFile {
  /** The catalog id of the appliance, e.g. "kv". */
  id: string;
  /** The name the user gave this copy. */
  name: string;
  /** When it was saved, in milliseconds since the epoch. */
  savedAt: number;
  /** The appliance's user-data; may be empty. */
  userData: Uint8Array;
  /** The saved v86 state of the running machine; absent when only the user-data was saved. */
  state?: Uint8Array;
  /** An appliance of one's own: its appliance.json and kernel image (then `id` is the manifest's). */
  own?: { manifest: Manifest; image: Uint8Array };
}

/** The JSON header as written: byte counts say where the user-data ends and the state begins. */
interface Header {
  id: string;
  name: string;
  savedAt: string;
  userDataBytes: number;
  stateBytes: number | null;
  stateEncoding: 'raw' | null;
  /** Format 2: an appliance of one's own, its image after the state. */
  manifest?: Manifest;
  imageBytes?: number;
}

// Layout: magic, version u8, header length u32 LE, JSON header (UTF-8), user-data, state, and in format 2 the image.
const MAGIC = new TextEncoder().encode('TABCLOUD');
/** Format 1 files stay readable; a file with an image is format 2, so an older page says to update, not "damaged". */
const FORMAT_VERSION = 1;
const IMAGE_FORMAT_VERSION = 2;
const OFFSET_VERSION = MAGIC.length;
const OFFSET_HEADER_LENGTH = OFFSET_VERSION + 1;
const PREAMBLE_BYTES = OFFSET_HEADER_LENGTH + 4;
const MAX_HEADER_BYTES = 64 * 1024;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXPORT_AGAIN = 'Export the appliance again, or ask whoever sent it for a new copy.';

/** Writes a saved appliance as the bytes of one file. */
export function encodeApplianceFile(file: ApplianceFile): Uint8Array {
  if (!isApplianceId(file.id)) {
    throw new ApplianceFileError(
      'malformed',
      `Cannot export '${file.id}': an appliance id is 1 to 32 of a-z, 0-9 and '-'.`,
    );
  }
  if (file.name.length > MAX_NAME_CHARS) {
    throw new ApplianceFileError('malformed', `The name is too long: shorten it to ${MAX_NAME_CHARS} characters.`);
  }
  if (!Number.isSafeInteger(file.savedAt) || !Number.isFinite(new Date(file.savedAt).getTime())) {
    throw new ApplianceFileError('malformed', `Cannot export: the save time ${file.savedAt} is not a valid date.`);
  }
  const header: Header = {
    id: file.id,
    name: file.name,
    savedAt: new Date(file.savedAt).toISOString(),
    userDataBytes: file.userData.length,
    stateBytes: file.state ? file.state.length : null,
    stateEncoding: file.state ? 'raw' : null,
    ...(file.own && { manifest: file.own.manifest, imageBytes: file.own.image.length }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const parts = [json, file.userData, file.state ?? new Uint8Array(), file.own?.image ?? new Uint8Array()];
  const out = new Uint8Array(PREAMBLE_BYTES + parts.reduce((sum, part) => sum + part.length, 0));
  out.set(MAGIC);
  const view = new DataView(out.buffer);
  view.setUint8(OFFSET_VERSION, file.own ? IMAGE_FORMAT_VERSION : FORMAT_VERSION);
  view.setUint32(OFFSET_HEADER_LENGTH, json.length, true);
  let offset = PREAMBLE_BYTES;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads the bytes of an appliance file; throws ApplianceFileError when they are not one. */
export function decodeApplianceFile(bytes: Uint8Array): ApplianceFile {
  checkMagic(bytes);
  if (bytes.length <= OFFSET_VERSION) throw truncated(bytes.length);
  const version = bytes[OFFSET_VERSION]!;
  if (version !== FORMAT_VERSION && version !== IMAGE_FORMAT_VERSION) {
    throw new ApplianceFileError(
      'unknown-version',
      `This appliance file was made by another version of Tabcloud (file format ${version}; this page reads ` +
        `formats ${FORMAT_VERSION} and ${IMAGE_FORMAT_VERSION}). Reload the page to update Tabcloud, then import the file again.`,
    );
  }
  if (bytes.length < PREAMBLE_BYTES) throw truncated(bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(OFFSET_HEADER_LENGTH, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw malformed(`its header claims ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} a header may have`);
  }
  const dataStart = PREAMBLE_BYTES + headerLength;
  if (bytes.length < dataStart) throw truncated(bytes.length, dataStart);
  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, dataStart));
  const own = version === IMAGE_FORMAT_VERSION ? ownHeader(header) : undefined;
  const stateStart = dataStart + header.userDataBytes;
  const imageStart = stateStart + (header.stateBytes ?? 0);
  const end = imageStart + (own?.imageBytes ?? 0);
  if (bytes.length < end) throw truncated(bytes.length, end);
  if (bytes.length > end) throw malformed(`it has ${bytes.length - end} bytes after the end its header declares`);
  const file: ApplianceFile = {
    id: header.id,
    name: header.name,
    savedAt: Date.parse(header.savedAt),
    userData: bytes.slice(dataStart, stateStart),
  };
  if (header.stateBytes !== null) file.state = bytes.slice(stateStart, imageStart);
  if (own) file.own = { manifest: own.manifest, image: ownImage(bytes.slice(imageStart, end)) };
  return file;
}

/** The manifest and image size of a format 2 header, checked. */
function ownHeader(header: Header): { manifest: Manifest; imageBytes: number } {
  if (!isByteCount(header.imageBytes)) throw malformed('its image size is missing or not a byte count');
  let manifest;
  try {
    manifest = parseManifest(JSON.stringify(header.manifest ?? null), 'its appliance.json');
  } catch (error) {
    if (error instanceof ManifestError) throw malformed(error.message);
    throw error;
  }
  if (manifest.id !== header.id)
    throw malformed(`its appliance.json names '${manifest.id}', its header '${header.id}'`);
  return { manifest, imageBytes: header.imageBytes };
}

/** The image of a format 2 file, checked to be one that boots. */
function ownImage(image: Uint8Array): Uint8Array {
  try {
    checkImage(image, 'its image');
  } catch (error) {
    if (error instanceof ManifestError) throw malformed(error.message.replace(/\.$/, ''));
    throw error;
  }
  return image;
}

/** Whether bytes (a file's first 8 or more) start as an appliance file does, rather than as an image. */
export function isApplianceFileStart(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((byte, i) => bytes[i] === byte);
}

/** A file name for the download, from the user's name for the appliance: "My KV" → "my-kv.tabcloud". */
export function applianceFileName(file: Pick<ApplianceFile, 'id' | 'name'>): string {
  const slug = file.name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
  return `${slug || file.id}${APPLIANCE_FILE_EXTENSION}`;
}

/** Throws unless bytes start with the magic, telling a cut-off file from a foreign one. */
function checkMagic(bytes: Uint8Array): void {
  const prefix = bytes.subarray(0, MAGIC.length);
  if (prefix.every((byte, i) => byte === MAGIC[i])) {
    if (bytes.length === 0) throw new ApplianceFileError('truncated', `This file is empty. ${EXPORT_AGAIN}`);
    if (prefix.length < MAGIC.length) throw truncated(bytes.length);
    return;
  }
  throw new ApplianceFileError(
    'not-an-appliance-file',
    `This is not a Tabcloud appliance file (it does not start with "TABCLOUD"). ` +
      `Choose a ${APPLIANCE_FILE_EXTENSION} file made with "Export file".`,
  );
}

/** Parses and checks the JSON header, field by field. */
function parseHeader(json: Uint8Array): Header {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw malformed('its header is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('its header is not a JSON object');
  }
  const header = value as Record<string, unknown>;
  const { id, name, savedAt, userDataBytes, stateBytes, stateEncoding, manifest, imageBytes } = header;
  const own = {
    ...(manifest !== undefined && { manifest: manifest as Manifest }),
    ...(imageBytes !== undefined && { imageBytes: imageBytes as number }),
  };
  if (typeof id !== 'string' || !isApplianceId(id)) throw malformed('its appliance id is missing or invalid');
  if (typeof name !== 'string' || name.length > MAX_NAME_CHARS) throw malformed('its name is missing or too long');
  if (typeof savedAt !== 'string' || !ISO_TIME.test(savedAt) || !Number.isFinite(Date.parse(savedAt))) {
    throw malformed('its save time is missing or not a date');
  }
  if (!isByteCount(userDataBytes)) throw malformed('its user-data size is missing or not a byte count');
  if (stateBytes === null) {
    if (stateEncoding !== null) throw malformed('it names a state encoding but holds no state');
    return { id, name, savedAt, userDataBytes, stateBytes, stateEncoding, ...own };
  }
  if (!isByteCount(stateBytes)) throw malformed('its state size is missing or not a byte count');
  if (typeof stateEncoding !== 'string') throw malformed('its state encoding is missing');
  if (stateEncoding !== 'raw') {
    throw new ApplianceFileError(
      'unknown-version',
      `This appliance file stores its state as ${JSON.stringify(stateEncoding)}, which this version of Tabcloud ` +
        'cannot read. Reload the page to update Tabcloud, then import the file again.',
    );
  }
  return { id, name, savedAt, userDataBytes, stateBytes, stateEncoding, ...own };
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function truncated(have: number, want?: number): ApplianceFileError {
  const size = want === undefined ? `only ${have} bytes long` : `${have} bytes long but its header says ${want}`;
  return new ApplianceFileError(
    'truncated',
    `This appliance file is incomplete: it is ${size}, so it was probably cut off while downloading or copying. ` +
      EXPORT_AGAIN,
  );
}

function malformed(what: string): ApplianceFileError {
  return new ApplianceFileError('malformed', `This appliance file is damaged: ${what}. ${EXPORT_AGAIN}`);
}
