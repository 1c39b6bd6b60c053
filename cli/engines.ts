// The two ways the CLI runs an appliance: v86 in this process, or QEMU as a child process.
import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import type { Server } from 'node:net';
import { finished } from 'node:stream/promises';
import { ConsoleParser } from '../worker/console-parser.ts';
import { pcapHeader, pcapRecord } from '../worker/net/pcap.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { createNodeMachine, imagePath } from './node-host.ts';
import { freePort, PortInUseError, publish, relay, unpublish, type PortMapping } from './publish.ts';

export interface EngineOptions {
  appliance: ApplianceSpec;
  /** An image of one's own (tabcloud run ./x.elf), instead of the catalog's `appliance.image`. */
  imageFile?: { path: string; bytes: Uint8Array } | undefined;
  cmdline: string | undefined;
  /** The user-data file, passed as multiboot module 0. */
  userData: { path: string; bytes: Uint8Array } | undefined;
  publish: PortMapping[];
  /** Where to write a capture of the appliance's network. */
  pcap: string | undefined;
  /** Boot from the kernel even if the appliance has a snapshot to resume. */
  cold: boolean;
  /** Hosts the guest may call on the web through the host's proxy (--allow-net; worker/net/outbound.ts); default none. */
  allowNet?: string[];
}

/** The end of a 403 from the proxy: how a CLI user allows a host. */
export const ALLOW_NET_HINT = 'run tabcloud with --allow-net=<host> (or --allow-net for any host)';

export interface GuestEvents {
  serial(data: Uint8Array): void;
  /** The guest crashed after it was ready. */
  crashed(message: string): void;
}

/** A running appliance, whatever runs it. */
export interface Engine {
  /** Resolves once the guest printed READY; rejects with a message for the user. */
  boot(events: GuestEvents): Promise<void>;
  sendSerial(text: string): void;
  /** Stops the guest and completes every output file. */
  stop(): Promise<void>;
}

export type EngineName = 'v86' | 'qemu';

const QEMU = 'qemu-system-i386';
const KVM = '/dev/kvm';
const KVM_PVM = '/sys/module/kvm_pvm';
const QEMU_READY_TIMEOUT_MS = 30_000;

/** Starts the chosen engine's side work (published ports, capture files); boot() starts the guest. */
export async function createEngine(name: EngineName, options: EngineOptions): Promise<Engine> {
  return name === 'v86' ? createV86(options) : await createQemu(options);
}

async function createV86(options: EngineOptions): Promise<Engine> {
  const pcap = options.pcap === undefined ? undefined : await openPcap(options.pcap);
  const machine = createNodeMachine({
    ...(pcap && { tap: (frame, timeMs) => pcap.write(pcapRecord(frame, timeMs)) }),
  });
  const servers: Server[] = [];
  try {
    for (const mapping of options.publish) servers.push(await publish(mapping, () => machine.network));
  } catch (error) {
    await Promise.all(servers.map(unpublish));
    if (error instanceof PortInUseError) throw error;
    throw new Error(`cannot publish a port: ${(error as Error).message}`, { cause: error });
  }
  return {
    async boot(events) {
      await machine.boot(
        {
          appliance: options.appliance,
          ...(options.imageFile && { image: options.imageFile.bytes }),
          ...(options.cold && { cold: true }),
          ...(options.cmdline !== undefined && { cmdline: options.cmdline }),
          ...(options.userData && { userData: options.userData.bytes }),
          outbound: { allow: options.allowNet ?? [], howToAllow: ALLOW_NET_HINT },
        },
        (event) => {
          if (event.type === 'serial') events.serial(event.data);
          else if (event.type === 'status' && event.status.state === 'crashed')
            events.crashed(event.status.error?.message ?? 'crashed');
        },
      );
    },
    sendSerial: (text) => machine.sendSerial(text),
    async stop() {
      await Promise.all(servers.map(unpublish));
      await machine.stop();
      if (pcap) {
        pcap.end();
        await finished(pcap);
      }
    },
  };
}

async function openPcap(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new Error(`cannot write ${path}: ${error.message}`)));
  });
  stream.write(pcapHeader());
  return stream;
}

/**
 * Why KVM cannot be used here, or undefined if /dev/kvm can be opened for reading and writing. KVM's PVM flavour
 * (nested in a cloud VM without hardware virtualization) runs only paravirtualized guests with paging: it fails at
 * an appliance's first iret.
 */
function kvmUnusable(): string | undefined {
  try {
    accessSync(KVM, constants.R_OK | constants.W_OK);
    return existsSync(KVM_PVM) ? `${KVM} is KVM PVM, which runs only paravirtualized guests` : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no ${KVM}` : `${KVM}: ${code ?? (error as Error).message}`;
  }
}

/** `ports` maps each guest port to the loopback port QEMU's user network forwards to it (see relay()). */
function qemuArgs(options: EngineOptions, ports: PortMapping[], kvm: boolean): string[] {
  const { appliance, userData, pcap } = options;
  const forwards = ports.map((p) => `,hostfwd=tcp:127.0.0.1:${p.host}-:${p.guest}`).join('');
  // A Linux appliance brings its initramfs and command line; QEMU boots its bzImage with -kernel too.
  const initrd = appliance.initrd === undefined ? userData?.path : imagePath(appliance.initrd);
  const parts = [appliance.cmdline, options.cmdline].filter((part) => part !== undefined);
  const cmdline = parts.length > 0 ? parts.join(' ') : undefined;
  return [
    ...['-kernel', options.imageFile?.path ?? imagePath(appliance.image)],
    ...['-m', `${Math.ceil(appliance.memory / 2 ** 20)}M`, '-accel', kvm ? 'kvm' : 'tcg'],
    ...['-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-no-reboot', '-nodefaults'],
    ...['-netdev', `user,id=n0${forwards}`, '-device', qemuNic(appliance)],
    ...(pcap === undefined ? [] : ['-object', `filter-dump,id=dump0,netdev=n0,file=${pcap}`]),
    ...(cmdline === undefined ? [] : ['-append', cmdline]),
    ...(initrd === undefined ? [] : ['-initrd', initrd]),
  ];
}

/** The appliance's card on QEMU's user network (1500-byte MTU): virtio-net modern-only without its boot ROM, or ne2k. */
function qemuNic(appliance: ApplianceSpec): string {
  return appliance.nic === 'virtio' ? 'virtio-net-pci,netdev=n0,disable-legacy=on,romfile=' : 'ne2k_pci,netdev=n0';
}

async function createQemu(options: EngineOptions): Promise<Engine> {
  // Users connect to the published port here; QEMU's own listener is an internal port behind a relay.
  const servers: Server[] = [];
  const internal: PortMapping[] = [];
  try {
    for (const mapping of options.publish) {
      const port = await freePort();
      servers.push(await relay(mapping, port));
      internal.push({ host: port, guest: mapping.guest });
    }
  } catch (error) {
    await Promise.all(servers.map(unpublish));
    if (error instanceof PortInUseError) throw error;
    throw new Error(`cannot publish a port: ${(error as Error).message}`, { cause: error });
  }
  const noKvm = kvmUnusable();
  process.stderr.write(`tabcloud: ${QEMU} with ${noKvm ? `TCG, emulated (${noKvm})` : 'KVM'}\n`);
  const child = spawn(QEMU, qemuArgs(options, internal, !noKvm), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    boot(events) {
      return new Promise((resolve, reject) => {
        let ready = false;
        const timer = setTimeout(
          () => reject(new Error(`no READY from QEMU within ${QEMU_READY_TIMEOUT_MS / 1000} s`)),
          QEMU_READY_TIMEOUT_MS,
        );
        const parser = new ConsoleParser((event) => {
          if (event.type === 'ready' && event.name === options.appliance.id && !ready) {
            ready = true;
            clearTimeout(timer);
            resolve();
          } else if (event.type === 'crash') {
            if (ready) events.crashed(`${options.appliance.id} crashed: ${event.message}`);
            else reject(new Error(`${options.appliance.id} crashed while booting: ${event.message}`));
          }
        });
        child.stdout.on('data', (data: Buffer) => {
          events.serial(data);
          for (const byte of data) parser.push(byte);
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(
            new Error(`cannot run ${QEMU}: ${error.message}. Install QEMU (Debian: apt-get install qemu-system-x86).`),
          );
        });
        child.once('close', (code) => {
          clearTimeout(timer);
          const message = `${QEMU} exited (${code}) ${stderr.trim()}`;
          // A Ctrl-C in the terminal reaches QEMU too; this process stops on the same signal.
          if (ready && !/terminating on signal/.test(stderr)) events.crashed(message);
          else if (!ready) reject(new Error(message));
        });
      });
    },
    sendSerial: (text) => void child.stdin.write(text, 'latin1'),
    async stop() {
      await Promise.all(servers.map(unpublish));
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
