// Calls out to the web: which hosts an appliance may fetch through the host's proxy (worker/net/proxy.ts).
import { parseAllowList, type OutboundPolicy } from '../worker/net/outbound.ts';
import { h } from './dom.ts';
import type { SavedAppliance } from './storage.ts';

/**
 * A trusted appliance may call any host by default: the page's fetch() is bound by CORS, and its calls carry none of
 * this site's cookies. One from a link or a file calls nothing until the user trusts it.
 */
export const DEFAULT_ALLOW_NET = ['*'];

/** The policy an appliance boots with, from what the user decided about it. */
export function outboundPolicy(saved: Pick<SavedAppliance, 'trusted' | 'allowNet'>): OutboundPolicy {
  return {
    allow: saved.allowNet ?? DEFAULT_ALLOW_NET,
    ...(!saved.trusted && {
      blocked: 'it came from a link or a file and is untrusted. Press "Trust it" above its console first.',
    }),
    howToAllow: 'add <host> to its allow-list under "Calls out to the web" on its page',
  };
}

/** The panel that shows and edits the allow-list; `save` stores the new list and applies it to the running guest. */
export function renderOutboundPanel(
  saved: SavedAppliance,
  save: (allowNet: string[]) => Promise<void>,
): { element: HTMLElement; refresh(): void } {
  const state = h('p', { class: 'hint', 'data-testid': 'outbound-state' });
  const input = h('input', {
    'aria-label': 'Hosts it may call',
    placeholder: 'nothing: no calls out',
    spellcheck: 'false',
  });
  input.value = (saved.allowNet ?? DEFAULT_ALLOW_NET).join(', ');
  const button = h('button', { class: 'button secondary', type: 'button' }, 'Save');
  const problem = h('p', { class: 'hint outbound-problem', 'aria-live': 'polite' });
  const refresh = (): void => {
    const allow = saved.allowNet ?? DEFAULT_ALLOW_NET;
    state.textContent = !saved.trusted
      ? 'Off until you trust this appliance.'
      : allow.length === 0
        ? 'Off: the list is empty.'
        : allow.includes('*')
          ? 'On for any host the browser lets this page reach (CORS applies).'
          : `On for ${allow.join(', ')} only.`;
  };
  button.addEventListener('click', () => {
    problem.textContent = '';
    let list: string[];
    try {
      list = parseAllowList(input.value);
    } catch (error) {
      problem.textContent = (error as Error).message;
      return;
    }
    input.value = list.join(', ');
    void save(list).then(refresh, (error: Error) => (problem.textContent = error.message));
  });
  refresh();
  const element = h(
    'section',
    { class: 'outbound-panel', 'aria-label': 'Calls out to the web' },
    h('h3', {}, 'Calls out to the web'),
    state,
    h(
      'p',
      { class: 'hint' },
      'The guest fetches http:// and https:// URLs through this page (see the appliance API). ' +
        'Hosts it may call, comma-separated: api.example.com, *.example.com, host:8080, or * for any.',
    ),
    h('div', { class: 'share-output' }, input, button),
    problem,
  );
  return { element, refresh };
}
