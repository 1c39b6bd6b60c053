// kv under load through `tabcloud run kv -p` (bounded: autocannon, every client PUTs a value of its own
// and reads it back): on v86 and on QEMU, zero errors and every value back exactly; the guest's buffers
// all return to its pools; the host side (publish() and the host stack) keeps no socket or timer after.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { kvLoad, startKv, type KvService } from './load.ts';
import { createNodeMachine, loadCatalog } from './node-host.ts';
import { freePort, publish, unpublish } from './publish.ts';

const hasQemu = spawnSync('sh', ['-c', 'command -v qemu-system-i386']).status === 0;

/** Polls until the guest holds no connection and no buffer (clients closed, its side too). */
async function settled(kv: KvService): Promise<void> {
  let usage = await kv.usage();
  for (let i = 0; i < 50 && (usage.connections > 0 || usage.tcpBuffers > 0); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    usage = await kv.usage();
  }
  assert.deepEqual(
    { connections: usage.connections, tcpBuffers: usage.tcpBuffers, httpBuffers: usage.httpBuffers },
    { connections: 0, tcpBuffers: 0, httpBuffers: 0 },
  );
}

for (const [engine, connections] of [
  ['v86', 256],
  ['qemu', 64],
] as const) {
  test(
    `${engine}: ${connections} clients × 5 PUT/GET rounds through -p, no errors, every value back`,
    {
      skip: engine === 'qemu' && !hasQemu && 'QEMU is not installed',
      timeout: 120_000,
    },
    async () => {
      const kv = await startKv(engine);
      try {
        const result = await kvLoad(kv.url, { connections, rounds: 5 });
        assert.equal(result.errors, 0, result.detail);
        assert.equal(result.requests, connections * 5 * 2);
        await settled(kv);
      } finally {
        assert.equal(await kv.stop(), 0, 'SIGTERM stops it cleanly');
      }
    },
  );
}

test('the host side keeps no socket or timer after 64 clients × 3 rounds', { timeout: 120_000 }, async () => {
  const appliance = (await loadCatalog()).find((a) => a.id === 'kv')!;
  const machine = createNodeMachine();
  const port = await freePort();
  const server = await publish({ host: port, guest: 80 }, () => machine.network);
  await machine.boot({ appliance }, () => {});
  const before = resources();
  const result = await kvLoad(`http://127.0.0.1:${port}`, { connections: 64, rounds: 3 });
  assert.equal(result.errors, 0, result.detail);
  for (let i = 0; i < 50 && machine.network!.socketCount > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(machine.network!.socketCount, 0, 'the host stack holds no connection (TIME_WAIT over)');
  assert.equal(await new Promise((r) => server.getConnections((_e, n) => r(n))), 0, 'publish() carries none');
  const after = resources();
  assert.ok(
    (after.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0),
    `sockets ${before.TCPSocketWrap} → ${after.TCPSocketWrap}`,
  );
  assert.ok((after.Timeout ?? 0) <= (before.Timeout ?? 0) + 1, `timers ${before.Timeout} → ${after.Timeout}`);
  await unpublish(server);
  await machine.stop();
});

/** Counts of this process's active handles by kind (sockets, timers...). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
