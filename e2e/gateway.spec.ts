// The /vm/ gateway: an appliance's API is a URL on the page's origin, for any tab, fetch, iframe or link.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { call, waitForServiceWorkerControl } from './app.ts';

/** Opens the app controlled by its service worker, with kv booted and answering. */
async function bootKv(page: Page): Promise<void> {
  await page.goto('/#/a/kv');
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
}

async function secondTab(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto('/');
  await tab.evaluate(() => navigator.serviceWorker.ready);
  return tab;
}

test('PUT then GET through the gateway from the page, a second tab, an iframe and a navigation', async ({
  page,
  context,
}) => {
  await bootKv(page);
  const put = await call(page, '/vm/kv/keys/greeting', {
    method: 'PUT',
    body: 'hello from a tab',
    headers: { 'content-type': 'text/plain' },
  });
  expect([201, 204]).toContain(put.status);
  expect(await call(page, '/vm/kv/keys/greeting')).toMatchObject({ status: 200, body: 'hello from a tab' });

  const tab = await secondTab(context);
  expect(await call(tab, '/vm/kv/keys/greeting')).toMatchObject({ status: 200, body: 'hello from a tab' });

  await tab.setContent('<iframe src="/vm/kv/keys/greeting"></iframe>');
  await expect(tab.frameLocator('iframe').locator('body')).toHaveText('hello from a tab');

  const nav = await context.newPage();
  await nav.goto('/vm/kv/keys/greeting');
  await expect(nav.locator('body')).toHaveText('hello from a tab');
  const listing = await context.newPage();
  await listing.goto('/vm/kv/keys');
  await expect(listing.locator('body')).toContainText('"greeting"');
});

test('the gateway survives a service worker restart', async ({ page, context }) => {
  await bootKv(page);
  await call(page, '/vm/kv/keys/survivor', { method: 'PUT', body: 'still here' });
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  expect(await call(page, '/vm/kv/keys/survivor')).toMatchObject({ status: 200, body: 'still here' });
});

test('200 requests at concurrency 16 all come back right', async ({ page }) => {
  await bootKv(page);
  const result = await page.evaluate(async () => {
    let next = 0;
    let wrong = 0;
    const worker = async (): Promise<void> => {
      while (next < 200) {
        const i = next++;
        const put = await fetch(`/vm/kv/keys/k${i}`, { method: 'PUT', body: `value ${i}` });
        const get = await fetch(`/vm/kv/keys/k${i}`);
        if (put.status >= 300 || (await get.text()) !== `value ${i}`) wrong++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return wrong;
  });
  expect(result).toBe(0);
});

test('clear errors: not running, port closed, owner tab closed', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  const notRunning = await call(page, '/vm/nosuch/x');
  expect(notRunning.status).toBe(503);
  expect(JSON.parse(notRunning.body)).toMatchObject({ error: 'not-running' });
  const nav = await context.newPage();
  const response = await nav.goto('/vm/nosuch/');
  expect(response?.status()).toBe(503);
  await expect(nav.getByRole('link', { name: 'Open and boot it' })).toHaveAttribute('href', '/#/a/nosuch');

  const owner = await context.newPage();
  await bootKv(owner);
  const closed = await call(page, '/vm/kv:81/');
  expect(closed.status).toBe(502);
  expect(JSON.parse(closed.body)).toMatchObject({ error: 'port-closed' });

  await owner.close();
  const start = Date.now();
  const gone = await call(page, '/vm/kv/keys');
  expect(gone.status).toBe(503);
  expect(Date.now() - start).toBeLessThan(10_000);
});

test('offline: the app, the worker and the image come from the cache, and kv boots and answers', async ({
  page,
  context,
}) => {
  await bootKv(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await call(page, '/vm/kv/keys/offline', { method: 'PUT', body: 'on a plane' });
  expect(await call(page, '/vm/kv/keys/offline')).toMatchObject({ status: 200, body: 'on a plane' });
  await context.setOffline(false);
});

test('the API console sends through the gateway and shows a snippet', async ({ page }) => {
  await bootKv(page);
  const form = page.getByRole('form', { name: 'API console' });
  await form.getByLabel('Method').selectOption('PUT');
  await form.getByLabel('Path').fill('/keys/console');
  await form.getByLabel('Body').fill('typed in the console');
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.locator('.api-status')).toHaveText(/^20[14] /);
  await form.getByLabel('Method').selectOption('GET');
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.locator('.api-body')).toHaveText('typed in the console');
  await expect(form.locator('.snippet')).toContainText("await fetch('/vm/kv/keys/console')");
  await expect(form.getByRole('link', { name: 'open in new tab' })).toHaveAttribute('href', '/vm/kv/keys/console');
});

test('a guest that stops answering gives 504, not a hang', async ({ page }) => {
  await bootKv(page);
  expect((await call(page, '/vm/kv/')).status).toBe(200);
  await page.locator('.console-screen').click();
  await page.keyboard.type('hang');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  const start = Date.now();
  const stuck = await call(page, '/vm/kv/keys');
  expect(stuck.status).toBe(504);
  expect(JSON.parse(stuck.body)).toMatchObject({ error: 'timeout' });
  expect(Date.now() - start).toBeLessThan(16_000);
});
