import type { ErrorCode } from './errors.ts';
import type { OutboundPolicy } from './net/outbound.ts';

/** One appliance of the catalog (images/appliances.json). */
export interface ApplianceSpec {
  id: string;
  title: string;
  summary: string;
  /** Guest RAM in bytes. */
  memory: number;
  /** Guest TCP ports that serve something. */
  ports: number[];
  /**
   * Image URL relative to the site root, e.g. "images/hello.elf"; the bzImage for kind "linux". This and
   * the paths below are decompressed by the host if they end in ".gz".
   */
  image: string;
  /** "linux": `image` is a Linux bzImage booted after `bios` with `initrd`; absent: a multiboot ELF. */
  kind?: string;
  /** The Linux initramfs (kind "linux"), relative to the site root. */
  initrd?: string;
  /** The BIOS to run first (kind "linux": v86 boots a bzImage only through a BIOS). */
  bios?: string;
  /** The machine saved after boot (v86 state, gzip): booting resumes it unless a cold boot is asked for. */
  snapshot?: string;
  /**
   * The snapshot takes user-data after it resumes (`@userdata` on its console, images/js/README.md), so a boot
   * with user-data resumes it too.
   */
  snapshotTakesUserData?: boolean;
  /** Kernel command line, before the one a boot request adds. */
  cmdline?: string;
  /** How long a cold boot may take to READY (default 10 000 ms). */
  readyTimeoutMs?: number;
  /** The guest's network card: "virtio", else ne2k. */
  nic?: string;
  /**
   * The user-data it takes, for the page's editor: "json" (a JSON document), "files" (a ustar archive) or "script"
   * (a TypeScript or JavaScript module, transpiled to a bundle before it boots).
   */
  userData?: 'json' | 'files' | 'script';
}

/** What an emulator is built with before an image is loaded into it: its guest RAM and its network card. */
export interface MachineShape {
  /** Guest RAM in bytes. */
  memory: number;
  nic: 'ne2k' | 'virtio';
}

export type MachineState = 'off' | 'booting' | 'ready' | 'stopped' | 'crashed';

/**
 * The stages of one boot. Host stages are ms since boot() was called; guest stages are
 * ms since kernel entry, as the guest printed them (`@boot <stage> <ms>` on COM1).
 */
export interface BootTimeline {
  host: Record<string, number>;
  guest: Record<string, number>;
  /** When boot() was called, in ms since the Unix epoch: puts the host stages on another context's clock. */
  origin?: number;
}

/** Where a machine's network is: on the profile's LAN (worker/lan-hub.ts), or a private link with the host only. */
export interface LanStatus {
  /** 'lan': on the LAN with the other appliances; 'private': only the host is on its wire (`note` says why). */
  link: 'lan' | 'private';
  /** Its name on the LAN: DNS answers `<name>` and `<name>.tabcloud` (`kv-2` when another `kv` was there first). */
  name: string;
  /** Its address, dotted; on a private link, once its guest has a lease. */
  addr?: string;
  note?: string;
}

export interface MachineStatus {
  state: MachineState;
  timeline: BootTimeline;
  /** Its network, once it booted with a LAN port (MachineApi.attachLan). */
  lan?: LanStatus;
  /** Why the machine crashed or failed to boot. */
  error?: { code: ErrorCode; message: string };
}

export type MachineEvent =
  | { type: 'serial'; data: Uint8Array }
  | { type: 'status'; status: MachineStatus }
  /** The gateway answered a request that may have changed the guest's data (any method but GET, HEAD, OPTIONS). */
  | { type: 'written' };

/** The guest's network address when it was saved: a resumed guest keeps its lease and does not ask DHCP again. */
export interface GuestAddress {
  ip: number;
  mac: string;
}

/** A running machine as saveState() took it. */
export interface SavedMachine {
  /** The v86 state (RAM and devices), uncompressed. */
  state: ArrayBuffer;
  guest?: GuestAddress;
}

export interface BootRequest {
  appliance: ApplianceSpec;
  /** The name it serves under (/vm/<name>/, `<name>.tabcloud`); default the appliance's id. */
  name?: string;
  /** A machine saved by saveState() to resume, ready at once, instead of booting. */
  resume?: SavedMachine;
  /**
   * A saved machine as the page stores it (gzip of worker/saved-machine.ts's bytes), to resume like `resume`: the
   * worker inflates it, and its console tail is the boot's first serial output. One that does not decode fails the
   * boot, saying so.
   */
  savedMachine?: Uint8Array;
  /** Resume, like `savedMachine`, the saved machine given to prepare() (its bytes cross once, inflated ahead). */
  resumePrepared?: boolean;
  /** Kernel command line, after the appliance's own. */
  cmdline?: string;
  /** Multiboot module 0: the appliance's data or config. */
  userData?: Uint8Array;
  /** The kernel image itself (an appliance of the user's own), instead of fetching `appliance.image`. */
  image?: Uint8Array;
  /** Give up if the guest has not printed READY by then (default: the appliance's, else 10 000 ms). */
  readyTimeoutMs?: number;
  /** Boot the kernel even if the appliance has a snapshot. */
  cold?: boolean;
  /** What the guest may call on the web through the host's proxy (worker/net/proxy.ts); default nothing. */
  outbound?: OutboundPolicy;
}

/** What MachineApi.prepare readies ahead of a boot. */
export interface PrepareOptions {
  /** v86.wasm as another worker compiled it (MachineApi.v86Module). */
  wasm?: WebAssembly.Module;
  /** The machine to build ahead. */
  shape?: MachineShape;
  /** Image paths (as in ApplianceSpec) the next boot will likely load. */
  prefetch?: string[];
  /** The saved machine the next boot resumes (BootRequest.resumePrepared), inflated now. */
  savedMachine?: Uint8Array;
}

/** The API of one appliance worker, served with comlink (worker/worker.ts). */
export interface MachineApi {
  /** Boots the appliance; resolves once it printed `READY <id>`, rejects with a TabcloudError. */
  boot(request: BootRequest, listener: (event: MachineEvent) => void): Promise<MachineStatus>;
  /**
   * Readies the worker for its boot: `wasm` is v86.wasm as another worker compiled it (v86Module()), else this one
   * compiles it; with a `shape`, builds a machine of that shape ahead, so a boot that fits only loads its image and
   * starts the CPU; `prefetch` are image paths (as in ApplianceSpec) the next boot will likely load, fetched now; a
   * `savedMachine` is inflated now, while v86 compiles or the machine is built. Where the machine can join a LAN, the
   * Web Lock of its membership is taken now too. Resolves true once such a machine waits, false if none could be built
   * (the boot then starts v86 itself).
   */
  prepare(options: PrepareOptions): Promise<boolean>;
  /** v86.wasm as this worker compiled it (once per page: the page hands it to the next workers). */
  v86Module(): Promise<WebAssembly.Module>;
  /** Types text on the serial console. */
  sendSerial(text: string): void;
  /** Replaces the policy for the guest's calls out to the web (the user trusted it, or edited its allow-list). */
  setOutbound(policy: OutboundPolicy): void;
  status(): MachineStatus;
  /**
   * Gives the next boot a port to the LAN's switch (web/lan.ts memberPort()): it joins before its guest boots and
   * leaves when it stops. A boot without one, or whose join fails or takes too long, runs on a private link.
   */
  attachLan(port: MessagePort): void;
  /** Serves /vm/ gateway requests (GatewayRequest messages) that arrive on `port`. */
  attachGateway(port: MessagePort): void;
  /** Saves the running machine (to resume it later with BootRequest.resume); rejects unless it is ready. */
  saveState(): Promise<SavedMachine>;
  /** Stops the emulator and frees its memory. */
  stop(): Promise<void>;
  /**
   * Sends the frames on the appliance's wire to `listener` in batches, the recent ones first; a batch waits
   * for the promise a comlink proxy returns, so a slow page gets fewer, larger batches. Returns the watch's id.
   */
  watchFrames(listener: (batch: FrameBatch) => void | Promise<void>): number;
  /** Ends watchFrames(id). */
  unwatchFrames(id: number): void;
  /**
   * Sends one HTTP request to the guest, as the /vm/ gateway would, straight from the page: for frames that have no
   * service worker (an embed on another site) and to measure the gateway without one. Rejects with an Error whose
   * name is a GatewayErrorCode.
   */
  request(request: DirectRequest): Promise<DirectResponse>;
}

/** An HTTP request for MachineApi.request(). */
export interface DirectRequest {
  /** The guest's TCP port. */
  port: number;
  method: string;
  /** Path and query, as the guest sees them. */
  target: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
}

/** The guest's answer to a DirectRequest, body whole. */
export interface DirectResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

/** Frames seen on an appliance's wire, oldest first; the buffers are transferred, not copied. */
export interface FrameBatch {
  /** The frames, back to back. */
  bytes: ArrayBuffer;
  /** Each frame's length in bytes. */
  lengths: Uint32Array<ArrayBuffer>;
  /** Each frame's time, in ms since the Unix epoch. */
  times: Float64Array<ArrayBuffer>;
  /** Each frame's direction: 0 from the guest, 1 to the guest. */
  directions: Uint8Array<ArrayBuffer>;
  /** Frames left out before this batch: older than the recent ones kept, or more than a slow page could take. */
  dropped: number;
}
