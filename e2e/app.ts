import type { Page } from '@playwright/test';

/** The text on the appliance's terminal screen. */
export async function terminalText(page: Page): Promise<string> {
  const text = await page.locator('.xterm-rows').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Waits until the page is controlled by the app's service worker (it claims its first tab). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}

/** fetch() from a page: status, JSON-friendly body text, content type, and the sandbox CSP of untrusted content. */
export function call(
  page: Page,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  return page.evaluate(
    async ({ path, init }) => {
      const r = await fetch(path, init);
      const headers = r.headers;
      return {
        status: r.status,
        body: await r.text(),
        type: headers.get('content-type'),
        csp: headers.get('content-security-policy'),
      };
    },
    { path, init },
  );
}
