// The boot timeline of the open appliance: the page's, the worker's and the guest's stages on one time axis,
// as a bar chart and as text to copy.
import type { BootTimeline, MachineStatus } from '../worker/protocol.ts';
import { h } from './dom.ts';
import { sourceLink } from './source-link.ts';

/** Where a stage was measured. */
export type StageSource = 'page' | 'worker' | 'guest';

export interface BootStage {
  id: string;
  label: string;
  source: StageSource;
  /** Ms since time zero: when the page started the worker, else when the worker's boot() began. */
  ms: number;
}

const WORKER_LABELS: Record<string, string> = {
  'image-loaded': 'image loaded',
  'snapshot-loaded': 'snapshot loaded',
  'warm-emulator': 'on a warm emulator',
  'warm-emulator-unfit': 'warm emulator of another shape: v86 set up anew',
  'warm-emulator-failed': 'warm emulator failed: v86 set up anew',
  'wasm-instantiated': 'wasm instantiated',
  'wasm-ready': 'v86 set up (RAM, devices)',
  'emulator-started': 'emulator started',
  'lan-joined': 'joined the LAN',
  ready: 'READY seen by the host',
  'first-request': 'first request served',
};

const GUEST_LABELS: Record<string, string> = {
  'kernel-entry': 'kernel entry',
  cpu: 'CPU tables (GDT, IDT, PIC)',
  time: 'clock calibrated',
  devices: 'drivers up (serial, timer, IRQs)',
  nic: 'network card up',
  'dhcp-bound': 'DHCP bound',
  'static-ip': 'static IP set',
  listening: 'listening',
  ready: 'ready (guest)',
};

/** The guest's code behind each of its stages, for a link to the source viewer. */
const GUEST_SOURCES: Record<string, string> = {
  'kernel-entry': 'kernel/entry.S',
  cpu: 'kernel/main.c',
  time: 'kernel/time.c',
  devices: 'kernel/main.c',
  nic: 'kernel/virtio_net.c',
  'dhcp-bound': 'net/dhcp.c',
  listening: 'net/tcp.c',
  site: 'static/site.c',
  ready: 'kernel/main.c',
};

/**
 * The stages of one boot on one axis, in time order. Host stages are offset by when the worker's boot() began
 * (timeline.origin) relative to when the page started the worker (`workerStartedAt`, Unix ms). Guest stages are
 * ms since kernel entry by the guest's clock (its TSC, which v86 derives from the host's clock), placed after the
 * host's estimate of kernel entry (host stage `kernel-entry`: the tightest "arrival of a `@boot` line minus its
 * ms", see worker/machine.ts), else after emulator-started.
 */
export function bootStages(timeline: BootTimeline, workerStartedAt?: number): BootStage[] {
  const stages: BootStage[] = [];
  const { origin } = timeline;
  const offset = workerStartedAt !== undefined && origin !== undefined ? Math.max(0, origin - workerStartedAt) : 0;
  if (workerStartedAt !== undefined && origin !== undefined) {
    stages.push({ id: 'worker-start', label: 'worker started', source: 'page', ms: 0 });
    stages.push({ id: 'boot-called', label: 'worker running, boot() called', source: 'worker', ms: offset });
  }
  const host = (id: string, ms: number): void => {
    stages.push({ id, label: WORKER_LABELS[id] ?? id, source: 'worker', ms: offset + ms });
  };
  const last = ['ready', 'first-request'];
  for (const [id, ms] of Object.entries(timeline.host)) if (!last.includes(id) && id !== 'kernel-entry') host(id, ms);
  const entry = timeline.host['kernel-entry'] ?? timeline.host['emulator-started'];
  if (entry !== undefined) {
    for (const [id, ms] of Object.entries(timeline.guest)) {
      stages.push({ id: `guest-${id}`, label: GUEST_LABELS[id] ?? id, source: 'guest', ms: offset + entry + ms });
    }
  }
  for (const id of last) if (timeline.host[id] !== undefined) host(id, timeline.host[id]);
  // A stable sort: at equal times (emulator started and kernel entry, the guest's ready and READY seen by the
  // host) the order above stands.
  return stages.sort((a, b) => a.ms - b.ms);
}

/** Whether this boot resumed a saved machine (no kernel boot, so no guest stages). */
export function resumedFromSnapshot(timeline: BootTimeline): boolean {
  return timeline.host['snapshot-loaded'] !== undefined;
}

/** The stages as aligned plain text, one a line, for copying. */
export function timelineText(name: string, stages: BootStage[], resumed: boolean): string {
  const zero = stages[0]?.id === 'worker-start' ? 'the page started the worker' : 'boot() was called';
  const lines = [`${name} boot timeline, ms since ${zero}${resumed ? ' (resumed from snapshot)' : ''}`];
  let previous = 0;
  for (const stage of stages) {
    const delta = `+${(stage.ms - previous).toFixed(1)}`;
    lines.push(`${stage.ms.toFixed(1).padStart(9)}  ${delta.padStart(8)}  ${stage.source.padEnd(6)}  ${stage.label}`);
    previous = stage.ms;
  }
  return lines.join('\n');
}

/** The timeline panel; show() redraws it for a status. */
export class BootTimelineView {
  readonly element: HTMLElement;
  private readonly table = h('table', { class: 'timeline-table' });
  private readonly note = h('p', { class: 'hint' }, 'Booting…');
  private readonly copyNote = h('span', { class: 'hint', 'aria-live': 'polite' });
  private text = '';

  constructor(private readonly name: string) {
    const copy = h('button', { class: 'button secondary', type: 'button' }, 'Copy timeline');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(this.text).then(
        () => (this.copyNote.textContent = 'Copied.'),
        () => (this.copyNote.textContent = 'The clipboard is not available: select the table instead.'),
      );
    });
    this.element = h(
      'section',
      { class: 'timeline-panel', 'aria-label': 'Boot timeline' },
      h('div', { class: 'panel-head' }, h('h3', {}, 'Boot timeline'), copy, this.copyNote),
      this.note,
      h(
        'ul',
        { class: 'timeline-legend', 'aria-label': 'Where each stage is measured' },
        h('li', { 'data-source': 'page' }, 'page'),
        h('li', { 'data-source': 'worker' }, 'worker (host)'),
        h('li', { 'data-source': 'guest' }, 'guest kernel'),
      ),
      this.table,
    );
  }

  /** Draws the stages of `status`'s boot; `workerStartedAt` (Unix ms) is time zero. */
  show(status: MachineStatus, workerStartedAt?: number): void {
    const stages = bootStages(status.timeline, workerStartedAt);
    const resumed = resumedFromSnapshot(status.timeline);
    this.text = timelineText(this.name, stages, resumed);
    this.note.textContent = resumed
      ? 'Resumed from snapshot: the machine was saved after it booted, so the kernel stages did not happen now.'
      : stages.length === 0
        ? 'No stages yet.'
        : 'Guest stages are timed by the kernel from its first instruction, placed where the host saw it start.';
    const end = Math.max(1, ...stages.map((s) => s.ms));
    let previous = 0;
    const rows = stages.map((stage) => {
      const bar = h('span', { class: 'timeline-bar', 'data-source': stage.source });
      bar.style.left = `${(previous / end) * 100}%`;
      bar.style.width = `max(2px, ${((stage.ms - previous) / end) * 100}%)`;
      const row = h(
        'tr',
        { 'data-stage': stage.id, 'data-source': stage.source },
        h('th', { scope: 'row' }, stageLabel(stage)),
        h('td', { class: 'timeline-track', 'aria-hidden': 'true' }, bar),
        h('td', { class: 'timeline-ms' }, stage.ms.toFixed(1)),
        h('td', { class: 'timeline-delta' }, `+${(stage.ms - previous).toFixed(1)}`),
      );
      previous = stage.ms;
      return row;
    });
    this.table.replaceChildren(
      h('caption', { class: 'visually-hidden' }, `${this.name} boot stages, ms since the worker started`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'stage'),
          h('th', { scope: 'col', class: 'timeline-track' }, ''),
          h('th', { scope: 'col' }, 'ms'),
          h('th', { scope: 'col' }, 'Δ ms'),
        ),
      ),
      h('tbody', {}, ...rows),
    );
  }
}

/** A guest stage's label links to the code that reached it. */
function stageLabel(stage: BootStage): string | HTMLElement {
  const path = stage.source === 'guest' ? GUEST_SOURCES[stage.id.replace(/^guest-/, '')] : undefined;
  return path ? h('a', { href: sourceLink(path), title: `The guest's code: ${path}` }, stage.label) : stage.label;
}
