// The playground's "A service with a database": a js service that keeps its notes in the kv appliance of the
// same LAN, calling it by name with fetch(), and called itself through /vm/js/ like any service.
import { expect, test, type Page } from '@playwright/test';
import { call, waitForServiceWorkerControl } from './app.ts';

const READY = { timeout: 30_000 };

interface Debug {
  tabcloud: { fleet: { get(name: string): { workerStartedAt?: number } | undefined; stop(name: string): void } };
}

/** Opens appliance `name` controlled by the service worker and waits until it is ready. */
async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/#/a/${name}`);
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
}

function bootedAt(page: Page, name: string): Promise<number | undefined> {
  return page.evaluate((name) => (globalThis as unknown as Debug).tabcloud.fleet.get(name)?.workerStartedAt, name);
}

test('the database template keeps notes in kv by name; with kv stopped it answers 503 naming it', async ({ page }) => {
  await open(page, 'kv');
  await open(page, 'js');
  await expect(page.locator('.cm-content')).toBeVisible();
  await page.getByRole('combobox', { name: 'Template' }).selectOption('database');
  await expect(page.locator('.cm-content')).toContainText("const DB = 'http://kv'");
  const before = await bootedAt(page, 'js');
  await page.locator('.playground').getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => bootedAt(page, 'js'), READY).not.toBe(before);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);

  expect(await call(page, '/vm/js/notes')).toMatchObject({ status: 200, body: '[]' });
  const put = await call(page, '/vm/js/notes/first', { method: 'PUT', body: 'written through js ✓' });
  expect(put.status).toBe(201);
  expect(JSON.parse(put.body)).toEqual({ name: 'first', bytes: 22 });
  expect(await call(page, '/vm/js/notes/first')).toMatchObject({ status: 200, body: 'written through js ✓' });
  // The note is an ordinary key of the kv itself.
  expect(await call(page, '/vm/kv/keys/note.first')).toMatchObject({ status: 200, body: 'written through js ✓' });
  expect(JSON.parse((await call(page, '/vm/js/notes')).body)).toEqual(['first']);
  expect((await call(page, '/vm/js/notes/first', { method: 'DELETE' })).status).toBe(204);
  expect((await call(page, '/vm/js/notes/first')).status).toBe(404);

  // kv leaves the LAN: the service's fetch rejects with a TypeError naming kv, and it says so, in seconds.
  await page.evaluate(() => (globalThis as unknown as Debug).tabcloud.fleet.stop('kv'));
  await expect
    .poll(async () => (await call(page, '/vm/js/notes')).body, { timeout: 30_000 })
    .toMatch(/the database is unreachable \(.*kv.*\): start a kv appliance on this network/);
  expect((await call(page, '/vm/js/notes')).status).toBe(503);
});

test('lesson "A service with a database" can be done with its buttons, the template and the API', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/learn/service-with-database');
  const drawer = page.getByRole('complementary', { name: 'A service with a database' });
  await expect(drawer).toBeVisible();
  const status = drawer.getByRole('status');
  const next = drawer.getByRole('button', { name: /^(Next|Finish)$/ });

  await drawer.getByRole('button', { name: 'Boot kv' }).click();
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  await drawer.getByRole('button', { name: 'Open js' }).click();
  await expect(page).toHaveURL(/#\/a\/js$/);
  await expect(status).toContainText('✓ Done', READY);
  await waitForServiceWorkerControl(page);
  await page.getByRole('combobox', { name: 'Template' }).selectOption('database');
  const before = await bootedAt(page, 'js');
  await page.locator('.playground').getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => bootedAt(page, 'js'), READY).not.toBe(before);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  await next.click();

  expect((await call(page, '/vm/js/notes/first', { method: 'PUT', body: 'a line of text' })).status).toBe(201);
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  await drawer.getByRole('button', { name: 'GET /vm/js/notes/first' }).click();
  await expect(drawer).toContainText('GET /vm/js/notes/first: 200');
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  await drawer.getByRole('button', { name: 'GET /vm/kv/keys' }).click();
  await expect(drawer).toContainText('GET /vm/kv/keys: 200');
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  await page.evaluate(() => (globalThis as unknown as Debug).tabcloud.fleet.stop('kv'));
  await expect(status).toContainText('✓ Done', READY);
  await next.click();
  await next.click();
  await expect(drawer).toContainText('Lesson complete');
});
