// `npm run bench [-- --quick] [-- --only js,browser,lan]`: runs the benchmarks (every one, or those named), writes
// bench/results/*.json, prints a table.
import { bootBench } from './boot.ts';
import { browserBench, lanBench } from './browser.ts';
import { idleBench } from './idle.ts';
import { jsBench } from './js.ts';
import { lighthouseBench } from './lighthouse.ts';
import { loadBench } from './load.ts';
import { nicBench } from './nic.ts';
import { portabilityBench } from './portability.ts';
import { resumeBench } from './resume.ts';
import { sizesBench } from './sizes.ts';
import { startBench } from './start.ts';
import { save, table, type BenchOptions, type BenchResult } from './lib.ts';

const BENCHES: Record<string, (options: BenchOptions) => Promise<BenchResult>> = {
  boot: bootBench,
  resume: resumeBench,
  sizes: sizesBench,
  idle: idleBench,
  portability: portabilityBench,
  nic: nicBench,
  load: loadBench,
  js: jsBench,
  browser: browserBench,
  lan: lanBench,
  start: startBench,
  lighthouse: lighthouseBench,
};

const options: BenchOptions = { quick: process.argv.includes('--quick') };
const at = process.argv.indexOf('--only');
const names = at >= 0 ? (process.argv[at + 1] ?? '').split(',') : Object.keys(BENCHES);
const unknown = names.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`bench: no benchmark ${unknown.join(', ')}; there are ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const results: BenchResult[] = [];
for (const bench of names.map((name) => BENCHES[name]!)) {
  const result = await bench(options);
  if (!options.quick) await save(result);
  results.push(result);
}
console.log(table(results));
