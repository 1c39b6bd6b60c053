// Portability: the same kv probe on both engines of `tabcloud run kv --publish`: v86 in Node (with the
// project's host stack) and QEMU under TCG (slirp), requests/s on one keep-alive connection.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../cli/node-host.ts';
import { createEngine, type EngineName } from '../cli/engines.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';
import { freePort } from '../cli/publish.ts';

function get(port: number, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/keys/probe', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests/s of sequential GETs on one keep-alive connection, one sample per second. */
async function probe(engine: EngineName, seconds: number): Promise<number[]> {
  const kv = (await loadCatalog()).find((a) => a.id === 'kv')!;
  const port = await freePort();
  // QEMU reads user-data from a file (-initrd).
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-bench-'));
  const seed = { path: join(dir, 'seed.json'), bytes: new TextEncoder().encode('{"probe":"a tiny value"}') };
  await writeFile(seed.path, seed.bytes);
  const running = await createEngine(engine, {
    appliance: kv,
    cmdline: undefined,
    userData: seed,
    publish: [{ host: port, guest: 80 }],
    pcap: undefined,
    cold: false,
  });
  await running.boot({ serial: () => {}, crashed: () => {} });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < 20; i++) await get(port, agent); // warm up: ARP, connection, the guest's first RTO
    for (let s = 0; s < seconds; s++) {
      let count = 0;
      const end = performance.now() + 1000;
      while (performance.now() < end) {
        if ((await get(port, agent)) !== 200) throw new Error(`${engine}: GET /keys/probe failed`);
        count++;
      }
      samples.push(count);
    }
  } finally {
    agent.destroy();
    await running.stop();
    await rm(dir, { recursive: true });
  }
  return samples;
}

export async function portabilityBench({ quick }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 1 : 10;
  const rows: Row[] = [];
  const qemu = await probe('qemu', seconds).catch((error: unknown) => {
    console.error(`portability: QEMU left out: ${String(error)}`);
    return undefined;
  });
  const v86 = await probe('v86', seconds);
  rows.push(
    row(
      'kv: GET on one keep-alive connection, v86 in Node',
      'req/s',
      v86,
      qemu && { name: 'QEMU (TCG)', samples: qemu },
    ),
  );
  return { name: 'portability', date: new Date().toISOString(), quick, rows };
}
