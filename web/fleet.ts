// The appliances this tab runs: one worker each, each reachable through the /vm/ gateway, each saved
// to storage so that a reload resumes it.
import * as Comlink from 'comlink';
import type {
  ApplianceSpec,
  DirectRequest,
  DirectResponse,
  FrameBatch,
  MachineEvent,
  MachineStatus,
} from '../worker/protocol.ts';
import { startMachineWorker, type MachineClient } from './machine-client.ts';
import type { PageLan } from './lan.ts';
import { outboundPolicy } from './outbound-panel.ts';
import { encodeMachine, gzip, type MachineImage } from '../worker/saved-machine.ts';
import { defaultScript } from './script-templates.ts';
import { putSaved, recordBootTime, type SavedAppliance } from './storage.ts';
import { scriptBundle } from './transpiler.ts';
import { concatBytes } from '../worker/net/bytes.ts';
import { machineShape, savedMemorySize } from '../worker/shape.ts';

/** Console output kept per appliance, so a view opened later shows what came before. */
const BACKLOG_BYTES = 256 * 1024;
/** After a write through the gateway, save once things went quiet for this long. */
const AUTOSAVE_DELAY_MS = 250;

/** What a running appliance tells its views: machine events, and when it was saved. */
export type ApplianceEvent = MachineEvent | { type: 'saved'; at: number };
type Listener = (event: ApplianceEvent) => void;

/** Hands a port that reaches an appliance's worker to whoever serves /vm/<name>/ (the service worker). */
export type Publish = (name: string, port: MessagePort | undefined, options?: { sandbox: boolean }) => void;

export interface FleetHooks {
  publish: Publish;
  /** An error the user must see (a failed save, a snapshot that would not resume). */
  onError(message: string): void;
  /** Whether machines save themselves to storage (default true; an embed keeps nothing). */
  autosave?: boolean;
  /** The LAN every machine joins (web/lan.ts); without it, each runs on a private link. */
  lan?: PageLan;
}

/** A running machine as storage keeps it (SavedAppliance): gzip of its bytes, when, and its RAM if the state says. */
export async function storedMachine(
  image: MachineImage,
): Promise<{ snapshot: Uint8Array; savedAt: number; snapshotMemory?: number }> {
  const memory = savedMemorySize(image.state);
  return {
    snapshot: await gzip(encodeMachine(image)),
    savedAt: Date.now(),
    ...(memory !== undefined && { snapshotMemory: memory }),
  };
}

/** One running appliance: its worker, its status and its recent console output. */
export class RunningAppliance {
  status: MachineStatus = { state: 'off', timeline: { host: {}, guest: {} } };
  savedAt: number | undefined;
  /** When this tab started the current (or last) worker, in Unix ms: time zero of its boot timeline. */
  workerStartedAt: number | undefined;
  private client: MachineClient | undefined;
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private readonly listeners = new Set<Listener>();
  private saving: Promise<void> = Promise.resolve();
  private autosaveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly spec: ApplianceSpec,
    readonly saved: SavedAppliance,
    private readonly hooks: FleetHooks,
  ) {
    this.savedAt = saved.savedAt;
  }

  get name(): string {
    return this.saved.name;
  }

  /**
   * Boots (again) in a fresh worker: resumes its saved machine unless `cold`, else boots its kernel with its
   * user-data. Resolves when ready, rejects with the boot error.
   */
  async boot(options: { cold?: boolean } = {}): Promise<void> {
    this.client?.terminate();
    this.backlog = [];
    this.backlogBytes = 0;
    // The worker builds its machine while the page gets the boot ready, so that boot() only loads or restores.
    const client = startMachineWorker(machineShape(this.spec));
    this.client = client;
    this.workerStartedAt = client.startedAt;
    try {
      this.connectGateway();
      // Its port to the LAN's switch: the worker joins with it before the guest boots, and leaves when it ends.
      const lanPort = this.hooks.lan?.memberPort();
      if (lanPort) void client.api.attachLan(Comlink.transfer(lanPort, [lanPort]));
      const listener = (event: MachineEvent): void => {
        if (this.client === client) this.dispatch(event);
      };
      // The worker inflates the saved machine and sends its console tail first: this thread also draws the page, and
      // a resume would wait for it. It has the bytes now, to inflate them while v86 compiles or its machine is built;
      // the RAM stored beside them lets it build a machine of that size.
      const saved = options.cold ? undefined : this.saved.snapshot;
      const shape = machineShape(this.spec);
      const memory = this.saved.snapshotMemory;
      if (saved) client.fit(shape && memory ? { ...shape, memory } : undefined, saved);
      // A resumed machine has its script loaded already; booting from source needs the bundle.
      const userData = saved ? undefined : await this.bootUserData(client);
      await client.prepared;
      if (this.client !== client) return;
      const request = {
        appliance: this.spec,
        name: this.name,
        ...(saved && { resumePrepared: true }),
        ...(userData && { userData }),
        ...(this.saved.image && { image: this.saved.image }),
        ...(options.cold && { cold: true }),
        outbound: outboundPolicy(this.saved),
      };
      const status = await client.api.boot(request, Comlink.proxy(listener));
      const ready = status.timeline.host['ready'];
      if (!saved && !this.saved.image && ready !== undefined) recordBootTime(this.spec.id, ready);
    } finally {
      // The next boot of this kind finds a warm machine, built once this one is done, so as not to slow it (unless a
      // card asked for another kind meanwhile). An image of one's own has no path to fetch ahead: its spare gets v86 only.
      client.booted(this.saved.image ? undefined : this.spec);
    }
  }

  /**
   * The user-data the guest boots with: the saved bytes, or for a script (kind "script", the first template when there
   * is none) the bundle it transpiles to. A script that does not compile stops the boot and the user hears why.
   */
  private async bootUserData(client: MachineClient): Promise<Uint8Array | undefined> {
    const { userData } = this.saved;
    if (this.spec.userData !== 'script') return userData && userData.length > 0 ? userData : undefined;
    const source = userData && userData.length > 0 ? userData : new TextEncoder().encode(defaultScript());
    try {
      return await scriptBundle(source);
    } catch (error) {
      if (this.client === client) {
        this.hooks.onError(`${this.saved.label}: ${(error as Error).message}`);
        this.stop();
        this.dispatch({ type: 'status', status: { ...this.status, state: 'stopped' } });
      }
      throw error;
    }
  }

  /** Sends a fresh gateway port to the service worker (also after it restarted). */
  connectGateway(): void {
    if (!this.client) return;
    const { port1, port2 } = new MessageChannel();
    void this.client.api.attachGateway(Comlink.transfer(port1, [port1]));
    this.hooks.publish(this.name, port2, { sandbox: !this.saved.trusted });
  }

  /** Gives the running guest the policy for calls out that the saved appliance now has (trusted, its list). */
  applyOutbound(): void {
    void this.client?.api.setOutbound(outboundPolicy(this.saved)).catch(() => {});
  }

  /** Streams the frames on the current worker's wire (MachineApi.watchFrames); returns the unwatch. */
  watchFrames(listener: (batch: FrameBatch) => void): () => void {
    const api = this.client?.api;
    if (!api) return () => {};
    const id = api.watchFrames(Comlink.proxy(listener));
    return () => void id.then((n) => api.unwatchFrames(n)).catch(() => {});
  }

  /** Sends one HTTP request straight to the guest through its worker (MachineApi.request), no service worker. */
  request(request: DirectRequest): Promise<DirectResponse> {
    if (!this.client) return Promise.reject(new Error(`${this.name} is not running: boot it first.`));
    return this.client.api.request(request);
  }

  sendSerial(text: string): void {
    void this.client?.api.sendSerial(text).catch(() => {});
  }

  /** The running machine with its console tail, as bytes (worker/saved-machine.ts). */
  async snapshot(): Promise<Uint8Array> {
    return encodeMachine(await this.machineImage());
  }

  /** The running machine as saveState() gives it, with the console the page has shown of it. */
  private async machineImage(): Promise<MachineImage> {
    if (!this.client || this.status.state !== 'ready') throw new Error(`${this.name} is not running.`);
    const machine = await this.client.api.saveState();
    return { ...machine, console: concatBytes(this.backlog) };
  }

  /** Saves the running machine to storage, so the next open resumes it; one save at a time. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (this.status.state !== 'ready') return;
      const stored = await storedMachine(await this.machineImage());
      delete this.saved.snapshotMemory;
      Object.assign(this.saved, stored);
      await putSaved(this.saved);
      this.savedAt = stored.savedAt;
      this.emit({ type: 'saved', at: stored.savedAt });
    });
    const done = this.saving;
    this.saving = done.catch(() => {});
    return done;
  }

  /** Stops the machine and frees its worker; the console backlog stays. */
  stop(): void {
    clearTimeout(this.autosaveTimer);
    this.client?.terminate();
    this.client = undefined;
    this.hooks.publish(this.name, undefined);
    if (this.status.state === 'booting' || this.status.state === 'ready') {
      this.dispatch({ type: 'status', status: { ...this.status, state: 'stopped' } });
    }
  }

  /** Calls `listener` with the backlog now and every event from here on; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    for (const data of this.backlog) listener({ type: 'serial', data });
    listener({ type: 'status', status: this.status });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(event: MachineEvent): void {
    if (event.type === 'status') this.status = event.status;
    else if (event.type === 'serial') this.remember(event.data);
    else if (event.type === 'written') this.scheduleAutosave();
    this.emit(event);
  }

  private emit(event: ApplianceEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Whether this machine saves itself (after writes, when the page hides): not in an embed, which keeps nothing,
   * and not Linux, whose machine is tens of MB and is saved only when asked.
   */
  get autosaves(): boolean {
    return this.hooks.autosave !== false && this.spec.kind !== 'linux';
  }

  /** A write through the gateway changed the guest: save soon, so a reload does not lose it. */
  private scheduleAutosave(): void {
    if (!this.autosaves) return;
    clearTimeout(this.autosaveTimer);
    this.autosaveTimer = setTimeout(() => {
      this.save().catch((error: unknown) => this.hooks.onError((error as Error).message));
    }, AUTOSAVE_DELAY_MS);
  }

  private remember(data: Uint8Array): void {
    this.backlog.push(data);
    this.backlogBytes += data.length;
    while (this.backlogBytes > BACKLOG_BYTES && this.backlog.length > 1) {
      this.backlogBytes -= this.backlog.shift()!.length;
    }
  }
}

/** Every appliance this tab runs, by name. */
export class Fleet {
  private readonly running = new Map<string, RunningAppliance>();
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly hooks: FleetHooks) {
    // Leaving the page (or hiding it, which may be the last chance on a phone) saves every machine.
    const saveAll = (): void => this.saveAll();
    addEventListener('pagehide', saveAll);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveAll());
  }

  get(name: string): RunningAppliance | undefined {
    return this.running.get(name);
  }

  /** The LAN its machines join, if this browser has one. */
  get lan(): PageLan | undefined {
    return this.hooks.lan;
  }

  /** The names this tab runs. */
  names(): string[] {
    return [...this.running.keys()];
  }

  /**
   * The running appliance `saved.name`, booting it first if this tab does not run it yet: from its saved
   * machine or the catalog's snapshot if it has one, unless `cold`.
   */
  start(spec: ApplianceSpec, saved: SavedAppliance, options: { cold?: boolean } = {}): RunningAppliance {
    let appliance = this.running.get(saved.name);
    if (!appliance) {
      appliance = new RunningAppliance(spec, saved, this.hooks);
      this.running.set(saved.name, appliance);
      appliance.subscribe((event) => event.type === 'status' && this.changed());
      void appliance.boot(options).catch(() => {});
    }
    return appliance;
  }

  /** Stops appliance `name` and frees its worker. */
  stop(name: string): void {
    this.running.get(name)?.stop();
    this.running.delete(name);
    this.changed();
  }

  /** Saves appliance `name`, then stops it: the next open resumes it where it was. */
  async suspend(name: string): Promise<void> {
    await this.running.get(name)?.save();
    this.stop(name);
  }

  /** Sends fresh gateway ports for every running appliance (the service worker restarted). */
  reconnectGateway(): void {
    for (const appliance of this.running.values()) appliance.connectGateway();
  }

  /** Calls `listener` whenever an appliance starts, stops or changes state. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private saveAll(): void {
    for (const appliance of this.running.values()) {
      if (appliance.autosaves) appliance.save().catch(() => {});
    }
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
