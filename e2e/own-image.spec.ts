// An appliance image of one's own in the page: dropped or chosen with its appliance.json, booted untrusted behind the
// trust prompt, called through /vm/, saved, exported, shared in a link with its OS, and bad files refused.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { formatBytes } from '../web/format.ts';
import { call, terminalText, waitForServiceWorkerControl } from './app.ts';

const READY = { timeout: 20_000 };
const MiB = 1024 * 1024;
const TABCLOUD = new URL('../bin/tabcloud.js', import.meta.url).pathname;
/** More of the user's images: catalog images under manifests of the user's own. */
const KV_ELF = readFile(new URL('../public/images/kv.elf', import.meta.url));
const HELLO_ELF = readFile(new URL('../public/images/hello.elf', import.meta.url));
const KV_MANIFEST = { id: 'kv', title: 'My kv', summary: 'kv, built by me.', memory: 20 * MiB, ports: [80] };
const HELLO_MANIFEST = { id: 'hello', title: 'My hello', summary: 'No network.', memory: 16 * MiB, ports: [] };

interface DroppedFile {
  name: string;
  bytes: Uint8Array;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** Drops files on the page as a file manager would: a drop event with a DataTransfer. */
async function drop(page: Page, files: DroppedFile[]): Promise<void> {
  const sent = files.map((file) => ({ name: file.name, base64: Buffer.from(file.bytes).toString('base64') }));
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const file of files) {
      const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name));
    }
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, sent);
}

async function gallery(page: Page): Promise<void> {
  await page.goto('/#/');
  await waitForServiceWorkerControl(page);
}

/** Boots what the trust prompt offers; returns the name it got. */
async function accept(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  return /#\/a\/([^?]+)/.exec(page.url())![1]!;
}

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Opens a (share) link in a fresh browser profile, once the service worker controls it. */
async function openInFreshPage(browser: Browser, link: string): Promise<Page> {
  const page = await freshPage(browser);
  await page.goto(link);
  await waitForServiceWorkerControl(page);
  return page;
}

test.describe('the template, as a user builds it', () => {
  let folder = '';
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    folder = await mkdtemp(join(tmpdir(), 'tabcloud-e2e-'));
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [TABCLOUD, ...args], { cwd: folder });
    await run('new', 'demo');
    await run('build', 'demo');
  });
  test.afterAll(() => rm(folder, { recursive: true, force: true }));

  test('tabcloud new + build, dropped on the page: answers at /vm/demo/, and its image link, with its user-data, in another browser', async ({
    page,
    browser,
  }) => {
    await gallery(page);
    const image = await readFile(join(folder, 'demo', 'demo.elf'));
    await drop(page, [
      { name: 'demo.elf', bytes: image },
      { name: 'appliance.json', bytes: await readFile(join(folder, 'demo', 'appliance.json')) },
    ]);
    await expect(page.locator('.trust-prompt')).toContainText(`a kernel image of ${formatBytes(image.length)}`);
    expect(await accept(page)).toBe('demo');
    const answer = await call(page, '/vm/demo/');
    expect(answer).toMatchObject({ status: 200, csp: 'sandbox allow-scripts allow-forms' });
    expect(JSON.parse(answer.body)).toMatchObject({ appliance: 'demo', hits: 1, data_bytes: 0 });

    await page.getByRole('textbox', { name: 'User-data (JSON)' }).fill('{"from":"the sender"}');
    await page.getByRole('button', { name: 'Apply and reboot' }).click();
    await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
    await page.getByRole('button', { name: 'Share link with its image' }).click();
    const output = page.getByRole('textbox', { name: 'Share link' });
    await expect(output).toHaveValue(/#\/a\/demo\?image=/);
    const link = await output.inputValue();
    expect(link.length).toBeLessThan(64 * 1024);

    const other = await openInFreshPage(browser, link);
    await expect(other.locator('.trust-prompt')).toContainText('the sender');
    expect(await accept(other)).toBe('demo');
    expect(await call(other, '/vm/demo/data')).toMatchObject({ status: 200, body: '{"from":"the sender"}' });
    expect(JSON.parse((await call(other, '/vm/demo/')).body)).toMatchObject({ appliance: 'demo' });
    await other.context().close();
  });
});

test('a dropped .elf with its appliance.json boots untrusted, answers at /vm/, resumes, exports and deletes', async ({
  page,
  browser,
}) => {
  await gallery(page);
  const image = await KV_ELF;
  await drop(page, [
    { name: 'kv.elf', bytes: image },
    { name: 'appliance.json', bytes: json(KV_MANIFEST) },
  ]);
  const prompt = page.locator('.trust-prompt');
  await expect(prompt.getByRole('heading')).toHaveText('My kv from the file kv.elf with appliance.json');
  await expect(prompt).toContainText(`a kernel image of ${formatBytes(image.length)}`);
  await expect(prompt.locator('.manifest')).toContainText('kv, built by me.');
  await expect(prompt.locator('.manifest')).toContainText('20.0 MiB');
  const name = await accept(page);
  expect(name).toBe('kv-2');
  await expect(page.locator('.trust-banner')).toContainText('the file kv.elf');

  expect((await call(page, `/vm/${name}/keys/mine`, { method: 'PUT', body: 'built by me' })).status).toBe(201);
  expect(await call(page, `/vm/${name}/keys/mine`)).toMatchObject({
    status: 200,
    body: 'built by me',
    csp: 'sandbox allow-scripts allow-forms',
  });
  await expect(page.locator('.saved-at')).toContainText('saved', { timeout: 10_000 });
  await page.reload();
  await expect(page.locator('.machine-bar .status')).toContainText('resumed', READY);
  expect(await call(page, `/vm/${name}/keys/mine`)).toMatchObject({ status: 200, body: 'built by me' });
  await page.getByRole('button', { name: 'Trust it' }).click();
  await expect.poll(async () => (await call(page, `/vm/${name}/keys/mine`)).csp).toBeNull();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file' }).click();
  const exported = await readFile(await (await download).path());
  const other = await freshPage(browser);
  await gallery(other);
  await other
    .getByLabel('Import an appliance file')
    .setInputFiles({ name: 'my-kv.tabcloud', mimeType: 'application/x-tabcloud', buffer: exported });
  await expect(other.locator('.trust-prompt')).toContainText(`a kernel image of ${formatBytes(image.length)}`);
  const imported = await accept(other);
  expect(await call(other, `/vm/${imported}/keys/mine`)).toMatchObject({ status: 200, body: 'built by me' });
  await other.context().close();

  await page.goto('/#/');
  const row = page.locator(`.saved-row[data-name="${name}"]`);
  await expect(row).toContainText(`My kv, own image ${formatBytes(image.length)}`);
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.saved-row')).toHaveCount(0);
});

test('an image link: a chosen .elf shared with its OS in a link boots in another browser', async ({
  page,
  browser,
}) => {
  await gallery(page);
  const image = await HELLO_ELF;
  await page.getByLabel('Open an appliance image').setInputFiles([
    { name: 'hello.elf', mimeType: 'application/octet-stream', buffer: Buffer.from(image) },
    { name: 'appliance.json', mimeType: 'application/json', buffer: Buffer.from(json(HELLO_MANIFEST)) },
  ]);
  await expect(page.locator('.trust-prompt')).toContainText('none (no network)');
  await accept(page);
  await expect.poll(() => terminalText(page)).toContain('READY hello');

  for (const button of ['Share link with its image', 'Share this running appliance']) {
    await page.getByRole('button', { name: button }).click();
    const output = page.getByRole('textbox', { name: 'Share link' });
    await expect(output).toHaveValue(/#\/a\/hello\?image=/);
    const link = await output.inputValue();
    expect(link.length).toBeLessThan(64 * 1024);

    const other = await openInFreshPage(browser, link);
    const prompt = other.locator('.trust-prompt');
    await expect(prompt.getByRole('heading')).toHaveText('My hello from a share link');
    await expect(prompt).toContainText(`a kernel image of ${formatBytes(image.length)}`);
    const name = await accept(other);
    expect(name).toBe('hello-2');
    await other.locator('.console-screen').click();
    await other.keyboard.type('uptime\n');
    await expect.poll(() => terminalText(other)).toMatch(/up \d+\.\d+ s/);
    await other.context().close();
  }
});

test('files that are no appliance, or a bad appliance.json, get a clear error and nothing saved changes', async ({
  page,
}) => {
  await page.goto('/#/a/kv');
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect((await call(page, '/vm/kv/keys/safe', { method: 'PUT', body: 'untouched' })).status).toBe(201);
  await expect(page.locator('.saved-at')).toContainText('saved', { timeout: 10_000 });
  await page.goto('/#/');
  await expect(page.locator('.saved-row')).toHaveCount(1);

  const hello = await HELLO_ELF;
  const alert = page.getByRole('alert');
  const cases: [DroppedFile[], RegExp][] = [
    [[{ name: 'app.elf', bytes: json({ not: 'an image' }) }], /app\.elf is not a multiboot i386 ELF .* a text file/],
    [[{ name: 'kv.elf.gz', bytes: gzipSync(await KV_ELF) }], /a gzip file \(decompress it first\)/],
    [
      [
        { name: 'hello.elf', bytes: hello },
        { name: 'appliance.json', bytes: json({ ...HELLO_MANIFEST, memory: 3 }) },
      ],
      /appliance\.json: "memory" must be whole MiB in bytes\. Fix it/,
    ],
    [[{ name: 'appliance.json', bytes: json(HELLO_MANIFEST) }], /appliance\.json alone is no appliance/],
  ];
  for (const [files, message] of cases) {
    await drop(page, files);
    await expect(alert).toHaveText(message);
    await expect(page.locator('.trust-prompt')).toHaveCount(0);
  }

  // Without an appliance.json it gets the defaults, shown before it boots; discarding it keeps nothing.
  await drop(page, [{ name: 'hello.elf', bytes: hello }]);
  await expect(page.locator('.trust-prompt')).toContainText('No appliance.json came with it');
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.locator('.saved-row')).toHaveCount(1);
  await page.goto('/#/a/kv');
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', READY);
  expect(await call(page, '/vm/kv/keys/safe')).toMatchObject({ status: 200, body: 'untouched' });
});
