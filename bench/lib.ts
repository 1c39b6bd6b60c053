// Shared by the benchmarks: statistics, results files, the table.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One measured quantity next to its baseline from the same run. */
export interface Row {
  metric: string;
  unit: string;
  median: number;
  p99: number;
  runs: number;
  baseline?: { name: string; median: number; p99: number };
}

export interface BenchResult {
  name: string;
  date: string;
  quick: boolean;
  rows: Row[];
}

export interface BenchOptions {
  quick: boolean;
}

/** The value at quantile q (0..1) of the samples, nearest rank. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) throw new Error('quantile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** A row from samples, with an optional baseline from samples of the same run. */
export function row(
  metric: string,
  unit: string,
  samples: number[],
  baseline?: { name: string; samples: number[] },
): Row {
  const r: Row = { metric, unit, median: quantile(samples, 0.5), p99: quantile(samples, 0.99), runs: samples.length };
  if (baseline) {
    r.baseline = {
      name: baseline.name,
      median: quantile(baseline.samples, 0.5),
      p99: quantile(baseline.samples, 0.99),
    };
  }
  return r;
}

/** A process's figures from /proc/<pid>/stat (Linux): its parent, CPU seconds used, resident bytes. */
export interface ProcessStat {
  ppid: number;
  cpuSeconds: number;
  rss: number;
}

/** The processes of the tree rooted at `root` (root included), by pid. */
export async function processTree(root: number): Promise<Map<number, ProcessStat>> {
  const stats = new Map<number, ProcessStat>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // After the command name: state, ppid, …, utime and stime (fields 14–15, in ticks of 1/100 s), …, rss (pages).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length < 22) continue;
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    stats.set(Number(entry), { ppid: Number(fields[1]), cpuSeconds, rss: Number(fields[21]) * 4096 });
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && inTree(stats.get(pid)?.ppid ?? 0));
  return new Map([...stats].filter(([pid]) => inTree(pid)));
}

/** A full garbage collection now (V8's own `gc`, exposed for this process). */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Writes bench/results/<name>.json. */
export async function save(result: BenchResult): Promise<void> {
  const dir = new URL('results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL(`${result.name}.json`, dir), JSON.stringify(result, null, 2) + '\n');
}

const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

/** The results as a Markdown table: metric, median, p99, baseline, ratio. */
export function table(results: BenchResult[]): string {
  const lines = [
    '| bench | metric | median | p99 | runs | baseline (median) | ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const r of result.rows) {
      const base = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.median)} ${r.unit}` : '';
      const ratio = r.baseline && r.baseline.median !== 0 ? `${fmt(r.median / r.baseline.median)}×` : '';
      lines.push(
        `| ${result.name} | ${r.metric} | ${fmt(r.median)} ${r.unit} | ${fmt(r.p99)} ${r.unit} | ${r.runs} | ${base} | ${ratio} |`,
      );
    }
  }
  return lines.join('\n');
}
