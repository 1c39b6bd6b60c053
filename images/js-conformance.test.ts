// The js appliance against Node: every program in images/js/conformance/ runs natively in Node and,
// transpiled to a bundle, in the guest (v86 in this process, through the CLI's engine); the console
// output of each must be the same. Programs are batched, many to a boot: each is a module whose
// default export (sync or async) is called in turn, between marker lines, once the previous settled.
// A subset runs on QEMU too. Programs listed in known-differences.json must still differ.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { createEngine, type EngineName } from '../cli/engines.ts';
import { loadCatalog } from '../cli/node-host.ts';
import { freePort } from '../cli/publish.ts';
import { LINEMAP_PREFIX, transpile } from '../worker/transpile.ts';

const DIR = fileURLToPath(new URL('./js/conformance/', import.meta.url));
/** Programs per boot: few boots keep the suite fast, a bounded bundle keeps each compile cheap. */
const BATCH = 48;
/** A program that has not settled by then is reported as `timeout` and the next one starts. */
const PROGRAM_TIMEOUT_MS = 5000;
/** The programs that also run on QEMU: one of each kind. */
const QEMU_SUBSET = [
  'class-inheritance.js',
  'class-static.js',
  'arrow-lexical-this.js',
  'closures-loop-let.js',
  'destructuring-objects.js',
  'spread-arrays.js',
  'template-literals.js',
  'optional-chaining.js',
  'for-of-map-set.js',
  'generators-delegate.js',
  'promise-then-order.js',
  'promise-timeout-order.js',
  'async-try-catch-finally.js',
  'json-stringify-indent.js',
  'regexp-replace-functions.js',
  'date-utc.js',
  'typed-arrays-views.js',
  'array-splice.js',
  'exceptions-finally-order.js',
  'number-tofixed.js',
];
const MARK = '@@conformance';

/** The output of one program: its console lines, then how it ended (ok, threw, rejected, timeout). */
type Outputs = Map<string, string>;

/** The programs, or those whose names contain JS_CONFORMANCE_ONLY (while working on a few). */
async function programs(): Promise<string[]> {
  const all = (await readdir(DIR)).filter((f) => /\.(js|ts)$/.test(f)).sort();
  return all.filter((f) => f.includes(process.env.JS_CONFORMANCE_ONLY ?? ''));
}

async function knownDifferences(): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(DIR, 'known-differences.json'), 'utf8')) as Record<string, string>;
}

let nodeRuns = 0;

/** Runs every program in this process, natively, in order; console.log is captured per program. */
async function runInNode(names: string[]): Promise<Outputs> {
  const outputs: Outputs = new Map();
  // Each run imports fresh modules, so no program starts with state a previous run left.
  const run = ++nodeRuns;
  const log = console.log;
  for (const name of names) {
    const lines: string[] = [];
    console.log = (...args: unknown[]) => void lines.push(format(...args));
    let end: string;
    try {
      const url = `${pathToFileURL(join(DIR, name)).href}?run=${run}`;
      const module = (await import(url)) as { default: () => unknown };
      end = await settle(() => module.default());
    } catch (error) {
      lines.push(`${MARK} error ${String(error)}`);
      end = 'threw';
    } finally {
      console.log = log;
    }
    outputs.set(name, [...lines, end].join('\n'));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return outputs;
}

/** How a program ends, as the guest's runner reports it. */
async function settle(run: () => unknown): Promise<string> {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    console.log(`${MARK} error ${String(error)}`);
    return 'threw';
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), PROGRAM_TIMEOUT_MS)));
  const done = Promise.resolve(result).then(
    () => 'ok',
    (error: unknown) => (console.log(`${MARK} error ${String(error)}`), 'rejected'),
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One bundle that runs the given programs in order once it gets a request: each program's own
 * bundle wrapped in a function (its module code runs when its turn comes), and an ES5 runner.
 */
async function batchBundle(names: string[]): Promise<string> {
  const parts = ['var __programs = [];'];
  for (const name of names) {
    const result = transpile(await readFile(join(DIR, name), 'utf8'), name);
    if (!result.ok) assert.fail(`${name} does not transpile: ${JSON.stringify(result.diagnostics)}`);
    const code = result.bundle.slice(0, result.bundle.lastIndexOf(LINEMAP_PREFIX));
    parts.push(
      `__programs.push([${JSON.stringify(name)}, function () {`,
      'var module = { exports: {} };',
      `(function (exports, module) {\n${code}}).call(module.exports, module.exports, module);`,
      'return module.exports;',
      '}]);',
    );
  }
  parts.push(`
var __started = false;
function __run(i) {
  if (i >= __programs.length) { console.log(${JSON.stringify(MARK)} + ' done'); return; }
  var name = __programs[i][0], settled = false, timer, start = Date.now();
  console.log(${JSON.stringify(MARK)} + ' begin ' + name);
  function finish(how) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    console.log(${JSON.stringify(MARK)} + ' end ' + name + ' ' + how);
    console.log(${JSON.stringify(MARK)} + ' took ' + name + ' ' + (Date.now() - start));
    setTimeout(function () { __run(i + 1); }, 0);
  }
  function failed(how) {
    return function (e) { console.log(${JSON.stringify(MARK)} + ' error ' + String(e)); finish(how); };
  }
  timer = setTimeout(function () { finish('timeout'); }, ${PROGRAM_TIMEOUT_MS});
  try {
    Promise.resolve(__programs[i][1]()['default']()).then(function () { finish('ok'); }, failed('rejected'));
  } catch (e) {
    failed('threw')(e);
  }
}
exports.default = {
  fetch: function () {
    if (!__started) { __started = true; setTimeout(function () { __run(0); }, 0); }
    return new Response('started\\n');
  }
};`);
  return parts.join('\n') + '\n';
}

/** How long each program took in the guest (ms), from the runner's `took` lines. */
const times = new Map<string, number>();

/** The outputs between the runner's markers in a console transcript. */
function parseTranscript(text: string): Outputs {
  const outputs: Outputs = new Map();
  let current: { name: string; lines: string[] } | undefined;
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    // The console's prompt may stand before the first marker.
    const line = raw.startsWith('js> ') ? raw.slice(4) : raw;
    const begin = line.startsWith(`${MARK} begin `) ? line.slice(MARK.length + 7) : undefined;
    const end = /^@@conformance end (\S+) (\w+)$/.exec(line);
    const took = /^@@conformance took (\S+) (\d+)$/.exec(line);
    if (took) times.set(took[1]!, Number(took[2]));
    if (begin !== undefined) current = { name: begin, lines: [] };
    else if (end && current?.name === end[1]) {
      outputs.set(current.name, [...current.lines, end[2]].join('\n'));
      current = undefined;
    } else if (current) current.lines.push(line);
  }
  return outputs;
}

/** GET on a fresh connection, retried while the guest's port is not yet reachable. */
async function get(url: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.end();
      });
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Boots the js appliance with a batch bundle, starts it with a request, waits for its last marker. */
async function runInGuest(engine: EngineName, names: string[]): Promise<Outputs> {
  const appliance = (await loadCatalog()).find((a) => a.id === 'js');
  assert.ok(appliance, 'js is in the catalog');
  const bundle = await batchBundle(names);
  const dir = await mkdtemp(join(tmpdir(), 'js-conformance-'));
  const path = join(dir, 'bundle.js');
  await writeFile(path, bundle);
  const port = await freePort();
  const guest = await createEngine(engine, {
    // A batch is a bundle of some hundred KiB: compiling it before READY takes seconds on a loaded machine.
    appliance: { ...appliance, readyTimeoutMs: 60_000 },
    cmdline: undefined,
    userData: { path, bytes: Buffer.from(bundle) },
    publish: [{ host: port, guest: 80 }],
    pcap: undefined,
    cold: false,
  });
  let transcript = '';
  let crashed = '';
  try {
    await guest.boot({
      serial: (data) => void (transcript += Buffer.from(data).toString('utf8')),
      crashed: (message) => void (crashed = message),
    });
    assert.equal(await get(`http://127.0.0.1:${port}/`), 'started\n', transcript);
    const deadline = Date.now() + 30_000 + names.length * 1000;
    while (!transcript.includes(`${MARK} done`) && !crashed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(transcript.includes(`${MARK} done`), `the batch did not finish ${crashed}:\n${transcript.slice(-3000)}`);
  } finally {
    await guest.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return parseTranscript(transcript);
}

/** Runs a batch in the duk command (Duktape 2.7) with the prelude: a quick loop while developing. */
async function runInHostDuk(names: string[]): Promise<Outputs> {
  const dir = await mkdtemp(join(tmpdir(), 'js-conformance-duk-'));
  try {
    const bundle = await batchBundle(names);
    const main = `__tabcloud.load(function (exports, module) {\n${bundle}\n}, '');
__tabcloud.request(1, 'GET', 'http://localhost/', [], null);
__run();\n`;
    await writeFile(join(dir, 'main.js'), main);
    const files = ['prelude-harness.js', 'prelude.js']
      .map((f) => fileURLToPath(new URL(`./js/${f}`, import.meta.url)))
      .concat(createRequire(import.meta.url).resolve('tslib/tslib.js'));
    const r = spawnSync('duk', [...files, join(dir, 'main.js')], { encoding: 'utf8', timeout: 120_000 });
    return parseTranscript(r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Splits a list into runs of at most n. */
function chunks<T>(list: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, (i + 1) * n));
}

/** Compares each program's outputs; known differences must still differ. */
async function compare(
  t: test.TestContext,
  names: string[],
  node: Outputs,
  guest: Outputs,
  known: Record<string, string>,
): Promise<void> {
  for (const name of names) {
    await t.test(name, () => {
      const expected = node.get(name);
      const actual = guest.get(name) ?? '(no output: the runner never reached it)';
      assert.ok(expected !== undefined);
      if (known[name] !== undefined) {
        assert.notEqual(actual, expected, `${name} now matches Node: remove it from known-differences.json and README`);
      } else {
        assert.equal(actual, expected);
      }
    });
  }
}

const hostDuk = process.env.JS_CONFORMANCE_HOST_DUK === '1';

test(`every conformance program prints the same in Node and in the guest (${hostDuk ? 'duk on the host' : 'v86'})`, async (t) => {
  const names = await programs();
  const known = await knownDifferences();
  if (process.env.JS_CONFORMANCE_ONLY === undefined) {
    assert.ok(names.length >= 150, `${names.length} programs`);
    for (const name of Object.keys(known)) assert.ok(names.includes(name), `known difference ${name} is a program`);
  }
  const start = performance.now();
  const node = await runInNode(names);
  const nodeMs = performance.now() - start;
  const guest: Outputs = new Map();
  for (const batch of chunks(names, BATCH)) {
    const outputs = hostDuk ? await runInHostDuk(batch) : await runInGuest('v86', batch);
    for (const [name, output] of outputs) guest.set(name, output);
  }
  t.diagnostic(
    `${names.length} programs, ${Object.keys(known).length} known differences; Node ${nodeMs.toFixed(0)} ms, ` +
      `guest ${(performance.now() - start - nodeMs).toFixed(0)} ms in ${Math.ceil(names.length / BATCH)} boots`,
  );
  const slowest = [...times].sort((a, b) => b[1] - a[1]).slice(0, 5);
  t.diagnostic(`slowest in the guest: ${slowest.map(([name, ms]) => `${name} ${ms} ms`).join(', ')}`);
  await compare(t, names, node, guest, known);
});

test('a subset prints the same in Node and on QEMU', { skip: hostDuk }, async (t) => {
  const known = await knownDifferences();
  const names = QEMU_SUBSET;
  for (const name of names) assert.ok(known[name] === undefined, `${name} behaves the same`);
  const node = await runInNode(names);
  const guest = await runInGuest('qemu', names);
  await compare(t, names, node, guest, known);
});
