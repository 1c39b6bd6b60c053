// Portability: the same probes on both engines of `tabcloud run --publish`: v86 in Node (with the project's
// host stack, virtio-net with 64 KiB frames) and QEMU under TCG (slirp, virtio-net at 1500 bytes): kv's
// requests/s on one keep-alive connection, and a 10 MiB download from static.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../cli/node-host.ts';
import { createEngine, type EngineName } from '../cli/engines.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';
import { freePort } from '../cli/publish.ts';
import { packTar } from '../web/ustar.ts';

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

/** Runs `appliance` on `engine` with `userData` (a file: QEMU reads it with -initrd) and port 80 published. */
async function serve<T>(
  engine: EngineName,
  appliance: string,
  userData: { name: string; bytes: Uint8Array },
  use: (port: number) => Promise<T>,
): Promise<T> {
  const spec = (await loadCatalog()).find((a) => a.id === appliance)!;
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-bench-'));
  const file = { path: join(dir, userData.name), bytes: userData.bytes };
  await writeFile(file.path, file.bytes);
  const running = await createEngine(engine, {
    appliance: spec,
    cmdline: undefined,
    userData: file,
    publish: [{ host: port, guest: 80 }],
    pcap: undefined,
    cold: false,
  });
  try {
    await running.boot({ serial: () => {}, crashed: () => {} });
    return await use(port);
  } finally {
    await running.stop();
    await rm(dir, { recursive: true });
  }
}

/** Requests/s of sequential GETs on one keep-alive connection, one sample per second. */
function probe(engine: EngineName, seconds: number): Promise<number[]> {
  const seed = { name: 'seed.json', bytes: new TextEncoder().encode('{"probe":"a tiny value"}') };
  return serve(engine, 'kv', seed, (port) => keepAliveRate(engine, port, seconds));
}

async function keepAliveRate(engine: EngineName, port: number, seconds: number): Promise<number[]> {
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
  }
  return samples;
}

/** A ustar archive holding one file, big.bin, of `bytes` pseudo-random bytes. */
function siteWithOneFile(bytes: number): Uint8Array {
  return packTar([{ name: 'big.bin', data: randomBytes(bytes) }]);
}

/** MB/s of `runs` downloads of /big.bin (each on a new connection), checked for length. */
function download(engine: EngineName, site: Uint8Array, bytes: number, runs: number): Promise<number[]> {
  return serve(engine, 'static', { name: 'site.tar', bytes: site }, async (port) => {
    const rates: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const start = performance.now();
      const body = await (await fetch(`http://127.0.0.1:${port}/big.bin`)).arrayBuffer();
      if (body.byteLength !== bytes) throw new Error(`${engine}: /big.bin came back with ${body.byteLength} bytes`);
      if (i > 0) rates.push(bytes / 1e6 / ((performance.now() - start) / 1000)); // the first warms up
    }
    return rates;
  });
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
  const bytes = 10 * 1024 * 1024;
  const site = siteWithOneFile(bytes);
  const runs = quick ? 1 : 5;
  const qemuDownload = await download('qemu', site, bytes, runs).catch((error: unknown) => {
    console.error(`portability: QEMU download left out: ${String(error)}`);
    return undefined;
  });
  rows.push(
    row(
      'static: download 10 MiB via -p, v86 in Node',
      'MB/s',
      await download('v86', site, bytes, runs),
      qemuDownload && { name: 'QEMU (TCG)', samples: qemuDownload },
    ),
  );
  return { name: 'portability', date: new Date().toISOString(), quick, rows };
}
