// The page's handle on one appliance worker.
import * as Comlink from 'comlink';
import type { MachineApi } from '../worker/protocol.ts';

export interface MachineClient {
  api: Comlink.Remote<MachineApi>;
  /** Ends the worker and everything in it. */
  terminate(): void;
}

/** Starts a worker for one appliance. */
export function startMachineWorker(): MachineClient {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'appliance' });
  const api = Comlink.wrap<MachineApi>(worker);
  return {
    api,
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
