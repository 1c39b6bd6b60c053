// `tabcloud new` and `tabcloud build`: an appliance of one's own, in C, on the appliance API.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { ID_RULE, isApplianceId, parseManifest, type Manifest } from '../worker/manifest.ts';
import { installDebianPackages, missingPackages } from '../scripts/debian.js';
import { ROOT } from './node-host.ts';

/** Bad input to new or build (a name, a folder, a manifest): exit 2 with the message. */
export class SdkError extends Error {}

const TEMPLATE = join(ROOT, 'cli', 'template', 'app.c');
const MiB = 1024 * 1024;
/** What `tabcloud build` runs, and the Debian package of each. */
const TOOLS = { make: 'make', clang: 'clang', 'ld.lld': 'lld' };

/** Writes <name>/app.c and <name>/appliance.json under `cwd`; returns the folder. */
export async function createAppliance(name: string, cwd: string): Promise<string> {
  if (!isApplianceId(name)) {
    throw new SdkError(
      `'${name}' cannot name an appliance: use ${ID_RULE} (it becomes the appliance's id, its /vm/<name>/ ` +
        `path and its host name), e.g. tabcloud new my-service`,
    );
  }
  const dir = resolve(cwd, name);
  if (await exists(dir)) {
    throw new SdkError(`${relative(cwd, dir) || dir} already exists: pick another name, or remove it first`);
  }
  const manifest: Manifest = {
    id: name,
    title: name,
    summary: `${name}: an HTTP service in C (GET / answers JSON; GET /data gives back its user-data).`,
    memory: 16 * MiB,
    ports: [80],
    userData: 'json',
  };
  const source = (await readFile(TEMPLATE, 'utf8')).replaceAll('{{name}}', name);
  await mkdir(dir);
  await writeFile(join(dir, 'app.c'), source);
  await writeFile(join(dir, 'appliance.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, '.gitignore'), '.build/\n*.elf\n');
  return dir;
}

/** The manifest of the appliance in `dir`, checked. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, 'appliance.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SdkError(`${file} is missing: is ${dir} an appliance folder? (tabcloud new <name> makes one)`);
  }
  try {
    return parseManifest(text, file);
  } catch (error) {
    throw new SdkError((error as Error).message);
  }
}

export interface Built {
  file: string;
  bytes: number;
  ms: number;
}

/**
 * Compiles the appliance in `dir` (its .c files) against the kernel and the network stack, into <dir>/<id>.elf.
 * Compiler messages go to standard error as the compiler prints them; a failed build rejects with an Error.
 */
export async function buildAppliance(dir: string): Promise<Built> {
  const manifest = await readManifest(dir);
  if (/\s/.test(dir)) throw new SdkError(`${dir}: make cannot build in a path with spaces; move the folder`);
  const sources = (await readdir(dir)).filter((f) => f.endsWith('.c'));
  if (sources.length === 0) throw new SdkError(`${dir} has no .c files to build`);
  const missing = missingPackages(TOOLS);
  if (missing.length > 0) installDebianPackages(missing, 'tabcloud build');
  const file = join(dir, `${manifest.id}.elf`);
  const started = performance.now();
  const args = [
    ...['-s', '-C', join(ROOT, 'images'), `-j${Math.min(availableParallelism(), 8)}`, 'app'],
    ...[`APP_DIR=${dir}`, `APP_ELF=${file}`, `B=${join(dir, '.build')}`],
  ];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('make', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('close', done);
  });
  if (code !== 0) throw new Error(`${basename(file)} was not built: the compiler's messages are above`);
  return { file, bytes: (await stat(file)).size, ms: performance.now() - started };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
