// Boot: new V86 → READY per appliance in Node, against v86 starting with nothing to run.
import { createRequire } from 'node:module';
import { loadCatalog, loadImage } from '../cli/node-host.ts';
import { ConsoleParser } from '../worker/console-parser.ts';
import { Emulator } from '../worker/emulator.ts';
import { NetLink } from '../worker/net-link.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

const wasmPath = createRequire(import.meta.url).resolve('v86/build/v86.wasm');

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
export async function bootToReady(appliance: ApplianceSpec, kernel: ArrayBuffer): Promise<Booted> {
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
    kernel,
    memory: appliance.memory,
    wasmPath,
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

async function bootOnce(appliance: ApplianceSpec, kernel: ArrayBuffer): Promise<Boot> {
  const booted = await bootToReady(appliance, kernel);
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
    const boots: Boot[] = [];
    for (let i = 0; i < runs; i++) boots.push(await bootOnce(appliance, kernel));
    rows.push(
      row(
        `${appliance.id}: new V86 → READY (Node)`,
        'ms',
        boots.map((b) => b.host),
        { name: 'v86 starting, before the guest runs', samples: boots.map((b) => b.emulatorMs) },
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
