// The Linux baseline in the page: resumed from its snapshot, its httpd reachable through /vm/linux/.
import { expect, test } from '@playwright/test';
import { waitForServiceWorkerControl } from './app.ts';

test('linux resumes from its snapshot and serves through the gateway', async ({ page, request }) => {
  const built = await request.head('/images/linux.state.gz');
  test.skip(!built.ok(), 'the Linux baseline was not built (Debian packages unreachable)');
  await page.goto('/#/a/linux');
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.status')).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
  await expect(page.locator('.status')).toContainText('resumed from snapshot');
  await expect(page.getByRole('button', { name: 'Cold boot' })).toBeVisible();
  const answer = await page.evaluate(async () => {
    const r = await fetch('/vm/linux/');
    return { status: r.status, body: await r.text() };
  });
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('linux');
});
