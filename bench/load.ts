// Load: kv published by `tabcloud run kv -p` (a child process, as a user runs it) on v86 and on QEMU,
// driven by autocannon (cli/load.ts) at 64, 256 and 1024 keep-alive clients, each PUTting a value of its
// own and reading it back; then a soak of mixed PUT/GET/DELETE. Errors must be 0; the guest's own
// figures (the store's free room, TCP rings and HTTP buffers in use) are read from its console before and
// after, and sampled during the soak.
import { spawnSync } from 'node:child_process';
import { kvLoad, startKv, type GuestUsage, type KvService } from '../cli/load.ts';
import type { BenchOptions, BenchResult, Row } from './lib.ts';

const SOAK_CLIENTS = 64;
/** Load before a burst is measured: v86 compiles the guest's hot code to wasm as it first runs it. */
const WARM_UP = { connections: 16, seconds: 3 };
const SOAK_SAMPLE_MS = 30_000;

const hasQemu = (): boolean => spawnSync('sh', ['-c', 'command -v qemu-system-i386']).status === 0;

/** The guest's figures once every client's connection is gone (its side closes a moment later). */
async function settled(kv: KvService): Promise<GuestUsage> {
  let usage = await kv.usage();
  for (let i = 0; i < 50 && (usage.connections > 0 || usage.tcpBuffers > 0); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    usage = await kv.usage();
  }
  return usage;
}

const memory = (before: GuestUsage, after: GuestUsage): string =>
  `store free ${before.storeFreeKiB} → ${after.storeFreeKiB} KiB (${after.storeKeys} keys), rings/buffers in use after ${after.tcpBuffers}/${after.httpBuffers}`;

export async function burst(engine: 'v86' | 'qemu', connections: number, rounds: number): Promise<Row[]> {
  const kv = await startKv(engine);
  try {
    await kvLoad(kv.url, { ...WARM_UP, deletes: true });
    await settled(kv);
    const before = await kv.usage();
    const r = await kvLoad(kv.url, { connections, rounds });
    const after = await settled(kv);
    const what = `kv on ${engine} via -p, ${connections} clients × ${rounds} PUT+GET`;
    if (r.errors) console.error(`${what}: ${r.detail}`); // reported in the row; the tests assert 0
    return [
      {
        metric: `${what}: ${r.errors} errors${r.errors ? ` (${r.detail})` : ''}; ${memory(before, after)}`,
        unit: 'req/s',
        median: r.perSecond,
        p99: r.perSecond,
        runs: 1,
      },
      { metric: `${what}: a request's latency`, unit: 'ms', median: r.p50Ms, p99: r.p99Ms, runs: 1 },
    ];
  } finally {
    await kv.stop();
  }
}

/** Mixed PUT/GET/DELETE for `seconds` on v86; the guest's figures sampled as it runs. */
export async function soak(seconds: number): Promise<Row[]> {
  const kv = await startKv('v86');
  try {
    const before = await kv.usage();
    const samples: GuestUsage[] = [];
    const sampler = setInterval(() => void kv.usage().then((u) => samples.push(u)), SOAK_SAMPLE_MS);
    const r = await kvLoad(kv.url, { connections: SOAK_CLIENTS, seconds, deletes: true }).finally(() =>
      clearInterval(sampler),
    );
    const after = await settled(kv);
    const free = [before, ...samples, after].map((u) => u.storeFreeKiB);
    const what = `soak: kv on v86, ${SOAK_CLIENTS} clients PUT/GET/DELETE for ${seconds} s`;
    if (r.errors) throw new Error(`${what}: ${r.detail}`);
    // Passes cut short by the end of the run leave their keys (one 256-byte chunk each): nothing else may stay.
    const leftKiB = Math.ceil((after.storeKeys * 256) / 1024);
    if (before.storeFreeKiB - after.storeFreeKiB > leftKiB) throw new Error(`${what}: ${memory(before, after)}`);
    return [
      {
        metric: `${what}: ${r.requests} requests, ${r.errors} errors; store free ${Math.min(...free)}..${Math.max(...free)} KiB in ${free.length} samples, ${memory(before, after)}`,
        unit: 'req/s',
        median: r.perSecond,
        p99: r.perSecond,
        runs: 1,
      },
      { metric: `${what}: a request's latency`, unit: 'ms', median: r.p50Ms, p99: r.p99Ms, runs: 1 },
    ];
  } finally {
    await kv.stop();
  }
}

export async function loadBench({ quick }: BenchOptions): Promise<BenchResult> {
  const rows: Row[] = [];
  for (const engine of hasQemu() ? (['v86', 'qemu'] as const) : (['v86'] as const))
    for (const connections of quick ? [64] : [64, 256, 1024])
      rows.push(...(await burst(engine, connections, quick ? 2 : 5)));
  rows.push(...(await soak(quick ? 5 : 600)));
  return { name: 'load', date: new Date().toISOString(), quick, rows };
}
