// The LAN's SharedWorker: one per browser profile and origin, alive while any tab of the app is open. Every page
// connects (web/lan.ts); machine workers join through ports the pages hand over (worker/lan-hub.ts). Where there is
// no SharedWorker the page starts this as a dedicated worker: the page is then its only viewer.
import { LanHub } from './lan-hub.ts';
import { webLockReleased } from './web-locks.ts';

const hub = new LanHub({ released: webLockReleased });
if (typeof SharedWorkerGlobalScope === 'function' && self instanceof SharedWorkerGlobalScope) {
  self.addEventListener('connect', (event) => {
    const port = (event as MessageEvent).ports[0];
    if (port) hub.connectViewer(port);
  });
} else {
  // A dedicated worker's scope has the port's methods (postMessage, onmessage, close).
  hub.connectViewer(self as unknown as MessagePort);
}
