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

/** Starts a worker for one appliance. */
export function startMachineWorker(): MachineClient {
  const startedAt = performance.timeOrigin + performance.now();
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'appliance' });
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
