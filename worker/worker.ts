// The appliance worker: one Machine per worker, served to the page with comlink.
import * as Comlink from 'comlink';
import wasmUrl from 'v86/build/v86.wasm?url';
import { TabcloudError } from './errors.ts';
import { Machine } from './machine.ts';
import { holdWebLock } from './web-locks.ts';
import { outboundFetch } from './outbound-fetch.ts';

async function loadImage(path: string): Promise<ArrayBuffer> {
  const url = new URL(path, new URL(import.meta.env.BASE_URL, self.location.origin));
  const response = await fetch(url).catch(() => undefined);
  if (!response?.ok) {
    throw new TabcloudError(
      'image-not-found',
      `Could not load ${url.pathname} (${response?.status ?? 'offline'}): rebuild the images with npm run build:images.`,
    );
  }
  return response.arrayBuffer();
}

/** Compiles v86.wasm here, for a worker the page gave no compiled module (Machine.prepare). */
async function v86Module(): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(wasmUrl));
}

// A machine on the LAN holds a Web Lock for its life: the switch (worker/lan-worker.ts) learns so that it is gone.
const machine = new Machine({ loadImage, v86Module, fetch: outboundFetch('page'), holdLock: holdWebLock });
// v86 fails from its own timers (a damaged saved state, say): nothing awaits those, so they land here.
self.addEventListener('error', (event) => machine.emulatorFailed(event.error ?? event.message));
self.addEventListener('unhandledrejection', (event) => machine.emulatorFailed(event.reason));
Comlink.expose(machine);
