// Idle cost: host CPU while three appliances sit booted and idle, against the same process with none; and in
// Chromium, a page with three appliances open against the same page with none.
import { chromium } from '@playwright/test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { Machine } from '../worker/machine.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { open, ORIGIN, preview } from './browser.ts';
import { processTree, row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

const MACHINES = 3;

/** Percent of one core this process used over `ms`, sampled once per second. */
export async function cpuPercent(ms: number): Promise<number[]> {
  const samples: number[] = [];
  const step = Math.min(1000, ms);
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    const start = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, step));
    const used = process.cpuUsage(start);
    samples.push(((used.user + used.system) / 1000 / (performance.now() - t0)) * 100);
  }
  return samples;
}

/** Percent of one core the process tree of `root` used over `ms` (one window: /proc counts in 10 ms ticks). */
async function treeCpuPercent(root: number, ms: number): Promise<number[]> {
  const cpu = async (): Promise<number> =>
    [...(await processTree(root)).values()].reduce((t, p) => t + p.cpuSeconds, 0);
  const before = await cpu();
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return [(((await cpu()) - before) / ((performance.now() - t0) / 1000)) * 100];
}

/** How long a page is left alone before it is measured: a page that just booted appliances settles for seconds. */
const SETTLE_MS = 15_000;

/** Chromium's CPU (every process of the browser) with kv, static and hello open in one page, against none. */
async function chromiumRows(ms: number, settleMs: number): Promise<Row[]> {
  const stop = await preview();
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const pid = server.process().pid!;
    const page = await browser.newPage();
    await page.goto(`${ORIGIN}/#/`);
    await page.waitForTimeout(settleMs);
    const none = await treeCpuPercent(pid, ms);
    for (const id of ['kv', 'static', 'hello']) await open(page, id);
    await page.waitForTimeout(settleMs);
    const three = await treeCpuPercent(pid, ms);
    return [
      row("kv, static and hello booted and idle in one page: Chromium's CPU, all its processes", '% of a core', three, {
        name: 'the page with none',
        samples: none,
      }),
    ];
  } finally {
    await browser.close();
    await server.close();
    stop();
  }
}

export async function idleBench({ quick }: BenchOptions): Promise<BenchResult> {
  const ms = quick ? 1000 : 10_000;
  const baseline = await cpuPercent(ms);
  const rows: Row[] = [];
  for (const appliance of await loadCatalog()) {
    if (appliance.kind === 'linux') continue;
    const machines: Machine[] = [];
    for (let i = 0; i < MACHINES; i++) {
      const machine = createNodeMachine();
      await machine.boot({ appliance }, () => {});
      machines.push(machine);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busy = await cpuPercent(ms);
    await Promise.all(machines.map((m) => m.stop()));
    rows.push(
      row(`${MACHINES} × ${appliance.id} booted and idle`, '% of a core', busy, {
        name: 'no appliance',
        samples: baseline,
      }),
    );
  }
  rows.push(...(await chromiumRows(ms, quick ? 2000 : SETTLE_MS)));
  return { name: 'idle', date: new Date().toISOString(), quick, rows };
}
