// The guest's HTTP client against a real peer: kv in v86 types `fetch <url>` on its console, and the host
// stack (worker/net) answers on the gateway 10.0.2.2 with a small HTTP responder of this test's own.
// On virtio-net (64 KiB frames, window scaling: a 1 MiB body) and on the NE2000.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import type { Machine } from '../worker/machine.ts';
import type { TcpSocket } from '../worker/net/tcp-socket.ts';

/** zlib's CRC-32, as the fetch command prints it. */
function crc32(bytes: Uint8Array): string {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (~crc >>> 0).toString(16).padStart(8, '0');
}

/** The request head (and any body after it) a guest sent, read until the blank line and Content-Length bytes. */
async function readRequest(socket: TcpSocket): Promise<{ head: string; body: string }> {
  let data = Buffer.alloc(0);
  for await (const chunk of socket) {
    data = Buffer.concat([data, chunk]);
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) continue;
    const head = data.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (data.length >= end + 4 + length) return { head, body: data.subarray(end + 4).toString() };
  }
  throw new Error(`the guest closed before its request was complete: ${data.toString('latin1')}`);
}

/** What the responder answers: the pieces it writes in turn (a chunked body is several). */
type Answer = (request: { head: string; body: string }) => (string | Uint8Array)[];

for (const nic of ['virtio', 'ne2k'] as const)
  describe(`the guest's fetch in v86 on ${nic}`, () => {
    let machine: Machine;
    let output = '';
    let answer: Answer = () => [];
    const requests: { head: string; body: string }[] = [];

    before(async () => {
      const kv = (await loadCatalog()).find((a) => a.id === 'kv');
      assert.ok(kv, 'kv is in the catalog');
      machine = createNodeMachine();
      const status = await machine.boot({ appliance: { ...kv, nic } }, (event) => {
        if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
      });
      assert.equal(status.state, 'ready');
      machine.network!.listen(8080, (socket) => {
        void (async () => {
          const request = await readRequest(socket);
          requests.push(request);
          for (const piece of answer(request)) socket.write(typeof piece === 'string' ? Buffer.from(piece) : piece);
          socket.close();
        })();
      });
    });

    after(async () => {
      await machine?.stop();
    });

    /** Types a command on the console; resolves with what it printed up to its last line ("-- ..." or "fetch: ..."). */
    async function run(command: string, ms = 60_000): Promise<string> {
      const start = output.length;
      machine.sendSerial(`${command}\r`);
      const deadline = Date.now() + ms;
      for (;;) {
        const shown = output.slice(start).replace(/\r/g, '');
        if (/^(-- \d+ bytes|fetch: |usage: ).*\n/m.test(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`no end of ${command} within ${ms} ms:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    test('a GET to the gateway: the request as sent, the response as printed', async () => {
      answer = () => ['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello guest\n'];
      const shown = await run('fetch http://10.0.2.2:8080/x?y=1');
      assert.match(shown, /HTTP\/1\.1 200 OK\nContent-Type: text\/plain\nContent-Length: 12\n\nhello guest\n/);
      assert.match(
        shown,
        new RegExp(`^-- 12 bytes \\(12 shown\\), crc32 ${crc32(Buffer.from('hello guest\n'))}, \\d+ ms$`, 'm'),
      );
      const { head } = requests.at(-1)!;
      assert.match(head, /^GET \/x\?y=1 HTTP\/1\.1\r\n/);
      assert.match(head, /\r\nHost: 10\.0\.2\.2:8080(\r\n|$)/);
      assert.match(head, /\r\nUser-Agent: tabcloud\/kv(\r\n|$)/);
      assert.match(head, /\r\nConnection: close(\r\n|$)/);
    });

    test('a POST with a body, and a chunked response', async () => {
      answer = ({ body }) => [
        'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n',
        `6\r\ngot: ${body[0]}\r\n`,
        `${(body.length - 1).toString(16)}\r\n${body.slice(1)}\r\n`,
        '0\r\n\r\n',
      ];
      const shown = await run('fetch -d some-value http://10.0.2.2:8080/keys/a');
      assert.equal(requests.at(-1)!.body, 'some-value');
      assert.match(requests.at(-1)!.head, /^POST \/keys\/a HTTP\/1\.1\r\n[\s\S]*\r\nContent-Length: 10/);
      assert.match(shown, /HTTP\/1\.1 201 Created\n[\s\S]*\n\ngot: some-value\n-- 15 bytes/);
    });

    test('a 1 MiB body arrives whole', async (t) => {
      const big = randomBytes(1 << 20);
      answer = () => [`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`, big];
      const start = performance.now();
      const shown = await run('fetch http://10.0.2.2:8080/big', 120_000);
      t.diagnostic(`1 MiB to the guest in ${(performance.now() - start).toFixed(0)} ms`);
      assert.match(shown, new RegExp(`^-- ${big.length} bytes \\(4096 shown\\), crc32 ${crc32(big)}, \\d+ ms$`, 'm'));
    });

    test('a closed port is refused at once, and an unknown name is a clear error', async () => {
      assert.match(await run('fetch http://10.0.2.2:9/'), /^fetch: 10\.0\.2\.2 port 9 refused the connection$/m);
      assert.match(
        await run('fetch http://nosuch/'),
        /^fetch: cannot resolve nosuch: no such appliance on this network$/m,
      );
      assert.match(await run('fetch ftp://x/'), /^fetch: ftp:\/\/x\/ is not an http:\/\/ or https:\/\/ URL$/m);
    });
  });
