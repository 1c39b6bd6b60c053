// A small HTTP client for the open appliance: requests go through the /vm/ gateway like any fetch, or straight to the
// appliance's worker where the page has no service worker (e.g. embedded in another site).
import type { DirectRequest, DirectResponse } from '../worker/protocol.ts';
import { h } from './dom.ts';
import { formatMs } from './format.ts';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
/** Bodies longer than this are shown cut, with their full size. */
const SHOWN_BODY_CHARS = 64 * 1024;

/** How to reach the guest without the service worker: MachineApi.request() of its worker, on the guest's `port`. */
export interface DirectRoute {
  port: number;
  request(request: DirectRequest): Promise<DirectResponse>;
}

/** The API console panel for the appliance that serves under `name` (/vm/<name>/). */
export function renderApiConsole(name: string, direct?: DirectRoute): HTMLElement {
  const method = h('select', { name: 'method', 'aria-label': 'Method' }, ...METHODS.map((m) => h('option', {}, m)));
  const path = h('input', { name: 'path', 'aria-label': 'Path', value: '/', spellcheck: 'false' });
  const headers = h('textarea', {
    name: 'headers',
    'aria-label': 'Headers',
    rows: '2',
    placeholder: 'Content-Type: text/plain',
  });
  const body = h('textarea', { name: 'body', 'aria-label': 'Body', rows: '3', placeholder: 'request body' });
  const send = h('button', { class: 'button', type: 'submit' }, 'Send');
  const result = h('div', { class: 'api-result', 'aria-live': 'polite' });
  const snippet = h('pre', { class: 'snippet' });
  const openLink = h('a', { target: '_blank', rel: 'noopener' }, 'open in new tab');
  const directNote = h('p', { class: 'hint api-direct' });
  const form = h(
    'form',
    { class: 'api-console', 'aria-label': 'API console' },
    h('h3', {}, 'API console'),
    h('div', { class: 'api-line' }, method, path, send),
    headers,
    body,
    h('div', { class: 'api-links' }, openLink),
    directNote,
    snippet,
    result,
  );

  const url = (): string =>
    `${import.meta.env.BASE_URL}vm/${name}${path.value.startsWith('/') ? '' : '/'}${path.value}`;
  // Without a controlling service worker, /vm/ URLs reach nothing: the request goes to the worker instead.
  const viaWorker = (): DirectRoute | undefined => (navigator.serviceWorker?.controller ? undefined : direct);
  const update = (): void => {
    const worker = viaWorker();
    snippet.textContent = snippetFor(method.value, url(), parseHeaders(headers.value), body.value);
    snippet.hidden = worker !== undefined;
    openLink.href = url();
    openLink.hidden = method.value !== 'GET' || worker !== undefined;
    directNote.hidden = worker === undefined;
    directNote.textContent = navigator.serviceWorker
      ? 'The service worker is not in control of this page yet, so /vm/ URLs do not answer here: requests go straight to the appliance’s worker.'
      : 'This frame has no service worker (a browser gives none to a page embedded in another site), so /vm/ URLs are unavailable here: requests go straight to the appliance’s worker.';
  };
  navigator.serviceWorker?.addEventListener('controllerchange', update);
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const worker = viaWorker();
    const transport = worker ? (init: RequestInit) => requestVia(worker, path.value, init) : undefined;
    void sendRequest(method.value, url(), parseHeaders(headers.value), body.value, result, transport);
  });
  update();
  return form;
}

function parseHeaders(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => line.split(/:(.*)/s).map((part) => part.trim()))
    .filter((parts): parts is [string, string] => parts.length >= 2 && parts[0] !== '')
    .map(([name, value]) => [name, value]);
}

function snippetFor(method: string, url: string, headers: [string, string][], body: string): string {
  const withBody = method !== 'GET' && method !== 'HEAD' && body !== '';
  const init = [
    method === 'GET' ? '' : `method: '${method}'`,
    headers.length ? `headers: ${JSON.stringify(Object.fromEntries(headers))}` : '',
    withBody ? `body: ${JSON.stringify(body)}` : '',
  ].filter(Boolean);
  const fetchLine = `await fetch('${url}'${init.length ? `, { ${init.join(', ')} }` : ''})`;
  const absolute = new URL(url, location.href).href;
  const curl = ['curl', method === 'GET' ? '' : `-X ${method}`, ...headers.map(([n, v]) => `-H '${n}: ${v}'`)]
    .concat(withBody ? [`--data-binary '${body.replace(/'/g, "'\\''")}'`] : [], `'${absolute}'`)
    .filter(Boolean)
    .join(' ');
  return `${fetchLine}\n# from another tab of this browser (the gateway lives in its service worker):\n${curl}`;
}

async function sendRequest(
  method: string,
  url: string,
  headers: [string, string][],
  body: string,
  out: HTMLElement,
  transport: (init: RequestInit) => Promise<Response> = (init) => fetch(url, init),
): Promise<void> {
  out.replaceChildren('sending…');
  const start = performance.now();
  try {
    const withBody = method !== 'GET' && method !== 'HEAD';
    const response = await transport({ method, headers, ...(withBody && { body }) });
    const text = await response.text();
    const ms = performance.now() - start;
    const shown =
      text.length > SHOWN_BODY_CHARS ? `${text.slice(0, SHOWN_BODY_CHARS)}\n… (${text.length} characters)` : text;
    out.replaceChildren(
      h(
        'div',
        { class: 'api-status', 'data-status': String(response.status) },
        `${response.status} ${response.statusText} · ${formatMs(ms)}`,
      ),
      h('pre', { class: 'api-headers' }, [...response.headers].map(([n, v]) => `${n}: ${v}`).join('\n')),
      h('pre', { class: 'api-body' }, shown),
    );
  } catch (error) {
    out.replaceChildren(
      h('div', { class: 'api-status', 'data-status': 'error' }, `failed: ${(error as Error).message}`),
    );
  }
}

/** Sends a request through the worker and wraps the answer as a fetch Response. */
async function requestVia(direct: DirectRoute, path: string, init: RequestInit): Promise<Response> {
  const method = init.method ?? 'GET';
  const body = init.body === undefined ? null : (new TextEncoder().encode(String(init.body)).buffer as ArrayBuffer);
  const answer = await direct.request({
    port: direct.port,
    method,
    target: path.startsWith('/') ? path : `/${path}`,
    headers: init.headers as [string, string][],
    body,
  });
  const empty = method === 'HEAD' || [101, 204, 205, 304].includes(answer.status);
  return new Response(empty ? null : answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
}
