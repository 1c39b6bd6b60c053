// Idle cost: host CPU while three appliances sit booted and idle, against the same process with none.
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { Machine } from '../worker/machine.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

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
  return { name: 'idle', date: new Date().toISOString(), quick, rows };
}
