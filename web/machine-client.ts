// The page's handle on one appliance worker, and the spare worker that waits, warm, for the next boot.
import * as Comlink from 'comlink';
import type { ApplianceSpec, MachineApi, MachineShape } from '../worker/protocol.ts';
import { machineShape, sameShape } from '../worker/shape.ts';

export interface MachineClient {
  api: Comlink.Remote<MachineApi>;
  /** When the worker was started, in Unix ms (time zero of the boot timeline). */
  startedAt: number;
  /** Resolves once the worker has been given v86.wasm and built the machine it was asked for ahead: boot after. */
  prepared: Promise<unknown>;
  /**
   * Has the worker build a machine of `shape` ahead of the boot (e.g. the RAM of the saved machine it will resume),
   * unless the one it has or builds is of that shape; `prepared` then waits for it. A `savedMachine` the boot will
   * resume (BootRequest.resumePrepared) is inflated meanwhile.
   */
  fit(shape: MachineShape | undefined, savedMachine?: Uint8Array): void;
  /**
   * Its boot ended (ready or failed): the spare for the next boot is built now, for the appliance a card asked for
   * meanwhile, else for `next` (as prepareMachineWorker). Once per client; terminate() ends the boot too.
   */
  booted(next?: ApplianceSpec): void;
  /** Ends the worker and everything in it. */
  terminate(): void;
}

/** A worker started ahead of need: its scripts loaded, v86.wasm compiled or handed over, a machine of `shape` built. */
interface Spare {
  worker: Worker;
  api: Comlink.Remote<MachineApi>;
  shape: MachineShape | undefined;
  prepared: Promise<unknown>;
  /** Resolves (false) if the worker fails (its script would not load, it ran out of memory). */
  failed: Promise<false>;
}

/**
 * v86.wasm as the page's first worker compiled it, handed to every later worker: compiled once per page, and off the
 * page's main thread (compiling it there would block the first screen).
 */
let compiled: WebAssembly.Module | undefined;
let spare: Spare | undefined;
/**
 * Boots under way. A spare built meanwhile would take a core from them (v86 builds a machine in 20–60 ms of CPU), so
 * a spare asked for during a boot (a pointer resting on a card the gallery redraws) waits for the last to end.
 */
let booting = 0;
let deferred: { next: ApplianceSpec | undefined } | undefined;

/** Starts a worker and hands it v86.wasm if the page has it and, for the appliance `next`, a machine to build. */
function spawn(next?: ApplianceSpec): Spare {
  const shape = next && machineShape(next);
  const prefetch = next && [next.image, ...(next.snapshot ? [next.snapshot] : [])];
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'appliance' });
  const api = Comlink.wrap<MachineApi>(worker);
  const failed = new Promise<false>((resolve) => worker.addEventListener('error', () => resolve(false)));
  const prepared = Promise.race([
    failed,
    api.prepare({ ...(compiled && { wasm: compiled }), ...(shape && { shape }), ...(prefetch && { prefetch }) }),
  ]).catch(() => false);
  if (!compiled) {
    api.v86Module().then(
      (wasm) => (compiled ??= wasm),
      () => {},
    );
  }
  const started: Spare = { worker, api, shape, prepared, failed };
  // A spare whose worker fails (its script would not load, it ran out of memory) is dropped: the next boot starts cold.
  worker.addEventListener('error', () => {
    if (spare === started) discardSpare();
  });
  return started;
}

/** Ends the spare worker, if one waits: the next boot starts a worker of its own. */
export function discardSpare(): void {
  spare?.api[Comlink.releaseProxy]();
  spare?.worker.terminate();
  spare = undefined;
}

/**
 * Keeps a spare worker ready for the next boot, likely one of appliance `next`: v86.wasm compiled (once per page) and
 * handed over, a machine of `next`'s shape built and its images fetched, so that a boot of that shape only loads its
 * image and starts the CPU. It waits without running (no timers); it costs what building the machine touched (guest
 * RAM that was never written is not resident). Replaces a spare of another shape; keeps the one that waits if it has
 * this shape or `next` has none.
 */
export function prepareMachineWorker(next?: ApplianceSpec): void {
  if (booting > 0) {
    deferred = { next };
    return;
  }
  // An appliance that boots through a BIOS (Linux) has no machine to build ahead: the spare that waits stays.
  const shape = next && machineShape(next);
  if (spare && (!shape || sameShape(spare.shape, shape))) return;
  discardSpare();
  spare = spawn(shape && next);
}

/** A boot ended: once none runs, the spare asked for meanwhile is built, else the one for `then` (if any). */
function bootEnded(then: { next: ApplianceSpec | undefined } | undefined): void {
  booting--;
  const wanted = deferred ?? then;
  if (booting > 0 || !wanted) return;
  deferred = undefined;
  prepareMachineWorker(wanted.next);
}

/**
 * Starts a worker for one appliance: the spare if one waits (prepareMachineWorker), else a new one. If the boot's
 * machine is of `shape` and the spare's is not, the worker builds one of `shape` now, while the page gets the boot
 * ready (its saved machine inflated, its script compiled): boot() then only loads the image or restores the state.
 */
export function startMachineWorker(shape?: MachineShape): MachineClient {
  const startedAt = performance.timeOrigin + performance.now();
  const started = spare ?? spawn();
  spare = undefined;
  booting++;
  let booted = false;
  // The boot ends once: when fleet says so, or when the worker is ended first.
  const end = (then: { next: ApplianceSpec | undefined } | undefined): void => {
    if (!booted) bootEnded(then);
    booted = true;
  };
  const { worker, api, failed } = started;
  const client: MachineClient = {
    api,
    startedAt,
    prepared: started.prepared,
    fit: (next, savedMachine) => {
      if (!next || sameShape(started.shape, next)) {
        if (savedMachine) void api.prepare({ savedMachine }).catch(() => {});
        return;
      }
      started.shape = next;
      const preparing = api.prepare({ shape: next, ...(savedMachine && { savedMachine }) });
      client.prepared = Promise.race([failed, preparing]).catch(() => false);
    },
    booted: (next) => end({ next }),
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
      end(undefined);
    },
  };
  client.fit(shape);
  return client;
}
