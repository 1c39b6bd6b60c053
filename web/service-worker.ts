// The page's side of the service worker: registration, gateway ports, and the update prompt.
import { Workbox } from 'workbox-window';
import type { PageMessage, ServiceWorkerMessage } from '../worker/gateway-protocol.ts';
import { h } from './dom.ts';

export interface ServiceWorkerHooks {
  /** The service worker restarted and needs every gateway port again. */
  onPortsWanted(): void;
}

let workbox: Workbox | undefined;

/**
 * Listens to the service worker at once, and registers it (in a production build; the dev server has none) once
 * `when` settles. Its first install precaches the app (some 8 MB, on the page's own process): a page gives it a
 * moment when its first screen is done, so the two do not compete for the CPU.
 */
export function registerServiceWorker(hooks: ServiceWorkerHooks, when: Promise<unknown> = Promise.resolve()): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<ServiceWorkerMessage>) => {
    if (event.data?.type === 'ports-please') hooks.onPortsWanted();
  });
  workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { type: 'module' });
  workbox.addEventListener('waiting', () => showUpdatePrompt());
  void when.finally(() => workbox?.register());
}

/**
 * Tells the service worker that `port` reaches appliance `name` (or, without a port, that it stopped);
 * `sandbox` puts the appliance's responses in a CSP sandbox (untrusted content).
 */
export function publishToServiceWorker(
  name: string,
  port: MessagePort | undefined,
  options = { sandbox: false },
): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.ready.then((registration) => {
    const message: PageMessage = port
      ? { type: 'own', name, port, sandbox: options.sandbox }
      : { type: 'disown', name };
    registration.active?.postMessage(message, port ? [port] : []);
  });
}

/** A new version waits; it takes over only when the user reloads, never under a running appliance. */
function showUpdatePrompt(): void {
  const reload = h('button', { class: 'button', type: 'button' }, 'Reload to update');
  reload.addEventListener('click', () => {
    workbox?.addEventListener('controlling', () => location.reload());
    workbox?.messageSkipWaiting();
  });
  const banner = h('div', { class: 'update', role: 'status' }, 'A new version of Tabcloud is ready. ', reload);
  document.body.append(banner);
}
