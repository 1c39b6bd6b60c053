// Teach and demo: the packet inspector and the boot timeline of the open appliance.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForServiceWorkerControl } from './app.ts';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;

/** Opens appliance `name`, controlled by the service worker, and waits until it is ready. */
async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/#/a/${name}`);
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
}

function fetchStatus(page: Page, path: string, init: { method?: string; body?: string } = {}): Promise<number> {
  return page.evaluate(async ({ path, init }) => (await fetch(path, init)).status, { path, init });
}

/** The accessible names of the frames the list shows now. */
function frameNames(list: Locator): Promise<string[]> {
  return list.getByRole('option').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
}

/** The stages of the boot timeline as shown: [stage id, ms]. */
async function timelineRows(page: Page): Promise<[string, number][]> {
  const rows = page.getByRole('region', { name: 'Boot timeline' }).locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs.map((tr): [string, number] => [
      tr.getAttribute('data-stage') ?? '',
      Number(tr.querySelector('.timeline-ms')?.textContent),
    ]),
  );
}

function expectIncreasing(rows: [string, number][]): void {
  const times = rows.map(([, ms]) => ms);
  expect(times.every((ms, i) => Number.isFinite(ms) && (i === 0 || ms >= times[i - 1]!))).toBe(true);
}

test('a request shows up as ARP, SYN and HTTP lines; filter, layers, hex and a pcap tshark reads', async ({ page }) => {
  await open(page, 'kv');
  expect(await fetchStatus(page, '/vm/kv/keys')).toBe(200);
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  const list = inspector.getByRole('listbox', { name: /Frames/ });
  const filter = inspector.getByRole('searchbox', { name: 'Filter frames' });
  await expect(list.getByRole('option', { name: /HTTP 200 OK/ })).toHaveCount(1);

  await filter.fill('arp');
  await expect.poll(() => frameNames(list)).toContainEqual(expect.stringMatching(/ARP who-has 10\.0\.2\.\d+ tell /));
  await expect.poll(async () => (await frameNames(list)).every((name) => /: ARP /.test(name))).toBe(true);
  await filter.fill('tcp syn');
  await expect.poll(() => frameNames(list)).toContainEqual(expect.stringMatching(/: TCP .*:80 \[SYN\] seq=\d+ win=/));
  // The list redraws shortly after the filter changes: poll until it shows the filtered frames.
  await filter.fill('http');
  await expect.poll(async () => (await frameNames(list)).every((name) => /: HTTP /.test(name))).toBe(true);
  const http = await frameNames(list);
  expect(http).toContainEqual(expect.stringMatching(/to the guest: HTTP GET \/keys$/));
  expect(http).toContainEqual(expect.stringMatching(/from the guest: HTTP 200 OK$/));
  await filter.fill('port 80');
  await expect.poll(async () => (await frameNames(list)).every((name) => /: (TCP|HTTP) /.test(name))).toBe(true);
  await filter.fill('not tcp');
  await expect.poll(async () => (await frameNames(list)).some((name) => /: (TCP|HTTP) /.test(name))).toBe(false);

  await filter.fill('http');
  await list.getByRole('option', { name: /HTTP GET \/keys/ }).click();
  const detail = inspector.getByRole('region', { name: 'Selected frame' });
  await expect(detail.locator('.frame-layer summary')).toHaveText([
    /^Ethernet II, /,
    /^Internet Protocol Version 4, 10\.0\.2\.2 → 10\.0\.2\.15$/,
    /^Transmission Control Protocol, \d+ → 80, /,
    'Hypertext Transfer Protocol: GET /keys HTTP/1.1',
  ]);
  await expect(detail.locator('[data-layer="HTTP"] tr').first()).toHaveText(/Host\s*kv\.tabcloud/);
  // Each layer links to the guest's code that takes it in.
  await expect(detail.locator('[data-layer="TCP"] .layer-source')).toHaveAttribute('href', '#/src/kv/net/tcp_in.c');
  await expect(detail.locator('.frame-hex')).toContainText('47 45 54 20 2f 6b 65 79');
  await detail.locator('[data-layer="HTTP"]').hover();
  await expect(detail.locator('.frame-hex mark').first()).toHaveText(/^47 45\s+54 20/);

  await filter.fill('');
  await list.focus();
  await page.keyboard.press('Home');
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(list).toHaveAttribute('aria-activedescendant', /^frame-/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    inspector.getByRole('button', { name: 'Download pcap' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^kv-.*\.pcap$/);
  if (!hasTshark) {
    test.info().annotations.push({ type: 'skip', description: 'tshark is not installed: the pcap was not read' });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tabcloud-inspector-'));
  try {
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const run = spawnSync('tshark', ['-r', file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/DHCP .*Discover/);
    expect(run.stdout).toMatch(/HTTP \d+ GET \/keys HTTP\/1\.1/);
    expect(run.stdout).toMatch(/HTTP\/1\.1 200 OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  await inspector.getByRole('button', { name: 'Pause' }).click();
  await expect(inspector.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await fetchStatus(page, '/vm/kv/keys');
  await expect(inspector.locator('.inspector-counts')).toContainText(/paused: [1-9]\d* frames not captured/);
  await inspector.getByRole('button', { name: 'Clear' }).click();
  await expect(list.getByRole('option')).toHaveCount(0);
});

test('the boot timeline shows every stage in time order, for hello and for kv', async ({ page, context }) => {
  await open(page, 'hello');
  const hello = await timelineRows(page);
  // v86 is set up during the boot (instantiated, then RAM and devices, while the image loads), or was ahead.
  const setUp = ['wasm-instantiated', 'wasm-ready', 'warm-emulator'];
  const helloSetUp = hello.map(([stage]) => stage).filter((stage) => setUp.includes(stage));
  expect([['warm-emulator'], ['wasm-instantiated', 'wasm-ready']]).toContainEqual(helloSetUp);
  expect(hello.map(([stage]) => stage).filter((stage) => !setUp.includes(stage))).toEqual([
    'worker-start',
    'boot-called',
    'image-loaded',
    'emulator-started',
    'guest-kernel-entry',
    'guest-cpu',
    'guest-time',
    'guest-devices',
    'guest-ready',
    'ready',
  ]);
  expectIncreasing(hello);
  await expect(
    page.getByRole('region', { name: 'Boot timeline' }).getByRole('link', { name: 'clock calibrated' }),
  ).toHaveAttribute('href', '#/src/hello/kernel/time.c');

  await open(page, 'kv');
  await expect.poll(async () => (await timelineRows(page)).map(([stage]) => stage)).toContain('ready');
  expect(await fetchStatus(page, '/vm/kv/')).toBe(200);
  await expect.poll(async () => (await timelineRows(page)).at(-1)?.[0]).toBe('first-request');
  const kv = await timelineRows(page);
  for (const stage of ['emulator-started', 'guest-kernel-entry', 'guest-devices', 'guest-nic', 'guest-dhcp-bound']) {
    expect(kv.map(([id]) => id)).toContain(stage);
  }
  expect(kv.map(([id]) => id).slice(-4)).toEqual(['guest-listening', 'guest-ready', 'ready', 'first-request']);
  expectIncreasing(kv);

  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const timeline = page.getByRole('region', { name: 'Boot timeline' });
  await timeline.getByRole('button', { name: 'Copy timeline' }).click();
  await expect(timeline).toContainText('Copied.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^Key-value store boot timeline, ms since the page started the worker\n/);
  expect(copied).toMatch(/\n\s+[\d.]+\s+\+[\d.]+\s+guest\s+DHCP bound\n/);
});

test('the panels fit at 1280×720 and stack at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, 'kv');
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  const list = await inspector.locator('.frame-list').boundingBox();
  const detail = await inspector.locator('.frame-detail').boundingBox();
  expect(detail!.x).toBeGreaterThan(list!.x + list!.width - 1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(async () => {
      const [l, d] = [
        await inspector.locator('.frame-list').boundingBox(),
        await inspector.locator('.frame-detail').boundingBox(),
      ];
      return d!.y >= l!.y + l!.height - 1 && Math.abs(d!.x - l!.x) < 1;
    })
    .toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('a 10 MB transfer: the list keeps up, few rows in the DOM, old frames dropped, no long freeze', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page, 'kv');
  const mib = 1024 * 1024;
  expect(
    await page.evaluate(async (mib) => {
      const body = new Uint8Array(mib).map((_, i) => i & 0xff);
      return (await fetch('/vm/kv/keys/blob', { method: 'PUT', body })).status;
    }, mib),
  ).toBe(201);
  // The write is saved (a snapshot of the machine) a moment later: let that pass before measuring.
  await expect(page.locator('.saved-at')).toContainText('saved', { timeout: 15_000 });
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await inspector.getByRole('button', { name: 'Clear' }).click();

  const result = await page.evaluate(async (mib) => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    let maxGap = 0;
    let last = performance.now();
    let animating = true;
    const tick = (now: number): void => {
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (animating) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const start = performance.now();
    let bytes = 0;
    for (let i = 0; i < 10; i++) bytes += (await (await fetch('/vm/kv/keys/blob')).arrayBuffer()).byteLength;
    const seconds = (performance.now() - start) / 1000;
    // Let the last batch arrive and be drawn.
    await new Promise((resolve) => setTimeout(resolve, 500));
    animating = false;
    observer.disconnect();
    return { bytes: bytes / mib, seconds, longTasks, maxGap, rows: document.querySelectorAll('.frame-row').length };
  }, mib);
  const counts = (await inspector.locator('.inspector-counts').textContent()) ?? '';
  const [, held, dropped] = /^(\d+) frames.*?(?:(\d+) older frames dropped)?$/.exec(counts) ?? [];
  const frames = Number(held) + Number(dropped ?? 0);
  const report = {
    MiB: result.bytes,
    seconds: Number(result.seconds.toFixed(2)),
    frames,
    framesPerSecond: Math.round(frames / result.seconds),
    longTasks: result.longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...result.longTasks)),
    longestFrameGapMs: Math.round(result.maxGap),
    rowsInDom: result.rows,
    counts,
  };
  console.log(`inspector under a 10 MiB download: ${JSON.stringify(report)}`);
  test.info().annotations.push({ type: 'measurement', description: JSON.stringify(report) });
  expect(result.bytes).toBe(10);
  // kv's card is virtio-net with 64 KiB frames: each 64 KiB of the body is one frame and its ACK (an NE2000's
  // 1500-byte frames made over 7000 of them).
  expect(frames).toBeGreaterThan(((10 * mib) / 65495) * 2);
  expect(result.rows).toBeLessThan(80);
  expect(counts).toMatch(/older frames dropped/);
  // A frozen page, not a slow one: generous, as this machine is shared (typical gaps are 17–70 ms).
  expect(report.longestFrameGapMs).toBeLessThan(1500);
});
