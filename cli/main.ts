// `tabcloud`: boots an appliance and makes its serial console this terminal.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManifestError } from '../worker/manifest.ts';
import { OutboundError, parseAllowList } from '../worker/net/outbound.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { createEngine, type Engine, type EngineName, type EngineOptions } from './engines.ts';
import { isImagePath, loadLocalAppliance } from './local.ts';
import { imagePath, loadCatalog, ROOT } from './node-host.ts';
import { checkPortsFree, parsePortMapping, PortInUseError, type PortMapping } from './publish.ts';
import { buildAppliance, createAppliance, SdkError } from './sdk.ts';
import { UpFileError } from './up-file.ts';
import { up } from './up.ts';
import { isCommand, usage, type Command } from './usage.ts';
import { readUserData, ScriptError, UserDataError, type UserData } from './user-data.ts';

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

/** Bad usage of a command: its help follows the message. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }
}

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-V') {
      console.log(await version());
    } else if (command === '--help' || command === '-h' || command === 'help') {
      console.log(usage(isCommand(rest[0]) ? rest[0] : undefined));
    } else if (!isCommand(command)) {
      throw new UsageError(command === undefined ? 'expected a command' : `unknown command '${command}'`);
    } else if (rest.includes('--help') || rest.includes('-h')) {
      console.log(usage(command));
    } else {
      return await run(command, rest);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ScriptError) {
      console.error(error.message);
      return EXIT.usage;
    }
    if (
      error instanceof PortInUseError ||
      error instanceof SdkError ||
      error instanceof ManifestError ||
      error instanceof UpFileError
    ) {
      console.error(`tabcloud: ${error.message}`);
      return EXIT.usage;
    }
    if (!(error instanceof UsageError)) {
      console.error(`tabcloud: ${(error as Error).message}`);
      return EXIT.failed;
    }
    console.error(`tabcloud: ${error.message}\n\n${usage(error.command)}`);
    return EXIT.usage;
  }
}

async function run(command: Command, args: string[]): Promise<number> {
  if (command === 'new') return await newAppliance(args);
  if (command === 'build') return await build(args);
  if (command === 'up') return await upCommand(args);
  const catalog = await loadCatalog();
  if (command === 'list') {
    if (args.length > 0) throw new UsageError('list takes no arguments', 'list');
    for (const a of catalog) {
      const built = existsSync(imagePath(a.image)) ? '' : ' (not built here)';
      console.log(`${a.id.padEnd(10)} ${a.summary}${built}`);
    }
    return EXIT.ok;
  }
  const parsed = await parse(args, catalog);
  const userData = await readRunUserData(parsed.userDataPath, parsed.engineOptions.appliance);
  try {
    const engineOptions = { ...parsed.engineOptions, userData };
    await checkPortsFree(engineOptions.publish);
    return await runConsole(await createEngine(parsed.engine, engineOptions), parsed.console);
  } finally {
    await userData?.cleanup?.();
  }
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return `tabcloud ${pkg.version}`;
}

/** `tabcloud new <name>`. */
async function newAppliance(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) throw new UsageError('expected: tabcloud new <name>', 'new');
  const name = args[0]!;
  const dir = relative(process.cwd(), await createAppliance(name, process.cwd()));
  console.log(`Created ${dir}/: app.c (the service, on the appliance API) and appliance.json (its manifest).
Next:
  npx tabcloud build ${dir}
  npx tabcloud run ${dir}/${name}.elf -p 8080:80
  curl http://localhost:8080/`);
  return EXIT.ok;
}

/** `tabcloud build [dir]`. */
async function build(args: string[]): Promise<number> {
  if (args.length > 1 || args[0]?.startsWith('-')) throw new UsageError('expected: tabcloud build [dir]', 'build');
  const built = await buildAppliance(resolve(args[0] ?? '.'));
  const bytes = built.bytes.toLocaleString('en-US').replaceAll(',', ' ');
  console.log(`${relative(process.cwd(), built.file)}  ${bytes} bytes, built in ${(built.ms / 1000).toFixed(1)} s`);
  return EXIT.ok;
}

/** `tabcloud up [file] [--timeout S]`. */
async function upCommand(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { timeout: { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message, 'up');
  }
  const { values, positionals } = args;
  if (positionals.length > 1) throw new UsageError('expected: tabcloud up [file]', 'up');
  return await up({ file: positionals[0] ?? 'tabcloud.json', timeout: seconds(values.timeout, 'up') });
}

interface RunCommand {
  engine: EngineName;
  engineOptions: Omit<EngineOptions, 'userData'>;
  userDataPath: string | undefined;
  console: ConsoleOptions;
}

async function parse(argv: string[], catalog: ApplianceSpec[]): Promise<RunCommand> {
  let args;
  try {
    args = parseArgs({
      // A bare --allow-net allows any host, as in Deno.
      args: argv.map((arg) => (arg === '--allow-net' ? '--allow-net=*' : arg)),
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
        'allow-net': { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, 'run');
  }
  const { values, positionals } = args;
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('expected: tabcloud run <appliance>', 'run');
  if (values.engine !== 'v86' && values.engine !== 'qemu') throw new UsageError('--engine is v86 or qemu', 'run');
  const allowNet = allowList(values['allow-net'] ?? []);
  if (allowNet.length > 0 && values.engine === 'qemu') {
    throw new UsageError(
      "--allow-net works with --engine v86: under QEMU the appliance is on QEMU's own network, without the host's web proxy",
      'run',
    );
  }
  const local = isImagePath(name) ? await loadLocalAppliance(name) : undefined;
  const appliance = local?.appliance ?? catalog.find((a) => a.id === name);
  if (!appliance) {
    throw new UsageError(
      `unknown appliance '${name}'. Known appliances: ${catalog.map((a) => a.id).join(', ')}; ` +
        `or give the path of an image, e.g. ./${name}.elf.`,
      'run',
    );
  }
  return {
    engine: values.engine,
    engineOptions: {
      appliance,
      imageFile: local?.image,
      cmdline: values.cmdline,
      publish: (values.publish ?? []).map(portMapping),
      pcap: values.pcap,
      cold: values.cold,
      allowNet,
    },
    userDataPath: values['user-data'],
    console: {
      until: pattern(values.until),
      timeout: seconds(values.timeout, 'run'),
      serving: (values.publish ?? []).length > 0,
    },
  };
}

function portMapping(text: string): PortMapping {
  const mapping = parsePortMapping(text);
  if (!mapping) throw new UsageError(`--publish takes HOST:GUEST ports, e.g. 8080:80, not '${text}'`, 'run');
  return mapping;
}

function allowList(texts: string[]): string[] {
  try {
    return parseAllowList(texts.join(','));
  } catch (error) {
    if (error instanceof OutboundError) throw new UsageError(`--allow-net: ${error.message}`, 'run');
    throw error;
  }
}

function pattern(text: string | undefined): RegExp | undefined {
  try {
    return text === undefined ? undefined : new RegExp(text);
  } catch {
    throw new UsageError(`--until: '${text}' is not a regular expression`, 'run');
  }
}

function seconds(text: string | undefined, command: Command): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  if (!(s > 0)) throw new UsageError('--timeout takes a number of seconds > 0', command);
  return s;
}

/** Reads --user-data; a file that cannot be read is bad usage of run. */
async function readRunUserData(path: string | undefined, appliance: ApplianceSpec): Promise<UserData | undefined> {
  try {
    return await readUserData(path, appliance);
  } catch (error) {
    if (error instanceof UserDataError) throw new UsageError(`--user-data: ${error.message}`, 'run');
    throw error;
  }
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
