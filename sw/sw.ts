// The service worker: the /vm/ gateway first, then the offline app shell.
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import type { PageMessage, ServiceWorkerMessage } from '../worker/gateway-protocol.ts';
import { GatewayRouter } from './gateway.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

const base = new URL(self.registration.scope).pathname;

const gateway = new GatewayRouter({
  base,
  clientExists: async (id) => (await self.clients.get(id)) !== undefined,
  askForPorts: () => {
    void self.clients.matchAll({ type: 'window' }).then((tabs) => {
      for (const tab of tabs) tab.postMessage({ type: 'ports-please' } satisfies ServiceWorkerMessage);
    });
  },
});

/** Bytes the service worker serves by itself: the baseline the benchmarks hold the gateway against. */
const BASELINE_PATH = `${base}__tabcloud/bytes`;
const BASELINE_MAX = 64 * 1024 * 1024;

function baseline(request: Request): Promise<Response> | Response | undefined {
  const url = new URL(request.url);
  if (url.pathname !== BASELINE_PATH) return undefined;
  if (request.method !== 'GET') return request.arrayBuffer().then(() => new Response(null, { status: 204 }));
  const n = Math.min(BASELINE_MAX, Math.max(0, Number(url.searchParams.get('n')) || 0));
  return new Response(new Uint8Array(n), { headers: { 'content-type': 'application/octet-stream' } });
}

// Registered before Workbox's listener, so the gateway sees /vm/ requests first.
self.addEventListener('fetch', (event) => {
  const response = gateway.handle(event.request) ?? baseline(event.request);
  if (response) event.respondWith(response);
});

self.addEventListener('message', (event) => {
  const message = event.data as PageMessage | { type: 'SKIP_WAITING' };
  const client = event.source as Client | null;
  if (message?.type === 'own' && client)
    gateway.own(message.name, message.port, client.id, { sandbox: message.sandbox ?? false });
  else if (message?.type === 'disown' && client) gateway.disown(message.name, client.id);
  else if (message?.type === 'SKIP_WAITING') void self.skipWaiting();
});

/** Scripts kept for offline use that only the playground loads: its editor and the TypeScript compiler's worker. */
const PLAYGROUND_ONLY = /\/assets\/(code-editor|transpile-worker)-[^/]*\.js$/;

/**
 * Chromium compiles every script a service worker caches while it installs, to keep its code cache beside it: for the
 * compiler's worker that is some 0.7 s of CPU in the page's own process, on the first visit, while the page loads and
 * boots its appliance. Their responses are stored with Chromium's hint to skip that; when the playground loads them,
 * they compile as any script does.
 */
function uncompiled(request: Request, response: Response): Response {
  if (!PLAYGROUND_ONLY.test(new URL(request.url).pathname)) return response;
  const headers = new Headers(response.headers);
  headers.set('x-CacheStorageCodeCacheHint', 'none');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The first version takes the open tab at once, so /vm/ works on the first visit. Later versions
// wait until the user chooses to reload: code never changes under a running appliance.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

cleanupOutdatedCaches();
addPlugins([{ cacheWillUpdate: ({ request, response }) => Promise.resolve(uncompiled(request, response)) }]);
precacheAndRoute(self.__WB_MANIFEST);
// Large images (the Linux baseline's kernel, initrd, snapshot) are not precached: fetched on first use, then kept.
registerRoute(
  ({ url }) => url.pathname.startsWith(`${base}images/`),
  new CacheFirst({ cacheName: 'tabcloud-large-images' }),
);
registerRoute(new NavigationRoute(createHandlerBoundToURL(`${base}index.html`), { denylist: [/\/vm\//] }));
