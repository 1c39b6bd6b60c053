// Content from a share link or a file is untrusted: the user sees where it came from and what it holds
// before it boots, and its pages stay sandboxed until the user trusts it.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { h } from './dom.ts';
import { formatBytes } from './format.ts';
import type { MachineImage } from '../worker/saved-machine.ts';
import type { Source } from './storage.ts';
import { unpackTar } from './ustar.ts';

/** An appliance that arrived from outside, waiting for the user's decision. */
export interface Offer {
  spec: ApplianceSpec;
  source: Exclude<Source, { kind: 'catalog' }>;
  label?: string;
  userData?: Uint8Array;
  machine?: MachineImage;
  /** An appliance of one's own: its kernel image (`spec` is its manifest); `defaults` when no appliance.json came. */
  own?: { image: Uint8Array; defaults?: boolean };
}

/** Text shown for the first bytes of user-data or a console. */
const PREVIEW_CHARS = 2000;

/** Renders the prompt for `offer`; `decide(true)` boots it, `decide(false)` discards it. */
export function renderTrustPrompt(root: HTMLElement, offer: Offer, decide: (boot: boolean) => void): void {
  const boot = h('button', { class: 'button', type: 'button' }, 'Boot it (sandboxed)');
  const cancel = h('button', { class: 'button secondary', type: 'button' }, 'Discard');
  boot.addEventListener('click', () => decide(true));
  cancel.addEventListener('click', () => decide(false));
  const from = offer.source.kind === 'link' ? 'a share link' : `the file ${offer.source.detail}`;
  root.replaceChildren(
    h(
      'section',
      { class: 'trust-prompt', 'aria-labelledby': 'trust-title' },
      h('h2', { id: 'trust-title' }, `${offer.spec.title} from ${from}`),
      h(
        'p',
        {},
        'Someone else made this. It runs in an emulator in this tab, isolated from your computer, and its web pages ' +
          'are sandboxed: they cannot read this app’s storage or your saved appliances. Look at what it holds:',
      ),
      ...(offer.own ? describeOwn(offer.spec, offer.own) : []),
      ...describe(offer),
      h('div', { class: 'card-actions' }, boot, cancel),
    ),
  );
  boot.focus();
}

/** The banner over an untrusted appliance, with the button that trusts it. */
export function renderTrustBanner(source: Source, onTrust: () => void): HTMLElement {
  const trust = h('button', { class: 'button secondary', type: 'button' }, 'Trust it');
  trust.addEventListener('click', onTrust);
  const from = source.kind === 'link' ? 'a share link' : source.kind === 'file' ? `the file ${source.detail}` : '';
  return h(
    'div',
    { class: 'trust-banner', role: 'note' },
    `Untrusted: this appliance came from ${from}. Its pages at /vm/ are sandboxed (no access to this app’s storage) until you trust it. `,
    trust,
  );
}

/** An image of its own: its size, and its manifest field by field. */
function describeOwn(spec: ApplianceSpec, own: NonNullable<Offer['own']>): HTMLElement[] {
  const row = (name: string, value: string): HTMLElement[] => [h('dt', {}, name), h('dd', {}, value)];
  return [
    h(
      'p',
      {},
      `Its own operating system: a kernel image of ${formatBytes(own.image.length)} (a multiboot i386 ELF) that is ` +
        'not in this Tabcloud’s catalog. ' +
        (own.defaults ? 'No appliance.json came with it, so it gets the defaults below.' : 'Its appliance.json says:'),
    ),
    h(
      'dl',
      { class: 'manifest' },
      ...row('id', spec.id),
      ...row('title', spec.title),
      ...row('summary', spec.summary),
      ...row('memory', formatBytes(spec.memory)),
      ...row('ports', spec.ports.length > 0 ? spec.ports.join(', ') : 'none (no network)'),
      ...row('user-data', spec.userData ?? 'none'),
    ),
  ];
}

/** What the offer contains, for the user to judge. */
function describe(offer: Offer): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (offer.machine) {
    parts.push(
      h(
        'p',
        {},
        `A running machine: ${formatBytes(offer.machine.state.byteLength)} of RAM and devices. It resumes exactly where ` +
          'its sender left it, with its data and uptime. Its console showed:',
      ),
      h('pre', { class: 'preview' }, printable(offer.machine.console).slice(-PREVIEW_CHARS) || '(nothing)'),
    );
  }
  const data = offer.userData;
  if (data && data.length > 0) {
    const what = offer.spec.userData === 'script' ? 'Its script, the service it runs' : 'User-data';
    parts.push(h('p', {}, `${what} (${formatBytes(data.length)}):`), previewUserData(offer.spec, data));
  } else if (!offer.machine) {
    parts.push(h('p', {}, offer.own ? 'No user-data.' : 'No user-data: the appliance boots as in the catalog.'));
  }
  return parts;
}

function previewUserData(spec: ApplianceSpec, data: Uint8Array): HTMLElement {
  if (spec.userData === 'files') {
    try {
      const files = unpackTar(data);
      return h(
        'ul',
        { class: 'preview' },
        ...files.map((f) => h('li', {}, `${f.name} (${formatBytes(f.data.length)})`)),
      );
    } catch (error) {
      return h('p', {}, `Not a readable archive: ${(error as Error).message}`);
    }
  }
  return h('pre', { class: 'preview' }, printable(data).slice(0, PREVIEW_CHARS));
}

/** Bytes as text with terminal escapes and control characters removed. */
export function printable(bytes: Uint8Array): string {
  return (
    new TextDecoder()
      .decode(bytes)
      // eslint-disable-next-line no-control-regex -- terminal escapes start with ESC
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/[^\n\t\x20-\x7e\u00a0-\uffff]/g, '')
  );
}
