// The source viewer (#/src/<appliance>/<path>:L<n>): the C files an appliance is built from, highlighted, each line
// a link. The files ship with the site (scripts/appliance-sources.ts), so this works offline too.
import type { ApplianceSpec } from '../worker/protocol.ts';
import { h, showError } from './dom.ts';
import './teach.css';
import { formatBytes } from './format.ts';
import { escapeHtml } from './html-lines.ts';
import { sourceLink, type SourceRoute } from './source-link.ts';

/** source/index.json, as scripts/appliance-sources.ts writes it. */
interface SourceIndex {
  appliances: Record<string, string[]>;
  sizes: Record<string, number>;
}

const base = (): string => `${import.meta.env.BASE_URL}source/`;
let index: Promise<SourceIndex> | undefined;
/** Highlighted files by path, so following a line link re-renders at once and the page keeps its scroll. */
const files = new Map<string, string[]>();

/** The sources' index, fetched once. */
export function sourceIndex(): Promise<SourceIndex> {
  index ??= fetch(`${base()}index.json`).then((response) => {
    if (!response.ok) throw new Error(`the sources' index is missing (${response.status}): rebuild with npm run build`);
    return response.json() as Promise<SourceIndex>;
  });
  index.catch(() => (index = undefined));
  return index;
}

async function highlightedFile(path: string): Promise<string[]> {
  const known = files.get(path);
  if (known) return known;
  const [response, { highlightLines }] = await Promise.all([fetch(`${base()}${path}`), import('./highlight.ts')]);
  if (!response.ok) throw new Error(`${path} could not be loaded (${response.status})`);
  const lines = highlightLines(await response.text(), path);
  files.set(path, lines);
  return lines;
}

/** Shows the sources `route` names (an appliance's main file if it names none). */
export async function renderSourceViewer(
  root: HTMLElement,
  route: SourceRoute | undefined,
  catalog: ApplianceSpec[],
  isCurrent: () => boolean,
): Promise<void> {
  let all: SourceIndex;
  try {
    all = await sourceIndex();
  } catch (error) {
    showError(`The source viewer cannot open: ${(error as Error).message}.`);
    return;
  }
  const names = Object.keys(all.appliances);
  const appliance =
    route && all.appliances[route.appliance] ? route.appliance : names.includes('kv') ? 'kv' : names[0]!;
  if (route && appliance !== route.appliance) {
    showError(`There are no sources for '${route.appliance}'. Pick one of: ${names.join(', ')}.`);
  }
  const list = all.appliances[appliance]!;
  const wanted = route?.appliance === appliance ? route.path : undefined;
  const path =
    wanted && list.includes(wanted) ? wanted : (list.find((p) => p === `${appliance}/${appliance}.c`) ?? list[0]!);
  if (wanted && wanted !== path) showError(`${appliance} is not built from ${wanted}: showing ${path}.`);
  let lines: string[];
  try {
    lines = await highlightedFile(path);
  } catch (error) {
    showError(`The source viewer cannot open: ${(error as Error).message}.`);
    return;
  }
  if (!isCurrent()) return;
  const spec = catalog.find((a) => a.id === appliance);
  document.title = `${path} · ${spec?.title ?? appliance} source · Tabcloud`;
  const total = list.reduce((sum, p) => sum + (all.sizes[p] ?? 0), 0);
  root.replaceChildren(
    h(
      'div',
      { class: 'machine-bar source-bar' },
      h('a', { href: '#/' }, '← Gallery'),
      h('h2', {}, `Source of ${spec?.title ?? appliance}`),
      h(
        'nav',
        { class: 'source-appliances', 'aria-label': 'Appliances' },
        ...names.map((name) =>
          h('a', { href: `#/src/${name}`, ...(name === appliance && { 'aria-current': 'true' }) }, name),
        ),
      ),
      h('a', { class: 'button secondary', href: `#/a/${appliance}` }, `Open ${appliance}`),
    ),
    h(
      'p',
      { class: 'hint' },
      `${list.length} files, ${formatBytes(total)} of C, assembly and linker script: the whole OS and the app. ` +
        'Select a line number to link to it.',
    ),
    h(
      'div',
      { class: 'source-body' },
      renderFileList(appliance, list, all.sizes, path),
      renderFile(appliance, path, lines, route?.path === path ? route.lines : undefined),
    ),
  );
  const target = root.querySelector<HTMLElement>('.source-line.target');
  if (target && !inView(target)) target.scrollIntoView({ block: 'center' });
}

function renderFileList(
  appliance: string,
  list: string[],
  sizes: Record<string, number>,
  current: string,
): HTMLElement {
  const dirs = [...new Set(list.map((p) => p.split('/')[0]!))];
  return h(
    'nav',
    { class: 'source-files', 'aria-label': 'Files' },
    ...dirs.map((dir) =>
      h(
        'details',
        { open: '' },
        h('summary', {}, `${dir}/`),
        h(
          'ul',
          {},
          ...list
            .filter((p) => p.startsWith(`${dir}/`))
            .map((p) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: sourceLink(p, undefined, appliance), ...(p === current && { 'aria-current': 'page' }) },
                  p.slice(dir.length + 1),
                ),
                h('span', { class: 'size' }, formatBytes(sizes[p] ?? 0)),
              ),
            ),
        ),
      ),
    ),
  );
}

function renderFile(
  appliance: string,
  path: string,
  lines: string[],
  target: SourceRoute['lines'] | undefined,
): HTMLElement {
  const code = h('pre', { class: 'source-code', tabindex: '0', 'aria-label': `${path}, ${lines.length} lines` });
  // Lines are built as one string: a large file has thousands of them.
  code.innerHTML = lines
    .map((html, i) => {
      const n = i + 1;
      const hit = target && n >= target.first && n <= target.last;
      const link = escapeHtml(sourceLink(path, n, appliance));
      return (
        `<span class="source-line${hit ? ' target' : ''}" id="L${n}">` +
        `<a class="line-number" href="${link}" aria-label="Line ${n}"${hit ? ' aria-current="location"' : ''}>${n}</a>` +
        `<code>${html || ' '}</code></span>`
      );
    })
    .join('');
  return h(
    'section',
    { class: 'source-file', 'aria-label': path },
    h('h3', {}, path, h('span', { class: 'size' }, ` · ${lines.length} lines`)),
    code,
  );
}

function inView(element: HTMLElement): boolean {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}
