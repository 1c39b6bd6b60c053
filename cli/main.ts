// `tabcloud`: boots an appliance and makes its serial console this terminal.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { createEngine, type Engine, type EngineName, type EngineOptions } from './engines.ts';
import { loadCatalog } from './node-host.ts';
import { checkPortsFree, parsePortMapping, PortInUseError, type PortMapping } from './publish.ts';

const USAGE = `Usage:
  tabcloud run <appliance> [options]   boot an appliance; its console is this terminal
  tabcloud list                        list the appliances

Options for run:
  -p, --publish HOST:GUEST  forward 127.0.0.1:HOST to the guest's TCP port GUEST (repeatable)
  --engine v86|qemu         run in v86 in this process (default) or under qemu-system-i386
  --user-data FILE          pass FILE to the appliance as multiboot module 0 (for js, a
                            .ts, .js or .mjs service module is transpiled to its bundle first)
  --cmdline TEXT            the kernel command line (e.g. ip=10.0.2.15/24)
  --pcap FILE               write the appliance's network traffic to FILE (pcap)
  --cold                    boot from the kernel, not from the appliance's snapshot (linux)
  --until PATTERN           exit 0 once a console line matches PATTERN (a regular expression)
  --timeout S               exit 124 if still running after S seconds

Ctrl-C or SIGTERM stops the appliance (captures are completed). When standard
input ends, tabcloud exits once the appliance has answered and gone quiet, so
\`echo uptime | tabcloud run hello\` works; with --publish it keeps serving
until a signal, --until or --timeout. A HOST port already in use is exit 2.`;

/** Exit statuses: 0 done, 1 the guest failed, 2 bad usage, 124 --timeout passed. */
const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 124 } as const;
/** After standard input ends, exit once the console has been quiet this long. */
const QUIET_MS = 300;
const CTRL_C = 0x03;

interface ConsoleOptions {
  until: RegExp | undefined;
  timeout: number | undefined;
  /** Ports are published: the end of input does not stop the appliance, only a signal or the options do. */
  serving: boolean;
}

class UsageError extends Error {}

/** The user's script does not compile: `file:line:column: message` lines, exit 2 before booting. */
class ScriptError extends Error {}

/** User-data files of a script appliance (js) that are transpiled into its bundle first. */
const SCRIPT = /\.(ts|js|mjs)$/;

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const catalog = await loadCatalog();
    const parsed = parse(argv, catalog);
    if (parsed === 'help') {
      console.log(USAGE);
    } else if (parsed === 'list') {
      for (const a of catalog) console.log(`${a.id.padEnd(10)} ${a.summary}`);
    } else {
      const userData = await readUserData(parsed.userDataPath, parsed.engineOptions.appliance);
      try {
        const engineOptions = { ...parsed.engineOptions, userData };
        await checkPortsFree(engineOptions.publish);
        return await runConsole(await createEngine(parsed.engine, engineOptions), parsed.console);
      } finally {
        await userData?.cleanup?.();
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ScriptError) {
      console.error(error.message);
      return EXIT.usage;
    }
    if (error instanceof PortInUseError) {
      console.error(`tabcloud: ${error.message}`);
      return EXIT.usage;
    }
    if (!(error instanceof UsageError)) {
      console.error(`tabcloud: ${(error as Error).message}`);
      return EXIT.failed;
    }
    console.error(`tabcloud: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
}

interface RunCommand {
  engine: EngineName;
  engineOptions: Omit<EngineOptions, 'userData'>;
  userDataPath: string | undefined;
  console: ConsoleOptions;
}

function parse(argv: string[], catalog: ApplianceSpec[]): RunCommand | 'help' | 'list' {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        publish: { type: 'string', short: 'p', multiple: true },
        engine: { type: 'string', default: 'v86' },
        'user-data': { type: 'string' },
        cmdline: { type: 'string' },
        pcap: { type: 'string' },
        cold: { type: 'boolean', default: false },
        until: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = args;
  const [command, name, ...extra] = positionals;
  if (values.help) return 'help';
  if (command === 'list' && positionals.length === 1) return 'list';
  if (command !== 'run' || !name || extra.length > 0) throw new UsageError('expected: tabcloud run <appliance>');
  const appliance = catalog.find((a) => a.id === name);
  if (!appliance) {
    throw new UsageError(`unknown appliance '${name}'. Known appliances: ${catalog.map((a) => a.id).join(', ')}.`);
  }
  if (values.engine !== 'v86' && values.engine !== 'qemu') throw new UsageError('--engine is v86 or qemu');
  return {
    engine: values.engine,
    engineOptions: {
      appliance,
      cmdline: values.cmdline,
      publish: (values.publish ?? []).map(portMapping),
      pcap: values.pcap,
      cold: values.cold,
    },
    userDataPath: values['user-data'],
    console: {
      until: pattern(values.until),
      timeout: seconds(values.timeout),
      serving: (values.publish ?? []).length > 0,
    },
  };
}

function portMapping(text: string): PortMapping {
  const mapping = parsePortMapping(text);
  if (!mapping) throw new UsageError(`--publish takes HOST:GUEST ports, e.g. 8080:80, not '${text}'`);
  return mapping;
}

function pattern(text: string | undefined): RegExp | undefined {
  try {
    return text === undefined ? undefined : new RegExp(text);
  } catch {
    throw new UsageError(`--until: '${text}' is not a regular expression`);
  }
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  if (!(s > 0)) throw new UsageError('--timeout takes a number of seconds > 0');
  return s;
}

type UserData = NonNullable<EngineOptions['userData']> & { cleanup?: () => Promise<void> };

/** Reads the user-data file; a script for the js appliance becomes its bundle (in a file, for QEMU). */
async function readUserData(path: string | undefined, appliance: ApplianceSpec): Promise<UserData | undefined> {
  if (path === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`--user-data: cannot read ${path}: ${(error as Error).message}`);
  }
  if (appliance.userData !== 'script' || !SCRIPT.test(path)) return { path, bytes };
  // TypeScript takes a second to load: only a script's run pays for it.
  const { transpile } = await import('../worker/transpile.ts');
  const result = transpile(bytes.toString('utf8'), path);
  if (!result.ok) {
    throw new ScriptError(result.diagnostics.map((d) => `${path}:${d.line}:${d.column}: ${d.message}`).join('\n'));
  }
  const dir = await mkdtemp(join(tmpdir(), 'tabcloud-js-'));
  const bundle = join(dir, 'bundle.js');
  await writeFile(bundle, result.bundle);
  return {
    path: bundle,
    bytes: Buffer.from(result.bundle),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Wires the engine's console to stdin/stdout until Ctrl-C, --until, --timeout, a crash or the end of input. */
function runConsole(engine: Engine, options: ConsoleOptions): Promise<number> {
  const stdin = process.stdin;
  return new Promise<number>((resolve) => {
    let ready = false;
    let inputEnded = false;
    let done = false;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const queued: string[] = [];
    let line = '';

    const finish = (code: number, message?: string): void => {
      if (done) return;
      done = true;
      if (message) process.stderr.write(`\ntabcloud: ${message}\n`);
      stdin.off('data', onInput).off('end', onInputEnd);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      clearTimeout(timeoutTimer);
      clearTimeout(quietTimer);
      void engine.stop().then(() => resolve(code));
    };
    const exitWhenQuiet = (): void => {
      if (!inputEnded || !ready || options.until || options.serving) return;
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => finish(EXIT.ok), QUIET_MS);
    };
    const onSerial = (data: Uint8Array): void => {
      process.stdout.write(data);
      exitWhenQuiet();
      for (const byte of data) {
        if (byte === 0x0a) {
          if (options.until?.test(line)) finish(EXIT.ok);
          line = '';
        } else if (byte !== 0x0d) {
          line += String.fromCharCode(byte);
        }
      }
    };
    const onInput = (chunk: Buffer): void => {
      if (stdin.isTTY && chunk.includes(CTRL_C)) return finish(EXIT.ok);
      const text = chunk.toString('latin1');
      if (ready) engine.sendSerial(text);
      else queued.push(text);
    };
    const onInputEnd = (): void => {
      inputEnded = true;
      exitWhenQuiet();
    };
    const onSignal = (): void => finish(EXIT.ok);

    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onInput).on('end', onInputEnd);
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    const timeoutTimer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => finish(EXIT.timeout, `timed out after ${options.timeout} s`), options.timeout * 1000);
    engine
      .boot({ serial: onSerial, crashed: (message) => finish(EXIT.failed, message) })
      .then(() => {
        ready = true;
        for (const text of queued.splice(0)) engine.sendSerial(text);
        exitWhenQuiet();
      })
      .catch((error: unknown) => finish(EXIT.failed, (error as Error).message));
  });
}
