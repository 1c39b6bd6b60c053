import type { Page } from '@playwright/test';

/** The text on the appliance's terminal screen. */
export async function terminalText(page: Page): Promise<string> {
  const text = await page.locator('.xterm-rows').innerText();
  return text.replace(/\u00a0/g, ' ');
}
