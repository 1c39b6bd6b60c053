// The two ways the CLI runs an appliance: v86 in this process, or QEMU as a child process.
import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import { ConsoleParser } from '../worker/console-parser.ts';
import { NetLink } from '../worker/net-link.ts';
import { outboundFetch } from '../worker/outbound-fetch.ts';
import type { Mac } from '../worker/net/ethernet.ts';
import type { OutboundPolicy } from '../worker/net/outbound.ts';
import type { Lan } from '../worker/net/lan.ts';
import { pcapHeader, pcapRecord } from '../worker/net/pcap.ts';
import type { Network } from '../worker/net/network.ts';
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
  /** Give up if the guest has not printed READY by then (default: the appliance's, or QEMU_READY_TIMEOUT_MS). */
  readyTimeoutMs?: number;
  /** A member of a LAN (tabcloud up), instead of a network of its own. */
  lan?: LanAttachment | undefined;
  /** Hosts the guest may call on the web through the host's proxy (--allow-net; worker/net/outbound.ts); default none. */
  allowNet?: string[];
  /** How the user allows a host, in the proxy's 403 (default ALLOW_NET_HINT, run's option). */
  howToAllow?: string;
}

/** What an engine needs to put its appliance on a LAN: the other end is a LanSwitch's member. */
export interface LanAttachment {
  /** The member's name: the guest's DNS name, and its name for the host network. */
  name: string;
  /** The member's mirror of the LAN's addresses and names (DHCP gives the guest the member's address). */
  lan: Lan;
  /** Takes a frame the guest sent onto the LAN. */
  uplink(frame: Uint8Array): void;
  /** The guest's MAC where the engine chooses it (QEMU); v86 makes its own. */
  mac: Mac;
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
  /** A frame from the LAN for the guest (dropped if the appliance is not on a LAN or not running yet). */
  fromLan(frame: Uint8Array): void;
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
    ...(options.lan && { lan: options.lan.lan, uplink: options.lan.uplink }),
  });
  const servers = await publishAll(options.publish, () => machine.network);
  return {
    async boot(events) {
      await machine.boot(
        {
          appliance: options.appliance,
          ...(options.imageFile && { image: options.imageFile.bytes }),
          ...(options.cold && { cold: true }),
          ...(options.cmdline !== undefined && { cmdline: options.cmdline }),
          ...(options.userData && { userData: options.userData.bytes }),
          ...(options.lan && { name: options.lan.name }),
          ...(options.readyTimeoutMs !== undefined && { readyTimeoutMs: options.readyTimeoutMs }),
          outbound: outboundPolicy(options),
        },
        (event) => {
          if (event.type === 'serial') events.serial(event.data);
          else if (event.type === 'status' && event.status.state === 'crashed')
            events.crashed(event.status.error?.message ?? 'crashed');
        },
      );
    },
    sendSerial: (text) => machine.sendSerial(text),
    fromLan: (frame) => machine.fromLan(frame),
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

/** What the appliance may call on the web through the host's proxy. */
function outboundPolicy(options: EngineOptions): OutboundPolicy {
  return { allow: options.allowNet ?? [], howToAllow: options.howToAllow ?? ALLOW_NET_HINT };
}

/** Listens on every published port, `network()` the guest's; none is left listening if one fails. */
async function publishAll(mappings: PortMapping[], network: () => Network | undefined): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    for (const mapping of mappings) servers.push(await publish(mapping, network));
  } catch (error) {
    await Promise.all(servers.map(unpublish));
    if (error instanceof PortInUseError) throw error;
    throw new Error(`cannot publish a port: ${(error as Error).message}`, { cause: error });
  }
  return servers;
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

/** The guest's network under QEMU: its -netdev/-device arguments, and what runs beside it in this process. */
interface QemuNet {
  args: string[];
  fromLan(frame: Uint8Array): void;
  /** Stops publishing and the host side (after QEMU has exited). */
  close(): Promise<void>;
}

/** `net` is the guest's network arguments (netdev n0 and its card). */
function qemuArgs(options: EngineOptions, net: string[], kvm: boolean): string[] {
  const { appliance, userData } = options;
  // A Linux appliance brings its initramfs and command line; QEMU boots its bzImage with -kernel too.
  const initrd = appliance.initrd === undefined ? userData?.path : imagePath(appliance.initrd);
  const parts = [appliance.cmdline, options.cmdline].filter((part) => part !== undefined);
  const cmdline = parts.length > 0 ? parts.join(' ') : undefined;
  return [
    ...['-kernel', options.imageFile?.path ?? imagePath(appliance.image)],
    ...['-m', `${Math.ceil(appliance.memory / 2 ** 20)}M`, '-accel', kvm ? 'kvm' : 'tcg'],
    ...['-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-no-reboot', '-nodefaults'],
    ...net,
    ...(cmdline === undefined ? [] : ['-append', cmdline]),
    ...(initrd === undefined ? [] : ['-initrd', initrd]),
  ];
}

/** The appliance's card (1500-byte MTU): virtio-net modern-only without its boot ROM, or ne2k; `mac` if chosen. */
function qemuNic(appliance: ApplianceSpec, mac?: Mac): string {
  const card =
    appliance.nic === 'virtio' ? 'virtio-net-pci,netdev=n0,disable-legacy=on,romfile=' : 'ne2k_pci,netdev=n0';
  return mac === undefined ? card : `${card},mac=${mac}`;
}

/**
 * QEMU's user network (slirp), for `tabcloud run`: published ports go through QEMU's hostfwd. Users connect to the
 * published port here; QEMU's own listener is an internal port behind a relay.
 */
async function slirpNet(options: EngineOptions): Promise<QemuNet> {
  const servers: Server[] = [];
  const forwards: string[] = [];
  try {
    for (const mapping of options.publish) {
      const port = await freePort();
      servers.push(await relay(mapping, port));
      forwards.push(`,hostfwd=tcp:127.0.0.1:${port}-:${mapping.guest}`);
    }
  } catch (error) {
    await Promise.all(servers.map(unpublish));
    if (error instanceof PortInUseError) throw error;
    throw new Error(`cannot publish a port: ${(error as Error).message}`, { cause: error });
  }
  const { pcap } = options;
  return {
    args: [
      ...['-netdev', `user,id=n0${forwards.join('')}`, '-device', qemuNic(options.appliance)],
      ...(pcap === undefined ? [] : ['-object', `filter-dump,id=dump0,netdev=n0,file=${pcap}`]),
    ],
    fromLan: () => {},
    close: async () => void (await Promise.all(servers.map(unpublish))),
  };
}

/** QEMU's MTU on a stream backend: what its cards take. */
const QEMU_MTU = 1500;
/** Bytes queued to a QEMU that does not read; beyond, frames are dropped (as a full NIC ring would). */
const QEMU_QUEUE_MAX = 4 << 20;

/**
 * On a LAN (tabcloud up), QEMU's stream backend connects to a socket here, and the guest's network is a host
 * NetLink in this process as for v86: the same DHCP, DNS, publishing, web proxy and LAN. The stream carries each frame
 * after its length (4 bytes, big-endian).
 */
async function lanNet(options: EngineOptions, attach: LanAttachment): Promise<QemuNet> {
  const pcap = options.pcap === undefined ? undefined : await openPcap(options.pcap);
  let qemu: Socket | undefined;
  const link = new NetLink({
    name: attach.name,
    lan: attach.lan,
    uplink: attach.uplink,
    mtu: QEMU_MTU,
    proxy: { fetch: outboundFetch('node'), policy: () => outboundPolicy(options) },
    deliver: (frame) => {
      if (!qemu || qemu.writableLength > QEMU_QUEUE_MAX) return;
      const head = Buffer.alloc(4);
      head.writeUInt32BE(frame.length);
      qemu.write(head);
      qemu.write(frame);
    },
    ...(pcap && { tap: (frame, timeMs) => pcap.write(pcapRecord(frame, timeMs)) }),
  });
  const server = createServer({ noDelay: true }, (socket) => {
    if (qemu) return void socket.destroy(); // only the one QEMU connects
    qemu = socket;
    socket.on('error', () => undefined);
    readFrames(socket, (frame) => link.receive(frame));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let servers: Server[] = [];
  try {
    servers = await publishAll(options.publish, () => link.network);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    args: [
      ...['-netdev', `stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=${port}`],
      ...['-device', qemuNic(options.appliance, attach.mac)],
    ],
    fromLan: (frame) => link.fromLan(frame),
    async close() {
      await Promise.all(servers.map(unpublish));
      link.close();
      qemu?.destroy();
      await new Promise((resolve) => server.close(resolve));
      if (pcap) {
        pcap.end();
        await finished(pcap);
      }
    },
  };
}

/** Calls `frame` with each length-prefixed frame the socket carries. */
function readFrames(socket: Socket, frame: (bytes: Uint8Array) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const length = pending.readUInt32BE(at);
      if (pending.length - at - 4 < length) break;
      frame(new Uint8Array(pending.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    pending = pending.subarray(at);
  });
}

async function createQemu(options: EngineOptions): Promise<Engine> {
  const net = options.lan ? await lanNet(options, options.lan) : await slirpNet(options);
  const noKvm = kvmUnusable();
  process.stderr.write(`tabcloud: ${QEMU} with ${noKvm ? `TCG, emulated (${noKvm})` : 'KVM'}\n`);
  const child = spawn(QEMU, qemuArgs(options, net.args, !noKvm), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    boot(events) {
      return new Promise((resolve, reject) => {
        let ready = false;
        const readyMs = options.readyTimeoutMs ?? QEMU_READY_TIMEOUT_MS;
        const timer = setTimeout(() => reject(new Error(`no READY from QEMU within ${readyMs / 1000} s`)), readyMs);
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
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          const how = signal ? `was killed (${signal})` : `exited (${code})`;
          const message = `${QEMU} ${how}${stderr.trim() && `: ${stderr.trim()}`}`;
          // A Ctrl-C in the terminal reaches QEMU too; this process stops on the same signal.
          if (ready && !/terminating on signal/.test(stderr)) events.crashed(message);
          else if (!ready) reject(new Error(message));
        });
      });
    },
    sendSerial: (text) => void child.stdin.write(text, 'latin1'),
    fromLan: (frame) => net.fromLan(frame),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await net.close();
    },
  };
}
