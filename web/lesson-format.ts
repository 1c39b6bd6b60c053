// Lessons are data (lessons/*.json): steps of text with "do it" buttons and a check. This module reads them and
// judges checks against what the page observed; web/lessons.ts does the actions and the observing.
import type { MachineState } from '../worker/protocol.ts';

/** Something a "do it" button does, in the page the learner sees. */
export type Action =
  /** Opens (and boots) an appliance: #/a/<appliance>. */
  | { kind: 'open'; appliance: string }
  /** Types a line (and Enter) on an appliance's console. */
  | { kind: 'type'; appliance: string; text: string }
  /** Sends one GET from the page, e.g. to /vm/kv/keys, and shows the status. */
  | { kind: 'fetch'; url: string }
  /** Opens a URL in a new tab. */
  | { kind: 'open-tab'; url: string }
  /** Goes to a page address, e.g. #/src/kv/net/tcp_in.c. */
  | { kind: 'go'; hash: string }
  /** Presses the page's button with this text, e.g. "Share this running appliance". */
  | { kind: 'click'; label: string };

/** What must be true for a step to be done. */
export type Check =
  | { kind: 'state'; appliance: string; state: MachineState }
  | { kind: 'console-contains'; appliance: string; text: string }
  /** A frame whose one-line summary (worker/net/dissect.ts) contains `text` crossed the appliance's wire. */
  | { kind: 'frame-seen'; appliance: string; text: string }
  /** The share panel holds a link. */
  | { kind: 'link-created' }
  | { kind: 'offline' }
  /** A page or link opened `url` in a new tab. */
  | { kind: 'opened'; url: string }
  /** The page address starts with `prefix`. */
  | { kind: 'route'; prefix: string };

/** A figure a step shows beside its text. */
export type Figure =
  /** The image sizes of these appliances side by side. */
  | { kind: 'image-sizes'; appliances: string[] }
  /** An appliance's boot stages as it reported them. */
  | { kind: 'timeline'; appliance: string };

export interface LessonStep {
  title: string;
  /** Paragraphs; `code` in backticks is shown as code. */
  text: string[];
  do: { label: string; action: Action }[];
  /** Without a check, the learner moves on when ready. */
  check?: Check;
  show?: Figure;
}

export interface Lesson {
  /** From the file name: lessons/<id>.json, #/learn/<id>. */
  id: string;
  title: string;
  summary: string;
  /** Where it comes in the list of lessons. */
  order: number;
  steps: LessonStep[];
}

/** What the page saw, as far as checks care. */
export interface Observed {
  states: Record<string, MachineState | undefined>;
  /** Each appliance's recent console output, as text. */
  consoles: Record<string, string>;
  /** Each appliance's recent frames, as one-line summaries. */
  frames: Record<string, string[]>;
  shareLink: string;
  online: boolean;
  /** URLs opened in new tabs, as absolute URLs or paths. */
  opened: string[];
  hash: string;
}

const STATES: MachineState[] = ['off', 'booting', 'ready', 'stopped', 'crashed'];
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Reads a lesson file; throws an Error naming the lesson, step and what is wrong. */
export function parseLesson(id: string, json: unknown): Lesson {
  const where = `lesson ${id}`;
  const lesson = object(json, where);
  const steps = lesson['steps'];
  if (!Array.isArray(steps) || steps.length === 0) throw new Error(`${where}: 'steps' must be a non-empty array`);
  return {
    id,
    title: string(lesson['title'], `${where}: 'title'`),
    summary: string(lesson['summary'], `${where}: 'summary'`),
    order: typeof lesson['order'] === 'number' ? lesson['order'] : 0,
    steps: steps.map((step, i) => parseStep(step, `${where}, step ${i + 1}`)),
  };
}

function parseStep(json: unknown, where: string): LessonStep {
  const step = object(json, where);
  const text = step['text'];
  const paragraphs = Array.isArray(text) ? text : [text];
  const buttons = step['do'] ?? [];
  if (!Array.isArray(buttons)) throw new Error(`${where}: 'do' must be an array`);
  return {
    title: string(step['title'], `${where}: 'title'`),
    text: paragraphs.map((p, i) => string(p, `${where}: text ${i + 1}`)),
    do: buttons.map((button, i) => {
      const b = object(button, `${where}: do ${i + 1}`);
      return {
        label: string(b['label'], `${where}: do ${i + 1}: 'label'`),
        action: at(where, () => parseAction(string(b['action'], `${where}: do ${i + 1}: 'action'`))),
      };
    }),
    ...(step['check'] !== undefined && {
      check: at(where, () => parseCheck(string(step['check'], `${where}: 'check'`))),
    }),
    ...(step['show'] !== undefined && {
      show: at(where, () => parseFigure(string(step['show'], `${where}: 'show'`))),
    }),
  };
}

/** Parses "verb: argument" (e.g. "open: kv", "type: hello uptime"); throws on an unknown verb. */
export function parseAction(source: string): Action {
  const [verb, arg] = verbAndArgument(source);
  switch (verb) {
    case 'open':
      return { kind: 'open', appliance: name(arg, source) };
    case 'type': {
      const [appliance, text] = split(arg, source);
      return { kind: 'type', appliance, text };
    }
    case 'fetch':
      return { kind: 'fetch', url: nonEmpty(arg, source) };
    case 'open-tab':
      return { kind: 'open-tab', url: nonEmpty(arg, source) };
    case 'go':
      if (!arg.startsWith('#/')) throw new Error(`'${source}': go takes a page address starting with #/`);
      return { kind: 'go', hash: arg };
    case 'click':
      return { kind: 'click', label: nonEmpty(arg, source) };
    default:
      throw new Error(`'${source}': unknown action '${verb}' (open, type, fetch, open-tab, go, click)`);
  }
}

/** Parses a check (e.g. "state: kv ready", "frame-seen: kv HTTP GET", "offline"); throws on an unknown one. */
export function parseCheck(source: string): Check {
  const [verb, arg] = verbAndArgument(source);
  switch (verb) {
    case 'state': {
      const [appliance, state] = split(arg, source);
      if (!STATES.includes(state as MachineState)) {
        throw new Error(`'${source}': the state must be one of ${STATES.join(', ')}`);
      }
      return { kind: 'state', appliance, state: state as MachineState };
    }
    case 'console-contains':
    case 'frame-seen': {
      const [appliance, text] = split(arg, source);
      return { kind: verb, appliance, text };
    }
    case 'link-created':
    case 'offline':
      if (arg) throw new Error(`'${source}': ${verb} takes no argument`);
      return { kind: verb };
    case 'opened':
      return { kind: 'opened', url: nonEmpty(arg, source) };
    case 'route':
      return { kind: 'route', prefix: nonEmpty(arg, source) };
    default:
      throw new Error(
        `'${source}': unknown check '${verb}' (state, console-contains, frame-seen, link-created, offline, opened, route)`,
      );
  }
}

function parseFigure(source: string): Figure {
  const [verb, arg] = verbAndArgument(source);
  if (verb === 'image-sizes') {
    const appliances = arg.split(/\s+/).filter(Boolean);
    if (appliances.length === 0) throw new Error(`'${source}': name the appliances to compare`);
    return { kind: 'image-sizes', appliances: appliances.map((a) => name(a, source)) };
  }
  if (verb === 'timeline') return { kind: 'timeline', appliance: name(arg, source) };
  throw new Error(`'${source}': unknown figure '${verb}' (image-sizes, timeline)`);
}

/** Whether `check` holds for what the page observed. */
export function evaluate(check: Check, seen: Observed): boolean {
  switch (check.kind) {
    case 'state':
      return seen.states[check.appliance] === check.state;
    case 'console-contains':
      return (seen.consoles[check.appliance] ?? '').includes(check.text);
    case 'frame-seen':
      return (seen.frames[check.appliance] ?? []).some((summary) => summary.includes(check.text));
    case 'link-created':
      return /^https?:\/\//.test(seen.shareLink);
    case 'offline':
      return !seen.online;
    case 'opened':
      return seen.opened.some((url) => url === check.url || url.endsWith(check.url));
    case 'route':
      return seen.hash.startsWith(check.prefix);
  }
}

/** What the learner is waiting for, in words. */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case 'state':
      return `${check.appliance} is ${check.state}`;
    case 'console-contains':
      return `${check.appliance}'s console shows “${check.text.trim()}”`;
    case 'frame-seen':
      return `a frame “${check.text}” crossed ${check.appliance}'s wire`;
    case 'link-created':
      return 'a share link was made';
    case 'offline':
      return 'the browser is offline';
    case 'opened':
      return `${check.url} was opened in a new tab`;
    case 'route':
      return `the page shows ${check.prefix}`;
  }
}

/** Runs a parser, naming `where` in its error. */
function at<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where}: ${message}`, { cause: error });
  }
}

function verbAndArgument(source: string): [string, string] {
  const colon = source.indexOf(':');
  if (colon < 0) return [source.trim(), ''];
  return [source.slice(0, colon).trim(), source.slice(colon + 1).trim()];
}

/** "<appliance> <rest>": the rest keeps its inner spaces. */
function split(arg: string, source: string): [string, string] {
  const space = arg.indexOf(' ');
  if (space < 0) throw new Error(`'${source}': expected an appliance name and then more`);
  return [name(arg.slice(0, space), source), nonEmpty(arg.slice(space + 1).trim(), source)];
}

function name(value: string, source: string): string {
  if (!NAME.test(value)) throw new Error(`'${source}': '${value}' is not an appliance name`);
  return value;
}

function nonEmpty(value: string, source: string): string {
  if (!value) throw new Error(`'${source}': the argument is missing`);
  return value;
}

function object(json: unknown, where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${where}: expected an object`);
  return json as Record<string, unknown>;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: expected a non-empty string`);
  return value;
}
