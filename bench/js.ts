// The js appliance against kv, in the same run: image size, boot to READY with a 20-line service
// (cold, and as `tabcloud run js` does it: its saved machine given the script), requests/s on one
// keep-alive connection through `tabcloud run js -p`, and the time to transpile the service.
import { Agent, request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../cli/engines.ts';
import { loadCatalog, loadImage } from '../cli/node-host.ts';
import { freePort } from '../cli/publish.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import type { TranspileResult } from '../worker/transpile.ts';
import { bootToReady } from './boot.ts';
import { row, type BenchOptions, type BenchResult, type Row } from './lib.ts';

/** A small service of the kind the playground starts from: 20 lines of TypeScript. */
export const SERVICE = `// notes: POST /notes, GET /notes, GET /notes/<id>
interface Note { id: number; text: string }
const notes = new Map<number, Note>();
let next = 1;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/notes') {
      const note: Note = { id: next++, text: await request.text() };
      notes.set(note.id, note);
      return Response.json(note, { status: 201 });
    }
    if (url.pathname === '/notes') return Response.json([...notes.values()]);
    const id = Number(url.pathname.split('/')[2]);
    const note = notes.get(id);
    return note ? Response.json(note) : new Response('not found', { status: 404 });
  },
};
console.log(\`notes service loaded (\${notes.size} notes)\`);
`;

type Transpile = (source: string, fileName: string) => TranspileResult;

function bundle(transpile: Transpile): string {
  const result = transpile(SERVICE, 'notes.ts');
  if (!result.ok) throw new Error(`the benchmark's service does not transpile: ${JSON.stringify(result.diagnostics)}`);
  return result.bundle;
}

const bytes = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

/** ms from new V86 to READY, one sample per boot. */
async function boots(appliance: ApplianceSpec, runs: number, userData?: ArrayBuffer): Promise<number[]> {
  const kernel = await loadImage(appliance.image);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const booted = await bootToReady(appliance, kernel, undefined, userData);
    samples.push(booted.host);
    await booted.destroy();
  }
  return samples;
}

/** ms from starting `tabcloud run`'s engine to READY: for js, its saved machine given the script. */
async function runBoots(appliance: ApplianceSpec, userData: string, runs: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-bench-js-'));
  const file = { path: join(dir, 'user-data'), bytes: new TextEncoder().encode(userData) };
  await writeFile(file.path, file.bytes);
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const running = await createEngine('v86', {
        appliance,
        cmdline: undefined,
        userData: file,
        publish: [],
        pcap: undefined,
        cold: false,
      });
      await running.boot({ serial: () => {}, crashed: () => {} });
      samples.push(performance.now() - start);
      await running.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return samples;
}

function get(port: number, path: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests before a rate is measured: v86 has compiled the hot paths by then. */
const WARM_REQUESTS = 300;

/** Requests/s of sequential GETs on one keep-alive connection through `-p`, one sample per second. */
async function requestsPerSecond(
  appliance: ApplianceSpec,
  userData: string,
  path: string,
  seconds: number,
): Promise<number[]> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-bench-js-'));
  const file = { path: join(dir, 'user-data'), bytes: new TextEncoder().encode(userData) };
  await writeFile(file.path, file.bytes);
  const running = await createEngine('v86', {
    appliance,
    cmdline: undefined,
    userData: file,
    publish: [{ host: port, guest: 80 }],
    pcap: undefined,
    cold: false,
  });
  await running.boot({ serial: () => {}, crashed: () => {} });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    // v86 compiles the guest's hot code as it runs: the first hundred or so requests of a fresh
    // machine are slower (for js, whose interpreter is much hot code, tens of ms each). Steady state is measured.
    for (let i = 0; i < WARM_REQUESTS; i++) await get(port, path, agent);
    for (let s = 0; s < seconds; s++) {
      let count = 0;
      const end = performance.now() + 1000;
      while (performance.now() < end) {
        const status = await get(port, path, agent);
        if (status !== 200) throw new Error(`${appliance.id}: GET ${path} answered ${status}`);
        count++;
      }
      samples.push(count);
    }
  } finally {
    agent.destroy();
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return samples;
}

export async function jsBench({ quick }: BenchOptions): Promise<BenchResult> {
  const catalog = await loadCatalog();
  const js = catalog.find((a) => a.id === 'js');
  const kv = catalog.find((a) => a.id === 'kv');
  if (!js || !kv) throw new Error('js and kv must be in the catalog');
  const rows: Row[] = [];

  // The first one loads the compiler (as the page's worker and the CLI do once), then transpiles.
  const first = performance.now();
  const { transpile } = await import('../worker/transpile.ts');
  const script = bundle(transpile);
  const firstMs = performance.now() - first;
  const transpiles: number[] = [];
  for (let i = 0; i < (quick ? 3 : 30); i++) {
    const start = performance.now();
    bundle(transpile);
    transpiles.push(performance.now() - start);
  }
  rows.push(
    row('js: transpile the 20-line service (warm)', 'ms', transpiles, {
      name: 'the first, loading the compiler',
      samples: [firstMs],
    }),
  );

  const jsImage = (await loadImage(js.image)).byteLength;
  const kvImage = (await loadImage(kv.image)).byteLength;
  rows.push(
    row('js: image', 'KiB', [jsImage / 1024], { name: 'kv', samples: [kvImage / 1024] }),
    row('js: bundle of the 20-line service', 'KiB', [script.length / 1024]),
  );

  const runs = quick ? 2 : 20;
  const kvBoots = await boots(kv, runs);
  // A cold js boot takes seconds (the prelude's once-only code in v86's interpreter): a quarter of the runs.
  const jsBoots = await boots(js, quick ? 1 : runs / 4, bytes(script));
  rows.push(
    row('js: cold boot, new V86 → READY, 20-line service (Node)', 'ms', jsBoots, { name: 'kv', samples: kvBoots }),
  );
  const kvRuns = await runBoots(kv, '{"probe":"a tiny value"}', runs);
  const jsRuns = await runBoots(js, script, runs);
  rows.push(
    row('js: tabcloud run → READY, saved machine + 20-line service (Node)', 'ms', jsRuns, {
      name: 'kv',
      samples: kvRuns,
    }),
  );

  const seconds = quick ? 1 : 10;
  const kvRate = await requestsPerSecond(kv, '{"probe":"a tiny value"}', '/keys/probe', seconds);
  const jsRate = await requestsPerSecond(js, script, '/notes', seconds);
  rows.push(
    row('js: GET on one keep-alive connection, tabcloud run -p (v86 in Node)', 'req/s', jsRate, {
      name: 'kv',
      samples: kvRate,
    }),
  );
  return { name: 'js', date: new Date().toISOString(), quick, rows };
}
