// Appliances people keep and share: saved machines resume on reload and offline, links carry data or
// a whole running machine, files export and import, and untrusted content stays sandboxed.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { encodeMachine } from '../worker/saved-machine.ts';
import { createShareLink } from '../web/share-link.ts';
import { call, terminalText, waitForServiceWorkerControl } from './app.ts';

const READY = { timeout: 20_000 };

/** Opens appliance `name` in a page controlled by the service worker and waits until it is ready. */
async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/#/a/${name}`);
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
}

/** PUTs values into kv and waits until the page saved the machine. */
async function putValues(page: Page, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    expect((await call(page, `/vm/kv/keys/${key}`, { method: 'PUT', body: value })).status).toBe(201);
  }
  await expect(page.locator('.saved-at')).toContainText('saved', { timeout: 10_000 });
}

/** The guest's uptime in seconds, typed on its console. */
async function uptime(page: Page): Promise<number> {
  await page.locator('.console-screen').click();
  const before = (await terminalText(page)).match(/up \d+\.\d+ s/g)?.length ?? 0;
  await page.keyboard.type('uptime\n');
  await expect.poll(async () => (await terminalText(page)).match(/up \d+\.\d+ s/g)?.length ?? 0).toBe(before + 1);
  const all = (await terminalText(page)).match(/up (\d+\.\d+) s/g)!;
  return Number(/up (\d+\.\d+) s/.exec(all.at(-1)!)![1]);
}

/** Clicks a share button and returns the link it made. */
async function shareLink(page: Page, button: string): Promise<string> {
  await page.getByRole('button', { name: button }).click();
  const output = page.getByRole('textbox', { name: 'Share link' });
  await expect(output).toHaveValue(/^http/);
  return output.inputValue();
}

/** A fresh browser profile: no saved appliances, no service worker yet. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** Boots what a share link carries, after its trust prompt; returns the name it got. */
async function acceptOffer(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { level: 2 })).toContainText('from a share link');
  await page.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  return /#\/a\/([^?]+)/.exec(page.url())![1]!;
}

test('kv values survive a reload: the saved machine resumes', async ({ page }) => {
  await open(page, 'kv');
  await putValues(page, { a: 'one', b: 'two' });
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  await expect(page.locator('.machine-bar .status')).toContainText('resumed');
  expect(await call(page, '/vm/kv/keys/b')).toMatchObject({ status: 200, body: 'two' });
});

test('an offline reload resumes a saved appliance', async ({ page, context }) => {
  await open(page, 'kv');
  await putValues(page, { offline: 'still here' });
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect(await call(page, '/vm/kv/keys/offline')).toMatchObject({ status: 200, body: 'still here' });
});

test('"share this running appliance": the link resumes the same machine in another browser', async ({
  page,
  browser,
}) => {
  await open(page, 'kv');
  await putValues(page, { shared: 'in the link' });
  const upBefore = await uptime(page);
  const link = await shareLink(page, 'Share this running appliance');
  expect(link).toContain('?state=');
  expect(link.length).toBeLessThan(64 * 1024);

  const other = await freshPage(browser);
  await other.goto(link);
  await waitForServiceWorkerControl(other);
  const name = await acceptOffer(other);
  expect(name).toBe('kv-2');
  await expect(other.locator('.machine-bar .status')).toContainText('resumed');
  expect(await call(other, `/vm/${name}/keys/shared`)).toMatchObject({ status: 200, body: 'in the link' });
  expect(await uptime(other)).toBeGreaterThanOrEqual(upBefore);
  await other.context().close();
});

test('static: edited files are served after a reboot, and a data link carries them, sandboxed', async ({
  page,
  browser,
}) => {
  await open(page, 'static');
  expect((await call(page, '/vm/static/')).body).toContain('unikernel');
  const site =
    '<!doctype html><title>pending</title><h1>My site</h1>' +
    '<script>try { indexedDB.open("probe"); document.title = "storage open"; } ' +
    'catch (e) { document.title = "storage blocked: " + e.name; }</script>';
  await page.getByRole('textbox', { name: 'File name' }).fill('index.html');
  await page.getByRole('textbox', { name: 'File content' }).fill(site);
  await page.getByRole('button', { name: 'Add or replace file' }).click();
  await page.getByRole('button', { name: 'Apply and reboot' }).click();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect(await call(page, '/vm/static/')).toMatchObject({ status: 200, body: site, csp: null });

  const link = await shareLink(page, 'Share link with its data');
  expect(link).toContain('?data=');
  const other = await freshPage(browser);
  await other.goto(link);
  await waitForServiceWorkerControl(other);
  await expect(other.locator('.trust-prompt')).toContainText('index.html');
  const name = await acceptOffer(other);
  const response = await call(other, `/vm/${name}/`);
  expect(response).toMatchObject({ status: 200, body: site, csp: 'sandbox allow-scripts allow-forms' });
  const visit = await other.context().newPage();
  await visit.goto(`/vm/${name}/`);
  await expect(visit).toHaveTitle(/storage blocked/);

  await other.getByRole('button', { name: 'Trust it' }).click();
  await expect.poll(async () => (await call(other, `/vm/${name}/`)).csp).toBeNull();
  await other.context().close();
});

test('export, then import into empty storage: the values are back', async ({ page, browser }) => {
  await open(page, 'kv');
  await putValues(page, { exported: 'in a file' });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file' }).click();
  const file = await (await download).path();

  // A fresh profile is storage cleared: no saved appliances, nothing cached.
  page = await freshPage(browser);
  await page.goto('/#/');
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.saved-row')).toHaveCount(0);
  await page.getByLabel('Import an appliance file').setInputFiles({
    name: 'kv.tabcloud',
    mimeType: 'application/x-tabcloud',
    buffer: await readFile(file),
  });
  await expect(page.locator('.trust-prompt')).toContainText('from the file kv.tabcloud');
  await page.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  const name = /#\/a\/([^?]+)/.exec(page.url())![1]!;
  expect(await call(page, `/vm/${name}/keys/exported`)).toMatchObject({ status: 200, body: 'in a file' });
});

test('a broken share link shows an error and leaves saved appliances alone', async ({ page }) => {
  await open(page, 'kv');
  await putValues(page, { safe: 'untouched' });
  const link = await shareLink(page, 'Share this running appliance');
  for (const broken of [link.slice(0, link.length - 40), link.replace('?state=', '?state=!!'), '/#/a/kv?data=AAAA']) {
    await page.goto(broken.replace(/^https?:\/\/[^/]+/, ''));
    await expect(page.getByRole('alert')).toContainText('cannot be opened');
  }
  await page.goto('/#/');
  await expect(page.locator('.saved-row[data-name="kv"]')).toHaveCount(1);
  await open(page, 'kv');
  expect(await call(page, '/vm/kv/keys/safe')).toMatchObject({ status: 200, body: 'untouched' });
});

test('a link whose machine is damaged inside fails at once with what to do, and Restart recovers', async ({ page }) => {
  // Framing and CRC are intact, so the link opens; the v86 state inside is not one.
  const machine = encodeMachine({ state: new Uint8Array(4096).fill(7).buffer, console: new Uint8Array() });
  const link = await createShareLink('http://any.example/', 'kv', 'state', machine);
  await page.goto('/' + link.slice(link.indexOf('#')));
  await waitForServiceWorkerControl(page);
  await page.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(page.getByRole('alert')).toContainText('saved machine is damaged', { timeout: 10_000 });
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'crashed');
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
});
