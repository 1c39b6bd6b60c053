// Guided lessons (#/learn, #/learn/<id>): a drawer beside the page that walks through steps read from lessons/*.json,
// with buttons that drive the real page and checks on what the page observes (web/lesson-format.ts judges them).
import type { ApplianceSpec } from '../worker/protocol.ts';
import { summarize } from '../worker/net/dissect.ts';
import { h, showError } from './dom.ts';
import './teach.css';
import type { Fleet, RunningAppliance } from './fleet.ts';
import { formatBytes, formatMs } from './format.ts';
import {
  describeCheck,
  evaluate,
  parseLesson,
  type Action,
  type Figure,
  type Lesson,
  type Observed,
} from './lesson-format.ts';

export interface LessonHost {
  fleet: Fleet;
  catalog: ApplianceSpec[];
}

/** Console text and frame summaries kept per appliance for the checks. */
const CONSOLE_CHARS = 32 * 1024;
const FRAMES_KEPT = 1000;
/** The share link is set without an input event: the drawer looks at it this often. */
const POLL_MS = 500;
const PROGRESS_KEY = 'tabcloud.lesson';

const files = import.meta.glob<unknown>('../lessons/*.json', { eager: true, import: 'default' });

/** Every lesson in lessons/, in order; a broken file is reported and left out. */
export function loadLessons(): Lesson[] {
  const lessons: Lesson[] = [];
  for (const [file, json] of Object.entries(files)) {
    const id = file.replace(/^.*\/|\.json$/g, '');
    try {
      lessons.push(parseLesson(id, json));
    } catch (error) {
      showError(`A lesson cannot be shown: ${(error as Error).message}`);
    }
  }
  return lessons.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

/** Whether the hash is a lesson page. */
export function isLearnRoute(hash: string): boolean {
  return hash === '#/learn' || hash.startsWith('#/learn/');
}

/** Shows the list of lessons; #/learn/<id> also opens that lesson in the drawer. */
export function renderLearnPage(root: HTMLElement, hash: string, host: LessonHost): void {
  const lessons = loadLessons();
  const id = /^#\/learn\/([^/?]+)/.exec(hash)?.[1];
  document.title = 'Learn · Tabcloud';
  root.replaceChildren(
    h('div', { class: 'machine-bar' }, h('a', { href: '#/' }, '← Gallery'), h('h2', {}, 'Learn')),
    h(
      'p',
      { class: 'hint' },
      'Each lesson opens beside the page and drives it: press its buttons, or do the same by hand, and it sees what you did.',
    ),
    h(
      'ul',
      { class: 'lesson-list' },
      ...lessons.map((lesson) =>
        h(
          'li',
          { class: 'card', 'data-lesson': lesson.id },
          h('h3', {}, lesson.title),
          h('p', {}, lesson.summary),
          h('p', { class: 'facts' }, `${lesson.steps.length} steps`),
          h('a', { class: 'button', href: `#/learn/${lesson.id}` }, `Start “${lesson.title}”`),
        ),
      ),
    ),
  );
  if (!id) return;
  const lesson = lessons.find((l) => l.id === decodeURIComponent(id));
  if (!lesson) return showError(`There is no lesson '${id}'. Pick one of the list.`);
  const saved = readProgress();
  drawer(host).open(lesson, saved?.id === lesson.id ? saved.step : 0);
}

/** Reopens the lesson the learner was in before a reload. */
export function restoreLesson(host: LessonHost): void {
  const saved = readProgress();
  const lesson = saved && loadLessons().find((l) => l.id === saved.id);
  if (lesson) drawer(host).open(lesson, saved.step);
}

let current: LessonDrawer | undefined;

function drawer(host: LessonHost): LessonDrawer {
  current ??= new LessonDrawer(host);
  return current;
}

/** What the page shows that checks look at: appliance states, consoles and wires, the share link, the network. */
class Observer {
  private readonly seen: Observed = {
    states: {},
    consoles: {},
    frames: {},
    shareLink: '',
    online: navigator.onLine,
    opened: [],
    hash: location.hash,
  };
  private readonly watched = new WeakSet<RunningAppliance>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly changed: () => void,
  ) {
    const update = (): void => this.update();
    this.stops.push(fleet.onChange(update));
    for (const event of ['online', 'offline', 'hashchange']) {
      addEventListener(event, update);
      this.stops.push(() => removeEventListener(event, update));
    }
    const onClick = (event: MouseEvent): void => {
      const link = (event.target as Element | null)?.closest?.('a[target="_blank"]');
      if (link instanceof HTMLAnchorElement) this.opened(link.href);
    };
    document.addEventListener('click', onClick, true);
    this.stops.push(() => document.removeEventListener('click', onClick, true));
    const timer = setInterval(update, POLL_MS);
    this.stops.push(() => clearInterval(timer));
    this.update();
  }

  get observed(): Observed {
    return this.seen;
  }

  /** A URL opened in a new tab. */
  opened(url: string): void {
    this.seen.opened.push(url);
    this.changed();
  }

  dispose(): void {
    for (const stop of this.stops) stop();
  }

  private update(): void {
    this.seen.online = navigator.onLine;
    this.seen.hash = location.hash;
    const link = document.querySelector<HTMLInputElement>('input[aria-label="Share link"]');
    this.seen.shareLink = link?.value ?? this.seen.shareLink;
    for (const name of this.fleet.names()) {
      const appliance = this.fleet.get(name);
      if (appliance && !this.watched.has(appliance)) this.watch(appliance);
    }
    this.changed();
  }

  /** Follows one running appliance: its state and console at once, its wire once its worker runs. */
  private watch(appliance: RunningAppliance): void {
    this.watched.add(appliance);
    const { name } = appliance;
    const decoder = new TextDecoder();
    this.seen.consoles[name] = '';
    this.seen.frames[name] = [];
    let unwatchFrames: (() => void) | undefined;
    const unsubscribe = appliance.subscribe((event) => {
      if (event.type === 'serial') {
        this.seen.consoles[name] = (this.seen.consoles[name] + decoder.decode(event.data, { stream: true })).slice(
          -CONSOLE_CHARS,
        );
      } else if (event.type === 'status') {
        this.seen.states[name] = event.status.state;
        if (!unwatchFrames && event.status.state !== 'off') {
          unwatchFrames = appliance.watchFrames((batch) => {
            const list = this.seen.frames[name]!;
            let offset = 0;
            for (const length of batch.lengths) {
              list.push(summarize(new Uint8Array(batch.bytes, offset, length)));
              offset += length;
            }
            list.splice(0, Math.max(0, list.length - FRAMES_KEPT));
            this.changed();
          });
        }
      } else return;
      this.changed();
    });
    this.stops.push(unsubscribe, () => unwatchFrames?.());
  }
}

/** The lesson drawer: one per page, kept across routes (it lives outside #app). */
class LessonDrawer {
  private readonly element: HTMLElement;
  private readonly body = h('div', { class: 'lesson-body' });
  private readonly status = h('p', { class: 'lesson-check', role: 'status' });
  private readonly result = h('p', { class: 'lesson-result', 'aria-live': 'polite' });
  private readonly back = h('button', { class: 'button secondary', type: 'button' }, 'Back');
  private readonly next = h('button', { class: 'button', type: 'button' }, 'Next');
  private readonly skip = h('button', { class: 'button secondary', type: 'button' }, 'Skip step');
  private readonly heading = h('h2', { id: 'lesson-title' });
  private readonly counter = h('span', { class: 'lesson-counter' });
  private lesson: Lesson | undefined;
  private step = 0;
  private done = false;
  private observer: Observer | undefined;
  private figure: HTMLElement | undefined;

  constructor(private readonly host: LessonHost) {
    const close = h('button', { class: 'button secondary', type: 'button', 'aria-label': 'Close lesson' }, '✕');
    close.addEventListener('click', () => this.close());
    this.back.addEventListener('click', () => this.go(this.step - 1));
    this.next.addEventListener('click', () => this.go(this.step + 1));
    this.skip.addEventListener('click', () => this.go(this.step + 1));
    this.element = h(
      'aside',
      { class: 'lesson-drawer', 'aria-labelledby': 'lesson-title', hidden: '' },
      h('div', { class: 'lesson-head' }, h('a', { href: '#/learn' }, 'Lessons'), this.counter, close),
      this.heading,
      this.body,
      this.status,
      this.result,
      h('div', { class: 'card-actions lesson-nav' }, this.back, this.skip, this.next),
    );
    document.body.append(this.element);
  }

  open(lesson: Lesson, step: number): void {
    this.lesson = lesson;
    this.observer ??= new Observer(this.host.fleet, () => this.refresh());
    this.element.hidden = false;
    document.body.classList.add('lesson-open');
    this.go(Math.min(Math.max(0, step), lesson.steps.length - 1));
    this.heading.focus();
  }

  close(): void {
    this.element.hidden = true;
    document.body.classList.remove('lesson-open');
    this.observer?.dispose();
    this.observer = undefined;
    this.lesson = undefined;
    writeProgress(undefined);
  }

  private go(step: number): void {
    const lesson = this.lesson;
    if (!lesson) return;
    if (step >= lesson.steps.length) return this.finish(lesson);
    this.step = Math.max(0, step);
    this.done = false;
    writeProgress({ id: lesson.id, step: this.step });
    const s = lesson.steps[this.step]!;
    this.heading.textContent = lesson.title;
    this.heading.tabIndex = -1;
    this.counter.textContent = `Step ${this.step + 1} of ${lesson.steps.length}`;
    this.result.textContent = '';
    this.figure = s.show ? h('div', { class: 'lesson-figure' }) : undefined;
    this.body.replaceChildren(
      h('h3', {}, s.title),
      ...s.text.map((text) => h('p', {}, ...withCode(text))),
      ...(this.figure ? [this.figure] : []),
      h(
        'div',
        { class: 'card-actions lesson-actions' },
        ...s.do.map(({ label, action }) => this.button(label, action)),
      ),
    );
    if (this.figure && s.show) void renderFigure(this.figure, s.show, this.host);
    this.back.disabled = this.step === 0;
    this.next.textContent = this.step === lesson.steps.length - 1 ? 'Finish' : 'Next';
    this.refresh();
  }

  private finish(lesson: Lesson): void {
    writeProgress(undefined);
    this.counter.textContent = 'Done';
    this.body.replaceChildren(
      h('h3', {}, 'Lesson complete'),
      h('p', {}, `You finished “${lesson.title}”.`),
      h('p', {}, h('a', { href: '#/learn' }, 'More lessons')),
    );
    this.status.textContent = '';
    this.result.textContent = '';
    this.back.disabled = false;
    this.next.disabled = true;
    this.skip.hidden = true;
    this.step = lesson.steps.length;
  }

  /** Re-judges the step's check against what the page shows now. */
  private refresh(): void {
    const step = this.lesson?.steps[this.step];
    if (!step || !this.observer) return;
    if (step.show?.kind === 'timeline' && this.figure) void renderFigure(this.figure, step.show, this.host);
    if (!this.done) this.done = !step.check || evaluate(step.check, this.observer.observed);
    this.status.dataset.done = String(this.done);
    this.status.textContent = !step.check
      ? 'Read on, then press Next.'
      : this.done
        ? `✓ Done: ${describeCheck(step.check)}.`
        : `Waiting until ${describeCheck(step.check)}.`;
    this.next.disabled = !this.done;
    this.skip.hidden = this.done;
  }

  private button(label: string, action: Action): HTMLButtonElement {
    const button = h('button', { class: 'button', type: 'button' }, label);
    button.addEventListener('click', () => void this.act(action));
    return button;
  }

  /** Does what a "do it" button says, through the same page the learner uses. */
  private async act(action: Action): Promise<void> {
    const { fleet } = this.host;
    this.result.textContent = '';
    switch (action.kind) {
      case 'open':
        location.hash = `#/a/${action.appliance}`;
        return;
      case 'go':
        location.hash = action.hash;
        return;
      case 'type': {
        const appliance = fleet.get(action.appliance);
        if (appliance?.status.state !== 'ready') {
          this.result.textContent = `Boot ${action.appliance} first.`;
          return;
        }
        appliance.sendSerial(`${action.text}\r`);
        return;
      }
      case 'open-tab': {
        const url = siteUrl(action.url);
        window.open(url, '_blank', 'noopener');
        this.observer?.opened(url);
        return;
      }
      case 'click': {
        const button = [...document.querySelectorAll<HTMLButtonElement>('#app button')].find(
          (b) => b.textContent?.trim() === action.label && !b.disabled,
        );
        if (!button)
          this.result.textContent = `There is no “${action.label}” button on this page: open the appliance first.`;
        button?.click();
        return;
      }
      case 'fetch':
        this.result.textContent = `GET ${action.url}: ${await fetchStatus(action.url, fleet)}`;
        return;
    }
  }
}

/** A site path (e.g. /vm/kv/keys) under the app's base URL. */
function siteUrl(path: string): string {
  return new URL(path.replace(/^\//, ''), new URL(import.meta.env.BASE_URL, location.origin)).href;
}

/** GETs a URL and says how it went; a /vm/ URL goes to the worker when no service worker controls the page. */
async function fetchStatus(path: string, fleet: Fleet): Promise<string> {
  const start = performance.now();
  try {
    const vm = /^\/vm\/([^/]+)(\/.*)?$/.exec(path);
    const appliance = vm && fleet.get(vm[1]!);
    if (appliance && !navigator.serviceWorker?.controller) {
      const target = vm[2] ?? '/';
      const answer = await appliance.request({ port: 80, method: 'GET', target, headers: [], body: null });
      return `${answer.status} ${answer.statusText} in ${formatMs(performance.now() - start)}`;
    }
    const response = await fetch(siteUrl(path));
    await response.arrayBuffer();
    return `${response.status} ${response.statusText} in ${formatMs(performance.now() - start)}`;
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

async function renderFigure(into: HTMLElement, figure: Figure, host: LessonHost): Promise<void> {
  if (figure.kind === 'timeline') {
    const status = host.fleet.get(figure.appliance)?.status;
    const stages = Object.entries(status?.timeline.guest ?? {});
    const ready = status?.timeline.host['ready'];
    into.replaceChildren(
      stages.length === 0
        ? h('p', { class: 'hint' }, `Boot ${figure.appliance} to see its timeline.`)
        : h(
            'table',
            { class: 'lesson-table', 'aria-label': `${figure.appliance} boot stages` },
            h('tr', {}, h('th', {}, 'guest stage'), h('th', {}, 'ms from kernel entry')),
            ...stages.map(([stage, ms]) => h('tr', {}, h('td', {}, stage), h('td', {}, formatMs(ms)))),
            ...(ready === undefined
              ? []
              : [h('tr', {}, h('td', {}, 'ready, as the page saw it'), h('td', {}, formatMs(ready)))]),
          ),
    );
    return;
  }
  const rows = await Promise.all(
    figure.appliances.map(async (id) => {
      const spec = host.catalog.find((a) => a.id === id);
      const parts = spec ? [spec.image, ...(spec.initrd ? [spec.initrd] : [])] : [];
      const sizes = await Promise.all(parts.map(fileSize));
      const known = sizes.length > 0 && sizes.every((size) => size !== undefined);
      return {
        id,
        title: spec?.title ?? id,
        bytes: known ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined,
      };
    }),
  );
  const largest = Math.max(1, ...rows.map((row) => row.bytes ?? 0));
  const smallest = Math.min(...rows.map((row) => row.bytes ?? Infinity));
  into.replaceChildren(
    h(
      'table',
      { class: 'lesson-table', 'aria-label': 'Image sizes' },
      h('tr', {}, h('th', {}, 'appliance'), h('th', {}, 'image'), h('th', {}, '')),
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-appliance': row.id },
          h('td', {}, row.title),
          h('td', {}, row.bytes === undefined ? 'not built here' : formatBytes(row.bytes)),
          h(
            'td',
            { class: 'bar-cell' },
            h('span', {
              class: 'bar',
              style: `width: ${Math.max(1, ((row.bytes ?? 0) / largest) * 100)}%`,
              'aria-hidden': 'true',
            }),
          ),
        ),
      ),
    ),
    ...(Number.isFinite(smallest) && largest > smallest
      ? [h('p', { class: 'hint' }, `The largest is ${Math.round(largest / smallest)} times the smallest.`)]
      : []),
  );
}

function fileSize(path: string): Promise<number | undefined> {
  return fetch(siteUrl(path), { method: 'HEAD' })
    .then((r) => (r.ok ? Number(r.headers.get('content-length') ?? NaN) : undefined))
    .then((n) => (n === undefined || Number.isNaN(n) ? undefined : n))
    .catch(() => undefined);
}

/** Text with `code` in backticks as <code> elements. */
function withCode(text: string): (string | HTMLElement)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part));
}

function readProgress(): { id: string; step: number } | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(PROGRESS_KEY) ?? 'null') as unknown;
    const progress = value as { id?: unknown; step?: unknown } | null;
    if (typeof progress?.id === 'string' && typeof progress.step === 'number') {
      return { id: progress.id, step: progress.step };
    }
  } catch {
    // No storage in this frame: lessons start from their first step.
  }
  return undefined;
}

function writeProgress(progress: { id: string; step: number } | undefined): void {
  try {
    if (progress) sessionStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    else sessionStorage.removeItem(PROGRESS_KEY);
  } catch {
    // No storage in this frame: progress lasts as long as the page.
  }
}
