// The page's handle on one appliance worker.
import * as Comlink from 'comlink';
import type { MachineApi } from '../worker/protocol.ts';

export interface MachineClient {
  api: Comlink.Remote<MachineApi>;
  /** When the worker was started, in Unix ms (time zero of the boot timeline). */
  startedAt: number;
  /** Ends the worker and everything in it. */
  terminate(): void;
}

/** A worker started ahead of need, its scripts loading or loaded, for the next startMachineWorker() to take. */
let spare: Worker | undefined;

function spawn(): Worker {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'appliance' });
}

/**
 * Starts a worker now for the next boot, so that boot skips loading the emulator's scripts (about 0.1 s): for a reboot
 * that is about to come, such as Run in the playground. Does nothing if one is waiting already.
 */
export function prepareMachineWorker(): void {
  spare ??= spawn();
}

/** Starts a worker for one appliance (the one prepareMachineWorker() started, if any). */
export function startMachineWorker(): MachineClient {
  const startedAt = performance.timeOrigin + performance.now();
  const worker = spare ?? spawn();
  spare = undefined;
  const api = Comlink.wrap<MachineApi>(worker);
  return {
    api,
    startedAt,
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
