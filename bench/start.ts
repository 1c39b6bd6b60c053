// Start: an appliance's start when v86 is started once (compiled once, a machine built ahead), each row next to the
// floor it is measured against in the same run: an empty Web Worker's round trip in Chromium, Node's own start-up for
// the CLI, a boot that sets v86 up itself for a warm one. And what a warm machine costs while it waits.
import { chromium, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createNodeMachine, loadCatalog, v86Module } from '../cli/node-host.ts';
import { BlankMachine } from '../worker/emulator.ts';
import type { ApplianceSpec, BootRequest } from '../worker/protocol.ts';
import { machineShape } from '../worker/shape.ts';
import type { Fleet } from '../web/fleet.ts';
import type { SavedAppliance } from '../web/storage.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { preview, ORIGIN } from './browser.ts';
import { cpuPercent } from './idle.ts';
import { collectGarbage, processTree, row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;
/** How long a page sits after loading, or after a boot, before the next start: a user's pause, and the spare's. */
const SETTLE_MS = 1500;
/** How long the pointer rests on a card before the click. */
const HOVER_MS = 300;

/** Wall time in ms of `command args`, to its exit. */
async function wallMs(command: string, args: string[]): Promise<number> {
  const t = performance.now();
  await run(command, args, { cwd: new URL('..', import.meta.url) });
  return performance.now() - t;
}

/** ms from boot() to ready of `appliance` in a fresh Node machine, on a machine built ahead if `warm`. */
async function nodeStart(appliance: ApplianceSpec, warm: boolean, request: Partial<BootRequest> = {}) {
  const machine = createNodeMachine();
  if (warm) await machine.prepare({ shape: machineShape(appliance)! });
  const t = performance.now();
  await machine.boot({ appliance, ...request }, () => {});
  return { ms: performance.now() - t, machine };
}

async function nodeRows(kv: ApplianceSpec, runs: number): Promise<Row[]> {
  const node: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(await wallMs(process.execPath, ['-e', '0']));
    cli.push(await wallMs(process.execPath, ['bin/tabcloud.js', 'run', 'hello', '--until', 'READY']));
  }
  const cold: number[] = [];
  const warm: number[] = [];
  const resumed: number[] = [];
  await v86Module();
  for (let i = 0; i < runs; i++) {
    const first = await nodeStart(kv, false);
    cold.push(first.ms);
    const state = await first.machine.saveState();
    await first.machine.stop();
    const second = await nodeStart(kv, true);
    warm.push(second.ms);
    await second.machine.stop();
    const third = await nodeStart(kv, true, { resume: state });
    resumed.push(third.ms);
    await third.machine.stop();
  }
  return [
    row('npx tabcloud run hello --until READY: wall time', 'ms', cli, { name: 'node -e 0', samples: node }),
    row('kv: boot → READY on a warm machine (Node)', 'ms', warm, { name: 'boot, v86 set up during it', samples: cold }),
    row('kv: saved machine → ready on a warm machine (Node)', 'ms', resumed, {
      name: 'boot on a warm machine',
      samples: warm,
    }),
    ...(await nodeSpareCost(kv, runs < 10)),
  ];
}

/** Resident memory of this process in MiB, after a collection. */
function rssMiB(): number {
  collectGarbage();
  return process.memoryUsage().rss / MiB;
}

/** What a warm machine of kv's shape costs while it waits: resident memory, and CPU against none waiting. */
async function nodeSpareCost(kv: ApplianceSpec, quick: boolean): Promise<Row[]> {
  const wasm = await v86Module();
  const rss: number[] = [];
  for (let i = 0; i < (quick ? 2 : 10); i++) {
    const before = rssMiB();
    const blank = await BlankMachine.build(machineShape(kv)!, wasm);
    rss.push(rssMiB() - before);
    await blank.destroy();
  }
  const ms = quick ? 2000 : 10_000;
  const idle = await cpuPercent(ms);
  const blank = await BlankMachine.build(machineShape(kv)!, wasm);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const waiting = await cpuPercent(ms);
  await blank.destroy();
  return [
    row(`a warm machine waiting (kv: ${kv.memory / MiB} MiB RAM): resident memory (Node)`, 'MiB', rss),
    row('a warm machine waiting: CPU (Node)', '% of a core', waiting, { name: 'none waiting', samples: idle }),
  ];
}

/** What the page exposes for benchmarks (web/main.ts). */
interface Debug {
  tabcloud: { fleet: Fleet; spare: { prepare(): void; discard(): void } };
}

/** ms from fleet.start() (what opening an appliance calls) to its ready status, in the page. */
function startInPage(page: Page, spec: ApplianceSpec, saved: SavedAppliance): Promise<number> {
  return page.evaluate(
    async ({ spec, saved }) => {
      const fleet = (globalThis as unknown as Debug).tabcloud.fleet;
      const t = performance.now();
      const appliance = fleet.start(spec, saved);
      await new Promise<void>((resolve, reject) => {
        appliance.subscribe((event) => {
          if (event.type !== 'status') return;
          if (event.status.state === 'ready') resolve();
          if (event.status.state === 'crashed') reject(new Error(event.status.error?.message));
        });
      });
      return performance.now() - t;
    },
    { spec, saved },
  );
}

/** ms of an empty Web Worker's round trip: started, one message there and back. */
function emptyWorker(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const url = URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data);'], { type: 'text/javascript' }));
    const t = performance.now();
    const worker = new Worker(url);
    await new Promise((resolve) => {
      worker.onmessage = resolve;
      worker.postMessage(1);
    });
    const ms = performance.now() - t;
    worker.terminate();
    URL.revokeObjectURL(url);
    return ms;
  });
}

/** The gallery freshly loaded, left alone for SETTLE_MS. */
async function freshPage(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${ORIGIN}/#/`, { waitUntil: 'load' });
  await page.waitForTimeout(SETTLE_MS);
}

function catalogSaved(spec: ApplianceSpec, name: string, snapshot?: Uint8Array): SavedAppliance {
  return {
    name,
    applianceId: spec.id,
    label: name,
    source: { kind: 'catalog' },
    trusted: true,
    ...(snapshot && { snapshot }),
  };
}

/** A saved machine of `name` as the page stores it (gzip of its snapshot). */
function savedSnapshot(page: Page, name: string): Promise<number[]> {
  return page.evaluate(async (name) => {
    const bytes = await (globalThis as unknown as Debug).tabcloud.fleet.get(name)!.snapshot();
    const gzip = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
    return [...new Uint8Array(await new Response(gzip).arrayBuffer())];
  }, name);
}

/** Sum of the resident memory of a process and its descendants, in MiB (Linux /proc). */
async function treeRss(root: number): Promise<number> {
  return [...(await processTree(root)).values()].reduce((total, p) => total + p.rss, 0) / MiB;
}

async function browserRows(hello: ApplianceSpec, kv: ApplianceSpec, runs: number): Promise<Row[]> {
  const stop = await preview();
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage();
    await page.addInitScript('globalThis.__name = (f) => f');
    const floor: number[] = [];
    const firstHello: number[] = [];
    const firstKv: number[] = [];
    const hovered: number[] = [];
    const later: number[] = [];
    const copied: number[] = [];
    const resumed: number[] = [];
    for (let i = 0; i < runs; i++) {
      await freshPage(page);
      floor.push(await emptyWorker(page));
      firstHello.push(await startInPage(page, hello, catalogSaved(hello, 'hello')));
      await freshPage(page);
      firstKv.push(await startInPage(page, kv, catalogSaved(kv, 'kv')));
      await freshPage(page);
      // A pointer rests on kv's card for a moment, as before a click (the page builds a machine of its shape).
      await page.hover('[data-appliance="kv"] .card-actions a');
      await page.waitForTimeout(HOVER_MS);
      hovered.push(await startInPage(page, kv, catalogSaved(kv, 'kv')));
      for (let n = 2; n <= 4; n++) {
        await page.waitForTimeout(SETTLE_MS);
        later.push(await startInPage(page, kv, catalogSaved(kv, `kv-${n}`)));
      }
      const snapshot = new Uint8Array(await savedSnapshot(page, 'kv-4'));
      await page.waitForTimeout(SETTLE_MS);
      // A copy while kv-4 still runs: its saved address is taken, so the guest asks DHCP for another one.
      copied.push(await startInPage(page, kv, catalogSaved(kv, 'kv-5', snapshot)));
      // kv-4 stopped (say, after a save), then resumed: its address is free again.
      await page.evaluate(() => (globalThis as unknown as Debug).tabcloud.fleet.stop('kv-4'));
      await page.waitForTimeout(SETTLE_MS);
      resumed.push(await startInPage(page, kv, catalogSaved(kv, 'kv-4', snapshot)));
      floor.push(await emptyWorker(page));
    }
    const baseline = { name: 'empty Web Worker round trip', samples: floor };
    const rows = [
      row('hello: first appliance after the page loaded, start → READY (Chromium)', 'ms', firstHello, baseline),
      row(
        'kv: first appliance after the page loaded (spare of hello’s shape), start → READY (Chromium)',
        'ms',
        firstKv,
        baseline,
      ),
      row(
        `kv: first appliance after the page loaded, pointer on its card ${HOVER_MS} ms before, start → READY (Chromium)`,
        'ms',
        hovered,
        baseline,
      ),
      row('kv: 2nd–4th appliance of the page, start → READY (Chromium)', 'ms', later, baseline),
      row('kv: saved machine → ready, 6th appliance of the page, its address free (Chromium)', 'ms', resumed, {
        name: 'kv: 2nd–4th, start → READY',
        samples: later,
      }),
      row(
        'kv: copy of a running machine → ready, 5th appliance of the page, a new address by DHCP (Chromium)',
        'ms',
        copied,
        { name: 'kv: 2nd–4th, start → READY', samples: later },
      ),
    ];
    const pid = server.process().pid!;
    await freshPage(page);
    const withSpare = await treeRss(pid);
    await page.evaluate(() => (globalThis as unknown as Debug).tabcloud.spare.discard());
    await page.waitForTimeout(SETTLE_MS);
    const without = await treeRss(pid);
    rows.push({
      metric: `a warm spare waiting (hello: ${hello.memory / MiB} MiB RAM): Chromium's resident memory, ${without.toFixed(0)} MiB without it`,
      unit: 'MiB',
      median: withSpare - without,
      p99: withSpare - without,
      runs: 1,
    });
    return rows;
  } finally {
    await browser.close();
    await server.close();
    stop();
  }
}

export async function startBench({ quick }: BenchOptions): Promise<BenchResult> {
  const catalog = await loadCatalog();
  const hello = catalog.find((a) => a.id === 'hello')!;
  const kv = catalog.find((a) => a.id === 'kv')!;
  const rows = [...(await nodeRows(kv, quick ? 2 : 10)), ...(await browserRows(hello, kv, quick ? 1 : 8))];
  return { name: 'start', date: new Date().toISOString(), quick, rows };
}
