import { expect, test } from '@playwright/test';
import { terminalText, waitForServiceWorkerControl } from './app.ts';

test('the gallery lists hello and boots it', async ({ page }) => {
  await page.goto('/');
  const card = page.locator('[data-appliance="hello"]');
  await expect(card).toContainText('Hello');
  await expect(card).toContainText(/image \d+(\.\d)? KiB/);
  await card.getByRole('link', { name: 'Boot' }).click();
  await expect(page).toHaveURL(/#\/a\/hello$/);
  await expect.poll(() => terminalText(page)).toContain('READY hello');
});

test('image sizes show when the service worker answers from its precache too', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await page.reload();
  for (const id of ['hello', 'kv', 'static']) {
    await expect(page.locator(`[data-appliance="${id}"]`)).toContainText(/image \d+(\.\d)? KiB/);
  }
});

test('hello boots, shows its banner, and answers a command typed in the terminal', async ({ page }) => {
  await page.goto('/#/a/hello');
  await expect.poll(() => terminalText(page)).toContain('READY hello');
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.status')).toContainText(/ready in \d/);
  await page.locator('.console-screen').click();
  await page.keyboard.type('uptime');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/up \d+\.\d+ s/);
});

test('reload reopens the open appliance', async ({ page }) => {
  await page.goto('/#/a/hello');
  await expect.poll(() => terminalText(page)).toContain('READY hello');
  await page.reload();
  await expect(page).toHaveURL(/#\/a\/hello$/);
  await expect.poll(() => terminalText(page)).toContain('READY hello');
});

test('stop and restart', async ({ page }) => {
  await page.goto('/#/a/hello');
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'stopped');
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready');
});

test('an unknown appliance shows a clear error and the gallery', async ({ page }) => {
  await page.goto('/#/a/nosuch');
  await expect(page.getByRole('alert')).toContainText("There is no appliance 'nosuch'");
  await expect(page.locator('[data-appliance="hello"]')).toBeVisible();
});

test('the console measures its glyphs in one layout, not one per glyph, and draws them a cell apart', async ({
  page,
}) => {
  // Counts xterm's own reads of its glyph-measuring elements (web/glyph-widths.ts marks the ones it adds).
  await page.addInitScript(() => {
    const offsetWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth')!;
    const reads = { own: 0, together: 0 };
    Object.assign(globalThis, { glyphReads: reads });
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
      get(this: HTMLElement) {
        if (this.classList.contains('xterm-char-measure-element'))
          reads[this.dataset['batch'] === undefined ? 'own' : 'together']++;
        return offsetWidth.get!.call(this) as number;
      },
    });
  });
  await page.goto('/#/a/hello');
  await expect.poll(() => terminalText(page)).toContain('READY hello');
  const reads = await page.evaluate(
    () => (globalThis as unknown as { glyphReads: { own: number; together: number } }).glyphReads,
  );
  // Opening measures 'W' (its cell) by itself, and a screen drawn before the measurement its blank; the boot output's
  // glyphs (some 50, each a layout when measured one by one) come from the one measurement.
  expect(reads.own).toBeLessThanOrEqual(4);
  expect(reads.together).toBeGreaterThan(90);
  // Measured together, the glyphs keep the widths xterm measures: a row of the boot output with one letter spacing is one
  // span (a glyph of another width would be split off into a span of its own).
  const split = await page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.filter((row) => row.querySelectorAll('span:not(.xterm-cursor)').length > 1).length);
  expect(split).toBe(0);
});
