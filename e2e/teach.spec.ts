import { expect, test } from '@playwright/test';
import { terminalText } from './app.ts';

// Chromium stops a public site from framing a loopback address (Local Network Access): the embed test serves its
// outer page from a made-up public origin, as if Tabcloud were public too.
test.use({
  launchOptions: [
    async ({ launchOptions }, use) => {
      await use({
        ...launchOptions,
        args: [...(launchOptions.args ?? []), '--disable-features=LocalNetworkAccessChecks'],
      });
    },
    { scope: 'worker' },
  ],
});

test('the source viewer shows the TCP input code of the stack, highlighted, with linkable lines', async ({ page }) => {
  await page.goto('/#/a/kv');
  await page.locator('.machine-bar').getByRole('link', { name: 'Source', exact: true }).click();
  await expect(page).toHaveURL(/#\/src\/kv$/);
  await expect(page.locator('.source-file h3')).toContainText('kv/kv.c');

  await page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: 'tcp_in.c' }).click();
  await expect(page).toHaveURL(/#\/src\/kv\/net\/tcp_in\.c$/);
  const code = page.locator('.source-code');
  await expect(code).toContainText('tcp_input');
  await expect(code.locator('.token.keyword').first()).toBeVisible();
  await expect(code.locator('.token.comment').first()).toBeVisible();

  await page.getByRole('link', { name: 'Line 60', exact: true }).click();
  await expect(page).toHaveURL(/#\/src\/kv\/net\/tcp_in\.c:L60$/);
  await expect(page.locator('#L60')).toHaveClass(/target/);

  // A link straight to a line, as the inspector makes them, opens the file there.
  await page.goto('/#/src/kv/net/tcp_in.c:L120');
  await page.reload();
  await expect(page.locator('#L120')).toHaveClass(/target/);
  await expect(page.locator('#L120')).toBeInViewport();
  await expect(page.getByRole('link', { name: 'Line 120', exact: true })).toHaveAttribute('aria-current', 'location');
});

test('lesson "The web as the platform": a URL in a new tab, a machine in a link, and offline', async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/learn/web-as-platform');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const drawer = page.getByRole('complementary', { name: 'The web as the platform' });
  const status = drawer.getByRole('status');
  const next = drawer.getByRole('button', { name: /^(Next|Finish)$/ });

  await drawer.getByRole('button', { name: 'Boot kv' }).click();
  await expect(status).toContainText('✓ Done', { timeout: 20_000 });
  await next.click();

  const tab = context.waitForEvent('page');
  await drawer.getByRole('button', { name: 'Open /vm/kv/keys' }).click();
  await expect((await tab).locator('body')).toContainText('[');
  await expect(status).toContainText('✓ Done');
  await next.click();

  await drawer.getByRole('button', { name: 'Share this running appliance' }).click();
  await expect(page.getByRole('textbox', { name: 'Share link' })).toHaveValue(/\?state=/);
  await expect(status).toContainText('✓ Done');
  await next.click();

  await context.setOffline(true);
  await expect(status).toContainText('✓ Done');
  await next.click();
  await expect(drawer).toContainText('Lesson complete');
});

test('lesson "A packet\'s journey" can be done by pressing its buttons', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('link', { name: 'Learn' }).click();
  await page.getByRole('link', { name: "Start “A packet's journey”" }).click();
  const drawer = page.getByRole('complementary', { name: "A packet's journey" });
  await expect(drawer).toBeVisible();
  const status = drawer.getByRole('status');
  const next = drawer.getByRole('button', { name: /^(Next|Finish)$/ });

  await drawer.getByRole('button', { name: 'Boot kv' }).click();
  await expect(page).toHaveURL(/#\/a\/kv$/);
  await expect(status).toContainText('✓ Done', { timeout: 20_000 });
  await next.click();

  await drawer.getByRole('button', { name: 'GET /vm/kv/keys' }).click();
  await expect(drawer).toContainText('GET /vm/kv/keys: 200');
  await expect(status).toContainText('✓ Done');
  await next.click();

  await expect(drawer.getByRole('heading', { name: 'ARP: who has that address?' })).toBeVisible();
  await expect(status).toContainText('✓ Done');
  await next.click();

  await drawer.getByRole('button', { name: 'Open tcp_in.c' }).click();
  await expect(page).toHaveURL(/#\/src\/kv\/net\/tcp_in\.c$/);
  await expect(status).toContainText('✓ Done');
  await next.click();

  await expect(status).toContainText('✓ Done');
  await next.click();
  await expect(drawer).toContainText('Lesson complete');
});

test('an appliance can be embedded in another site: console and API work with no service worker or storage', async ({
  page,
  baseURL,
}) => {
  // The frame's own origin gets no storage here, as in a browser that blocks third-party storage.
  await page.addInitScript(() => {
    if (!location.search.includes('embed=1')) return;
    const refuse = (): never => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    Object.defineProperty(window, 'indexedDB', { get: refuse });
    Object.defineProperty(window, 'localStorage', { get: refuse });
    Object.defineProperty(window, 'sessionStorage', { get: refuse });
  });
  await page.route('http://other.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body:
        '<!doctype html><title>Elsewhere</title><h1>A page on another site</h1>' +
        `<iframe src="${baseURL}/?embed=1&panel=api#/a/kv" width="640" height="400"></iframe>`,
    }),
  );
  await page.goto('http://other.test/');
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.status')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect
    .poll(async () => (await frame.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' '))
    .toContain('READY kv');
  await expect(frame.locator('header.top')).toBeHidden();
  await expect(frame.getByRole('alert')).toBeHidden();
  const screen = await frame.locator('.console-screen').boundingBox();
  expect(screen?.width).toBeGreaterThan(300);
  expect(screen?.height).toBeGreaterThan(300);

  const embedded = page.frames().find((f) => f.url().includes('embed=1'))!;
  expect(await embedded.evaluate(() => navigator.serviceWorker === undefined)).toBe(true);
  await expect(frame.getByText('/vm/ URLs are unavailable here')).toBeVisible();

  await frame.getByRole('textbox', { name: 'Path' }).fill('/keys');
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(frame.locator('.api-status')).toHaveAttribute('data-status', '200');
  await expect(frame.locator('.api-body')).toContainText('[');

  await frame.locator('.console-screen').click();
  await page.keyboard.type('uptime');
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => (await frame.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' '))
    .toMatch(/up \d+\.\d+ s/);
});

test('the appliance view gives the code to embed it', async ({ page, baseURL }) => {
  await page.goto('/#/a/hello');
  await expect.poll(() => terminalText(page)).toContain('READY hello');
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const code = await page.getByRole('textbox', { name: 'Embed code' }).inputValue();
  expect(code).toMatch(/^<iframe src="[^"]*" width="640" height="400" title="Hello · Tabcloud"/);
  expect(code).toContain(`src="${baseURL}/?embed=1#/a/hello"`);
});

test('at phone width the lesson drawer sits under the page and its controls are reachable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/#/learn/machine-in-a-tab');
  const drawer = page.getByRole('complementary', { name: 'A machine in a tab' });
  await expect(drawer).toBeVisible();
  const box = await drawer.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  await drawer.getByRole('button', { name: 'Boot hello' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/a\/hello$/);
  await expect(drawer.getByRole('status')).toContainText('✓ Done', { timeout: 20_000 });
  await drawer.getByRole('button', { name: 'Close lesson' }).click();
  await expect(drawer).toBeHidden();
});
