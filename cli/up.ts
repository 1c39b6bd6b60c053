// `tabcloud up [file]`: the appliances of a tabcloud.json on one LAN, in the spirit of Compose.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { ManifestError } from '../worker/manifest.ts';
import type { Mac } from '../worker/net/ethernet.ts';
import { formatIp, type Ip } from '../worker/net/ipv4.ts';
import { Lan } from '../worker/net/lan.ts';
import { LanSwitch, type LanMember } from '../worker/net/switch.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { createEngine, type Engine, type EngineOptions, type LanAttachment } from './engines.ts';
import { isImagePath, loadLocalAppliance } from './local.ts';
import { imagePath, loadCatalog } from './node-host.ts';
import { checkPortsFree } from './publish.ts';
import { parseUpFile, UpFileError, type UpAppliance } from './up-file.ts';
import { ConsolePrefix, labels } from './up-console.ts';
import { readUserData, UserDataError, type UserData } from './user-data.ts';

/** Exit statuses of `up`: 0 stopped by a signal, 1 an appliance failed, 124 --timeout passed. */
const EXIT = { ok: 0, failed: 1, timeout: 124 } as const;
/** Booting several machines at once shares this process (v86) and the cores (QEMU): READY may take a while. */
const UP_READY_TIMEOUT_MS = 90_000;
/** How long an appliance may take to stop before the others stop without it. */
const STOP_MS = 5000;

export interface UpOptions {
  /** The file; default tabcloud.json in the current folder. */
  file: string;
  timeout: number | undefined;
}

/** One appliance of the file, ready to boot. */
interface Prepared {
  spec: UpAppliance;
  options: Omit<EngineOptions, 'lan'>;
  userData: UserData | undefined;
}

/** Runs the file's appliances until a signal, --timeout, or a failure; resolves to the exit status. */
export async function up(options: UpOptions): Promise<number> {
  const label = relative(process.cwd(), options.file) || options.file;
  const specs = parseUpFile(await readUpFile(options.file), label);
  const prepared: Prepared[] = [];
  try {
    const catalog = await loadCatalog();
    const snapshots = new Set<string>();
    for (const spec of specs) {
      const one = await prepare(spec, catalog, label);
      prepared.push(one);
      // A snapshot saved after its guest read the MAC (linux) holds it: a second machine from it would share the
      // first one's on the LAN, so it boots cold. One saved before (js) gives each resume a MAC of its own.
      const { snapshot, snapshotTakesUserData } = one.options.appliance;
      if (snapshot !== undefined && !snapshotTakesUserData && spec.engine === 'v86') {
        if (snapshots.has(snapshot)) one.options.cold = true;
        snapshots.add(snapshot);
      }
    }
    await checkPortsFree(specs.flatMap((spec) => spec.publish));
    return await runAll(prepared, options);
  } finally {
    await Promise.all(prepared.map((one) => one.userData?.cleanup?.()));
  }
}

async function readUpFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UpFileError(
      missing
        ? `no ${file} here: write one (tabcloud up --help shows the format) or give its path: tabcloud up path/to/tabcloud.json`
        : `cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

/** Finds the appliance's image and reads its user-data; every mistake names the field. */
async function prepare(spec: UpAppliance, catalog: ApplianceSpec[], file: string): Promise<Prepared> {
  const field = `${file}: appliances.${spec.name}`;
  let appliance: ApplianceSpec | undefined;
  let imageFile: EngineOptions['imageFile'];
  if (isImagePath(spec.image)) {
    try {
      ({ appliance, image: imageFile } = await loadLocalAppliance(relative(process.cwd(), spec.image)));
    } catch (error) {
      if (error instanceof ManifestError) throw new UpFileError(`${field}.image: ${error.message}`);
      throw error;
    }
  } else {
    appliance = catalog.find((a) => a.id === spec.image);
    if (!appliance) {
      const known = catalog.map((a) => a.id).join(', ');
      throw new UpFileError(
        `${field}.image: unknown appliance "${spec.image}" (known: ${known}; or the path of an .elf)`,
      );
    }
    if (!existsSync(imagePath(appliance.image))) {
      throw new UpFileError(
        `${field}.image: "${spec.image}" is not built here: build the images with npm run build:images`,
      );
    }
  }
  let userData: UserData | undefined;
  try {
    userData = await readUserData(spec.userData, appliance);
  } catch (error) {
    if (error instanceof UserDataError) throw new UpFileError(`${field}.userData: ${error.message}`);
    throw error;
  }
  return {
    spec,
    userData,
    options: {
      appliance,
      imageFile,
      cmdline: spec.cmdline,
      userData,
      publish: spec.publish,
      pcap: undefined,
      cold: false,
      readyTimeoutMs: UP_READY_TIMEOUT_MS,
      allowNet: spec.allowNet,
      howToAllow: `add the host to ${field.slice(field.indexOf(' ') + 1)}.allowNet in ${file} (or "*" for any host)`,
    },
  };
}

/** A guest's MAC on the LAN where we choose it (QEMU): 52:54 and its address, as the gateway's is 52:55 and its own. */
function guestMac(addr: Ip): Mac {
  return ['52', '54', ...[24, 16, 8, 0].map((shift) => ((addr >>> shift) & 255).toString(16).padStart(2, '0'))].join(
    ':',
  );
}

/** One appliance on the LAN: its member of the switch, its engine once created, its console's prefix. */
class UpMember {
  readonly member: LanMember;
  readonly attach: LanAttachment;
  private engine: Engine | undefined;
  /** The member's mirror of the LAN's names, which the switch updates. */
  private lan: Lan | undefined;
  private created: Promise<Engine | undefined> = Promise.resolve(undefined);
  private stopped = false;

  constructor(
    readonly prepared: Prepared,
    private readonly lanSwitch: LanSwitch,
    readonly console: ConsolePrefix,
    private readonly warn: (message: string) => void,
  ) {
    let names: [string, Ip][] = [];
    // The switch sends the names table to the new member while it joins, before its Lan can be made.
    this.member = lanSwitch.join(prepared.spec.name, {
      frame: (frame) => this.engine?.fromLan(frame),
      names: (table) => {
        names = table;
        this.lan?.setNames(table);
      },
    });
    const lan = new Lan(this.member.addr, this.member.addr);
    lan.setNames(names);
    this.lan = lan;
    this.attach = {
      name: this.member.name,
      lan,
      mac: guestMac(this.member.addr),
      uplink: (frame) => void lanSwitch.forward(this.member.id, frame, performance.now()),
    };
  }

  get name(): string {
    return this.member.name;
  }

  /** Starts the engine and boots the guest; resolves at READY, rejects with a message naming the appliance. */
  async boot(crashed: (message: string) => void): Promise<void> {
    const { spec, options } = this.prepared;
    const created = createEngine(spec.engine, { ...options, lan: this.attach });
    this.created = created;
    let engine: Engine;
    try {
      engine = await created;
    } catch (error) {
      throw new Error(`${this.name} could not start: ${(error as Error).message}`, { cause: error });
    }
    if (this.stopped) return;
    this.engine = engine;
    let ready = false;
    try {
      // A crash while booting rejects the boot; after READY it is the appliance stopping.
      await engine.boot({ serial: (data) => this.console.push(data), crashed: (why) => ready && crashed(why) });
      ready = true;
    } catch (error) {
      throw new Error(`${this.name} failed to boot: ${(error as Error).message}`, { cause: error });
    }
  }

  sendSerial(text: string): void {
    this.engine?.sendSerial(text);
  }

  /** Stops the engine (even one still being created) and leaves the LAN; false if it did not finish stopping. */
  async stop(): Promise<boolean> {
    this.stopped = true;
    const engine = await this.created.catch(() => undefined);
    const stopped = engine?.stop().then(
      () => true,
      () => true,
    );
    // A v86 machine whose emulator threw never finishes stopping: the others must not wait for it.
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(false), STOP_MS)));
    const finished = !stopped || (await Promise.race([stopped, late]));
    clearTimeout(deadline);
    if (!finished) this.warn(`${this.name} did not stop within ${STOP_MS / 1000} s`);
    this.lanSwitch.leave(this.member.id);
    this.console.flush();
    return finished;
  }
}

/** Joins every appliance to one LAN, boots them all at once, and stops them all at the end. */
function runAll(prepared: Prepared[], options: UpOptions): Promise<number> {
  const lanSwitch = new LanSwitch();
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const prefixes = labels(
    prepared.map((one) => one.spec.name),
    colour,
  );
  const write = (text: string): void => void process.stdout.write(Buffer.from(text, 'latin1'));
  const warn = (message: string): void => void process.stderr.write(`tabcloud: ${message}\n`);
  const members = prepared.map((one, i) => new UpMember(one, lanSwitch, new ConsolePrefix(prefixes[i]!, write), warn));
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number, message?: string): void => {
      if (done) return;
      done = true;
      if (message) warn(message);
      if (code !== EXIT.ok) warn(`stopping ${code === EXIT.timeout ? 'them all' : 'the others'}`);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('uncaughtException', onUncaught);
      clearTimeout(timer);
      input.close();
      void Promise.all(members.map((member) => member.stop())).then((stopped) => {
        const { dropped } = lanSwitch.stats;
        if (dropped > 0) warn(`the LAN dropped ${dropped} frames (over an appliance's rate, or malformed)`);
        // What a stuck emulator left (its timers) must not keep this process: exit once the rest is written.
        if (stopped.includes(false)) setTimeout(() => process.exit(), 500).unref();
        resolve(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals): void =>
      finish(EXIT.ok, `${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping ${members.length} appliances`);
    // v86 reports some guest faults it does not implement by throwing from its timers: stop the rest (QEMUs too).
    const onUncaught = (error: Error): void =>
      finish(EXIT.failed, `an emulator in this process failed: ${error.message}`);
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('uncaughtException', onUncaught);
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => finish(EXIT.timeout, `timed out after ${options.timeout} s`), options.timeout * 1000);
    const input = routeConsoleInput(members, warn);
    const booted = members.map((member) =>
      member.boot((message) => finish(EXIT.failed, `${member.name} stopped: ${message}`)),
    );
    Promise.all(booted).then(
      () => !done && warn(summary(members)),
      (error: unknown) => finish(EXIT.failed, (error as Error).message),
    );
  });
}

/** The line once all are up: each appliance's address and published ports. */
function summary(members: UpMember[]): string {
  const each = members.map(({ name, member, prepared }) => {
    const ports = prepared.spec.publish.map((p) => `127.0.0.1:${p.host}->${p.guest}`).join(', ');
    return `${name} ${formatIp(member.addr)}${ports && ` (${ports})`}`;
  });
  return `up: ${each.join(', ')}. Ctrl-C stops them all.`;
}

/** Lines on standard input of the form `<name>: <text>` are typed on that appliance's console. */
function routeConsoleInput(members: UpMember[], warn: (message: string) => void): { close(): void } {
  if (!mayReadTerminal()) return { close: () => {} };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const match = /^([a-z][a-z0-9-]*):\s?(.*)$/.exec(line);
    const member = match && members.find((m) => m.name === match[1]);
    if (member) member.sendSerial(`${match![2]}\n`);
    else if (line.trim() !== '') {
      warn(`type <name>: <command> to reach a console (${members.map((m) => m.name).join(', ')})`);
    }
  });
  // The end of input is not the end of the services (a published service survives a closed stdin).
  return { close: () => lines.close() };
}

/**
 * False in a background job of an interactive shell (`tabcloud up &`): reading the terminal there would stop the
 * whole process group, the QEMUs too (SIGTTIN). Linux tells through /proc; elsewhere stdin is read.
 */
function mayReadTerminal(): boolean {
  if (!process.stdin.isTTY) return true;
  try {
    // After "pid (command) ": state, ppid, pgrp, session, tty_nr, tpgid (the terminal's foreground group).
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return fields[2] === fields[5];
  } catch {
    return true;
  }
}
