// Saved appliances in IndexedDB: the one module that imports idb-keyval.
import type { Manifest } from '../worker/manifest.ts';
import { CodedError } from '../worker/net/errors.ts';
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';

/** Where an appliance's content came from: the catalog is trusted, links and files only once confirmed. */
export type Source = { kind: 'catalog' } | { kind: 'link' | 'file'; detail: string };

/** One appliance the user keeps: which catalog image (or an image of its own), under which name, with which data and saved machine. */
export interface SavedAppliance {
  /** The name it serves under (/vm/<name>/) and the key it is stored by. */
  name: string;
  /** Its catalog id; for an appliance of one's own, its manifest's id. */
  applianceId: string;
  /** An appliance of one's own (not in the catalog): its appliance.json, or the defaults for its file. */
  manifest?: Manifest;
  /** An appliance of one's own: its kernel image, a multiboot i386 ELF. */
  image?: Uint8Array;
  /** What the user calls it, e.g. "my kv". */
  label: string;
  userData?: Uint8Array;
  /** The saved running machine (worker/saved-machine.ts), gzip-compressed; resumed on the next open. */
  snapshot?: Uint8Array;
  /** When the snapshot was taken (ms since the epoch). */
  savedAt?: number;
  /** The guest RAM of the snapshot's machine, so that a worker builds one of that size before it inflates it. */
  snapshotMemory?: number;
  source: Source;
  trusted: boolean;
  /** Hosts it may call on the web once trusted (web/outbound-panel.ts); absent: the default, any host. */
  allowNet?: string[];
}

export type StorageErrorCode = 'storage-full' | 'storage-unavailable';

/** A failed read or write of saved appliances; the message says what to do. */
export class StorageError extends CodedError<StorageErrorCode> {}

let defaultStore: UseStore | undefined;

/** The real store, opened on first use. */
function appliances(): UseStore {
  defaultStore ??= createStore('tabcloud', 'appliances');
  return defaultStore;
}

/** Every saved appliance, by label. */
export async function listSaved(store = appliances()): Promise<SavedAppliance[]> {
  const all = await guard('read your saved appliances', () => values<SavedAppliance>(store));
  return all.sort((a, b) => a.label.localeCompare(b.label));
}

export function getSaved(name: string, store = appliances()): Promise<SavedAppliance | undefined> {
  return guard(`read '${name}'`, () => get<SavedAppliance>(name, store));
}

/** Saves (or replaces) an appliance; rejects with a StorageError, e.g. when the quota is full. */
export async function putSaved(saved: SavedAppliance, store = appliances()): Promise<void> {
  await guard(`save '${saved.label}'`, () => set(saved.name, saved, store));
  void navigator.storage?.persist?.().catch(() => {});
}

export function deleteSaved(name: string, store = appliances()): Promise<void> {
  return guard(`delete '${name}'`, () => del(name, store));
}

/** The bytes an appliance takes in storage (its data, its snapshot, and its own image if it has one). */
export function savedBytes(saved: SavedAppliance): number {
  return (saved.userData?.length ?? 0) + (saved.snapshot?.length ?? 0) + (saved.image?.length ?? 0);
}

/** Runs a storage call, turning the browser's errors into ones that say what to do. */
async function guard<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new StorageError(
        'storage-full',
        `Could not ${what}: the browser's storage for this site is full. Delete saved appliances or export them to files, then try again.`,
      );
    }
    throw new StorageError(
      'storage-unavailable',
      `Could not ${what}: this browser gives the page no storage here (${String(error)}). Open Tabcloud in its own tab to keep appliances.`,
    );
  }
}

let bootTimes: UseStore | undefined;

/** The boot times, in a database of their own: the appliances' store holds only appliances (listSaved reads it all). */
function bootTimeStore(): UseStore {
  bootTimes ??= createStore('tabcloud-boot-times', 'times');
  return bootTimes;
}

/**
 * Remembers how long appliance `id` took from boot to READY here, for the gallery. In IndexedDB, which the page never
 * waits for: the first use of localStorage in a page is a synchronous round trip to the browser (up to 200 ms observed
 * on a busy machine, in the task that finishes the boot).
 */
export function recordBootTime(id: string, ms: number, store?: UseStore): void {
  try {
    set(id, Math.round(ms), store ?? bootTimeStore()).catch(() => {});
  } catch {
    // No storage in this frame: the gallery just shows no boot time.
  }
}

/** The last boot time recorded for appliance `id`, if any. */
export async function lastBootTime(id: string, store?: UseStore): Promise<number | undefined> {
  try {
    const ms = await get<unknown>(id, store ?? bootTimeStore());
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}
