// The kv appliance in v86 (no BIOS) behind the project's own host stack (worker/net): a loopback
// port is published to the guest's port 80, as `tabcloud run kv --publish` does. On both cards:
// the catalog's virtio-net (64 KiB frames, window scaling) and the NE2000.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createNodeMachine, loadCatalog } from '../cli/node-host.ts';
import { publish, freePort } from '../cli/publish.ts';
import type { Machine } from '../worker/machine.ts';

for (const [nic, mtu] of [
  ['virtio', 65535],
  ['ne2k', 1500],
] as const)
  describe(`kv in v86 on ${nic}`, () => {
    let machine: Machine;
    let server: Server;
    let url: string;
    let port: number;
    let output = '';

    before(async () => {
      const kv = (await loadCatalog()).find((a) => a.id === 'kv');
      assert.ok(kv, 'kv is in the catalog');
      const appliance = { ...kv, nic };
      machine = createNodeMachine();
      port = await freePort();
      server = await publish({ host: port, guest: 80 }, () => machine.network);
      url = `http://127.0.0.1:${port}`;
      const status = await machine.boot({ appliance }, (event) => {
        if (event.type === 'serial') output += Buffer.from(event.data).toString('latin1');
      });
      assert.equal(status.state, 'ready');
    });

    after(async () => {
      server?.close();
      await machine?.stop();
    });

    // One request on its own connection (no keep-alive pool): [status, body]. */
    function call(method: string, path: string, body?: string | Buffer, agent?: Agent): Promise<[number, Buffer]> {
      return new Promise((resolve, reject) => {
        const req = request(`${url}${path}`, { method, agent: agent ?? false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve([res.statusCode!, Buffer.concat(chunks)]));
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    test('32 concurrent clients through the host stack', async () => {
      const ids = Array.from({ length: 32 }, (_, i) => i);
      const puts = await Promise.all(ids.map((i) => call('PUT', `/keys/c${i}`, `v${i}-`.repeat(100 * i + 1))));
      assert.deepEqual(
        puts.map(([s]) => s),
        ids.map(() => 201),
      );
      const gets = await Promise.all(ids.map((i) => call('GET', `/keys/c${i}`)));
      for (const i of ids) assert.equal(gets[i]![1].toString(), `v${i}-`.repeat(100 * i + 1));
      const keys = JSON.parse((await call('GET', '/keys'))[1].toString()) as string[];
      assert.deepEqual(keys, ids.map((i) => `c${i}`).sort());
      await Promise.all(ids.map((i) => call('DELETE', `/keys/c${i}`)));
    });

    test('a 1 MiB value round trip is byte-exact', async (t) => {
      const value = randomBytes(1 << 20);
      let start = performance.now();
      assert.equal((await call('PUT', '/keys/big', value))[0], 201);
      const putMs = performance.now() - start;
      start = performance.now();
      const [status, back] = await call('GET', '/keys/big');
      t.diagnostic(`1 MiB PUT ${putMs.toFixed(0)} ms, GET ${(performance.now() - start).toFixed(0)} ms`);
      assert.equal(status, 200);
      assert.ok(back.equals(value));
      assert.equal((await call('DELETE', '/keys/big'))[0], 204);
    });

    test('keep-alive, pipelining, and a malformed request that does not stop the service', async (t) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < 1000) {
        assert.equal((await call('GET', '/', undefined, agent))[0], 200);
        n++;
      }
      t.diagnostic(`${((n * 1000) / (performance.now() - start)).toFixed(0)} requests/s on one keep-alive connection`);
      agent.destroy();
      const raw = (bytes: string): Promise<string> =>
        new Promise((resolve, reject) => {
          const socket = connect(port, '127.0.0.1');
          let data = '';
          socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
          socket.on('error', reject);
          socket.on('close', () => resolve(data));
          socket.write(bytes);
        });
      assert.match(await raw('NOT HTTP\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Connection: close/);
      const two = await raw('GET / HTTP/1.1\r\n\r\nGET /nothing HTTP/1.1\r\nConnection: close\r\n\r\n');
      assert.match(two, /^HTTP\/1\.1 200 OK[\s\S]*HTTP\/1\.1 404 Not Found/);
      assert.equal((await call('GET', '/'))[0], 200);
    });

    test('the net command shows the card, the address, the ARP cache and the connections', async () => {
      const before = output.length;
      machine.sendSerial('net\r');
      const deadline = Date.now() + 5000;
      while (!/tcp \*:80 LISTEN/.test(output.slice(before)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const shown = output.slice(before);
      assert.match(
        shown,
        new RegExp(`mac +[0-9a-f:]{17} +\\(${nic === 'virtio' ? 'virtio-net' : 'ne2k'} at .* mtu ${mtu}\\)`),
      );
      assert.match(shown, /ip +10\.0\.2\.15\/24 via dhcp/);
      assert.match(shown, /arp:\r?\n +10\.0\.2\.2 +[0-9a-f:]{17}/);
      assert.match(shown, /tcp \*:80 LISTEN/);
    });
  });
