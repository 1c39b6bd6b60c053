import { expect, test, type Page } from '@playwright/test';
import catalog from '../images/appliances.json' with { type: 'json' };
import type { ApplianceSpec } from '../worker/protocol.ts';
import type { Fleet } from '../web/fleet.ts';
import { call, terminalText, waitForServiceWorkerControl } from './app.ts';

/** What the page exposes for the devtools console and the benchmarks (web/main.ts). */
interface Debug {
  tabcloud: { fleet: Fleet };
}

const kv = (catalog as ApplianceSpec[]).find((a) => a.id === 'kv')!;

/** Starts another kv called `name` in the page; resolves with its timeline's host stages once it is ready. */
function startKv(page: Page, name: string): Promise<string[]> {
  return page.evaluate(
    async ({ spec, name }) => {
      const saved = { name, applianceId: spec.id, label: name, source: { kind: 'catalog' as const }, trusted: true };
      const appliance = (globalThis as unknown as Debug).tabcloud.fleet.start(spec, saved);
      return new Promise<string[]>((resolve, reject) => {
        appliance.subscribe((event) => {
          if (event.type !== 'status') return;
          if (event.status.state === 'ready') resolve(Object.keys(event.status.timeline.host));
          if (event.status.state === 'crashed') reject(new Error(event.status.error?.message));
        });
      });
    },
    { spec: kv, name },
  );
}

/** A GET of /keys on appliance `name`, straight through its worker. */
function keysStatus(page: Page, name: string): Promise<number> {
  return page.evaluate(async (name) => {
    const request = { port: 80, method: 'GET', target: '/keys', headers: [] as [string, string][], body: null };
    return (await (globalThis as unknown as Debug).tabcloud.fleet.get(name)!.request(request)).status;
  }, name);
}

test('a page compiles v86.wasm once (in its first worker) and boots its appliances on it, the later ones on a warm spare', async ({
  page,
}) => {
  const wasmFetches: string[] = [];
  page.on('request', (request) => /v86.*\.wasm/.test(request.url()) && wasmFetches.push(request.url()));
  await page.goto('/#/a/kv');
  await expect.poll(() => terminalText(page)).toContain('READY kv');
  for (const name of ['kv-a', 'kv-b', 'kv-c']) {
    // After a boot the page builds the next machine in the background; a boot that comes first waits for it.
    const stages = await startKv(page, name);
    expect(stages).toContain('warm-emulator');
    expect(stages).not.toContain('wasm-ready');
    expect(await keysStatus(page, name)).toBe(200);
  }
  expect(wasmFetches).toHaveLength(1);
});

/** Reloads the page, waits until kv has resumed its saved machine, and returns the host stages of that boot. */
async function reloadResumed(page: Page): Promise<string[]> {
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.locator('.machine-bar .status')).toContainText('resumed');
  return page.evaluate(() =>
    Object.keys((globalThis as unknown as Debug).tabcloud.fleet.get('kv')!.status.timeline.host),
  );
}

test('a reloaded page resumes its saved kv on a machine built while it loaded, and /vm/kv/ still answers', async ({
  page,
}) => {
  await page.goto('/#/a/kv');
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await waitForServiceWorkerControl(page);
  expect((await call(page, '/vm/kv/keys/kept', { method: 'PUT', body: 'across the reload' })).status).toBe(201);
  await page.evaluate(() => (globalThis as unknown as Debug).tabcloud.fleet.get('kv')!.save());
  const stages = await reloadResumed(page);
  // The page's first worker built the machine before boot() (no v86 set-up in the boot), then restored into it.
  expect(stages.slice(0, 2)).toEqual(['warm-emulator', 'snapshot-loaded']);
  expect(stages).not.toContain('wasm-ready');
  await waitForServiceWorkerControl(page);
  expect(await call(page, '/vm/kv/keys/kept')).toMatchObject({ status: 200, body: 'across the reload' });
});

test('a kv saved with other RAM resumes on a machine its worker built ahead with that RAM', async ({ page }) => {
  await page.goto('/#/');
  await waitForServiceWorkerControl(page);
  // A kv saved when its appliance had 4 MiB more RAM: the page learns that only once it has inflated the machine.
  const bigger = { ...kv, memory: kv.memory + (4 << 20) };
  await page.evaluate(async (spec) => {
    const saved = { name: 'kv', applianceId: 'kv', label: 'kv', source: { kind: 'catalog' as const }, trusted: true };
    const appliance = (globalThis as unknown as Debug).tabcloud.fleet.start(spec, saved);
    await new Promise<void>((resolve) =>
      appliance.subscribe((e) => e.type === 'status' && e.status.state === 'ready' && resolve()),
    );
    await appliance.save();
    location.hash = '#/a/kv';
  }, bigger);
  const stages = await reloadResumed(page);
  expect(stages.slice(0, 2)).toEqual(['warm-emulator', 'snapshot-loaded']);
  expect(stages).not.toContain('warm-emulator-unfit');
  await waitForServiceWorkerControl(page);
  expect((await call(page, '/vm/kv/keys')).status).toBe(200);
});

test.describe('without a service worker, so that the test sees every request', () => {
  test.use({ serviceWorkers: 'block' });

  test('when the spare worker dies, the next boot starts a worker of its own, which builds its machine', async ({
    page,
  }) => {
    let workers = 0;
    // The first appliance's worker loads; the spare started after its boot does not; later ones do.
    await page.route(/\/worker-[\w-]+\.js$/, (route) => (++workers === 2 ? route.abort() : route.continue()));
    await page.goto('/#/a/kv');
    await expect.poll(() => terminalText(page)).toContain('READY kv');
    await expect.poll(() => workers).toBeGreaterThan(1);
    const before = workers;
    const stages = await startKv(page, 'kv-own');
    expect(workers).toBe(before + 1);
    // Its worker was asked for a kv machine as it started, so boot() found one built.
    expect(stages).toContain('warm-emulator');
    expect(await keysStatus(page, 'kv-own')).toBe(200);
    expect(await startKv(page, 'kv-warm')).toContain('warm-emulator');
  });
});

test('a card the pointer rests on while an appliance boots gets its spare only after the boot', async ({ page }) => {
  await page.goto('/#/');
  await expect(page.locator('[data-appliance="hello"]')).toBeVisible();
  const workers = await page.evaluate(
    async ({ spec }) => {
      // Every worker the page starts from now on; the gallery's spare (hello's) waits by the end of the pause.
      const started: number[] = [];
      const NativeWorker = globalThis.Worker;
      globalThis.Worker = class extends NativeWorker {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          started.push(performance.now());
        }
      };
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const before = started.length;
      const saved = { name: 'kv', applianceId: 'kv', label: 'kv', source: { kind: 'catalog' as const }, trusted: true };
      const appliance = (globalThis as unknown as Debug).tabcloud.fleet.start(spec, saved);
      // As when the gallery redraws the card under a resting pointer.
      document.querySelector('[data-appliance="hello"]')!.dispatchEvent(new PointerEvent('pointerenter'));
      const atPointer = started.length - before;
      await new Promise<void>((resolve) =>
        appliance.subscribe((e) => e.type === 'status' && e.status.state === 'ready' && resolve()),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { atPointer, afterBoot: started.length - before - atPointer };
    },
    { spec: kv },
  );
  // The boot took the waiting spare; hello's was started once kv's boot had ended, not as the pointer came.
  expect(workers).toEqual({ atPointer: 0, afterBoot: 1 });
});

test('the gallery is drawn again only when what it shows of an appliance changes, not at each status of a boot', async ({
  page,
}) => {
  await page.goto('/#/');
  await expect(page.locator('[data-appliance="kv"]')).toBeVisible();
  const draws = await page.evaluate(
    async ({ spec }) => {
      const root = document.querySelector('.gallery')!.parentElement!;
      const draws: string[] = [];
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes)
            if (node instanceof HTMLElement && node.matches('.gallery'))
              draws.push(node.querySelector('[data-appliance="kv"] .status')?.textContent ?? 'off');
        }
      }).observe(root, { childList: true });
      const saved = { name: 'kv', applianceId: 'kv', label: 'kv', source: { kind: 'catalog' as const }, trusted: true };
      const appliance = (globalThis as unknown as Debug).tabcloud.fleet.start(spec, saved);
      await new Promise<void>((resolve) =>
        appliance.subscribe((e) => e.type === 'status' && e.status.state === 'ready' && resolve()),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return draws;
    },
    { spec: kv },
  );
  // Booting, then ready with its boot time: the statuses in between change nothing the cards show.
  expect(draws.filter((text) => text !== 'off')).toEqual(['booting', expect.stringMatching(/^ready, booted in/)]);
  await expect(page.locator('[data-appliance="kv"] .status')).toHaveAttribute('data-state', 'ready');
});
