// The page's own performance: Lighthouse (mobile defaults, Debian's Chromium) on the gallery and on an appliance view.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { ORIGIN, preview } from './browser.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

const run = promisify(execFile);

/** The parts of a Lighthouse report read here. */
interface Report {
  categories: { performance: { score: number } };
  audits: Record<string, { numericValue: number }>;
}

/** One Lighthouse run of `url`, performance only. */
async function lighthouse(url: string, dir: string): Promise<Report> {
  const output = join(dir, 'report.json');
  const flags = ['--headless', ...CHROMIUM_ARGS].join(' ');
  const args = [url, `--chrome-path=${CHROMIUM_PATH}`, `--chrome-flags=${flags}`, '--only-categories=performance'];
  await run('npx', ['lighthouse', ...args, '--output=json', `--output-path=${output}`, '--quiet'], {
    cwd: new URL('..', import.meta.url),
  });
  return JSON.parse(await readFile(output, 'utf8')) as Report;
}

export async function lighthouseBench({ quick }: BenchOptions): Promise<BenchResult> {
  const stop = await preview();
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-lighthouse-'));
  const rows: Row[] = [];
  try {
    for (const [page, path] of [
      ['gallery', '/#/'],
      ['kv view', '/#/a/kv'],
    ]) {
      const scores: number[] = [];
      const blocking: number[] = [];
      for (let i = 0; i < (quick ? 1 : 5); i++) {
        const report = await lighthouse(`${ORIGIN}${path}`, dir);
        scores.push(report.categories.performance.score * 100);
        blocking.push(report.audits['total-blocking-time']!.numericValue);
      }
      rows.push(row(`Lighthouse performance, ${page} (mobile)`, 'score', scores));
      rows.push(row(`Lighthouse total blocking time, ${page} (mobile)`, 'ms', blocking));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    stop();
  }
  return { name: 'lighthouse', date: new Date().toISOString(), quick, rows };
}
