// The page's handle on the TypeScript compiler (web/transpile-worker.ts): a script's source in, the bundle the js
// appliance runs out. Results are kept by source, so a reboot or a Run of unchanged code compiles nothing.
import * as Comlink from 'comlink';
import { CodedError } from '../worker/net/errors.ts';
import type { TranspileApi } from './transpile-worker.ts';

/** One problem in the user's source; line and column are 1-based. */
export interface ScriptDiagnostic {
  line: number;
  column: number;
  message: string;
}

export type TranspileResult = { ok: true; bundle: string } | { ok: false; diagnostics: ScriptDiagnostic[] };

export type ScriptErrorCode = 'compile-error' | 'transpiler-unavailable';

/** A script that cannot become a bundle: it does not compile, or the compiler could not be loaded. */
export class ScriptError extends CodedError<ScriptErrorCode> {
  constructor(
    code: ScriptErrorCode,
    message: string,
    readonly diagnostics: ScriptDiagnostic[] = [],
  ) {
    super(code, message);
  }
}

/** The file name diagnostics and stack traces give the user's script. */
const FILE_NAME = 'service.ts';
/** Sources whose results are kept: the last few runs and templates. */
const CACHE_ENTRIES = 16;

/** The compiler's worker, and a promise that rejects if it cannot load. */
let current: { api: Comlink.Remote<TranspileApi>; failed: Promise<never> } | undefined;
const cache = new Map<string, Promise<TranspileResult>>();

/** Starts the compiler's worker now, so the first Run does not wait for it to load. */
export function warmUpTranspiler(): void {
  compiler();
}

/** Transpiles `source` (TypeScript or JavaScript, a module with a default export); rejects with a ScriptError. */
export function transpileScript(source: string): Promise<TranspileResult> {
  let result = cache.get(source);
  if (result) {
    cache.delete(source);
  } else {
    const { api, failed } = compiler();
    result = Promise.race([api.transpile(source, FILE_NAME), failed]).catch((error: unknown) => {
      cache.delete(source);
      if (error instanceof ScriptError) throw error;
      throw new ScriptError('transpiler-unavailable', `The TypeScript compiler failed: ${(error as Error).message}`);
    });
    while (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  cache.set(source, result);
  return result;
}

/** The bundle the guest runs for script `source` (bytes of UTF-8); rejects with a ScriptError saying what is wrong. */
export async function scriptBundle(source: Uint8Array): Promise<Uint8Array> {
  const result = await transpileScript(new TextDecoder().decode(source));
  if (!result.ok) {
    const first = result.diagnostics[0];
    const where = first ? ` at line ${first.line}, column ${first.column}: ${first.message.replace(/\.$/, '')}` : '';
    throw new ScriptError(
      'compile-error',
      `The script does not compile${where}. Fix it in the editor and press Run.`,
      result.diagnostics,
    );
  }
  return new TextEncoder().encode(result.bundle);
}

function compiler(): NonNullable<typeof current> {
  if (current) return current;
  const worker = new Worker(new URL('./transpile-worker.ts', import.meta.url), { type: 'module', name: 'transpile' });
  // A worker whose script cannot load (offline before it was ever cached) fires only an error event.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      current = undefined;
      reject(
        new ScriptError(
          'transpiler-unavailable',
          'The TypeScript compiler could not be loaded (offline on a first visit?). Reload when online, then Run again.',
        ),
      );
    });
  });
  failed.catch(() => {});
  current = { api: Comlink.wrap<TranspileApi>(worker), failed };
  return current;
}
