// An appliance's user-data file, as `run --user-data` and `up` read it: a script for js is transpiled first.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplianceSpec } from '../worker/protocol.ts';
import type { EngineOptions } from './engines.ts';

/** The user's script does not compile: `file:line:column: message` lines, exit 2 before booting. */
export class ScriptError extends Error {}

/** The user-data file cannot be read. */
export class UserDataError extends Error {}

/** User-data files of a script appliance (js) that are transpiled into its bundle first. */
const SCRIPT = /\.(ts|js|mjs)$/;

export type UserData = NonNullable<EngineOptions['userData']> & { cleanup?: () => Promise<void> };

/** Reads the user-data file; a script for the js appliance becomes its bundle (in a file, for QEMU). */
export async function readUserData(path: string | undefined, appliance: ApplianceSpec): Promise<UserData | undefined> {
  if (path === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserDataError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (appliance.userData !== 'script' || !SCRIPT.test(path)) return { path, bytes };
  // TypeScript takes a second to load: only a script's run pays for it.
  const { transpile } = await import('../worker/transpile.ts');
  const result = transpile(bytes.toString('utf8'), path);
  if (!result.ok) {
    throw new ScriptError(result.diagnostics.map((d) => `${path}:${d.line}:${d.column}: ${d.message}`).join('\n'));
  }
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-js-'));
  const bundle = join(dir, 'bundle.js');
  await writeFile(bundle, result.bundle);
  return {
    path: bundle,
    bytes: Buffer.from(result.bundle),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
