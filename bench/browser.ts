// In Chromium, against the built app: boot in a worker, and the /vm/ gateway's latency, throughput
// and behaviour under load, each next to the service worker answering by itself.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { loadCatalog } from '../cli/node-host.ts';
import type { Fleet } from '../web/fleet.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

/** The port of the app under test: BENCH_PORT, else E2E_PORT (which keeps parallel runs apart), else 4183. */
const PORT = Number(process.env.BENCH_PORT || process.env.E2E_PORT) || 4183;
export const ORIGIN = `http://127.0.0.1:${PORT}`;

/** Whether a server answers at ORIGIN. */
function answers(): Promise<boolean> {
  return fetch(ORIGIN).then(
    (r) => r.ok,
    () => false,
  );
}

/** Serves dist/ with vite preview until the returned function is called. */
export async function preview(): Promise<() => void> {
  // Never measure whoever else serves on the port: a taken port is an error, before and after the start.
  const taken = `port ${PORT} is taken (another preview?): set BENCH_PORT to a free port`;
  if (await answers()) throw new Error(taken);
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  let exited = false;
  server.on('exit', () => (exited = true));
  for (let i = 0; i < 100; i++) {
    if (exited) throw new Error(`vite preview could not start: ${taken}`);
    if (await answers()) return () => process.kill(-server.pid!);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('vite preview did not start: run npm run build first');
}

/** Opens an appliance and waits until it is ready and the page is controlled by the service worker. */
export async function open(page: Page, id: string): Promise<number> {
  await page.goto(`${ORIGIN}/#/a/${id}`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  return readyIn(page);
}

/** Waits for the open appliance to be ready; its own "ready in" figure (boot() → READY in the worker). */
async function readyIn(page: Page): Promise<number> {
  const status = page.locator('.machine-bar .status');
  await page.locator('.machine-bar .status[data-state="ready"]').waitFor({ timeout: 60_000 });
  return Number(/ready in ([\d.]+) ms/.exec((await status.textContent()) ?? '')?.[1] ?? NaN);
}

/** Cold boots of the open appliance in fresh workers (Restart), so a saved machine does not resume. */
async function restarts(page: Page, runs: number): Promise<number[]> {
  const boots: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByRole('button', { name: 'Restart' }).click();
    boots.push(await readyIn(page));
  }
  return boots;
}

/** How an appliance's start after a reload went: boot() → READY in its worker, and from the page starting that worker. */
interface ReloadStart {
  boot: number;
  fromWorker: number;
}

/**
 * Reloads of the open appliance `name`, alternately resuming the machine the page saved just before and starting
 * with no saved machine (the page then boots it as on its first open): both in a fresh page and a fresh worker.
 */
async function reloads(
  page: Page,
  name: string,
  runs: number,
): Promise<{ resumed: ReloadStart[]; fresh: ReloadStart[] }> {
  const resumed: ReloadStart[] = [];
  const fresh: ReloadStart[] = [];
  for (let i = 0; i < runs; i++) {
    await page.evaluate((name) => (globalThis as unknown as Debug).tabcloud.fleet.get(name)!.save(), name);
    await page.reload();
    resumed.push(await reloadStart(page, name, true));
    await forgetSavedMachine(page, name);
    await page.reload();
    fresh.push(await reloadStart(page, name, false));
  }
  return { resumed, fresh };
}

/** Waits for appliance `name` to be ready after a reload; fails unless it resumed its saved machine iff `resumed`. */
async function reloadStart(page: Page, name: string, resumed: boolean): Promise<ReloadStart> {
  await readyIn(page);
  const { fromSaved, ...start } = await page.evaluate((name) => {
    const appliance = (globalThis as unknown as Debug).tabcloud.fleet.get(name)!;
    const { origin = NaN, host } = appliance.status.timeline;
    const ready = host['ready'] ?? NaN;
    const fromWorker = origin + ready - (appliance.workerStartedAt ?? NaN);
    // Only a save sets savedAt (nothing wrote to the guest since the reload, so no autosave did).
    return { boot: ready, fromWorker, fromSaved: appliance.savedAt !== undefined && 'snapshot-loaded' in host };
  }, name);
  if (fromSaved !== resumed) {
    throw new Error(`${name} ${resumed ? 'booted afresh instead of resuming' : 'resumed'} its saved machine`);
  }
  return start;
}

/** Stops appliance `name` and drops its saved machine from the page's store (web/storage.ts), as if never saved. */
async function forgetSavedMachine(page: Page, name: string): Promise<void> {
  await page.evaluate(async (name) => {
    (globalThis as unknown as Debug).tabcloud.fleet.stop(name);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open('tabcloud');
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const store = db.transaction('appliances', 'readwrite').objectStore('appliances');
    const saved = await new Promise<Record<string, unknown>>((resolve) => {
      store.get(name).onsuccess = (event) => resolve((event.target as IDBRequest).result);
    });
    delete saved.snapshot;
    delete saved.savedAt;
    delete saved.snapshotMemory;
    await new Promise((resolve) => (store.put(saved, name).onsuccess = resolve));
    db.close();
  }, name);
}

/** Boots static with one file of `bytes` bytes as its site, through the page's user-data editor. */
async function bootStaticWith(page: Page, name: string, bytes: number): Promise<void> {
  await open(page, 'static');
  await page.getByLabel('Add files from your computer').setInputFiles({
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(bytes, 0x5a),
  });
  await page.getByRole('button', { name: `Edit ${name}` }).waitFor();
  await page.getByRole('button', { name: 'Apply and reboot' }).click();
  await readyIn(page);
}

/** Latencies in ms of `runs` sequential GETs of `url` from the page. */
function latencies(page: Page, url: string, runs: number): Promise<number[]> {
  return page.evaluate(
    async ({ url, runs }) => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await (await fetch(url)).arrayBuffer();
        out.push(performance.now() - t);
      }
      return out;
    },
    { url, runs },
  );
}

/** `runs` sequential GETs of `target` sent by the page straight to appliance `name`'s worker: ms and body bytes of each. */
function directGets(page: Page, name: string, target: string, runs: number): Promise<{ ms: number; bytes: number }[]> {
  return page.evaluate(
    async ({ name, target, runs }) => {
      const request = { port: 80, method: 'GET', target, headers: [] as [string, string][], body: null };
      const appliance = (globalThis as unknown as Debug).tabcloud.fleet.get(name)!;
      const out: { ms: number; bytes: number }[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const response = await appliance.request(request);
        if (response.status !== 200) throw new Error(`direct GET ${target}: ${response.status}`);
        out.push({ ms: performance.now() - t, bytes: response.body.byteLength });
      }
      return out;
    },
    { name, target, runs },
  );
}

/** Latencies in ms of `runs` GETs page → worker → guest. */
async function directLatencies(page: Page, name: string, target: string, runs: number): Promise<number[]> {
  return (await directGets(page, name, target, runs)).map((get) => get.ms);
}

/** MB/s of `runs` GETs of `bytes` page → worker → guest (the body whole over comlink, no service worker). */
async function directThroughput(page: Page, name: string, target: string, bytes: number, runs: number) {
  const gets = await directGets(page, name, target, runs);
  if (gets.some((get) => get.bytes !== bytes)) throw new Error(`direct GET ${target}: not ${bytes} bytes`);
  return gets.map((get) => bytes / 1e6 / (get.ms / 1000));
}

/**
 * Edit to answer in the js playground: from the key press that runs a new script (Ctrl+Enter in the editor) to the
 * first answer of that script from /vm/js/, compiling and rebooting included; one warm-up run first (the compiler
 * loads). Each run serves a new script, so no compiled bundle is reused.
 */
async function editToAnswer(page: Page, runs: number): Promise<number[]> {
  await open(page, 'js');
  const editor = page.locator('.cm-content');
  const samples: number[] = [];
  for (let i = -1; i < runs; i++) {
    const marker = `run ${i} at ${Date.now()}`;
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(`export default { fetch() { return new Response(${JSON.stringify(marker)}); } };`);
    // The listener is in place before the key is pressed; the polling starts after.
    await page.evaluate(() => {
      const done = new AbortController();
      (globalThis as unknown as Pressed).pressed = new Promise<number>((resolve) => {
        const onKey = (event: KeyboardEvent): void => {
          if (event.key !== 'Enter') return;
          done.abort();
          resolve(event.timeStamp);
        };
        addEventListener('keydown', onKey, { capture: true, signal: done.signal });
      });
    });
    await page.keyboard.press('ControlOrMeta+Enter');
    const ms = await page.evaluate(async (marker) => {
      const pressed = await (globalThis as unknown as Pressed).pressed;
      const fleet = (globalThis as unknown as Debug).tabcloud.fleet;
      const machine = (): number | undefined => fleet.get('js')?.workerStartedAt;
      for (;;) {
        // A request that reached the machine Run is replacing gets no answer once that stops: send it again then. One
        // sent while the new machine boots may get none either (the gateway's 15 s timeout): give up on it after 1 s.
        const sentTo = machine();
        const replaced = new AbortController();
        const watch = setInterval(() => machine() !== sentTo && replaced.abort(), 2);
        const signal = AbortSignal.any([replaced.signal, AbortSignal.timeout(1000)]);
        const body = await fetch('/vm/js/', { signal })
          .then((r) => r.text())
          .catch(() => '')
          .finally(() => clearInterval(watch));
        if (body === marker) return performance.now() - pressed;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }, marker);
    if (i >= 0) samples.push(ms);
  }
  return samples;
}

/** The time of the Enter key that ran the script (editToAnswer). */
interface Pressed {
  pressed: Promise<number>;
}

/** What the page exposes for benchmarks (web/main.ts). */
interface Debug {
  tabcloud: { fleet: Fleet };
}

/**
 * `runs` GETs of `url` typed on appliance `from`'s console (its guest's `fetch` command, a new connection each): the
 * guest's own figure for each, in ms (whole ms: the command prints no finer). Fails on the first error it prints.
 */
function guestFetches(page: Page, from: string, url: string, runs: number): Promise<number[]> {
  return page.evaluate(
    async ({ from, url, runs }) => {
      const appliance = (globalThis as unknown as Debug).tabcloud.fleet.get(from)!;
      let text = '';
      let heard = (): void => {};
      const decoder = new TextDecoder();
      const unsubscribe = appliance.subscribe((event) => {
        if (event.type !== 'serial') return;
        text += decoder.decode(event.data);
        heard();
      });
      const out: number[] = [];
      try {
        for (let i = 0; i < runs; i++) {
          text = '';
          appliance.sendSerial(`fetch ${url}\n`);
          let done: RegExpExecArray | null = null;
          while (!(done = /\n-- \d+ bytes .*, (\d+) ms|\nfetch: (.*)/.exec(text))) {
            await new Promise<void>((resolve) => (heard = resolve));
          }
          if (done[2] !== undefined) throw new Error(`${from}: fetch ${url}: ${done[2]}`);
          out.push(Number(done[1]));
        }
      } finally {
        unsubscribe();
      }
      return out;
    },
    { from, url, runs },
  );
}

/**
 * Appliance-to-appliance GETs on the LAN: static's guest fetching a value from kv by name, with both in one tab and
 * in two tabs (two pages of one browser profile), beside the same GET from the page through /vm/ in the same run.
 */
export async function lanRows(browser: Browser, quick: boolean): Promise<Row[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript('globalThis.__name = (f) => f');
    const runs = quick ? 20 : 300;
    const warm = quick ? 5 : 30;
    await open(page, 'kv');
    await page.evaluate(() => fetch('/vm/kv/keys/tiny', { method: 'PUT', body: 'x' }));
    await latencies(page, '/vm/kv/keys/tiny', warm);
    const viaGateway = await latencies(page, '/vm/kv/keys/tiny', runs);
    const baseline = { name: 'GET via /vm/kv from the page', samples: viaGateway };
    await open(page, 'static');
    await guestFetches(page, 'static', 'http://kv/keys/tiny', warm);
    const sameTab = await guestFetches(page, 'static', 'http://kv/keys/tiny', runs);
    const other = await context.newPage();
    await other.addInitScript('globalThis.__name = (f) => f');
    await open(other, 'static');
    const name = await other.locator('.machine-bar .lan-name').textContent();
    if (!/^static-2 /.test(name ?? '')) throw new Error(`the second tab's static is not static-2 on the LAN: ${name}`);
    await guestFetches(other, 'static', 'http://kv/keys/tiny', warm);
    const twoTabs = await guestFetches(other, 'static', 'http://kv/keys/tiny', runs);
    return [
      row('LAN: GET tiny value, static → kv by name, one tab (guest fetch, new connection)', 'ms', sameTab, baseline),
      row('LAN: GET tiny value, static → kv by name, two tabs (guest fetch, new connection)', 'ms', twoTabs, baseline),
    ];
  } finally {
    await context.close();
  }
}

/** The LAN rows alone (`npm run bench -- --only lan`). */
export async function lanBench({ quick }: BenchOptions): Promise<BenchResult> {
  const stop = await preview();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    return { name: 'lan', date: new Date().toISOString(), quick, rows: await lanRows(browser, quick) };
  } finally {
    await browser.close();
    stop();
  }
}

/** MB/s of `runs` transfers: GET `url`, or PUT `bytes` to it. */
function throughput(page: Page, url: string, bytes: number, upload: boolean, runs: number): Promise<number[]> {
  return page.evaluate(
    async ({ url, bytes, upload, runs }) => {
      const out: number[] = [];
      const body = new Uint8Array(bytes).map((_, i) => i & 0xff);
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const r = await fetch(url, upload ? { method: 'PUT', body } : {});
        const got = (await r.arrayBuffer()).byteLength;
        if (!r.ok || (!upload && got !== bytes)) throw new Error(`transfer failed: ${r.status}, ${got} bytes`);
        out.push(bytes / 1e6 / ((performance.now() - t) / 1000));
      }
      return out;
    },
    { url, bytes, upload, runs },
  );
}

/** `total` PUT+GET+DELETE rounds at `concurrency`: requests/s, p99 latency of a request, errors, mismatched bodies. */
export function load(page: Page, total: number, concurrency: number) {
  return page.evaluate(
    async ({ total, concurrency }) => {
      let next = 0;
      let errors = 0;
      let mismatched = 0;
      const latencies: number[] = [];
      const timed = async (url: string, init?: RequestInit): Promise<{ ok: boolean; text: string }> => {
        const t0 = performance.now();
        const r = await fetch(url, init);
        const text = await r.text();
        latencies.push(performance.now() - t0);
        return { ok: r.ok, text };
      };
      const t = performance.now();
      const worker = async (): Promise<void> => {
        while (next < total) {
          const i = next++;
          const key = `/vm/kv/keys/load${i % 512}-${i}`;
          try {
            const put = await timed(key, { method: 'PUT', body: `v${i}` });
            if (!put.ok) errors++;
            const get = await timed(key);
            if (!get.ok) errors++;
            else if (get.text !== `v${i}`) mismatched++;
            if (!(await timed(key, { method: 'DELETE' })).ok) errors++;
          } catch {
            errors++;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      latencies.sort((a, b) => a - b);
      return {
        perSecond: (total * 3) / ((performance.now() - t) / 1000),
        p50: latencies[Math.max(0, Math.ceil(latencies.length * 0.5) - 1)] ?? 0,
        p99: latencies[Math.max(0, Math.ceil(latencies.length * 0.99) - 1)] ?? 0,
        errors,
        mismatched,
      };
    },
    { total, concurrency },
  );
}

export async function browserBench({ quick }: BenchOptions): Promise<BenchResult> {
  const stop = await preview();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const rows: Row[] = [];
  try {
    const page = await browser.newPage();
    // tsx compiles this file keeping function names with an __name() helper that page.evaluate() bodies lack.
    await page.addInitScript('globalThis.__name = (f) => f');
    for (const appliance of await loadCatalog()) {
      if (appliance.kind === 'linux') continue;
      await open(page, appliance.id);
      const cold = await restarts(page, quick ? 2 : 20);
      rows.push(row(`${appliance.id}: boot → READY (Chromium worker)`, 'ms', cold));
      const { resumed, fresh } = await reloads(page, appliance.id, quick ? 2 : 10);
      for (const [what, key] of [
        ['boot() → READY in the worker', 'boot'],
        ['from the page starting the worker', 'fromWorker'],
      ] as const) {
        rows.push(
          row(
            `${appliance.id}: reload → resumed, ready, ${what} (Chromium)`,
            'ms',
            resumed.map((start) => start[key]),
            { name: 'reload, no saved machine', samples: fresh.map((start) => start[key]) },
          ),
        );
      }
    }
    rows.push(
      row(
        'js: Run (Ctrl+Enter) → first answer of the new script at /vm/js/',
        'ms',
        await editToAnswer(page, quick ? 3 : 20),
      ),
    );
    await open(page, 'kv');
    const runs = quick ? 50 : 1000;
    await page.evaluate(() => fetch('/vm/kv/keys/tiny', { method: 'PUT', body: 'x' }));
    const swTiny = await latencies(page, '/__tabcloud/bytes?n=1', runs);
    const kvTiny = await latencies(page, '/vm/kv/keys/tiny', runs);
    rows.push(
      row('GET tiny value via /vm/kv', 'ms', kvTiny, {
        name: 'SW answers itself',
        samples: swTiny,
      }),
    );
    rows.push(
      row(
        'GET tiny value, page → worker → guest (no SW)',
        'ms',
        await directLatencies(page, 'kv', '/keys/tiny', runs),
        {
          name: 'SW answers itself',
          samples: swTiny,
        },
      ),
    );
    // Latency falls over the first thousands of requests after a boot (v86 compiles the guest's code as it gets hot).
    await latencies(page, '/vm/kv/keys/tiny', quick ? 50 : 2000);
    const swWarm = await latencies(page, '/__tabcloud/bytes?n=1', runs);
    rows.push(
      row(
        `GET tiny value via /vm/kv, after ${quick ? 50 : 2000} more`,
        'ms',
        await latencies(page, '/vm/kv/keys/tiny', runs),
        {
          name: 'SW answers itself',
          samples: swWarm,
        },
      ),
    );
    // kv holds values up to 1 MiB, so 1 MB is the largest download it can serve.
    const n = 1_000_000;
    await page.evaluate((n) => fetch('/vm/kv/keys/blob', { method: 'PUT', body: new Uint8Array(n) }), n);
    const swDown = await throughput(page, `/__tabcloud/bytes?n=${n}`, n, false, 5);
    rows.push(
      row('download 1 MB via /vm/kv', 'MB/s', await throughput(page, '/vm/kv/keys/blob', n, false, 5), {
        name: 'SW serves it',
        samples: swDown,
      }),
    );
    const swUp = await throughput(page, '/__tabcloud/bytes', n, true, 5);
    rows.push(
      row('upload 1 MB via /vm/kv', 'MB/s', await throughput(page, '/vm/kv/keys/up', n, true, 5), {
        name: 'SW takes it',
        samples: swUp,
      }),
    );
    const big = 10 * 1024 * 1024;
    await bootStaticWith(page, 'big.bin', big);
    // One download of each first: the first after a boot runs while v86 compiles the guest's hot paths (15–20 MB/s).
    await throughput(page, `/__tabcloud/bytes?n=${big}`, big, false, 1);
    await throughput(page, '/vm/static/big.bin', big, false, 1);
    const swBig = await throughput(page, `/__tabcloud/bytes?n=${big}`, big, false, quick ? 1 : 3);
    rows.push(
      row(
        'download 10 MiB via /vm/static',
        'MB/s',
        await throughput(page, '/vm/static/big.bin', big, false, quick ? 1 : 3),
        {
          name: 'SW serves it',
          samples: swBig,
        },
      ),
      row(
        'download 10 MiB, page → worker → guest (no SW)',
        'MB/s',
        await directThroughput(page, 'static', '/big.bin', big, quick ? 1 : 3),
        { name: 'SW serves it', samples: swBig },
      ),
    );
    await open(page, 'kv');
    for (const concurrency of quick ? [64] : [64, 256]) {
      const result = await load(page, quick ? 200 : 5000, concurrency);
      const outcome = `${result.errors} errors, ${result.mismatched} mismatched`;
      rows.push(
        {
          metric: `load: PUT/GET/DELETE via /vm/kv at concurrency ${concurrency}, ${outcome}`,
          unit: 'req/s',
          median: result.perSecond,
          p99: result.perSecond,
          runs: 1,
        },
        {
          metric: `load: a request's latency via /vm/kv at concurrency ${concurrency}`,
          unit: 'ms',
          median: result.p50,
          p99: result.p99,
          runs: 1,
        },
      );
      if (result.errors || result.mismatched) throw new Error(`load at ${concurrency}: ${outcome}`);
    }
    // js with its first template (a small JSON API); v86 compiles its hot code over the first hundred requests.
    await open(page, 'js');
    await latencies(page, '/vm/js/?name=bench', quick ? 20 : 300);
    rows.push(
      row('GET via /vm/js, the JSON API template', 'ms', await latencies(page, '/vm/js/?name=bench', runs), {
        name: 'GET tiny value via /vm/kv',
        samples: kvTiny,
      }),
    );
    rows.push(...(await lanRows(browser, quick)));
  } finally {
    await browser.close();
    stop();
  }
  return { name: 'browser', date: new Date().toISOString(), quick, rows };
}
