// The TypeScript compiler in a worker of its own: a few MB of JavaScript that only the js appliance needs, loaded
// the first time a script is edited or booted from source, and kept off the page's main thread.
import * as Comlink from 'comlink';
import { transpile } from '../worker/transpile.ts';

/** What the page calls in this worker (web/transpiler.ts). */
export interface TranspileApi {
  transpile: typeof transpile;
}

Comlink.expose({ transpile } satisfies TranspileApi);
