// `tabcloud`: boots an appliance in this process and wires its console to the terminal.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ApplianceSpec, MachineEvent } from '../worker/protocol.ts';
import { createNodeMachine, loadCatalog } from './node-host.ts';

const USAGE = `Usage:
  tabcloud run <appliance> [options]   boot an appliance; its console is this terminal
  tabcloud list                        list the appliances

Options for run:
  --until PATTERN     exit 0 once a console line matches PATTERN (a regular expression)
  --timeout S         exit 124 if still running after S seconds
  --cmdline TEXT      the kernel command line (e.g. ip=10.0.2.15)
  --user-data FILE    pass FILE to the appliance as multiboot module 0

Ctrl-C stops the appliance. When standard input ends, tabcloud exits once the
appliance has answered and gone quiet, so \`echo uptime | tabcloud run hello\` works.`;

/** Exit statuses: 0 done, 1 the guest failed, 2 bad usage, 124 --timeout passed. */
const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 124 } as const;
/** After standard input ends, exit once the console has been quiet this long. */
const QUIET_MS = 300;
const CTRL_C = 0x03;

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        until: { type: 'string' },
        timeout: { type: 'string' },
        cmdline: { type: 'string' },
        'user-data': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const [command, name, ...extra] = args.positionals;
  if (args.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const catalog = await loadCatalog();
  if (command === 'list') {
    for (const a of catalog) console.log(`${a.id.padEnd(10)} ${a.summary}`);
    return EXIT.ok;
  }
  if (command !== 'run' || !name || extra.length > 0) return usageError('expected: tabcloud run <appliance>');
  const appliance = catalog.find((a) => a.id === name);
  if (!appliance) {
    return usageError(`unknown appliance '${name}'. Known appliances: ${catalog.map((a) => a.id).join(', ')}.`);
  }
  let until: RegExp | undefined;
  try {
    until = args.values.until === undefined ? undefined : new RegExp(args.values.until);
  } catch {
    return usageError(`--until: '${args.values.until}' is not a regular expression`);
  }
  const timeout = args.values.timeout === undefined ? undefined : Number(args.values.timeout);
  if (timeout !== undefined && !(timeout > 0)) return usageError('--timeout takes a number of seconds > 0');
  const userDataPath = args.values['user-data'];
  let userData: Uint8Array | undefined;
  if (userDataPath !== undefined) {
    try {
      userData = await readFile(userDataPath);
    } catch (error) {
      return usageError(`--user-data: cannot read ${userDataPath}: ${(error as Error).message}`);
    }
  }
  return run(appliance, { until, timeout, cmdline: args.values.cmdline, userData });
}

interface RunOptions {
  until: RegExp | undefined;
  timeout: number | undefined;
  cmdline: string | undefined;
  userData: Uint8Array | undefined;
}

function run(appliance: ApplianceSpec, options: RunOptions): Promise<number> {
  const machine = createNodeMachine();
  return new Promise<number>((resolve) => {
    let ready = false;
    let inputEnded = false;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const queued: string[] = [];
    let line = '';

    const finish = (code: number, message?: string): void => {
      if (message) process.stderr.write(`\ntabcloud: ${message}\n`);
      stdin.off('data', onInput);
      stdin.off('end', onInputEnd);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clearTimeout(timeoutTimer);
      clearTimeout(quietTimer);
      void machine.stop().then(() => resolve(code));
    };

    const exitWhenQuiet = (): void => {
      if (!inputEnded || !ready || options.until) return;
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => finish(EXIT.ok), QUIET_MS);
    };

    const onEvent = (event: MachineEvent): void => {
      if (event.type === 'serial') {
        process.stdout.write(event.data);
        exitWhenQuiet();
        for (const byte of event.data) {
          if (byte !== 0x0a) {
            if (byte !== 0x0d) line += String.fromCharCode(byte);
            continue;
          }
          if (options.until?.test(line)) finish(EXIT.ok);
          line = '';
        }
      } else if (event.status.state === 'crashed' && ready) {
        finish(EXIT.failed, event.status.error?.message);
      }
    };

    const stdin = process.stdin;
    const onInput = (chunk: Buffer): void => {
      if (stdin.isTTY && chunk.includes(CTRL_C)) return finish(EXIT.ok);
      const text = chunk.toString('latin1');
      if (ready) machine.sendSerial(text);
      else queued.push(text);
    };
    const onInputEnd = (): void => {
      inputEnded = true;
      exitWhenQuiet();
    };
    const onSignal = (): void => finish(EXIT.ok);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onInput);
    stdin.on('end', onInputEnd);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const timeoutTimer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => finish(EXIT.timeout, `timed out after ${options.timeout} s`), options.timeout * 1000);

    machine
      .boot(
        {
          appliance,
          ...(options.cmdline !== undefined && { cmdline: options.cmdline }),
          ...(options.userData && { userData: options.userData }),
        },
        onEvent,
      )
      .then(() => {
        ready = true;
        for (const text of queued.splice(0)) machine.sendSerial(text);
        exitWhenQuiet();
      })
      .catch((error: unknown) => finish(EXIT.failed, (error as Error).message));
  });
}

function usageError(message: string): number {
  console.error(`tabcloud: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}
