// Embed mode (?embed=1#/a/<id>): one appliance's console, and with &panel=api its API console, filling an <iframe>
// on any site. Such a frame may get no service worker and no storage: it boots afresh and keeps nothing.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { renderApiConsole } from './api-console.ts';
import { h, showError } from './dom.ts';
import './teach.css';
import type { Fleet } from './fleet.ts';
import { SerialAddon } from './serial-addon.ts';
import { openTerminal } from './terminal.ts';

export interface EmbedOptions {
  /** Also show the API console. */
  panel?: 'api';
}

/** The embed options of a page URL's query string, or undefined if it is no embed. */
export function embedOptions(search: string): EmbedOptions | undefined {
  const query = new URLSearchParams(search);
  if (query.get('embed') !== '1') return undefined;
  return query.get('panel') === 'api' ? { panel: 'api' } : {};
}

/** The HTML that embeds catalog appliance `spec` from the Tabcloud at `base` (its URL without query or hash). */
export function embedCode(base: string, spec: ApplianceSpec, options: EmbedOptions = {}): string {
  const query = options.panel ? `?embed=1&amp;panel=${options.panel}` : '?embed=1';
  const title = `${spec.title} · Tabcloud`.replace(/"/g, '&quot;');
  return (
    `<iframe src="${base}${query}#/a/${encodeURIComponent(spec.id)}" width="640" height="400" ` +
    `title="${title}" style="border:0" loading="lazy"></iframe>`
  );
}

/** The "Embed" panel of the appliance view: the code for an <iframe> of this appliance, and a button to copy it. */
export function renderEmbedPanel(spec: ApplianceSpec): HTMLElement {
  const withApi = h('input', { type: 'checkbox' });
  const code = h('textarea', { class: 'embed-code', readonly: '', rows: '3', 'aria-label': 'Embed code' });
  const copy = h('button', { class: 'button secondary', type: 'button' }, 'Copy embed code');
  const note = h('p', { class: 'share-note', 'aria-live': 'polite' });
  const update = (): void => {
    const base = location.origin + location.pathname;
    code.value = embedCode(base, spec, spec.ports.length > 0 && withApi.checked ? { panel: 'api' } : {});
  };
  withApi.addEventListener('change', update);
  copy.addEventListener('click', () => {
    update();
    code.select();
    const copied = navigator.clipboard?.writeText(code.value);
    if (!copied) {
      note.textContent = 'The clipboard is not available here: the code is selected, copy it with Ctrl+C.';
      return;
    }
    copied.then(
      () => (note.textContent = 'Copied: paste it into any web page.'),
      () => (note.textContent = 'The clipboard is not available here: the code is selected, copy it with Ctrl+C.'),
    );
  });
  update();
  const option = spec.ports.length > 0 ? [h('label', { class: 'embed-option' }, withApi, ' with its API console')] : [];
  return h(
    'section',
    { class: 'embed-panel', 'aria-label': 'Embed' },
    h('h3', {}, 'Embed'),
    h('p', { class: 'hint' }, `Put ${spec.title} on any web page: it boots in the reader's browser.`),
    ...option,
    code,
    h('div', { class: 'card-actions' }, copy),
    note,
  );
}

/** Shows catalog appliance `spec` alone, booting it afresh; dispose() frees the terminal. */
export function openEmbed(
  root: HTMLElement,
  fleet: Fleet,
  spec: ApplianceSpec,
  options: EmbedOptions,
): { dispose(): void } {
  document.body.classList.add('embed');
  document.title = `${spec.title} · Tabcloud`;
  const name = spec.id;
  const saved = { name, applianceId: spec.id, label: spec.title, source: { kind: 'catalog' as const }, trusted: true };
  const appliance = fleet.start(spec, saved);
  const status = h('span', { class: 'status', 'data-state': 'off', 'aria-live': 'polite' }, '');
  const full = location.origin + location.pathname + `#/a/${encodeURIComponent(name)}`;
  const screen = h('div', { class: 'console-screen', 'aria-label': `${spec.title} console` });
  const view = h('div', { class: 'embed-view' }, screen);
  if (options.panel === 'api' && spec.ports.length > 0) {
    const port = spec.ports[0]!;
    view.append(renderApiConsole(name, { port, request: (request) => appliance.request(request) }));
    view.classList.add('with-api');
  }
  root.replaceChildren(
    h(
      'div',
      { class: 'embed-bar' },
      h('strong', {}, spec.title),
      status,
      h('a', { href: full, target: '_blank', rel: 'noopener' }, 'Open in Tabcloud ↗'),
    ),
    view,
  );

  const terminal = openTerminal(screen, { fontSize: 13, scrollback: 2000 });
  const serial = new SerialAddon((text) => appliance.sendSerial(text));
  terminal.connect(serial);
  const unsubscribe = appliance.subscribe((event) => {
    if (event.type === 'serial') serial.write(event.data);
    else if (event.type === 'status') {
      status.dataset.state = event.status.state;
      status.textContent = event.status.state === 'crashed' ? 'crashed' : event.status.state;
    }
  });
  return {
    dispose() {
      unsubscribe();
      terminal.dispose();
    },
  };
}

/** The embed for page address `hash` (#/a/<catalog id>), or undefined after showing what is wrong. */
export function openEmbedRoute(
  root: HTMLElement,
  fleet: Fleet,
  catalog: ApplianceSpec[],
  hash: string,
  options: EmbedOptions,
): { dispose(): void } | undefined {
  const id = /^#\/a\/([^/?]+)/.exec(hash)?.[1];
  const spec = id === undefined ? undefined : catalog.find((a) => a.id === decodeURIComponent(id));
  if (!spec) {
    showError(`This embed names no appliance: its address must end in #/a/<${catalog.map((a) => a.id).join('|')}>.`);
    return undefined;
  }
  return openEmbed(root, fleet, spec, options);
}
