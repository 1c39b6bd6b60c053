import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'v8.wasm'] });
await page.goto(process.argv[2]!, { waitUntil: 'load' });
await page.waitForTimeout(3000);
const buf = await browser.stopTracing();
const { traceEvents } = JSON.parse(buf.toString());
// Main thread of the page renderer: the thread with the most RunTask of CrRendererMain.
const names = new Map<string, string>();
for (const e of traceEvents) if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
const main = [...names].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);
const tasks = traceEvents.filter((e: any) => e.ph === 'X' && e.name === 'RunTask' && main.includes(`${e.pid}:${e.tid}`) && e.dur > 8000);
let tbt4 = 0, total = 0;
for (const t of tasks) { tbt4 += Math.max(0, t.dur / 1000 * 4 - 50); total += t.dur / 1000;
 if (process.argv[3] === 'quiet') continue;
  const inner = traceEvents.filter((e: any) => e.ph === 'X' && e.pid === t.pid && e.tid === t.tid && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e !== t && (e.dur ?? 0) > 2000);
  const top = inner.sort((a: any, b: any) => b.dur - a.dur).slice(0, 5).map((e: any) => `${e.name}${e.args?.data?.url ? '(' + String(e.args.data.url).replace(/.*\//, '') + ')' : ''}${e.args?.data?.functionName ? '[' + e.args.data.functionName + ']' : ''}:${(e.dur / 1000).toFixed(1)}`);
  console.log(((t.ts - tasks[0].ts) / 1000).toFixed(0).padStart(6), (t.dur / 1000).toFixed(1).padStart(7), top.join('  '));
}
console.log('tasks>8ms total', total.toFixed(0), 'ms; blocking at 4x', tbt4.toFixed(0), 'ms');
await browser.close();
