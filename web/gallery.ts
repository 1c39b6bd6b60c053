// The gallery: one card per catalog appliance, then the appliances the user keeps.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { h, showError } from './dom.ts';
import type { Fleet } from './fleet.ts';
import { formatBytes, formatMs } from './format.ts';
import { prepareMachineWorker } from './machine-client.ts';
import { exportAppliance } from './share-panel.ts';
import { deleteSaved, lastBootTime, listSaved, putSaved, savedBytes, type SavedAppliance } from './storage.ts';

const imageSizes = new Map<string, Promise<number | undefined>>();

export interface GalleryHooks {
  /** Files to open: an exported .tabcloud file, or an appliance image with its appliance.json. */
  onFiles(files: File[]): void;
}

/** Renders the catalog and the saved appliances; each links to #/a/<name>. */
export function renderGallery(root: HTMLElement, catalog: ApplianceSpec[], fleet: Fleet, hooks: GalleryHooks): void {
  const cards = catalog.map((appliance) => renderCard(appliance, fleet));
  const saved = h('section', { class: 'saved', 'aria-labelledby': 'saved-title' });
  root.replaceChildren(h('section', { class: 'gallery', 'aria-label': 'Appliances' }, ...cards), saved);
  void renderSaved(saved, catalog, fleet, hooks, () => renderGallery(root, catalog, fleet, hooks));
}

function renderCard(appliance: ApplianceSpec, fleet: Fleet): HTMLElement {
  const running = fleet.get(appliance.id);
  const state = running?.status.state ?? 'off';
  const ready = running?.status.timeline.host['ready'];
  const size = h('li', {}, 'image …');
  const parts = [appliance.image, ...(appliance.initrd ? [appliance.initrd] : [])];
  void Promise.all(parts.map(imageSize)).then((sizes) => {
    const known = sizes.every((bytes) => bytes !== undefined);
    const total = sizes.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0);
    size.textContent = known ? `image ${formatBytes(total)}` : 'image size unknown';
  });
  const lastBoot = h('li', {});
  lastBoot.hidden = true;
  void lastBootTime(appliance.id).then((ms) => {
    if (ms === undefined) return;
    lastBoot.textContent = `last boot ${formatMs(ms)}`;
    lastBoot.hidden = false;
  });
  const actions = h(
    'div',
    { class: 'card-actions' },
    h('a', { class: 'button', href: `#/a/${appliance.id}` }, running ? 'Open' : 'Boot'),
  );
  if (running) {
    const restart = h('button', { class: 'button secondary', type: 'button' }, 'Restart');
    restart.addEventListener('click', () => {
      const { spec, saved } = running;
      fleet.stop(appliance.id);
      fleet.start(spec, saved);
    });
    const stop = h('button', { class: 'button secondary', type: 'button' }, 'Stop');
    stop.addEventListener('click', () => fleet.stop(appliance.id));
    actions.append(restart, stop);
  }
  // A pointer on a card, or focus on its link, is a boot about to come: a machine of its shape is built meanwhile.
  const card = h(
    'article',
    { class: 'card', 'data-appliance': appliance.id, 'data-state': state },
    h('h2', {}, appliance.title),
    h('p', {}, appliance.summary),
    h(
      'ul',
      { class: 'facts' },
      size,
      h('li', {}, `RAM ${formatBytes(appliance.memory)}`),
      h('li', {}, appliance.ports.length ? `ports ${appliance.ports.join(', ')}` : 'no network'),
      lastBoot,
      ...(running
        ? [
            h(
              'li',
              { class: 'status', 'data-state': state },
              ready === undefined ? state : `${state}, booted in ${formatMs(ready)}`,
            ),
          ]
        : []),
    ),
    actions,
  );
  for (const event of ['pointerenter', 'focusin']) card.addEventListener(event, () => prepareMachineWorker(appliance));
  return card;
}

/** The saved appliances: open, rename, export, delete; the storage they take; import. */
async function renderSaved(
  section: HTMLElement,
  catalog: ApplianceSpec[],
  fleet: Fleet,
  hooks: GalleryHooks,
  refresh: () => void,
): Promise<void> {
  const upload = h('input', { type: 'file', accept: '.tabcloud', 'aria-label': 'Import an appliance file' });
  const image = h('input', {
    type: 'file',
    accept: '.elf,.json',
    multiple: '',
    'aria-label': 'Open an appliance image',
  });
  for (const input of [upload, image]) {
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.value = '';
      if (files.length > 0) hooks.onFiles(files);
    });
  }
  let saved: SavedAppliance[] = [];
  try {
    saved = await listSaved();
  } catch (error) {
    showError((error as Error).message);
  }
  const total = saved.reduce((sum, s) => sum + savedBytes(s), 0);
  const rows = saved.map((s) => renderSavedRow(s, catalog, fleet, refresh));
  section.replaceChildren(
    h('h2', { id: 'saved-title' }, 'Saved appliances'),
    h(
      'p',
      { class: 'hint' },
      saved.length === 0
        ? 'Appliances you use are saved here as you go (their data and running machine), and resume where you left them.'
        : `${saved.length} saved, ${formatBytes(total)} in this browser's storage.`,
    ),
    h('ul', { class: 'saved-list' }, ...rows),
    h('label', { class: 'import' }, 'Import file ', upload),
    h('label', { class: 'import' }, 'Open your own appliance: its .elf, with its appliance.json ', image),
    h(
      'p',
      { class: 'hint' },
      'Or drop an exported .tabcloud file, or an .elf with its appliance.json, anywhere on the page. ' +
        'An image of your own boots sandboxed, after you have seen what it is.',
    ),
  );
}

function renderSavedRow(
  saved: SavedAppliance,
  catalog: ApplianceSpec[],
  fleet: Fleet,
  refresh: () => void,
): HTMLElement {
  const spec = catalog.find((a) => a.id === saved.applianceId);
  const running = fleet.get(saved.name);
  const label = h('input', { class: 'label', value: saved.label, 'aria-label': `Name of ${saved.name}` });
  label.addEventListener('change', () => {
    saved.label = label.value.trim() || saved.label;
    putSaved(saved).catch((error: Error) => showError(error.message));
  });
  const exportButton = h('button', { class: 'button secondary', type: 'button' }, 'Export');
  exportButton.addEventListener('click', () => {
    exportAppliance(saved, running).catch((error: Error) => showError(error.message));
  });
  const remove = h('button', { class: 'button secondary', type: 'button' }, 'Delete');
  // Stopping re-renders the gallery (fleet.onChange) before the delete lands: render it again once it has.
  remove.addEventListener('click', () => {
    fleet.stop(saved.name);
    deleteSaved(saved.name).then(refresh, (error: Error) => showError(error.message));
  });
  const when = saved.savedAt ? `saved ${new Date(saved.savedAt).toLocaleString()}` : 'not saved yet';
  const facts = [
    saved.manifest
      ? `${saved.manifest.title}, own image ${formatBytes(saved.image?.length ?? 0)}`
      : (spec?.title ?? saved.applianceId),
    `/vm/${saved.name}/`,
    formatBytes(savedBytes(saved)),
    when,
    ...(saved.trusted ? [] : ['untrusted']),
  ];
  return h(
    'li',
    { class: 'saved-row', 'data-name': saved.name },
    label,
    h('span', { class: 'facts' }, facts.join(' · ')),
    h(
      'span',
      { class: 'card-actions' },
      h('a', { class: 'button', href: `#/a/${saved.name}` }, running ? 'Open' : saved.snapshot ? 'Resume' : 'Boot'),
      exportButton,
      remove,
    ),
  );
}

function imageSize(path: string): Promise<number | undefined> {
  let size = imageSizes.get(path);
  if (!size) {
    const url = new URL(path, new URL(import.meta.env.BASE_URL, location.origin));
    // The service worker's precache answers without Content-Length; the unikernel images are small enough to fetch.
    size = fetch(url, { method: 'HEAD' })
      .then(async (head) => {
        const length = Number(head.headers.get('content-length') ?? NaN);
        if (!head.ok || Number.isFinite(length)) return head.ok ? length : undefined;
        const whole = await fetch(url);
        return whole.ok ? (await whole.arrayBuffer()).byteLength : undefined;
      })
      .catch(() => undefined);
    imageSizes.set(path, size);
  }
  return size;
}
