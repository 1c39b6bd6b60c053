// The js appliance's playground: a service written in the page, compiled in a worker, run by a unikernel, and
// reachable at /vm/<name>/ from any tab; compile and runtime errors marked at their line; kept, shared, offline.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { call, terminalText, waitForServiceWorkerControl } from './app.ts';
import { createShareLink } from '../web/share-link.ts';
import type { Fleet } from '../web/fleet.ts';

const READY = { timeout: 20_000 };

/** What the page exposes for tests and benchmarks (web/main.ts). */
interface Debug {
  tabcloud: { fleet: Fleet };
}

/** Opens appliance `name` (default the catalog's js) controlled by the service worker, and waits until it is ready. */
async function open(page: Page, name = 'js'): Promise<void> {
  await page.goto(`/#/a/${name}`);
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  await expect(page.locator('.cm-content')).toBeVisible();
}

/** When the worker of appliance `name` was started: a new value means it was rebooted. */
function bootedAt(page: Page, name: string): Promise<number | undefined> {
  return page.evaluate((name) => (globalThis as unknown as Debug).tabcloud.fleet.get(name)?.workerStartedAt, name);
}

/** Does `press` (Run, by button or key) and waits until appliance `name` was rebooted and is ready again. */
async function runAndWait(page: Page, press: () => Promise<void>, name = 'js'): Promise<void> {
  const before = await bootedAt(page, name);
  await press();
  await expect.poll(() => bootedAt(page, name), READY).not.toBe(before);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
}

const clickRun = (page: Page) => () =>
  page.locator('.playground').getByRole('button', { name: 'Run', exact: true }).click();

/** Replaces the editor's text, as typed. */
async function setScript(page: Page, source: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(source);
  await expect(page.locator('.cm-content')).toContainText(source.split('\n')[0]!);
}

async function pickTemplate(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Template' }).selectOption(id);
}

test('with no script of its own, js serves the first template: a JSON API', async ({ page, context }) => {
  await open(page);
  await expect(page.locator('.cm-content')).toContainText('Response.json');
  const answer = await call(page, '/vm/js/hello?name=tab');
  expect(answer.status).toBe(200);
  expect(answer.type).toContain('application/json');
  expect(JSON.parse(answer.body)).toMatchObject({ hello: 'world', method: 'GET', path: '/hello', query: 'tab' });

  // Any tab of this browser reaches it, also by navigating to it.
  const tab = await context.newPage();
  await tab.goto('/vm/js/from-a-tab');
  await expect(tab.locator('body')).toContainText('"path":"/from-a-tab"');
  expect(JSON.parse((await call(tab, '/vm/js/')).body)).toMatchObject({ hello: 'world' });
});

test('other appliances load neither the editor nor the compiler', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto('/#/a/kv');
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect(page.workers().map((w) => w.url())).not.toContainEqual(expect.stringContaining('transpile-worker'));
  expect(requested.filter((url) => /code-editor|transpile-worker/.test(url))).toEqual([]);
});

test('the counter, todo, form and hello templates run and answer end to end', async ({ page, context }) => {
  await open(page);

  await pickTemplate(page, 'counter');
  await expect(page.locator('.cm-content')).toContainText('let count = 0');
  await runAndWait(page, clickRun(page));
  const first = JSON.parse((await call(page, '/vm/js/')).body) as { count: number };
  const second = JSON.parse((await call(page, '/vm/js/')).body) as { count: number };
  expect(second.count).toBe(first.count + 1);

  await pickTemplate(page, 'todos');
  await runAndWait(page, clickRun(page));
  expect(await call(page, '/vm/js/todos')).toMatchObject({ status: 200, body: '[]' });
  const json = { 'content-type': 'application/json' };
  const created = await call(page, '/vm/js/todos', {
    method: 'POST',
    body: '{"title":"write a service"}',
    headers: json,
  });
  expect(created.status).toBe(201);
  expect(JSON.parse(created.body)).toEqual({ id: 1, title: 'write a service', done: false });
  expect((await call(page, '/vm/js/todos', { method: 'POST', body: 'not json', headers: json })).status).toBe(400);
  expect((await call(page, '/vm/js/todos', { method: 'POST', body: '{}', headers: json })).status).toBe(400);
  expect(JSON.parse((await call(page, '/vm/js/todos')).body)).toEqual([
    { id: 1, title: 'write a service', done: false },
  ]);
  expect(JSON.parse((await call(page, '/vm/js/todos/1')).body)).toMatchObject({ id: 1 });
  expect((await call(page, '/vm/js/todos/1', { method: 'DELETE' })).status).toBe(204);
  expect((await call(page, '/vm/js/todos/1', { method: 'DELETE' })).status).toBe(404);
  expect((await call(page, '/vm/js/todos/1', { method: 'PUT', body: '{}' })).status).toBe(404);
  expect((await call(page, '/vm/js/todos', { method: 'PUT', body: '{}' })).status).toBe(405);
  expect((await call(page, '/vm/js/nowhere')).status).toBe(404);

  await pickTemplate(page, 'form');
  await runAndWait(page, clickRun(page));
  // A real form in a real tab: the browser posts it urlencoded, the script reads it with URLSearchParams.
  const tab = await context.newPage();
  await tab.goto('/vm/js/');
  await expect(tab.getByRole('heading', { name: 'Guestbook' })).toBeVisible();
  await tab.getByRole('textbox', { name: 'Your message' }).fill('Hello & <welcome>');
  await tab.getByRole('button', { name: 'Sign' }).click();
  await expect(tab.getByRole('listitem')).toHaveText(['Hello & <welcome>']);
  const posted = await call(page, '/vm/js/', {
    method: 'POST',
    body: 'message=second+one%21',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(posted.type).toContain('text/html');
  expect(posted.body).toContain('<li>second one!</li>');
  expect(posted.body).toContain('Hello &#38; &#60;welcome&#62;');

  await pickTemplate(page, 'hello');
  await runAndWait(page, clickRun(page));
  expect(JSON.parse((await call(page, '/vm/js/')).body)).toMatchObject({ hello: 'world' });
});

test('the timer template logs on the console every second, with no request to wake it', async ({ page }) => {
  await open(page);
  await pickTemplate(page, 'timer');
  await runAndWait(page, clickRun(page));
  await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain('tick 3');
  const { ticks } = JSON.parse((await call(page, '/vm/js/')).body) as { ticks: number };
  expect(ticks).toBeGreaterThanOrEqual(3);
});

test('edit and Run with Ctrl+Enter; a template asks before it replaces unsaved edits', async ({ page }) => {
  await open(page);
  await setScript(
    page,
    [
      'const greeting: string = "edited in the page";',
      'export default {',
      '  async fetch(request: Request) {',
      '    return new Response(`${greeting}: ${request.method}`, { headers: { "x-edited": "yes" } });',
      '  },',
      '};',
    ].join('\n'),
  );
  await expect(page.locator('.script-status')).toContainText('Edited');
  await runAndWait(page, () => page.keyboard.press('ControlOrMeta+Enter'));
  await expect(page.locator('.script-status')).toHaveText('Serving at /vm/js/.');
  expect(await call(page, '/vm/js/')).toMatchObject({ status: 200, body: 'edited in the page: GET' });

  // The script is the appliance's user-data: a reload (which resumes the machine) shows it again.
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  await expect(page.locator('.cm-content')).toContainText('edited in the page');

  await setScript(page, 'export default { fetch() { return new Response("unsaved"); } };');
  page.once('dialog', (dialog) => void dialog.dismiss());
  await pickTemplate(page, 'counter');
  await expect(page.locator('.cm-content')).toContainText('unsaved');
  page.once('dialog', (dialog) => void dialog.accept());
  await pickTemplate(page, 'counter');
  await expect(page.locator('.cm-content')).toContainText('let count = 0');
});

test('a compile error is marked at its line and nothing reboots', async ({ page }) => {
  await open(page);
  const before = await bootedAt(page, 'js');
  await setScript(
    page,
    ['export default {', '  fetch(request: Request) {', '    return 1 +;', '  },', '};'].join('\n'),
  );
  await clickRun(page)();
  await expect(page.locator('.script-problems')).toContainText('Line 3, column 15: Expression expected.');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  await expect(page.locator('.script-status')).toContainText('Not run');
  expect(await bootedAt(page, 'js')).toBe(before);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready');
  // The running script still answers.
  expect(JSON.parse((await call(page, '/vm/js/')).body)).toMatchObject({ hello: 'world' });

  // Fixed, it runs, and the marker goes.
  await setScript(page, 'export default { fetch() { return new Response("fixed"); } };');
  await runAndWait(page, clickRun(page));
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  expect((await call(page, '/vm/js/')).body).toBe('fixed');
});

test('a runtime error answers 500 with its line, which is marked in the editor', async ({ page }) => {
  await open(page);
  await setScript(
    page,
    [
      'interface Order { items: string[] }',
      'export default {',
      '  async fetch(request: Request) {',
      '    const order = (await request.json()) as Order;',
      '    return Response.json({ first: order.items[0].toUpperCase() });',
      '  },',
      '};',
    ].join('\n'),
  );
  await runAndWait(page, clickRun(page));
  const ok = await call(page, '/vm/js/', { method: 'POST', body: '{"items":["tea"]}' });
  expect(JSON.parse(ok.body)).toEqual({ first: 'TEA' });

  const failed = await call(page, '/vm/js/', { method: 'POST', body: '{"items":[]}' });
  expect(failed.status).toBe(500);
  const error = JSON.parse(failed.body) as { error: string; message: string; line: number; column: number };
  expect(error).toMatchObject({ error: 'script-error', line: 5 });
  expect(error.message).toContain('TypeError');
  await expect.poll(() => terminalText(page)).toContain('script error at 5:');
  await expect(page.locator('.script-problems')).toContainText('Line 5');
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  // The marker is on line 5 of the editor (the column is where the statement starts, as the bundle's linemap has it).
  await expect(page.locator('.cm-line').nth(4).locator('.cm-lintRange-error')).toHaveCount(1);
});

/** A fresh browser profile: no saved appliances, no service worker yet. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test('a share link carries the source: the trust prompt shows it, and it serves in another browser', async ({
  page,
  browser,
}) => {
  await open(page);
  const source = 'export default { fetch() { return Response.json({ shared: "by link" }); } };';
  await setScript(page, source);
  await runAndWait(page, clickRun(page));
  await page.getByRole('button', { name: 'Share link with its data' }).click();
  const output = page.getByRole('textbox', { name: 'Share link' });
  await expect(output).toHaveValue(/\?data=/);
  const link = await output.inputValue();

  const other = await freshPage(browser);
  await other.goto(link);
  await waitForServiceWorkerControl(other);
  const prompt = other.locator('.trust-prompt');
  await expect(prompt).toContainText('Write a service from a share link');
  await expect(prompt).toContainText('Its script');
  await expect(prompt.locator('.preview')).toHaveText(source);
  await other.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(other.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect(other.url()).toMatch(/#\/a\/js-2$/);
  await expect(other.locator('.cm-content')).toContainText('by link');
  expect(JSON.parse((await call(other, '/vm/js-2/')).body)).toEqual({ shared: 'by link' });
  await other.context().close();
});

test('an exported file carries the source and the running machine: the import shows the source and resumes', async ({
  page,
  browser,
}) => {
  await open(page);
  await pickTemplate(page, 'counter');
  await runAndWait(page, clickRun(page));
  for (let i = 0; i < 3; i++) await call(page, '/vm/js/');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file' }).click();
  const file = await (await download).path();

  const other = await freshPage(browser);
  await other.goto('/#/');
  await waitForServiceWorkerControl(other);
  await other.getByLabel('Import an appliance file').setInputFiles({
    name: 'js.tabcloud',
    mimeType: 'application/x-tabcloud',
    buffer: await readFile(file),
  });
  await expect(other.locator('.trust-prompt')).toContainText('A running machine');
  await expect(other.locator('.trust-prompt')).toContainText('let count = 0');
  await other.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(other.locator('.machine-bar .status')).toContainText('resumed', READY);
  await expect(other.locator('.cm-content')).toContainText('let count = 0');
  // The machine resumed with its module state: the count goes on.
  expect(JSON.parse((await call(other, '/vm/js-2/')).body)).toMatchObject({ count: 4 });
  await other.context().close();
});

test('a shared script that does not compile stops before booting, says where, and the editor marks it', async ({
  page,
}) => {
  const source = 'export default {\n  fetch() {\n    return new Response("x";\n  },\n};';
  const link = await createShareLink('http://any.example/', 'js', 'data', new TextEncoder().encode(source));
  await page.goto('/' + link.slice(link.indexOf('#')));
  await waitForServiceWorkerControl(page);
  await page.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(page.getByRole('alert')).toContainText('does not compile at line 3, column 28', READY);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'stopped');
  await expect(page.locator('.cm-content')).toContainText('new Response("x";');
  await clickRun(page)();
  await expect(page.locator('.script-problems')).toContainText('Line 3, column 28');
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
});

test('an offline reload resumes the saved machine, its data and its script', async ({ page, context }) => {
  await open(page);
  await pickTemplate(page, 'todos');
  await runAndWait(page, clickRun(page));
  const json = { 'content-type': 'application/json' };
  expect(
    (await call(page, '/vm/js/todos', { method: 'POST', body: '{"title":"offline"}', headers: json })).status,
  ).toBe(201);
  await expect(page.locator('.saved-at')).toContainText('saved', { timeout: 10_000 });

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  await expect(page.locator('.machine-bar .status')).toContainText('resumed');
  expect(JSON.parse((await call(page, '/vm/js/todos')).body)).toEqual([{ id: 1, title: 'offline', done: false }]);
  await expect(page.locator('.cm-content')).toContainText('let todos');
  // Resuming needs no compiling: the compiler's worker is loaded only once the script is edited.
  const compilers = (): number => page.workers().filter((w) => w.url().includes('transpile-worker')).length;
  expect(compilers()).toBe(0);

  // Offline, an edit still compiles (the compiler was precached) and runs.
  await setScript(page, 'export default { fetch() { return new Response("offline edit"); } };');
  await expect.poll(compilers).toBe(1);
  await runAndWait(page, clickRun(page));
  expect((await call(page, '/vm/js/')).body).toBe('offline edit');
});

test('lesson "Your own service in a tab" can be done by pressing its buttons and picking a template', async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 1400, height: 800 });
  await page.goto('/#/learn/your-own-service');
  await waitForServiceWorkerControl(page);
  const drawer = page.getByRole('complementary', { name: 'Your own service in a tab' });
  const status = drawer.getByRole('status');
  const next = drawer.getByRole('button', { name: /^(Next|Finish)$/ });

  await drawer.getByRole('button', { name: 'Open js' }).click();
  await expect(status).toContainText('✓ Done', READY);
  await next.click();
  await next.click();

  await runAndWait(page, () => drawer.getByRole('button', { name: 'Run' }).click());
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  const tab = context.waitForEvent('page');
  await drawer.getByRole('button', { name: 'Open /vm/js/hello?name=tab' }).click();
  await expect((await tab).locator('body')).toContainText('"query":"tab"');
  await expect(status).toContainText('✓ Done');
  await next.click();

  await pickTemplate(page, 'timer');
  await clickRun(page)();
  await expect(status).toContainText('✓ Done', READY);
  await next.click();

  await drawer.getByRole('button', { name: 'Share link with its data' }).click();
  await expect(status).toContainText('✓ Done');
  await next.click();
  await expect(drawer).toContainText('Lesson complete');
});
