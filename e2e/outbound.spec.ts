// Calls out to the web from the page: a Linux guest's BusyBox wget and nc through the host's proxy, which fetches
// with the page's fetch(): its own origin, another origin that allows it by CORS and one that does not, the allow-list.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { terminalText, waitForServiceWorkerControl } from './app.ts';

let server: Server;
let foreign = 0;
test.beforeAll(async () => {
  // Another origin: /open allows any origin by CORS; anything else allows no one, so the browser refuses it.
  server = createServer((req, res) => {
    if (req.url === '/open') res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('open to all');
    else res.end('no CORS headers here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  foreign = (server.address() as AddressInfo).port;
});
test.afterAll(() => server.close());

/** Types a line on the guest's shell and waits for the marker its shell prints after it; returns the screen. */
async function shell(page: Page, line: string): Promise<string> {
  const marker = `END-${Math.floor(Math.random() * 1e6)}`;
  const [a, b] = [marker.slice(0, 6), marker.slice(6)];
  await page.keyboard.type(`${line}; echo ${a}""${b}\n`);
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain(marker);
  // The terminal wraps at 80 columns: the text is compared joined.
  return (await terminalText(page)).replaceAll('\n', '');
}

/** `curl -i`: the whole response of one request through the proxy, as nc prints it. */
const raw = (url: string): string =>
  String.raw`printf 'GET ${url} HTTP/1.1\r\nConnection: close\r\n\r\n' | nc 10.0.2.2 80 | grep -v '^[A-Za-z-]*: '`;

/** Skips unless the Linux baseline was built; opens it, ready, with the console focused. */
async function openLinux(page: Page, request: APIRequestContext): Promise<void> {
  const built = await request.head('/images/linux.state.gz');
  test.skip(!built.ok(), 'the Linux baseline was not built (Debian packages unreachable)');
  test.setTimeout(180_000);
  await page.goto('/#/a/linux');
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

test('a trusted guest fetches from the page origin; CORS refusals are 502; the allow-list is 403', async ({
  page,
  baseURL,
  request,
}) => {
  await openLinux(page, request);
  const panel = page.getByRole('region', { name: 'Calls out to the web' });
  await expect(panel).toContainText('On for any host');
  await page.locator('.xterm').click();

  const own = await shell(page, `http_proxy=http://10.0.2.2:80 wget -q -O - ${baseURL}/ | grep -o '<title>[^<]*'`);
  expect(own).toContain('<title>Tabcloud');

  const cors = await shell(page, raw(`http://127.0.0.1:${foreign}/`));
  expect(cors).toContain('HTTP/1.1 502 Bad Gateway');
  expect(cors).toContain('the browser refused (CORS or network): Failed to fetch');

  await panel.getByRole('textbox').fill('example.com, *.example.org');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel).toContainText('On for example.com, *.example.org only.');
  await page.locator('.xterm').click();
  const refused = await shell(page, raw(`${baseURL}/`));
  expect(refused).toContain('HTTP/1.1 403 Forbidden');
  expect(refused).toMatch(/is not on its allow-list \(example\.com, \*\.example\.org\)/);

  await panel.getByRole('textbox').fill('http://bad');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.locator('.outbound-problem')).toContainText("'http://bad' is not a host to allow");
});

test('an appliance from a file calls nothing until it is trusted; then at once it can', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  await openLinux(page, request);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file' }).click();
  const file = await readFile(await (await download).path());

  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto('/#/');
  await waitForServiceWorkerControl(other);
  await other.getByLabel('Import an appliance file').setInputFiles({
    name: 'linux.tabcloud',
    mimeType: 'application/x-tabcloud',
    buffer: file,
  });
  await other.getByRole('button', { name: 'Boot it (sandboxed)' }).click();
  await expect(other.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const panel = other.getByRole('region', { name: 'Calls out to the web' });
  await expect(panel).toContainText('Off until you trust this appliance.');
  await other.locator('.xterm').click();
  const refused = await shell(other, raw(`${baseURL}/`));
  expect(refused).toContain('HTTP/1.1 403 Forbidden');
  expect(refused).toContain('Calls out to the web are off for this appliance: it came from a link or a file');

  await other.getByRole('button', { name: 'Trust it' }).click();
  await expect(panel).toContainText('On for any host');
  await other.locator('.xterm').click();
  const own = await shell(other, `http_proxy=http://10.0.2.2:80 wget -q -O - ${baseURL}/ | grep -o '<title>[^<]*'`);
  expect(own).toContain('<title>Tabcloud');
  await context.close();
});

test("kv's console fetch calls the page's own origin through the proxy, another origin that CORS allows, and gets 502 from one it does not", async ({
  page,
  baseURL,
}) => {
  // Chromium resolves every *.localhost name to this machine: a name with a dot, so the guest's client sends it to
  // the host's proxy (an address literal would go straight to the LAN).
  const origin = baseURL!.replace('127.0.0.1', 'app.localhost');
  await page.goto(`${origin}/#/a/kv`);
  await waitForServiceWorkerControl(page);
  await expect(page.locator('.machine-bar .status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.locator('.xterm').click();
  await page.keyboard.type(`fetch ${origin}/manifest.webmanifest\n`);
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/-- \d+ bytes/);
  const text = (await terminalText(page)).replaceAll('\n', '');
  expect(text).toContain('HTTP/1.1 200 OK');
  expect(text).toContain('"name":"Tabcloud"');

  // Another origin that allows this one by CORS: the call goes through.
  await page.keyboard.type(`fetch http://foreign.localhost:${foreign}/open\n`);
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain('open to all');

  // Another origin that sends no CORS headers: the browser refuses, and the guest hears why.
  await page.keyboard.type(`fetch http://foreign.localhost:${foreign}/\n`);
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain('HTTP/1.1 502 Bad Gateway');
  await expect
    .poll(async () => (await terminalText(page)).replaceAll('\n', ''))
    .toContain(`could not fetch http://foreign.localhost:${foreign}/: the browser refused (CORS or network)`);
});
