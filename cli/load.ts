// Load: kv under many concurrent keep-alive clients, published by `tabcloud run kv -p` (a child process,
// as a user runs it) on v86 and on QEMU, driven by autocannon. Every client PUTs a value of its own and
// reads it back; any error, non-2xx answer or value read back changed counts against the run. The
// guest's own figures (store room, TCP and HTTP buffers in use) are read from its console before and
// after.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './publish.ts';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const CONSOLE_TIMEOUT_MS = 10_000;

/** A kv appliance run by the CLI with port 80 published on 127.0.0.1. */
export interface KvService {
  url: string;
  /** Types a console command; resolves to the output once a line matches `until`. */
  command(text: string, until: RegExp): Promise<string>;
  /** The guest's own figures: the store's free KiB, TCP rings and HTTP buffers in use. */
  usage(): Promise<GuestUsage>;
  /** SIGTERM, as a service manager stops it; resolves to the exit status. */
  stop(): Promise<number | null>;
}

export interface GuestUsage {
  storeKeys: number;
  storeFreeKiB: number;
  tcpBuffers: number;
  httpBuffers: number;
  connections: number;
}

/** Starts `tabcloud run kv -p <free port>:80 --engine <engine>`; resolves once it serves. */
export async function startKv(engine: 'v86' | 'qemu', options: { pcap?: string } = {}): Promise<KvService> {
  const port = await freePort();
  const args = ['run', 'kv', '-p', `${port}:80`, '--engine', engine, ...(options.pcap ? ['--pcap', options.pcap] : [])];
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const waitFor = async (re: RegExp, from: number, ms: number): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = output.slice(from);
      if (re.test(text)) return text;
      if (child.exitCode !== null) throw new Error(`tabcloud exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${re} within ${ms} ms:\n${output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor(/^READY kv/m, 0, READY_TIMEOUT_MS);
  const command = (text: string, until: RegExp): Promise<string> => {
    const from = output.length;
    child.stdin!.write(`${text}\n`);
    return waitFor(until, from, CONSOLE_TIMEOUT_MS);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    command,
    async usage() {
      const kv = /(\d+) keys, \d+ bytes, (\d+) KiB free; http buffers (\d+) of/.exec(
        await command('kv', /http buffers \d+ of \d+ in use/),
      )!;
      const net = /(\d+) of \d+ connections in use.*buffers: (\d+) of/.exec(
        await command('net', /buffers: \d+ of \d+ in use/),
      )!;
      return {
        storeKeys: Number(kv[1]),
        storeFreeKiB: Number(kv[2]),
        httpBuffers: Number(kv[3]),
        connections: Number(net[1]),
        tcpBuffers: Number(net[2]),
      };
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface LoadOptions {
  connections: number;
  /** PUT-then-GET rounds per client; or */
  rounds?: number;
  /** run for this long instead, seconds, */
  seconds?: number;
  /** with a DELETE after every GET (the soak's mix). */
  deletes?: boolean;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts, non-2xx answers and values read back changed, together. */
  errors: number;
  detail: string;
}

/** Runs autocannon against kv at `url`: each client a key of its own, its value read back exactly. */
export async function kvLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  // autocannon starts a fresh context for each pass over `requests`; a pass takes a key no other pass
  // in flight has, and gives it back at its end, so the keys stay as many as the clients.
  const free: number[] = [];
  let keys = 0;
  let round = 0;
  let changed = 0;
  interface Context {
    id?: number;
    round?: number;
  }
  const key = (c: Context): string => `/keys/c${c.id}`;
  const value = (c: Context): string => `value ${c.round} of key ${c.id}`;
  const done = (c: Context): void => void (c.id !== undefined && free.push(c.id));
  const requests: autocannon.Request[] = [
    {
      method: 'PUT',
      setupRequest: (req, context: Context) => {
        context.id = free.pop() ?? keys++;
        context.round = round++;
        return { ...req, path: key(context), body: value(context), headers: { 'content-type': 'text/plain' } };
      },
    },
    {
      method: 'GET',
      setupRequest: (req, context: Context) => ({ ...req, path: key(context) }),
      onResponse: (status, body, context: Context) => {
        if (status === 200 && body !== value(context)) changed++;
        if (!options.deletes) done(context);
      },
    },
  ];
  if (options.deletes)
    requests.push({
      method: 'DELETE',
      setupRequest: (req, context: Context) => ({ ...req, path: key(context) }),
      onResponse: (_status, _body, context: Context) => done(context),
    });
  const perClient = options.rounds === undefined ? undefined : options.rounds * requests.length;
  const result = await autocannon({
    url,
    connections: options.connections,
    requests,
    ...(perClient !== undefined && {
      amount: options.connections * perClient,
      maxConnectionRequests: perClient,
    }),
    ...(options.seconds !== undefined && { duration: options.seconds }),
    timeout: 30,
  });
  const errors = result.errors + result.timeouts + result.non2xx + changed;
  return {
    requests: result.requests.total,
    perSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors,
    detail: `${result.errors} socket errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${changed} changed`,
  };
}
