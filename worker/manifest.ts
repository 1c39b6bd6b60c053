import { CodedError } from './net/errors.ts';
import { multibootFlags } from './multiboot.ts';
import type { ApplianceSpec } from './protocol.ts';

/** Why an appliance of one's own was refused: its manifest (appliance.json) or its image. */
export type ManifestErrorCode = 'bad-manifest' | 'bad-image';

export class ManifestError extends CodedError<ManifestErrorCode> {}

/**
 * An appliance's manifest, `appliance.json` beside its image: the catalog entry's fields a user's appliance may
 * set. The image itself is not named: it is the file the manifest came with.
 */
export type Manifest = Pick<ApplianceSpec, 'id' | 'title' | 'summary' | 'memory' | 'ports' | 'userData'>;

const MiB = 1024 * 1024;
export const MEMORY_MIN = 2 * MiB;
export const MEMORY_MAX = 512 * MiB;
const USER_DATA_KINDS = ['json', 'files', 'script'] as const;
/** An id is a /vm/<name>/ path segment and a DNS label: lower-case letters, digits and inner hyphens. */
const ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** Whether `id` can name an appliance; the rule, in words, for error messages. */
export function isApplianceId(id: string): boolean {
  return ID_PATTERN.test(id);
}
export const ID_RULE = 'a letter, then up to 31 lower-case letters, digits or inner hyphens';

/** The manifest a user's appliance gets when it comes without one: named after its file, defaults elsewhere. */
export function defaultManifest(fileName: string): Manifest {
  const base = fileName.replace(/\.elf$/i, '').toLowerCase();
  const id =
    base
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+|-+$/g, '')
      .slice(0, 32) || 'appliance';
  return { id, title: id, summary: `${fileName}, an appliance of your own.`, memory: 32 * MiB, ports: [80] };
}

/** Parses and checks an appliance.json; throws a ManifestError naming the field and what it must be. */
export function parseManifest(text: string, source = 'appliance.json'): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError('bad-manifest', `${source} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ManifestError('bad-manifest', `${source} must be a JSON object with id, title, summary, memory, ports`);
  }
  const field = (name: string, rule: string): never => {
    throw new ManifestError('bad-manifest', `${source}: "${name}" must be ${rule}`);
  };
  const { id, title, summary, memory, ports, userData } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !isApplianceId(id)) field('id', ID_RULE);
  if (typeof title !== 'string' || title.length === 0) field('title', 'a non-empty string');
  if (typeof summary !== 'string') field('summary', 'a string');
  if (!Number.isInteger(memory) || (memory as number) % MiB !== 0) field('memory', 'whole MiB in bytes');
  if ((memory as number) < MEMORY_MIN || (memory as number) > MEMORY_MAX) {
    field('memory', `between ${MEMORY_MIN / MiB} and ${MEMORY_MAX / MiB} MiB, in bytes`);
  }
  const isPort = (port: unknown) => Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
  if (!Array.isArray(ports) || !ports.every(isPort)) field('ports', 'an array of TCP ports (1-65535)');
  const kinds = USER_DATA_KINDS as readonly unknown[];
  if (userData !== undefined && !kinds.includes(userData)) field('userData', `one of ${USER_DATA_KINDS.join(', ')}`);
  return { ...(value as Manifest) };
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const EM_386 = 3;

/** What a file that is not an appliance image looks like, for the error message. */
function describe(bytes: Uint8Array): string {
  const starts = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (bytes.length === 0) return 'an empty file';
  if (starts(0x1f, 0x8b)) return 'a gzip file (decompress it first)';
  if (starts(0x4d, 0x5a)) return 'a Windows (PE) executable';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive';
  if (starts(0xcf, 0xfa, 0xed, 0xfe) || starts(0xfe, 0xed, 0xfa, 0xcf)) return 'a Mach-O executable';
  if (starts(0x23, 0x21)) return 'a script';
  const sample = bytes.subarray(0, 512);
  const text = sample.every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127));
  return text ? 'a text file' : `a binary file of ${bytes.length} bytes that is not an ELF`;
}

/** Throws a ManifestError saying what was found unless `bytes` is a 32-bit x86 ELF with a multiboot v1 header. */
export function checkImage(bytes: Uint8Array, source = 'the image'): void {
  const refuse = (found: string): never => {
    throw new ManifestError('bad-image', `${source} is not a multiboot i386 ELF appliance image: it is ${found}.`);
  };
  if (!ELF_MAGIC.every((byte, i) => bytes[i] === byte)) refuse(describe(bytes));
  if (bytes.length < 52) refuse('a truncated ELF');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[4] !== 1) refuse(bytes[4] === 2 ? 'a 64-bit ELF (build with --target=i386-none-elf)' : 'a damaged ELF');
  if (bytes[5] !== 1) refuse('a big-endian ELF');
  const machine = view.getUint16(18, true);
  if (machine !== EM_386) refuse(`an ELF for machine ${machine}, not i386 (3)`);
  if (multibootFlags(view) !== undefined) return;
  refuse('an i386 ELF without a multiboot header in its first 8 KiB (link with images/kernel/kernel.ld)');
}
