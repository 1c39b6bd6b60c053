// One appliance's machine: boots it, follows its console, reports its state.
import { transfer } from 'comlink';
import { ConsoleParser, type ConsoleEvent } from './console-parser.ts';
import { EmulatorPool } from './emulator-pool.ts';
import { Emulator, nicMtu, type EmulatorOptions } from './emulator.ts';
import { TabcloudError } from './errors.ts';
import { FrameFeed, type FrameListener } from './frame-feed.ts';
import { Gateway } from './gateway.ts';
import type { HoldLock } from './lan-client.ts';
import { MachineLan } from './machine-lan.ts';
import { NetLink, type NetLinkOptions } from './net-link.ts';
import type { Network } from './net/network.ts';
import { noOutbound, type OutboundPolicy } from './net/outbound.ts';
import type { OutboundFetch } from './net/proxy.ts';
import type {
  BootRequest,
  DirectRequest,
  DirectResponse,
  MachineApi,
  MachineEvent,
  MachineStatus,
  PrepareOptions,
  SavedMachine,
} from './protocol.ts';
import { decodeMachine, gunzip, SavedMachineError, type MachineImage } from './saved-machine.ts';
import { applianceNic, machineShape } from './shape.ts';
import { readV86StateAhead } from './v86-state.ts';

/** What differs between a browser worker and Node. */
export interface MachineHost {
  /** Fetches an image by its catalog path; rejects with code image-not-found. */
  loadImage(path: string): Promise<ArrayBuffer>;
  /** v86.wasm compiled (once per page or process: every machine instantiates the same module). */
  v86Module(): Promise<WebAssembly.Module>;
  /** Sees every frame on the appliance's wire (e.g. to write a pcap). */
  tap?: NetLinkOptions['tap'];
  /** A LAN member's mirror of the LAN's addresses and names, and where its guest's frames for the LAN go. */
  lan?: NetLinkOptions['lan'];
  uplink?: NetLinkOptions['uplink'];
  /** Decompresses a .gz image (default: DecompressionStream; Node's zlib is faster). */
  gunzip?(bytes: ArrayBuffer): Promise<ArrayBuffer>;
  /** Holds a Web Lock for the life of a LAN membership (worker/web-locks.ts); without it, no LAN. */
  holdLock?: HoldLock;
  /** The guest's calls out to the web go through this fetch (worker/outbound-fetch.ts); without it, none do. */
  fetch?: OutboundFetch;
}

/** The policy of a boot request that brings none: nothing goes out. */
const NO_OUTBOUND = noOutbound('allow <host> where the appliance runs (see README.md, "Calls out to the web")');

const DEFAULT_READY_TIMEOUT_MS = 10_000;
/** A snapshot is saved while the guest waits for a console line; this line wakes it (images/linux/README.md). */
const RESUME_LINE = '\n';
/** Serial output is batched into one event per this many ms, so a chatty guest costs few messages. */
const SERIAL_FLUSH_MS = 4;
/** After a crash line the kernel prints its registers, then HALTED; wait at most this long for it. */
const CRASH_DUMP_MS = 500;
/** Frames kept for a link not made yet (the guest's DHCP and ARP while the LAN join ends); beyond, they are dropped. */
const EARLY_FRAMES_MAX = 64;
/** Typed on the console of a resumed guest whose address is taken on the LAN: ^U clears a half-typed line. */
const RENEW_LINE = '\x15net renew\n';

type Listener = (event: MachineEvent) => void;
/** What the emulator starts from: a saved state, or a kernel and what it boots with. */
type BootImages = Pick<EmulatorOptions, 'kernel' | 'bzimage' | 'state' | 'freshMac' | 'initrd' | 'bios' | 'cmdline'>;

/** Implements the worker API for one appliance, in a Web Worker or in Node. */
export class Machine implements MachineApi {
  private emulator: Emulator | undefined;
  private link: NetLink | undefined;
  private gateway: Gateway | undefined;
  private readonly frames = new FrameFeed();
  private current: MachineStatus = { state: 'off', timeline: { host: {}, guest: {} } };
  private listener: Listener = () => {};
  /** The appliance's id, which its READY line names. */
  private id = '';
  /** The name it serves under on the LAN and the gateway. */
  private name = '';
  private bootStart = 0;
  private pending: number[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private settle: ((error?: TabcloudError) => void) | undefined;
  /** The name in a READY line that was not this appliance's id, for the boot-timeout message. */
  private readyAs: string | undefined;
  /** User-data for a resumed snapshot that takes it once it asks (`@userdata`). */
  private handover: Uint8Array | undefined;
  /** What the guest may call on the web. */
  private outbound: OutboundPolicy = NO_OUTBOUND;
  /** v86.wasm, the machine built ahead, the images fetched ahead. */
  private readonly pool: EmulatorPool;
  /** Its place on the LAN; a resumed guest whose address was taken is ready once it has its new lease. */
  private readonly lan: MachineLan;
  private renewing = false;
  /** Frames the guest sent before its link was made, for the link. */
  private early: Uint8Array[] = [];
  /** The saved machine prepare() was given, being inflated for the boot that resumes it. */
  private opening: Promise<MachineImage> | undefined;
  constructor(private readonly host: MachineHost) {
    this.pool = new EmulatorPool(host);
    this.lan = new MachineLan(host.holdLock);
  }

  prepare(options: PrepareOptions): Promise<boolean> {
    this.lan.prepare();
    const bytes = options.savedMachine;
    if (bytes) {
      this.opening = this.open(bytes);
      this.opening.catch(() => {}); // the boot that resumes it fails saying why
    }
    return this.pool.prepare(options);
  }

  v86Module(): Promise<WebAssembly.Module> {
    return this.pool.v86Module();
  }

  async boot(request: BootRequest, listener: Listener): Promise<MachineStatus> {
    if (this.emulator || this.current.state === 'booting') {
      throw new TabcloudError('already-booted', `${this.id} is already running: stop it first.`);
    }
    this.id = request.appliance.id;
    this.readyAs = undefined;
    this.name = request.name ?? this.id;
    this.outbound = request.outbound ?? NO_OUTBOUND;
    this.listener = listener;
    this.bootStart = performance.now();
    const origin = performance.timeOrigin + this.bootStart;
    this.setStatus({ state: 'booting', timeline: { host: {}, guest: {}, origin } });
    const settled = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    if (request.savedMachine || request.resumePrepared) {
      try {
        const { console: tail, ...saved } = await this.opened(request.savedMachine);
        if (tail.length > 0) this.listener({ type: 'serial', data: tail });
        request = { ...request, resume: saved };
      } catch (error) {
        this.fail(new TabcloudError('emulator-failed', `${this.name}: ${(error as Error).message}`));
        return settled.then(() => this.status());
      }
    }
    // A saved machine needs the RAM it was saved with; the machine is built (or taken warm) while the images load.
    const shape = machineShape(request.appliance, request.resume?.state);
    const blank = shape && this.pool.machine(shape, (stage) => this.mark(stage));
    blank?.catch(() => {}); // handled where it is awaited
    this.renewing = false;
    const joining = this.lan.join(request.appliance, this.name, request.resume?.guest?.ip);
    let loaded: Promise<Emulator> | undefined;
    try {
      const images = await this.loadImages(request);
      this.mark(images.state ? 'snapshot-loaded' : 'image-loaded');
      const callbacks = this.emulatorCallbacks();
      // A machine built ahead restores the state (or loads the kernel) while the LAN join ends; it runs once the
      // guest's link is made, which needs the join.
      loaded = blank
        ?.then((machine) => this.pool.sizedFor(machine, images.state, (stage) => this.mark(stage)))
        .then((machine) => Emulator.load(machine, { ...images, ...callbacks }));
      loaded?.catch(() => {}); // handled where it is awaited
      // A resumed guest runs once its link is made: whether it keeps its saved address depends on the join. A booting
      // guest sends nothing for its first milliseconds: it runs while the join ends, its first frames wait (early).
      if (request.resume) await this.connect(joining, request);
      const emulator = loaded ? await loaded : await this.startEmulator(request, images, callbacks);
      this.emulator = emulator;
      await emulator.run();
      if (request.resume) this.resumed(request.resume);
      else {
        if (images.state) emulator.sendSerial(new TextEncoder().encode(RESUME_LINE));
        await this.connect(joining, request);
      }
    } catch (error) {
      void blank?.then((machine) => machine.destroy()).catch(() => {});
      if (!this.emulator) void loaded?.then((emulator) => emulator.destroy()).catch(() => {});
      const failure = error instanceof TabcloudError ? error : this.emulatorError(error);
      this.fail(failure);
    }
    const timeout = request.readyTimeoutMs ?? request.appliance.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const timer = setTimeout(() => {
      // An image of one's own whose manifest names it otherwise: say which id it answers to.
      const why = this.renewing
        ? 'its saved address is taken on the LAN and it did not take a new one: restart it.'
        : this.readyAs
          ? `it printed READY ${this.readyAs}, so its appliance.json must say "id": "${this.readyAs}".`
          : 'the guest hangs or crashed early. Check its console, then restart it.';
      this.fail(
        new TabcloudError('boot-timeout', `${this.id} did not print READY ${this.id} within ${timeout} ms: ${why}`),
      );
    }, timeout);
    try {
      await settled;
    } finally {
      clearTimeout(timer);
    }
    return this.status();
  }

  sendSerial(text: string): void {
    if (!this.emulator || !this.running())
      throw new TabcloudError('not-running', `${this.id || 'The appliance'} is not running: boot it first.`);
    this.emulator.sendSerial(new TextEncoder().encode(text));
  }

  setOutbound(policy: OutboundPolicy): void {
    this.outbound = policy;
  }

  /** A frame from the LAN for the guest (dropped while it does not run). */
  fromLan(frame: Uint8Array): void {
    this.link?.fromLan(frame);
  }

  /** The host side of the appliance's network, while it runs. */
  get network(): Network | undefined {
    return this.link?.network;
  }

  attachLan(port: MessagePort): void {
    this.lan.attach(port);
  }

  attachGateway(port: MessagePort): void {
    this.gatewayFor().attach(port);
  }

  async request(request: DirectRequest): Promise<DirectResponse> {
    const response = await this.gatewayFor().request(request);
    return transfer(response, [response.body]);
  }

  private gatewayFor(): Gateway {
    this.gateway ??= new Gateway(
      () => ({ name: this.name, network: this.network }),
      () => this.listener({ type: 'written' }),
      () => this.answered(),
    );
    return this.gateway;
  }

  status(): MachineStatus {
    const lan = this.lan.status(this.name, this.network);
    return structuredClone({ ...this.current, ...(lan && { lan }) });
  }

  watchFrames(listener: FrameListener): number {
    return this.frames.watch(listener);
  }

  unwatchFrames(id: number): void {
    this.frames.unwatch(id);
  }

  async saveState(): Promise<SavedMachine> {
    const { emulator, network } = this;
    if (!emulator || this.current.state !== 'ready') {
      throw new TabcloudError(
        'not-running',
        `${this.name || 'The appliance'} is not running: only a ready machine can be saved.`,
      );
    }
    // Host connections are not saved: after a resume the host stack resets whatever the guest still holds.
    const state = await emulator.saveState();
    return { state, ...(network?.guest && { guest: { ...network.guest } }) };
  }

  async stop(): Promise<void> {
    this.pool.dispose();
    this.flushSerial();
    await this.destroyEmulator();
    if (this.running()) {
      this.setStatus({ ...this.current, state: 'stopped' });
      this.settle?.(new TabcloudError('not-running', `${this.id} was stopped before it was ready.`));
    }
  }

  /**
   * The emulator failed outside any call: v86 throws from its own timers, e.g. on a damaged saved state. The host
   * reports it here (a worker's error event), so the boot fails now, with a reason, instead of timing out.
   */
  emulatorFailed(error: unknown): void {
    this.pool.failed();
    this.fail(this.emulatorError(error));
  }

  /** The error of an emulator that failed, saying what to do: a saved machine that fails is most likely damaged. */
  private emulatorError(error: unknown): TabcloudError {
    const reason = error instanceof Error ? error.message : String(error);
    return new TabcloudError(
      'emulator-failed',
      `The emulator stopped running ${this.name}: ${reason}. If it was resumed from a link or a file, that saved machine is damaged: press Restart to boot it afresh.`,
    );
  }

  /** The saved machine `bytes` decoded now, else (BootRequest.resumePrepared) the one prepare() inflated ahead. */
  private opened(bytes: Uint8Array | undefined): Promise<MachineImage> {
    const ahead = this.opening;
    this.opening = undefined;
    if (bytes) return this.open(bytes);
    return ahead ?? Promise.reject(new SavedMachineError('The worker was given no saved machine to resume'));
  }

  /**
   * Inflates a saved machine as the page stores it, here rather than in the page, whose thread also draws the view,
   * and reads its v86 state (both ahead of boot() when prepare() opens it). Throws a SavedMachineError for bytes that
   * are not one.
   */
  private async open(bytes: Uint8Array): Promise<MachineImage> {
    const inflated = await this.inflate(copyToBuffer(bytes)).catch(() => {
      throw new SavedMachineError('The saved machine is damaged (it does not inflate)');
    });
    const machine = decodeMachine(new Uint8Array(inflated));
    readV86StateAhead(machine.state);
    return machine;
  }

  /** Decompresses gzip with the host's inflater (Node's zlib), else the platform's DecompressionStream. */
  private async inflate(bytes: ArrayBuffer): Promise<ArrayBuffer> {
    if (this.host.gunzip) return this.host.gunzip(bytes);
    return (await gunzip(new Uint8Array(bytes))).buffer;
  }

  /** A machine saved while ready is ready as soon as it runs: it will not print READY again. */
  private resumed(saved: SavedMachine): void {
    if (this.lan.mustRenew(saved.guest)) {
      // Another appliance has its address now: the guest drops it and asks DHCP, whose pool is its new one.
      this.renewing = true;
      this.emulator?.sendSerial(new TextEncoder().encode(RENEW_LINE));
      return;
    }
    if (saved.guest && !this.link?.network.restoreGuest(saved.guest)) {
      this.fail(new TabcloudError('emulator-failed', `${this.name}: its saved address is taken on this network.`));
      return;
    }
    this.becomeReady();
  }

  private becomeReady(): void {
    this.mark('ready');
    this.setStatus({ ...this.current, state: 'ready' });
    this.settle?.();
  }

  private running(): boolean {
    return this.current.state === 'booting' || this.current.state === 'ready';
  }

  /**
   * The appliance's snapshot, unless the request asks for a cold boot or brings a command line or
   * user-data (which only a cold boot takes); else its kernel with its initrd or the user-data, and its BIOS.
   */
  private async loadImages(request: BootRequest): Promise<BootImages> {
    const { appliance, userData } = request;
    if (request.resume) return { state: request.resume.state };
    // Files ending in .gz travel compressed; v86 gets them inflated (faster than a guest's inflate).
    const load = async (path: string): Promise<ArrayBuffer> => {
      const bytes = await this.pool.loadImage(path);
      // A server may send a .gz file with Content-Encoding: gzip (vite preview does): then it arrives inflated.
      return path.endsWith('.gz') && isGzip(bytes) ? this.inflate(bytes) : bytes;
    };
    const linux = appliance.kind === 'linux';
    if (linux && userData) {
      throw new TabcloudError('emulator-failed', `${appliance.id} takes no user-data: boot it without.`);
    }
    if (appliance.snapshot && !request.cold && request.cmdline === undefined) {
      // A snapshot that takes user-data was saved before the guest's network came up: each resume gets a MAC of its own.
      const freshMac = appliance.snapshotTakesUserData === true;
      if (!userData) return { state: await load(appliance.snapshot), freshMac };
      if (appliance.snapshotTakesUserData) {
        this.handover = userData;
        return { state: await load(appliance.snapshot), freshMac };
      }
    }
    const parts = [appliance.cmdline, request.cmdline].filter((part) => part !== undefined);
    const [kernel, initrd, bios] = await Promise.all([
      request.image ? copyToBuffer(request.image) : load(appliance.image),
      linux && appliance.initrd ? load(appliance.initrd) : userData && copyToBuffer(userData),
      appliance.bios === undefined ? undefined : load(appliance.bios),
    ]);
    return { kernel, bzimage: linux, initrd, bios, ...(parts.length > 0 && { cmdline: parts.join(' ') }) };
  }

  /**
   * Ends the LAN join, then makes the guest's link and hands it the frames the guest sent before (the page hears the
   * machine's LAN name and address). Nothing if the machine stopped or failed meanwhile.
   */
  private async connect(joining: Promise<void>, request: BootRequest): Promise<void> {
    const emulator = this.emulator;
    await joining;
    if (this.emulator !== emulator || !this.running()) return;
    if (this.lan.status(this.name, undefined)?.link === 'lan') this.mark('lan-joined');
    this.setStatus({ ...this.current });
    const link = this.linkFor(request);
    this.link = link;
    for (const frame of this.early.splice(0)) link.receive(frame);
  }

  /**
   * What the emulator calls: the guest's serial output to the console parser, its frames to the current link (or,
   * before the link is made, to `early`).
   */
  private emulatorCallbacks(): Pick<EmulatorOptions, 'onSerial' | 'onFrame' | 'onStage'> {
    const parser = new ConsoleParser((event) => this.onConsole(event));
    this.early = [];
    return {
      onStage: (stage) => this.mark(stage),
      onFrame: (frame) => {
        if (this.link) this.link.receive(frame);
        else if (this.early.length < EARLY_FRAMES_MAX) this.early.push(frame);
      },
      onSerial: (byte) => {
        this.queueSerial(byte);
        parser.push(byte);
      },
    };
  }

  /** The guest's link to the host's network (and the LAN, if the machine joined it). */
  private linkFor(request: BootRequest): NetLink {
    const link = new NetLink({
      ...this.lan.linkOptions(this.name),
      onLease: () => this.leased(),
      mtu: nicMtu(applianceNic(request.appliance)),
      deliver: (frame) => this.emulator?.receiveFrame(frame),
      room: () => this.emulator?.nicRoom(),
      ...(this.host.lan && { lan: this.host.lan }),
      ...(this.host.uplink && { uplink: this.host.uplink }),
      ...(this.host.fetch && { proxy: { fetch: this.host.fetch, policy: () => this.outbound } }),
      tap: (frame, timeMs, direction) => {
        this.frames.push(frame, timeMs, direction);
        this.host.tap?.(frame, timeMs, direction);
      },
    });
    this.lan.connect(link);
    return link;
  }

  /** Starts v86 from nothing (no machine built ahead: a BIOS boot, or a host that builds none). */
  private async startEmulator(
    request: BootRequest,
    images: BootImages,
    callbacks: Pick<EmulatorOptions, 'onSerial' | 'onFrame' | 'onStage'>,
  ): Promise<Emulator> {
    return Emulator.start({
      ...images,
      ...callbacks,
      memory: request.appliance.memory,
      nic: applianceNic(request.appliance),
      wasm: await this.pool.v86Module(),
    });
  }

  private onConsole(event: ConsoleEvent): void {
    const timeline = this.current.timeline;
    switch (event.type) {
      case 'boot-stage':
        timeline.guest[event.stage] = event.ms;
        this.placeKernelEntry(event.ms);
        return;
      case 'ready':
        if (event.name === this.id && this.current.state === 'booting') this.becomeReady();
        else this.readyAs = event.name;
        return;
      case 'crash':
        this.fail(
          new TabcloudError(
            'guest-crashed',
            `${this.id} crashed: ${event.message}. Restart it; if it crashes again, the image is broken.`,
          ),
          CRASH_DUMP_MS,
        );
        return;
      case 'userdata':
        this.handOver(event.address, event.room);
        return;
      case 'halted':
        this.flushSerial();
        void this.destroyEmulator();
        return;
    }
  }

  /** Writes the user-data where the resumed snapshot asked for it, then tells it the length. */
  private handOver(address: number, room: number): void {
    const data = this.handover ?? new Uint8Array();
    this.handover = undefined;
    if (!this.emulator || this.current.state !== 'booting') return;
    if (data.length > room) {
      this.fail(
        new TabcloudError(
          'emulator-failed',
          `${this.id}'s user-data is ${data.length} bytes; it takes at most ${room}. Make it smaller.`,
        ),
      );
      return;
    }
    this.emulator.writeMemory(address, data);
    this.emulator.sendSerial(new TextEncoder().encode(`${data.length}\n`));
  }

  /**
   * Ends a boot or a run with an error. The machine is stopped after `graceMs`, so the
   * console still shows what the guest prints about its fault; the console is kept.
   */
  private fail(error: TabcloudError, graceMs = 0): void {
    if (!this.running()) return;
    this.flushSerial();
    this.setStatus({ ...this.current, state: 'crashed', error: { code: error.name, message: error.message } });
    this.settle?.(error);
    const emulator = this.emulator;
    setTimeout(() => {
      if (this.emulator === emulator) void this.destroyEmulator();
    }, graceMs);
  }

  /** The guest has a lease: a renewing resumed guest is ready; the page hears its address. */
  private leased(): void {
    if (this.renewing && this.current.state === 'booting') {
      this.renewing = false;
      this.becomeReady();
    } else if (this.running()) this.setStatus({ ...this.current });
  }

  private async destroyEmulator(): Promise<void> {
    const emulator = this.emulator;
    this.emulator = undefined;
    this.link?.close();
    this.link = undefined;
    this.lan.leave();
    await emulator?.destroy();
  }

  /** The first request the gateway got an answer to closes the boot timeline. */
  private answered(): void {
    if (this.current.state !== 'ready' || this.current.timeline.host['first-request'] !== undefined) return;
    this.mark('first-request');
    this.setStatus({ ...this.current });
  }

  private mark(stage: string): void {
    this.current.timeline.host[stage] = Math.round((performance.now() - this.bootStart) * 1000) / 1000;
  }

  /**
   * Puts the guest's clock on the host's: a `@boot` line arrives after the stage it reports, so the kernel
   * entered at most (arrival - its ms) ago; host stage `kernel-entry` is the tightest such bound, never before
   * the emulator started (whose first instruction can lag emulator-started by tens of ms).
   */
  private placeKernelEntry(ms: number): void {
    const host = this.current.timeline.host;
    const bound = performance.now() - this.bootStart - ms;
    const entry = Math.max(host['emulator-started'] ?? 0, Math.min(host['kernel-entry'] ?? Infinity, bound));
    host['kernel-entry'] = Math.round(entry * 1000) / 1000;
  }

  private setStatus(status: MachineStatus): void {
    this.current = status;
    this.listener({ type: 'status', status: this.status() });
  }

  private queueSerial(byte: number): void {
    this.pending.push(byte);
    this.flushTimer ??= setTimeout(() => this.flushSerial(), SERIAL_FLUSH_MS);
  }

  private flushSerial(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const data = Uint8Array.from(this.pending);
    this.pending = [];
    this.listener({ type: 'serial', data });
  }
}

function copyToBuffer(bytes: Uint8Array): ArrayBuffer {
  // Not bytes.slice(): on a Node Buffer that is a view, and a small Buffer's .buffer is a pool of other data.
  return new Uint8Array(bytes).buffer;
}

/** Whether the bytes start with gzip's magic number. */
function isGzip(bytes: ArrayBuffer): boolean {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  return head[0] === 0x1f && head[1] === 0x8b;
}
