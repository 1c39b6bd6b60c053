// Builds the linux appliance from Debian's i386 packages: the kernel, an initramfs with
// BusyBox and the NIC modules, SeaBIOS (v86 boots a bzImage only through a BIOS), and a
// snapshot of the booted machine. Run by `make -C images`; see images/linux/README.md.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ApplianceSpec } from '../../worker/protocol.ts';
import { applianceNic } from '../../worker/shape.ts';
import { PrivateApt, type DebFile } from './apt.ts';
import { cpio, type CpioEntry } from './cpio.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CACHE = join(HERE, '.cache');
const PUBLIC = join(ROOT, 'public');
const STAMP = join(CACHE, 'build.stamp');
/** The kernel metapackage: it depends on the current kernel of the release. */
const KERNEL_META = 'linux-image-686';
/** The NIC drivers, in load order (dependencies first); /init loads those of the cards present. */
const MODULES = [
  '8390',
  'ne2k-pci',
  'virtio',
  'virtio_ring',
  'virtio_pci_modern_dev',
  'virtio_pci_legacy_dev',
  'virtio_pci',
  'failover',
  'net_failover',
  'virtio_net',
];
/** This folder's files that go into the outputs (a change rebuilds them; the README does not). */
const INPUTS = ['apt.ts', 'build.ts', 'cpio.ts', 'index.html', 'init', 'udhcpc.script'];
/** SeaBIOS as Debian ships it; the 128 KiB build fits below 1 MiB where v86 maps a BIOS. */
const BIOS_IN_PACKAGE = 'usr/share/seabios/bios.bin';
/** Added to the appliance's command line for the snapshot boot: /init stops at `@snapshot`. */
const SNAPSHOT_FLAG = 'tabcloud.snapshot';
const COLD_BOOT_TIMEOUT_MS = 300_000;

/** The files the catalog entry names, relative to public/. */
interface Outputs {
  kernel: string;
  initrd: string;
  bios: string;
  snapshot: string;
}

async function main(): Promise<void> {
  const appliance = catalogEntry();
  const outputs = outputsOf(appliance);
  const apt = new PrivateApt(join(CACHE, 'apt'));
  if (!hasCommand('apt-get') || !hasCommand('dpkg-deb')) return skip('apt-get and dpkg-deb are needed (Debian)');
  const debs = resolve(apt);
  if (typeof debs === 'string') return skip(debs);
  const key = stampKey(debs, appliance);
  if (readIfExists(STAMP) === key && Object.values(outputs).every((f) => existsSync(join(PUBLIC, f)))) {
    return printSizes(outputs, 'up to date');
  }
  const debDir = join(CACHE, 'debs');
  const missing = debs.filter((d) => !existsSync(join(debDir, d.file)));
  if (missing.length) {
    console.log(`linux: downloading ${missing.map((d) => d.file).join(' ')}`);
    try {
      apt.download(
        missing.map((d) => d.package),
        debDir,
      );
    } catch {
      return skip('Debian’s i386 packages cannot be downloaded');
    }
  }
  const [kernel, busybox] = debs as [DebFile, DebFile, DebFile];
  const tree = join(CACHE, 'tree');
  rmSync(tree, { recursive: true, force: true });
  for (const deb of debs) extract(join(debDir, deb.file), tree);

  const kernelVersion = kernel.package.replace(/^linux-image-/, '');
  const moduleDir = join(tree, 'lib', 'modules', kernelVersion);
  const modules = findModules(moduleDir);
  const page = readFileSync(join(HERE, 'index.html'), 'utf8')
    .replaceAll('@KERNEL@', `${kernelVersion} (${kernel.version})`)
    .replaceAll('@KERNEL_PACKAGE@', kernel.package)
    .replaceAll('@BUSYBOX@', busybox.version);
  const initrd = gzipSync(initramfs(readFileSync(join(tree, 'bin', 'busybox')), modules, page), { level: 9 });

  mkdirSync(join(PUBLIC, 'images'), { recursive: true });
  writeFileSync(join(PUBLIC, outputs.kernel), readFileSync(join(tree, 'boot', `vmlinuz-${kernelVersion}`)));
  writeFileSync(join(PUBLIC, outputs.initrd), initrd);
  writeFileSync(join(PUBLIC, outputs.bios), readFileSync(join(tree, BIOS_IN_PACKAGE)));
  rmSync(tree, { recursive: true, force: true });

  console.log(`linux: cold boot to @snapshot (${kernel.package} ${kernel.version}, BusyBox ${busybox.version})`);
  const started = performance.now();
  const state = await bootToSnapshot(appliance, outputs);
  const booted = performance.now() - started;
  writeFileSync(join(PUBLIC, outputs.snapshot), gzipSync(state, { level: 9 }));
  const resumed = await resumeOnce(appliance);
  console.log(
    `linux: cold boot ${(booted / 1000).toFixed(1)} s, snapshot ${mib(state.byteLength)} raw, resumed to READY in ${resumed.toFixed(0)} ms`,
  );
  writeFileSync(STAMP, key);
  printSizes(outputs, 'built');
}

/**
 * The kernel, BusyBox and SeaBIOS packages the index names, or why there are none. They are
 * resolved again when the index is refreshed (daily); in between no apt command runs at all.
 */
function resolve(apt: PrivateApt): DebFile[] | string {
  // One line per package file: package version file sha256 (plain text: the linters skip it).
  const resolved = join(CACHE, 'apt', 'packages.txt');
  if (apt.fresh() && existsSync(resolved)) {
    return readFileSync(resolved, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [name, version, file, sha256] = line.split(' ') as [string, string, string, string];
        return { package: name, version, file, sha256 };
      });
  }
  if (!apt.configure()) return 'no Debian mirror in this machine’s apt sources';
  if (!apt.update()) return 'Debian’s i386 package index cannot be reached';
  try {
    const debs = apt.files([apt.dependency(KERNEL_META), 'busybox-static', 'seabios']);
    writeFileSync(resolved, debs.map((d) => `${d.package} ${d.version} ${d.file} ${d.sha256}\n`).join(''));
    return debs;
  } catch {
    return `the mirror has no ${KERNEL_META}, busybox-static or seabios for i386`;
  }
}

function catalogEntry(): ApplianceSpec {
  const catalog = JSON.parse(readFileSync(join(ROOT, 'images', 'appliances.json'), 'utf8')) as ApplianceSpec[];
  const entry = catalog.find((a) => a.id === 'linux');
  if (!entry) throw new Error('images/appliances.json has no linux entry');
  return entry;
}

function outputsOf(appliance: ApplianceSpec): Outputs {
  const { image, initrd, bios, snapshot } = appliance;
  if (!initrd || !bios || !snapshot) throw new Error('the linux catalog entry needs initrd, bios and snapshot');
  return { kernel: image, initrd, bios, snapshot };
}

/** Everything the outputs are made from: package files, this folder's sources, the catalog entry, v86. */
function stampKey(debs: DebFile[], appliance: ApplianceSpec): string {
  const hash = createHash('sha256');
  for (const deb of debs) hash.update(`${deb.file} ${deb.sha256}\n`);
  for (const file of INPUTS) hash.update(`${file}\n`).update(readFileSync(join(HERE, file)));
  hash.update(JSON.stringify(appliance));
  const v86 = createRequire(import.meta.url).resolve('v86/build/v86.wasm');
  hash.update(readFileSync(join(dirname(v86), '..', 'package.json')));
  hash.update(readFileSync(join(ROOT, 'worker', 'emulator.ts')));
  return hash.digest('hex');
}

function extract(deb: string, to: string): void {
  mkdirSync(to, { recursive: true });
  const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', to, '--no-same-owner'], { input: tar, maxBuffer: 1 << 30 });
}

/** The NIC modules by name (Debian ships them uncompressed). */
function findModules(moduleDir: string): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const file of readdirSync(moduleDir, { recursive: true }) as string[]) {
    const name = basename(file).replace(/\.ko$/, '');
    if (file.endsWith('.ko') && MODULES.includes(name)) found.set(name, readFileSync(join(moduleDir, file)));
  }
  const absent = MODULES.filter((m) => !found.has(m));
  if (absent.length) throw new Error(`the kernel package lacks the modules ${absent.join(', ')}`);
  return found;
}

/** The root file system: BusyBox (its applet links are made by /init), the modules, /init and the page. */
function initramfs(busybox: Uint8Array, modules: Map<string, Uint8Array>, page: string): Uint8Array {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const source = (name: string): Uint8Array => readFileSync(join(HERE, name));
  const dirs = ['bin', 'dev', 'etc', 'lib', 'lib/modules', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'usr/bin'];
  const entries: CpioEntry[] = [
    ...dirs.map((path): CpioEntry => ({ type: 'dir', path: `/${path}` })),
    { type: 'dir', path: '/usr/sbin' },
    { type: 'dir', path: '/www' },
    // The kernel opens /dev/console for /init before anything can mount devtmpfs.
    { type: 'char', path: '/dev/console', major: 5, minor: 1 },
    { type: 'file', path: '/bin/busybox', data: busybox, mode: 0o755 },
    { type: 'symlink', path: '/bin/sh', target: 'busybox' },
    { type: 'file', path: '/init', data: source('init'), mode: 0o755 },
    { type: 'file', path: '/etc/udhcpc.script', data: source('udhcpc.script'), mode: 0o755 },
    { type: 'file', path: '/www/index.html', data: text(page) },
    { type: 'file', path: '/www/1mib.txt', data: text(oneMebibyte()) },
    ...MODULES.map((name): CpioEntry => ({ type: 'file', path: `/lib/modules/${name}.ko`, data: modules.get(name)! })),
  ];
  return cpio(entries);
}

/** 1 MiB for transfer tests: 131072 lines of 8 bytes, "1000000\n" to "1131071\n" (images/linux.test.ts checks it). */
function oneMebibyte(): string {
  const lines: string[] = [];
  for (let n = 1_000_000; n < 1_131_072; n++) lines.push(`${n}\n`);
  return lines.join('');
}

/** Boots the kernel cold until /init prints `@snapshot`, and saves the machine there. */
async function bootToSnapshot(appliance: ApplianceSpec, outputs: Outputs): Promise<Uint8Array> {
  const read = (path: string): ArrayBuffer => toArrayBuffer(readFileSync(join(PUBLIC, path)));
  const snapshot = await import('../boot-to-snapshot.ts');
  return snapshot.bootToSnapshot(
    {
      kernel: read(outputs.kernel),
      bzimage: true,
      initrd: toArrayBuffer(gunzipSync(readFileSync(join(PUBLIC, outputs.initrd)))),
      bios: read(outputs.bios),
      cmdline: `${appliance.cmdline ?? ''} ${SNAPSHOT_FLAG}`.trim(),
      memory: appliance.memory,
      nic: applianceNic(appliance),
    },
    COLD_BOOT_TIMEOUT_MS,
  );
}

/** Resumes the new snapshot the way hosts do, to prove it works; returns ms to READY. */
async function resumeOnce(appliance: ApplianceSpec): Promise<number> {
  const { createNodeMachine } = await import('../../cli/node-host.ts');
  const machine = createNodeMachine();
  let output = '';
  try {
    const status = await machine.boot({ appliance }, (event) => {
      if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
    });
    return status.timeline.host['ready']!;
  } catch (error) {
    throw new Error(`the snapshot does not resume: ${(error as Error).message}\n${output}`, { cause: error });
  } finally {
    await machine.stop();
  }
}

function printSizes(outputs: Outputs, what: string): void {
  for (const path of Object.values(outputs)) {
    const bytes = statSync(join(PUBLIC, path)).size;
    console.log(`${basename(path).padEnd(16)} ${bytes.toLocaleString('en').replaceAll(',', ' ')} bytes`);
  }
  if (what !== 'built') console.log(`linux: ${what}`);
}

function skip(reason: string): void {
  console.log(`linux: skipped, ${reason}; the other appliances are built as usual`);
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

await main();
