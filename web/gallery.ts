// The gallery: one card per catalog appliance.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { h } from './dom.ts';
import { formatBytes } from './format.ts';

/** Renders the catalog; each card links to #/a/<id>. */
export function renderGallery(root: HTMLElement, catalog: ApplianceSpec[]): void {
  const cards = catalog.map((appliance) => {
    const size = h('li', {}, 'image …');
    void imageSize(appliance.image).then((bytes) => {
      size.textContent = bytes === undefined ? 'image not built' : `image ${formatBytes(bytes)}`;
    });
    return h(
      'article',
      { class: 'card', 'data-appliance': appliance.id },
      h('h2', {}, appliance.title),
      h('p', {}, appliance.summary),
      h(
        'ul',
        { class: 'facts' },
        size,
        h('li', {}, `RAM ${formatBytes(appliance.memory)}`),
        h('li', {}, appliance.ports.length ? `ports ${appliance.ports.join(', ')}` : 'no network'),
      ),
      h('a', { class: 'button', href: `#/a/${appliance.id}` }, 'Boot'),
    );
  });
  root.replaceChildren(h('section', { class: 'gallery' }, ...cards));
}

async function imageSize(path: string): Promise<number | undefined> {
  const response = await fetch(new URL(path, new URL(import.meta.env.BASE_URL, location.origin)), {
    method: 'HEAD',
  }).catch(() => undefined);
  const length = response?.ok ? response.headers.get('content-length') : null;
  return length === null ? undefined : Number(length);
}
