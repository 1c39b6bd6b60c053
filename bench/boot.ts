// Boot: new V86 → READY per appliance in Node, against the conventional way to boot the same image
// (SeaBIOS, then GRUB from a CD) and against v86 starting before the guest runs.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, loadImage, v86Module } from '../cli/node-host.ts';
import { ConsoleParser } from '../worker/console-parser.ts';
import { Emulator } from '../worker/emulator.ts';
import { NetLink } from '../worker/net-link.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

const SEABIOS = '/usr/share/seabios/bios-256k.bin';
const VGABIOS = '/usr/share/seabios/vgabios-stdvga.bin';

/** How a conventional VM boots the image: a BIOS, then a boot loader from a CD that loads the kernel. */
interface BootChain {
  bios: ArrayBuffer;
  vgaBios: ArrayBuffer;
  cdrom: ArrayBuffer;
}

async function readBuffer(path: string): Promise<ArrayBuffer> {
  const bytes = await readFile(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** SeaBIOS and a GRUB rescue CD that multiboots `kernel` at once; undefined if grub-mkrescue is missing. */
async function bootChain(appliance: ApplianceSpec, kernel: ArrayBuffer): Promise<BootChain | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-iso-'));
  try {
    await mkdir(join(dir, 'root/boot/grub'), { recursive: true });
    await writeFile(join(dir, 'root/boot/kernel.elf'), new Uint8Array(kernel));
    const menu = `set timeout=0\nmenuentry "${appliance.id}" {\n  multiboot /boot/kernel.elf\n  boot\n}\n`;
    await writeFile(join(dir, 'root/boot/grub/grub.cfg'), menu);
    execFileSync('grub-mkrescue', ['-o', join(dir, 'boot.iso'), join(dir, 'root')], { stdio: 'ignore' });
    return {
      bios: await readBuffer(SEABIOS),
      vgaBios: await readBuffer(VGABIOS),
      cdrom: await readBuffer(join(dir, 'boot.iso')),
    };
  } catch (error) {
    console.error(`boot: no SeaBIOS + GRUB baseline (${(error as Error).message})`);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Boot {
  /** ms from new V86 to READY. */
  host: number;
  /** ms from new V86 to v86's emulator-started: the emulator's own start, before the guest runs. */
  emulatorMs: number;
  /** The guest's own entry → ready, from its @boot line. */
  guest: number;
}

/** A booted appliance with its wire, and how long the boot took. */
export interface Booted extends Boot {
  emulator: Emulator;
  /** Stops the machine and its network. */
  destroy(): Promise<void>;
}

/** Boots once, with the host's network attached; resolves when the guest prints READY <id>. */
export async function bootToReady(
  appliance: ApplianceSpec,
  kernel: ArrayBuffer,
  chain?: BootChain,
  userData?: ArrayBuffer,
): Promise<Booted> {
  const wasm = await v86Module();
  const start = performance.now();
  let guest = NaN;
  let emulator: Emulator | undefined;
  // Network appliances need the host's DHCP server before they print READY.
  const link = new NetLink({ name: appliance.id, deliver: (frame) => emulator?.receiveFrame(frame) });
  let ready: (ms: number) => void = () => {};
  const parser = new ConsoleParser((event) => {
    if (event.type === 'boot-stage' && event.stage === 'ready') guest = event.ms;
    if (event.type === 'ready' && event.name === appliance.id) ready(performance.now() - start);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const readyOrTimeout = new Promise<number>((resolve, reject) => {
    ready = resolve;
    timer = setTimeout(() => reject(new Error(`${appliance.id} did not boot in 30 s`)), 30_000);
  });
  const started = Emulator.start({
    ...(chain ?? { kernel }),
    ...(userData && { initrd: userData }),
    memory: appliance.memory,
    wasm,
    onSerial: (b) => parser.push(b),
    onFrame: (frame) => link.receive(frame),
  }).then((e) => {
    emulator = e;
    return performance.now() - start;
  });
  const [host, emulatorMs] = await Promise.all([readyOrTimeout, started]).finally(() => clearTimeout(timer));
  const booted = emulator!;
  return {
    host,
    guest,
    emulatorMs,
    emulator: booted,
    destroy: async () => {
      link.close();
      await booted.destroy();
    },
  };
}

async function bootOnce(appliance: ApplianceSpec, kernel: ArrayBuffer, chain?: BootChain): Promise<Boot> {
  const booted = await bootToReady(appliance, kernel, chain);
  await booted.destroy();
  return { host: booted.host, guest: booted.guest, emulatorMs: booted.emulatorMs };
}

export async function bootBench({ quick }: BenchOptions): Promise<BenchResult> {
  const runs = quick ? 2 : 20;
  const rows: Row[] = [];
  for (const appliance of await loadCatalog()) {
    // The Linux baseline cold-boots in seconds: its rows come from the resume benchmark.
    if (appliance.kind === 'linux') continue;
    const kernel = await loadImage(appliance.image);
    const chain = await bootChain(appliance, kernel);
    const boots: Boot[] = [];
    const conventional: Boot[] = [];
    for (let i = 0; i < runs; i++) {
      boots.push(await bootOnce(appliance, kernel));
      // A conventional boot takes seconds: a quarter of the runs, alternating.
      if (chain && i % 4 === 0) conventional.push(await bootOnce(appliance, kernel, chain));
    }
    rows.push(
      row(
        `${appliance.id}: new V86 → READY (Node)`,
        'ms',
        boots.map((b) => b.host),
        chain && { name: 'SeaBIOS, then GRUB from a CD', samples: conventional.map((b) => b.host) },
      ),
      row(
        `${appliance.id}: new V86 → emulator running, before the guest (Node)`,
        'ms',
        boots.map((b) => b.emulatorMs),
      ),
      row(
        `${appliance.id}: guest entry → ready`,
        'ms',
        boots.map((b) => b.guest),
      ),
    );
  }
  return { name: 'boot', date: new Date().toISOString(), quick, rows };
}
