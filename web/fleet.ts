// The appliances this tab runs: one worker each, each reachable through the /vm/ gateway.
import * as Comlink from 'comlink';
import type { ApplianceSpec, MachineEvent, MachineStatus } from '../worker/protocol.ts';
import { startMachineWorker, type MachineClient } from './machine-client.ts';

/** Console output kept per appliance, so a view opened later shows what came before. */
const BACKLOG_BYTES = 256 * 1024;

type Listener = (event: MachineEvent) => void;

/** Hands a port that reaches an appliance's worker to whoever serves /vm/<name>/ (the service worker). */
export type Publish = (name: string, port: MessagePort | undefined) => void;

/** One running appliance: its worker, its status and its recent console output. */
export class RunningAppliance {
  status: MachineStatus = { state: 'off', timeline: { host: {}, guest: {} } };
  private client: MachineClient | undefined;
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    readonly spec: ApplianceSpec,
    private readonly publish: Publish,
  ) {}

  /** Boots (again) in a fresh worker; resolves when ready, rejects with the boot error. */
  async boot(options: { cold?: boolean } = {}): Promise<void> {
    this.client?.terminate();
    this.backlog = [];
    this.backlogBytes = 0;
    const client = startMachineWorker();
    this.client = client;
    this.connectGateway();
    const listener = (event: MachineEvent): void => {
      if (this.client === client) this.dispatch(event);
    };
    await client.api.boot({ appliance: this.spec, ...(options.cold && { cold: true }) }, Comlink.proxy(listener));
  }

  /** Sends a fresh gateway port to the service worker (also after it restarted). */
  connectGateway(): void {
    if (!this.client) return;
    const { port1, port2 } = new MessageChannel();
    void this.client.api.attachGateway(Comlink.transfer(port1, [port1]));
    this.publish(this.spec.id, port2);
  }

  sendSerial(text: string): void {
    void this.client?.api.sendSerial(text).catch(() => {});
  }

  /** Stops the machine and frees its worker; the console backlog stays. */
  stop(): void {
    this.client?.terminate();
    this.client = undefined;
    this.publish(this.spec.id, undefined);
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
    for (const listener of this.listeners) listener(event);
  }

  private remember(data: Uint8Array): void {
    this.backlog.push(data);
    this.backlogBytes += data.length;
    while (this.backlogBytes > BACKLOG_BYTES && this.backlog.length > 1) {
      this.backlogBytes -= this.backlog.shift()!.length;
    }
  }
}

/** Every appliance this tab runs, by id. */
export class Fleet {
  private readonly running = new Map<string, RunningAppliance>();
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly publish: Publish) {}

  get(id: string): RunningAppliance | undefined {
    return this.running.get(id);
  }

  /**
   * The running appliance `spec`, booting it first if this tab does not run it yet: from its
   * snapshot if it has one, unless `cold`.
   */
  start(spec: ApplianceSpec, options: { cold?: boolean } = {}): RunningAppliance {
    let appliance = this.running.get(spec.id);
    if (!appliance) {
      appliance = new RunningAppliance(spec, this.publish);
      this.running.set(spec.id, appliance);
      appliance.subscribe((event) => event.type === 'status' && this.changed());
      void appliance.boot(options).catch(() => {});
    }
    return appliance;
  }

  /** Stops appliance `id` and frees its worker. */
  stop(id: string): void {
    this.running.get(id)?.stop();
    this.running.delete(id);
    this.changed();
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

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
