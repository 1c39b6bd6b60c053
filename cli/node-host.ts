// The Node side of the host: images from public/, the catalog from images/ (ROOT: this package).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { compileV86 } from '../worker/emulator.ts';
import { TabcloudError } from '../worker/errors.ts';
import { Machine, type MachineHost } from '../worker/machine.ts';
import { outboundFetch } from '../worker/outbound-fetch.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The appliance catalog. */
export async function loadCatalog(): Promise<ApplianceSpec[]> {
  return JSON.parse(await readFile(`${ROOT}images/appliances.json`, 'utf8')) as ApplianceSpec[];
}

/** The file of an image by its catalog path (relative to public/). */
export function imagePath(path: string): string {
  return `${ROOT}public/${path}`;
}

/** Reads an image by its catalog path. */
export async function loadImage(path: string): Promise<ArrayBuffer> {
  try {
    const bytes = await readFile(imagePath(path));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  } catch {
    throw new TabcloudError(
      'image-not-found',
      `public/${path} is missing: build the images with npm run build:images.`,
    );
  }
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** v86.wasm, compiled once per process: every machine in it instantiates the same module. */
export function v86Module(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('v86/build/v86.wasm')).then((bytes) =>
    compileV86(new Uint8Array(bytes)),
  );
  return compiled;
}

/** What a machine in this Node process runs on: the catalog's images, the process's v86.wasm, zlib, Node's fetch. */
export function nodeMachineHost(
  options: Pick<MachineHost, 'tap' | 'fetch' | 'holdLock' | 'lan' | 'uplink'> = {},
): MachineHost {
  const inflate = async (bytes: ArrayBuffer): Promise<ArrayBuffer> => {
    const out = await promisify(gunzip)(bytes);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  };
  return { loadImage, v86Module, gunzip: inflate, fetch: outboundFetch('node'), ...options };
}

/** A machine that runs in this Node process. */
export function createNodeMachine(options: Parameters<typeof nodeMachineHost>[0] = {}): Machine {
  return new Machine(nodeMachineHost(options));
}
