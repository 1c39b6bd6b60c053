// Keep and share one appliance: a link with its data, a link with the whole running machine, a file. An appliance of
// one's own carries its image (and manifest) in each of them.
import { APPLIANCE_FILE_TYPE, applianceFileName, encodeApplianceFile } from './appliance-file.ts';
import { clearError, h, showError } from './dom.ts';
import type { RunningAppliance } from './fleet.ts';
import { formatBytes } from './format.ts';
import { gunzip } from '../worker/saved-machine.ts';
import { encodeOwnImage } from './own-image.ts';
import { createShareLink } from './share-link.ts';
import type { SavedAppliance } from './storage.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

/** The page's own address without its hash: where share links point. */
function appBase(): string {
  return location.origin + location.pathname;
}

/** Renders the "Keep and share" panel of appliance `saved`; `running()` is its machine if it runs. */
export function renderSharePanel(
  spec: ApplianceSpec,
  saved: SavedAppliance,
  running: () => RunningAppliance | undefined,
): HTMLElement {
  const output = h('input', { class: 'share-link', readonly: '', 'aria-label': 'Share link', placeholder: '' });
  const copy = h('button', { class: 'button secondary', type: 'button', disabled: '' }, 'Copy');
  const note = h('p', { class: 'share-note', 'aria-live': 'polite' }, '');
  const shareState = h('button', { class: 'button', type: 'button' }, 'Share this running appliance');
  const own = saved.manifest && saved.image && { manifest: saved.manifest, image: saved.image };
  const shareData = h(
    'button',
    { class: 'button secondary', type: 'button' },
    own ? 'Share link with its image' : 'Share link with its data',
  );
  const exportFile = h('button', { class: 'button secondary', type: 'button' }, 'Export file');
  shareData.hidden = !spec.userData && !own;

  const share = async (kind: 'data' | 'state'): Promise<void> => {
    clearError();
    try {
      const bytes = kind === 'state' ? await snapshotOf(running()) : (saved.userData ?? new Uint8Array());
      const bundle = own && encodeOwnImage(kind === 'state' ? { ...own, state: bytes } : { ...own, userData: bytes });
      const link = bundle
        ? await createShareLink(appBase(), spec.id, 'image', bundle)
        : await createShareLink(appBase(), spec.id, kind, bytes);
      output.value = link;
      copy.disabled = false;
      const carried = formatBytes(bytes.length + (own?.image.length ?? 0));
      const image = own ? `, with its own ${formatBytes(own.image.length)} image,` : '';
      note.textContent =
        kind === 'state'
          ? `The link carries the whole machine${image} (${carried} → ${formatBytes(link.length)} of URL): whoever ` +
            'opens it resumes it exactly as it is now, its data, uptime and console. No server is involved.'
          : `The link boots ${spec.title}${image} with this data (${carried} → ${formatBytes(link.length)} of URL).`;
    } catch (error) {
      showError((error as Error).message);
    }
  };
  shareState.addEventListener('click', () => void share('state'));
  shareData.addEventListener('click', () => void share('data'));
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(output.value).then(() => (note.textContent = 'Copied.'));
  });
  exportFile.addEventListener('click', () => {
    clearError();
    exportAppliance(saved, running()).catch((error: Error) => showError(error.message));
  });

  return h(
    'section',
    { class: 'share-panel', 'aria-label': 'Keep and share' },
    h('h3', {}, 'Keep and share'),
    h('div', { class: 'card-actions' }, shareState, shareData, exportFile),
    h('div', { class: 'share-output' }, output, copy),
    note,
  );
}

function snapshotOf(appliance: RunningAppliance | undefined): Promise<Uint8Array> {
  if (appliance?.status.state !== 'ready') {
    return Promise.reject(new Error('Only a running appliance can be shared as a machine: boot it first.'));
  }
  return appliance.snapshot();
}

/** Downloads an appliance as one file: its data and, if it runs or was saved, its machine. */
export async function exportAppliance(saved: SavedAppliance, running?: RunningAppliance): Promise<void> {
  const state =
    running?.status.state === 'ready' ? await running.snapshot() : saved.snapshot && (await gunzip(saved.snapshot));
  const file = {
    id: saved.applianceId,
    name: saved.label,
    savedAt: Date.now(),
    userData: saved.userData ?? new Uint8Array(),
    ...(state && { state }),
    ...(saved.manifest && saved.image && { own: { manifest: saved.manifest, image: saved.image } }),
  };
  const url = URL.createObjectURL(
    new Blob([encodeApplianceFile(file) as Uint8Array<ArrayBuffer>], { type: APPLIANCE_FILE_TYPE }),
  );
  const link = h('a', { href: url, download: applianceFileName(file) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
