// `tabcloud run ./path/x.elf`: an appliance image of one's own, with the appliance.json beside it if there is one.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkImage, defaultManifest, ManifestError, parseManifest } from '../worker/manifest.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

/** An appliance image from a file: its catalog entry (made from its manifest) and its bytes. */
export interface LocalAppliance {
  appliance: ApplianceSpec;
  image: { path: string; bytes: Uint8Array };
}

/** Whether a run argument names a file rather than a catalog appliance. */
export function isImagePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || arg.endsWith('.elf');
}

/** Reads and checks the image and its manifest; throws a ManifestError or an Error saying what is wrong. */
export async function loadLocalAppliance(arg: string): Promise<LocalAppliance> {
  const path = resolve(arg);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ManifestError('bad-image', `cannot read the image ${arg}: ${why}`);
  }
  checkImage(bytes, arg);
  const manifestFile = join(dirname(path), 'appliance.json');
  const text = await readFile(manifestFile, 'utf8').catch(() => undefined);
  const manifest = text === undefined ? defaultManifest(basename(path)) : parseManifest(text, manifestFile);
  return { appliance: { ...manifest, image: path }, image: { path, bytes } };
}
