// Calls out to the web from the CLI and from a machine in Node, with real clients: the appliances' own HTTP client
// (the console's `fetch`) and a Linux guest's BusyBox wget and nc, through the host's proxy (worker/net/proxy.ts),
// Node's fetch out to a server on this machine's loopback.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { outboundFetch } from '../worker/outbound-fetch.ts';
import { createNodeMachine, imagePath, loadCatalog } from './node-host.ts';
import { tabcloud } from './testing.ts';

const linux = (await loadCatalog()).find((a) => a.id === 'linux');
const built = linux?.snapshot !== undefined && existsSync(imagePath(linux.snapshot));
const skip = built ? false : 'the Linux baseline was not built (Debian packages unreachable)';

const seen: string[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (part: Buffer) => (body += part.toString()));
  req.on('end', () => {
    seen.push(`${req.method} ${req.url} ${req.headers['user-agent']}${body && ` ${body}`}`);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`hello from the loopback, ${req.url}\n`);
  });
});
let port = 0;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

/** Types a shell line on the Linux guest's console; returns the run once the line's end marker shows. */
function onLinux(line: string, ...flags: string[]) {
  // The marker is computed by the guest's shell, so the echo of the typed line does not end the run.
  const input = `${line}; echo END-$((6*7))\n`;
  return tabcloud(['run', 'linux', ...flags, '--until', '^END-42', '--timeout', '120'], { input });
}

const PROXY = 'http_proxy=http://10.0.2.2:80';

test("kv's console fetch reaches example.test through the proxy; the policy applies while it runs", async () => {
  const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;
  // Node's fetch, with example.test standing for this machine's loopback server (there is no DNS here).
  const machine = createNodeMachine({
    fetch: outboundFetch('node', (url, init) =>
      fetch(String(url).replace(/^http:\/\/example\.test\//, `http://127.0.0.1:${port}/`), init),
    ),
  });
  let output = '';
  const howToAllow = 'run tabcloud with --allow-net=<host>';
  await machine.boot({ appliance: kv, outbound: { allow: ['example.test'], howToAllow } }, (event) => {
    if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
  });
  /** Types a fetch command; resolves with what it printed once its summary or error line came. */
  const fetchOnConsole = async (args: string): Promise<string> => {
    const from = output.length;
    machine.sendSerial(`fetch ${args}\n`);
    for (const start = Date.now(); Date.now() - start < 30_000;) {
      const printed = output.slice(from);
      if (/^(-- \d+ bytes|fetch: ).*$/m.test(printed)) return printed.replaceAll('\r', '');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`fetch ${args} never ended:\n${output.slice(from)}`);
  };
  try {
    const get = await fetchOnConsole('http://example.test/hello');
    assert.match(get, /^HTTP\/1\.1 200 OK$/m);
    assert.match(get, /^hello from the loopback, \/hello$/m);
    assert.ok(seen.includes('GET /hello tabcloud/kv'), seen.join('\n'));
    const post = await fetchOnConsole(`-d {"n":1} http://example.test/items`);
    assert.match(post, /^HTTP\/1\.1 200 OK$/m);
    assert.ok(seen.includes('POST /items tabcloud/kv {"n":1}'), seen.join('\n'));

    const refused = await fetchOnConsole('https://no-such-host.invalid/');
    assert.match(refused, /^HTTP\/1\.1 403 Forbidden$/m);
    assert.match(refused, /no-such-host\.invalid is not on its allow-list \(example\.test\)/);
    machine.setOutbound({ allow: ['*'], howToAllow });
    const failed = await fetchOnConsole('https://no-such-host.invalid/');
    assert.match(failed, /^HTTP\/1\.1 502 Bad Gateway$/m);
    assert.match(failed, /The host could not fetch https:\/\/no-such-host\.invalid\/: cannot resolve the name/);
  } finally {
    await machine.stop();
  }
});

test('a guest fetches from a server on the loopback with --allow-net', { skip }, async () => {
  const r = await onLinux(
    `${PROXY} wget -q -U tabcloud/linux -O - http://127.0.0.1:${port}/page`,
    `--allow-net=127.0.0.1:${port}`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hello from the loopback, \/page/);
  assert.ok(seen.includes('GET /page tabcloud/linux'), seen.join('\n'));
});

test('without --allow-net the guest gets 403 and nothing goes out', { skip }, async () => {
  const before = seen.length;
  const r = await onLinux(`${PROXY} wget -q -O - http://127.0.0.1:${port}/secret`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /server returned error: HTTP\/1\.1 403 Forbidden/);
  assert.equal(seen.length, before);
});

test('an https URL that cannot be reached is a 502 carrying the reason', { skip }, async () => {
  const request = String.raw`GET https://no-such-host.invalid/ HTTP/1.1\r\nHost: no-such-host.invalid\r\nConnection: close\r\n\r\n`;
  const r = await onLinux(`printf '${request}' | nc 10.0.2.2 80`, '--allow-net');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /HTTP\/1\.1 502 Bad Gateway/);
  assert.match(r.stdout, /The host could not fetch https:\/\/no-such-host\.invalid\/: cannot resolve the name/);
});

test('a bad --allow-net entry is exit 2 saying what to write', async () => {
  const r = await tabcloud(['run', 'hello', '--allow-net=http://example.com', '--timeout', '5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--allow-net: 'http:\/\/example\.com' is not a host to allow: write a host name/);
});

test('--allow-net under QEMU is exit 2: QEMU has no web proxy', async () => {
  const r = await tabcloud(['run', 'hello', '--engine', 'qemu', '--allow-net', '--timeout', '5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--allow-net works with --engine v86/);
});
