// `npm run bench [-- --quick]`: runs every benchmark, writes bench/results/*.json, prints a table.
import { bootBench } from './boot.ts';
import { browserBench } from './browser.ts';
import { idleBench } from './idle.ts';
import { jsBench } from './js.ts';
import { loadBench } from './load.ts';
import { portabilityBench } from './portability.ts';
import { resumeBench } from './resume.ts';
import { sizesBench } from './sizes.ts';
import { save, table, type BenchOptions, type BenchResult } from './lib.ts';

const BENCHES: ((options: BenchOptions) => Promise<BenchResult>)[] = [
  bootBench,
  resumeBench,
  sizesBench,
  idleBench,
  portabilityBench,
  loadBench,
  jsBench,
  browserBench,
];

const options: BenchOptions = { quick: process.argv.includes('--quick') };
const results: BenchResult[] = [];
for (const bench of BENCHES) {
  const result = await bench(options);
  if (!options.quick) await save(result);
  results.push(result);
}
console.log(table(results));
