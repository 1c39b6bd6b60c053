// The gallery: one card per catalog appliance, with what it costs and whether it runs.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { h } from './dom.ts';
import type { Fleet } from './fleet.ts';
import { formatBytes, formatMs } from './format.ts';

const imageSizes = new Map<string, Promise<number | undefined>>();

/** Renders the catalog; each card links to #/a/<id>. */
export function renderGallery(root: HTMLElement, catalog: ApplianceSpec[], fleet: Fleet): void {
  const cards = catalog.map((appliance) => {
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
    const actions = h(
      'div',
      { class: 'card-actions' },
      h('a', { class: 'button', href: `#/a/${appliance.id}` }, running ? 'Open' : 'Boot'),
    );
    if (running) {
      const stop = h('button', { class: 'button secondary', type: 'button' }, 'Stop');
      stop.addEventListener('click', () => fleet.stop(appliance.id));
      actions.append(stop);
    }
    return h(
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
  });
  root.replaceChildren(h('section', { class: 'gallery' }, ...cards));
}

function imageSize(path: string): Promise<number | undefined> {
  let size = imageSizes.get(path);
  if (!size) {
    const url = new URL(path, new URL(import.meta.env.BASE_URL, location.origin));
    size = fetch(url, { method: 'HEAD' })
      .then((r) => (r.ok ? Number(r.headers.get('content-length') ?? NaN) : undefined))
      .catch(() => undefined);
    imageSizes.set(path, size);
  }
  return size;
}
