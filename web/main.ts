// The page: a gallery at #/, an appliance at #/a/<name>, a shared one at #/a/<id>?data=…, ?state=… or ?image=….
import catalog from '../images/appliances.json';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { APPLIANCE_FILE_EXTENSION, decodeApplianceFile, isApplianceFileStart } from './appliance-file.ts';
import { openAppliance, type ApplianceView } from './appliance-view.ts';
import { clearError, showError } from './dom.ts';
import { embedOptions, openEmbedRoute } from './embed.ts';
import { Fleet, storedMachine } from './fleet.ts';
import { connectLan } from './lan.ts';
import { discardSpare, prepareMachineWorker } from './machine-client.ts';
import { renderGallery } from './gallery.ts';
import { routeAppliance } from './route-appliance.ts';
import { manifestOf, ownSpec, specOf } from './own-image.ts';
import { isLearnRoute, renderLearnPage, restoreLesson } from './lessons.ts';
import { decodeMachine } from '../worker/saved-machine.ts';
import { publishToServiceWorker, registerServiceWorker } from './service-worker.ts';
import { parseShareLink } from './share-link.ts';
import { isSourceRoute, parseSourceRoute } from './source-link.ts';
import { renderSourceViewer } from './source-viewer.ts';
import { getSaved, putSaved, type SavedAppliance } from './storage.ts';
import { renderTrustPrompt, type Offer } from './trust.ts';

/** The most the service worker's registration waits for the first screen to be done. */
const REGISTER_WAIT_MS = 10_000;
const appliances = catalog as ApplianceSpec[];
const root = document.getElementById('app')!;
/** ?embed=1: one appliance in an <iframe>, which keeps nothing (web/embed.ts). */
const embed = embedOptions(location.search);
/** The LAN of every appliance of this origin, in every tab (web/lan.ts). */
const lan = connectLan();
const fleet = new Fleet({
  publish: publishToServiceWorker,
  onError: showError,
  ...(embed && { autosave: false }),
  ...(lan && { lan }),
});
/**
 * The running appliances and the spare worker, for the devtools console and the benchmarks:
 * `tabcloud.fleet.get('kv').request(…)`, `tabcloud.lan.view.members`, `tabcloud.spare.discard()`.
 */
Object.assign(globalThis, {
  tabcloud: { fleet, lan, spare: { prepare: prepareMachineWorker, discard: discardSpare } },
});
/** Appliances created in this tab, also when the browser gives the page no storage (e.g. in a third-party frame). */
const created = new Map<string, SavedAppliance>();
let view: ApplianceView | undefined;
let stopGalleryUpdates = (): void => {};
/** Bumped on each route, so a slow lookup does not render over a newer one. */
let routeCount = 0;

// An appliance's address (a reload, a link) boots it soon: its worker starts now and builds a machine of its likely
// shape while the page reads storage and draws, so that the boot (often a resume) only loads or restores.
// In a task of its own, as the spare below: this module's task is long enough, and the boot looks storage up first.
const routed = routeAppliance(location.hash, appliances);
if (routed) setTimeout(() => fleet.names().length === 0 && prepareMachineWorker(routed));

/** Shows what the address bar names: reload reopens the same appliance. */
async function route(): Promise<void> {
  const current = ++routeCount;
  view?.dispose();
  view = undefined;
  stopGalleryUpdates();
  clearError();
  if (embed) {
    view = openEmbedRoute(root, fleet, appliances, location.hash, embed);
    return;
  }
  if (isSourceRoute(location.hash)) {
    return renderSourceViewer(root, parseSourceRoute(location.hash), appliances, () => current === routeCount);
  }
  if (isLearnRoute(location.hash)) return renderLearnPage(root, location.hash, { fleet, catalog: appliances });
  let shared;
  try {
    shared = await parseShareLink(location.hash);
  } catch (error) {
    return showGallery(`This share link cannot be opened: ${(error as Error).message}`);
  }
  if (shared) {
    const { own } = shared;
    const spec = own ? ownSpec(own.manifest) : appliances.find((a) => a.id === shared.id);
    if (!spec) return showGallery(`The link is for an appliance '${shared.id}' that this Tabcloud does not have.`);
    let machine;
    try {
      const state = own ? own.state : shared.kind === 'state' ? shared.bytes : undefined;
      machine = state && decodeMachine(state);
    } catch (error) {
      return showGallery(`This share link cannot be opened: ${(error as Error).message}`);
    }
    const userData = own ? own.userData : shared.kind === 'data' ? shared.bytes : undefined;
    return offer({
      spec,
      source: { kind: 'link', detail: 'a share link' },
      ...(userData && { userData }),
      ...(machine && { machine }),
      ...(own && { own: { image: own.image } }),
    });
  }
  const match = /^#\/a\/([^/?]+)/.exec(location.hash);
  if (!match) return showGallery();
  const name = decodeURIComponent(match[1]!);
  const saved = await findSaved(name);
  if (current !== routeCount) return;
  const spec = saved && specOf(saved, appliances);
  if (!saved || !spec) {
    return showGallery(`There is no appliance '${name}'. Pick one of: ${appliances.map((a) => a.id).join(', ')}.`);
  }
  document.title = `${saved.label} · Tabcloud`;
  view = openAppliance(root, fleet, spec, saved);
}

/** The appliance called `name`: running here, created here, stored, or a catalog appliance under its own id. */
async function findSaved(name: string): Promise<SavedAppliance | undefined> {
  const known = fleet.get(name)?.saved ?? created.get(name);
  if (known) return known;
  const stored = await getSaved(name).catch((error: Error) => {
    showError(error.message);
    return undefined;
  });
  if (stored) return stored;
  const spec = appliances.find((a) => a.id === name);
  return spec && { name, applianceId: spec.id, label: spec.title, source: { kind: 'catalog' }, trusted: true };
}

function showGallery(error?: string): void {
  document.title = 'Tabcloud';
  const render = (): void => renderGallery(root, appliances, fleet, { onFiles: (files) => void openFiles(files) });
  render();
  // A boot sends several statuses, and drawing the gallery costs a frame of layout: draw it again at the next frame,
  // only if what it shows of the running appliances (their state, their boot time) changed.
  let shown = galleryFacts();
  let frame: number | undefined;
  const stop = fleet.onChange(() => {
    frame ??= requestAnimationFrame(() => {
      frame = undefined;
      const facts = galleryFacts();
      if (facts === shown) return;
      shown = facts;
      render();
    });
  });
  stopGalleryUpdates = () => {
    stop();
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
  if (error) showError(error);
}

/** What the gallery shows of the running appliances. */
function galleryFacts(): string {
  return fleet
    .names()
    .map((name) => {
      const { state, timeline } = fleet.get(name)!.status;
      return `${name} ${state} ${timeline.host['ready'] ?? ''}`;
    })
    .join('\n');
}

/** Shows what arrived from outside and boots it under a fresh name once the user agrees. */
function offer(arrived: Offer): void {
  document.title = `${arrived.spec.title} (shared) · Tabcloud`;
  renderTrustPrompt(root, arrived, (boot) => {
    if (!boot) {
      // An offer from a file came over the gallery, whose hash does not change: show it again by hand.
      if (location.hash === '#/') void route();
      else location.hash = '#/';
      return;
    }
    void adopt(arrived).then((name) => {
      history.replaceState(null, '', `#/a/${name}`);
      void route();
    });
  });
}

/**
 * Keeps an offered appliance under the first free name (kv-2, kv-3, …; an image of one's own may take its id);
 * untrusted until the user says otherwise.
 */
async function adopt(arrived: Offer): Promise<string> {
  const { spec, machine, userData, own } = arrived;
  const nameFor = (n: number): string => (n === 1 ? spec.id : `${spec.id}-${n}`);
  let n = own ? 1 : 2;
  while (await findSaved(nameFor(n))) n++;
  const name = nameFor(n);
  const saved: SavedAppliance = {
    name,
    applianceId: spec.id,
    label: arrived.label ?? `${spec.title} (${arrived.source.kind === 'link' ? 'shared' : 'imported'})`,
    ...(own && { manifest: manifestOf(spec), image: own.image }),
    ...(userData && { userData }),
    ...(machine && (await storedMachine(machine))),
    source: arrived.source,
    trusted: false,
  };
  created.set(name, saved);
  await putSaved(saved).catch((error: Error) => showError(error.message));
  return name;
}

/** Opens an exported appliance file (from the picker or a drop): untrusted until the user agrees. */
async function importFile(file: File): Promise<void> {
  clearError();
  try {
    const decoded = decodeApplianceFile(await file.bytes());
    const spec = decoded.own ? ownSpec(decoded.own.manifest) : appliances.find((a) => a.id === decoded.id);
    if (!spec) throw new Error(`it holds an appliance '${decoded.id}' that this Tabcloud does not have`);
    const machine = decoded.state && decodeMachine(decoded.state);
    view?.dispose();
    stopGalleryUpdates();
    offer({
      spec,
      source: { kind: 'file', detail: file.name },
      label: decoded.name,
      ...(decoded.userData.length > 0 && { userData: decoded.userData }),
      ...(machine && { machine }),
      ...(decoded.own && { own: { image: decoded.own.image } }),
    });
  } catch (error) {
    showError(`${file.name} cannot be imported: ${(error as Error).message}`);
  }
}

/** Opens what was chosen or dropped: an exported .tabcloud file, or an appliance image with its appliance.json. */
async function openFiles(files: File[]): Promise<void> {
  clearError();
  const [first] = files;
  if (!first) return;
  const exported =
    files.length === 1 &&
    (first.name.endsWith(APPLIANCE_FILE_EXTENSION) || isApplianceFileStart(await first.slice(0, 8).bytes()));
  if (exported) return importFile(first);
  try {
    const { offerFromFiles } = await import('./image-import.ts');
    const arrived = await offerFromFiles(files);
    view?.dispose();
    stopGalleryUpdates();
    offer(arrived);
  } catch (error) {
    showError((error as Error).message);
  }
}

// Files dragged over the page outline it: it takes a .tabcloud file or an image with its appliance.json anywhere.
addEventListener('dragover', (event) => {
  event.preventDefault();
  document.body.classList.add('dropping');
});
addEventListener('dragleave', (event) => event.relatedTarget === null && document.body.classList.remove('dropping'));
addEventListener('drop', (event) => {
  event.preventDefault();
  document.body.classList.remove('dropping');
  void openFiles([...(event.dataTransfer?.files ?? [])]);
});
addEventListener('hashchange', () => void route());
// The service worker registers once the first screen is done (an appliance view: its machine up, its panels made), or
// after REGISTER_WAIT_MS (a page in the background paints nothing).
const firstScreen = route().then(() => view?.drawn);
const waited = new Promise((resolve) => setTimeout(resolve, REGISTER_WAIT_MS));
registerServiceWorker({ onPortsWanted: () => fleet.reconnectGateway() }, Promise.race([firstScreen, waited]));
// Once the page has loaded, the first boot finds v86 compiled and a warm machine waiting (of the address's appliance,
// else of the first appliance's shape; a boot of another shape still skips starting the worker and compiling v86).
// Started in a task of its own: the load event comes in the task that runs this module, which is long enough.
const prepareOnLoad = (): unknown => fleet.names().length === 0 && prepareMachineWorker(routed ?? appliances[0]);
addEventListener('load', () => setTimeout(prepareOnLoad), {
  once: true,
});
if (!embed) restoreLesson({ fleet, catalog: appliances });
