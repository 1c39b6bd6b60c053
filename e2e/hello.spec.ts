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
