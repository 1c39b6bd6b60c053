// Sizes: each image, the built app by part (raw and gzip), each appliance's snapshot (gzip).
import { readdir, readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { loadCatalog, loadImage } from '../cli/node-host.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { bootToReady } from './boot.ts';
import type { BenchOptions, BenchResult, Row } from './lib.ts';

const DIST = new URL('../dist/', import.meta.url);

/** A row for a size: no spread, so median = p99 = the size. */
function sizeRow(metric: string, bytes: number): Row {
  return { metric, unit: 'KiB', median: bytes / 1024, p99: bytes / 1024, runs: 1 };
}

/** The built app's files grouped by part. */
async function distParts(): Promise<Map<string, Buffer[]>> {
  const parts = new Map<string, Buffer[]>();
  const add = (part: string, bytes: Buffer): void => void parts.set(part, [...(parts.get(part) ?? []), bytes]);
  const files = await readdir(DIST, { recursive: true });
  for (const file of files) {
    const path = new URL(file, DIST);
    if (!(await stat(path)).isFile()) continue;
    const bytes = await readFile(path);
    if (file.endsWith('.wasm')) add('wasm', bytes);
    else if (file.startsWith('images/linux')) add('Linux baseline (kernel, initrd, BIOS, snapshot)', bytes);
    else if (file.startsWith('images/')) add('unikernel images', bytes);
    else if (file.startsWith('source/')) add('C sources (for the source viewer)', bytes);
    else if (/worker.*\.js$/.test(file)) add('worker JS', bytes);
    else if (file.endsWith('.js')) add('page JS', bytes);
    else add('page other (HTML, CSS, icons)', bytes);
  }
  return parts;
}

/** Boots an appliance to READY and saves its state. */
async function snapshot(appliance: ApplianceSpec): Promise<ArrayBuffer> {
  const booted = await bootToReady(appliance, await loadImage(appliance.image));
  const state = await booted.emulator.saveState();
  await booted.destroy();
  return state;
}

export async function sizesBench({ quick }: BenchOptions): Promise<BenchResult> {
  const rows: Row[] = [];
  for (const appliance of await loadCatalog()) {
    // The Linux baseline cold-boots in seconds: its rows come from its own benchmark, not 20 cold boots.
    if (appliance.kind === 'linux') continue;
    rows.push(sizeRow(`${appliance.id}: image`, (await loadImage(appliance.image)).byteLength));
    const state = new Uint8Array(await snapshot(appliance));
    rows.push(
      sizeRow(
        `${appliance.id}: snapshot gzip (raw ${Math.round(state.byteLength / 1024)} KiB)`,
        gzipSync(state).byteLength,
      ),
    );
  }
  const parts = await distParts().catch(() => new Map<string, Buffer[]>());
  for (const [part, files] of parts) {
    const raw = files.reduce((n, f) => n + f.byteLength, 0);
    const gzip = files.reduce((n, f) => n + gzipSync(f, { level: 9 }).byteLength, 0);
    rows.push(sizeRow(`app ${part}: gzip (raw ${Math.round(raw / 1024)} KiB)`, gzip));
  }
  return { name: 'sizes', date: new Date().toISOString(), quick, rows };
}
