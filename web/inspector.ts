// The packet inspector of the open appliance: a live list of the frames on its wire (only the visible rows are
// in the DOM), a display filter, a frame's layers and bytes, and the frames held as a pcap file.
import { fromBatch } from '../worker/frame-feed.ts';
import {
  HEX_ROW_BYTES,
  dissect,
  frameInfo,
  hexDump,
  hexDumpColumns,
  type FrameInfo,
  type Layer,
} from '../worker/net/dissect.ts';
import { ETHERTYPE_IPV4, parseEthernet } from '../worker/net/ethernet.ts';
import { compileFilter } from '../worker/net/frame-filter.ts';
import { formatIp, parseIpv4 } from '../worker/net/ipv4.ts';
import { pcapHeader, pcapRecord, type Direction } from '../worker/net/pcap.ts';
import type { FrameBatch } from '../worker/protocol.ts';
import { h } from './dom.ts';
import type { LanView } from './lan.ts';
import { sourceLink } from './source-link.ts';

/** Frames (and their bytes) the page holds; older ones are dropped and counted. */
const MAX_FRAMES = 10_000;
const MAX_BYTES = 8 * 1024 * 1024;
/** A row's height in px; .frame-row in style.css has the same. */
const ROW_HEIGHT = 22;
/** Rows drawn beyond the visible ones on each side, so a quick scroll shows no gap. */
const OVERSCAN = 4;
/** New frames redraw the list at most this often. */
const DATA_DRAW_MS = 200;

interface Entry {
  seq: number;
  /** Unix ms. */
  time: number;
  direction: Direction;
  frame: Uint8Array;
  /** Parsed when first needed (to show or filter it): most frames of a transfer are never drawn. */
  info?: FrameInfo;
}

/** A row element of the list, reused for whichever frame scrolls into its place. */
interface RowView {
  row: HTMLElement;
  cells: HTMLElement[];
  entry: Entry | undefined;
}

/** What the inspector needs of a running appliance (web/fleet.ts RunningAppliance). */
export interface FrameSource {
  /** When the page started the appliance's worker, in Unix ms: time zero. */
  readonly workerStartedAt: number | undefined;
  /** Calls `listener` with batches of frames until the returned function is called. */
  watchFrames(listener: (batch: FrameBatch) => void): () => void;
}

/** The LAN of every appliance (web/lan.ts PageLan): every frame the switch forwarded, its members and counters. */
export interface LanSource extends FrameSource {
  readonly scope: 'shared' | 'tab';
  subscribe(listener: (view: LanView) => void): () => void;
}

let inspectors = 0;

/** The inspector panel; connect() it to an appliance, dispose() it with its view. */
export class Inspector {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rows = h('div', { class: 'frame-rows', role: 'presentation' });
  private readonly detail = h('section', { class: 'frame-detail', 'aria-label': 'Selected frame' });
  private readonly counts = h('span', { class: 'inspector-counts' });
  private readonly pause = h('button', { class: 'button secondary', type: 'button', 'aria-pressed': 'false' }, 'Pause');
  private readonly prefix = `frame-${++inspectors}`;
  /** Held frames are entries[head...]; shown (filtered) ones shown[shownHead...], both oldest first. */
  private entries: Entry[] = [];
  private head = 0;
  private shown: Entry[] = [];
  private shownHead = 0;
  private bytes = 0;
  private dropped = 0;
  private missed = 0;
  private nextSeq = 1;
  private zero: number | undefined;
  private selected: Entry | undefined;
  private matches = compileFilter('');
  /** Whether a filter is set: without one every frame is shown, unparsed. */
  private filtering = false;
  private paused = false;
  /** Whether the list sticks to the newest frame (the user has not scrolled up). */
  private follow = true;
  private drawRequest = 0;
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  private lastDraw = 0;
  /** Shown frames dropped since the last draw: a list scrolled back moves up as much, so its rows stay put. */
  private shifted = 0;
  /** The first visible row when the list was last drawn. */
  private drawnTop = -1;
  private readonly pool: RowView[] = [];
  private unwatch = (): void => {};
  private connection: object | undefined;
  /** Which frames it shows: the appliance's wire, or every frame on the LAN. */
  private readonly scopeSelect = h(
    'select',
    { class: 'inspector-scope', 'aria-label': 'Frames of' },
    h('option', { value: 'appliance' }, 'This appliance'),
    h('option', { value: 'lan' }, 'Whole LAN'),
  );
  private readonly lanLine = h('p', { class: 'inspector-lan', 'aria-live': 'polite' });
  private appliance: FrameSource | undefined;
  private lan: LanSource | undefined;
  private unsubscribeLan = (): void => {};

  constructor(private readonly name: string) {
    const filter = h('input', {
      type: 'search',
      class: 'inspector-filter',
      'aria-label': 'Filter frames',
      placeholder: 'filter: tcp, arp, http, port 80, not arp, or any text',
      spellcheck: 'false',
    });
    const clear = h('button', { class: 'button secondary', type: 'button' }, 'Clear');
    const download = h('button', { class: 'button secondary', type: 'button' }, 'Download pcap');
    this.list = h(
      'div',
      { class: 'frame-list', role: 'listbox', tabindex: '0', 'aria-label': 'Frames, newest last' },
      this.rows,
    );
    this.detail.append(h('p', { class: 'hint' }, 'Select a frame to see its layers and bytes.'));
    this.element = h(
      'section',
      { class: 'inspector', 'aria-label': 'Packet inspector' },
      h('div', { class: 'panel-head' }, h('h3', {}, 'Packets'), this.scopeSelect, filter, this.pause, clear, download),
      this.lanLine,
      this.counts,
      h('div', { class: 'inspector-body' }, this.list, this.detail),
    );
    this.scopeSelect.hidden = this.lanLine.hidden = true;
    this.scopeSelect.addEventListener('change', () => this.watch());
    filter.addEventListener('input', () => this.setFilter(filter.value));
    this.pause.addEventListener('click', () => this.setPaused(!this.paused));
    clear.addEventListener('click', () => this.clear());
    download.addEventListener('click', () => this.download());
    this.list.addEventListener('scroll', () => {
      this.follow = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - ROW_HEIGHT;
      // draw() itself scrolls to follow the newest frame: that needs no second draw.
      if (Math.floor(this.list.scrollTop / ROW_HEIGHT) !== this.drawnTop) this.requestDraw();
    });
    this.list.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('.frame-row');
      const entry = row && this.shownAt(this.indexOfSeq(Number(row.dataset['seq'])));
      if (entry) this.select(entry);
    });
    this.list.addEventListener('keydown', (event) => this.onKey(event));
    this.draw();
  }

  /** Shows the frames of `source`'s current worker, starting with the recent ones it kept. */
  connect(source: FrameSource): void {
    this.appliance = source;
    if (!this.showsLan) this.watch();
  }

  /** Offers the whole LAN too (a choice beside the title) and shows its members and counters. */
  showLan(lan: LanSource): void {
    this.lan = lan;
    this.scopeSelect.hidden = this.lanLine.hidden = false;
    this.unsubscribeLan();
    this.unsubscribeLan = lan.subscribe((view) => (this.lanLine.textContent = describeLan(view, lan.scope)));
  }

  private get showsLan(): boolean {
    return this.lan !== undefined && this.scopeSelect.value === 'lan';
  }

  /** Shows the frames of the chosen source, starting with the recent ones it kept. */
  private watch(): void {
    const source = this.showsLan ? this.lan : this.appliance;
    if (!source) return;
    this.unwatch();
    this.clear();
    this.zero = source.workerStartedAt;
    const connection = {};
    this.connection = connection;
    // A batch already on its way when the source changed belongs to the old one.
    this.unwatch = source.watchFrames((batch) => this.connection === connection && this.take(batch));
  }

  /** Stops watching and lets go of the frames held. */
  dispose(): void {
    this.unwatch();
    this.unsubscribeLan();
    this.connection = undefined;
    this.entries = [];
    this.shown = [];
    cancelAnimationFrame(this.drawRequest);
    clearTimeout(this.drawTimer);
  }

  private take(batch: FrameBatch): void {
    const frames = fromBatch(batch);
    if (this.paused) {
      this.missed += frames.length + batch.dropped;
      this.requestDataDraw();
      return;
    }
    this.dropped += batch.dropped;
    for (const { frame, time, direction } of frames) {
      const entry: Entry = { seq: this.nextSeq++, time, direction, frame };
      this.entries.push(entry);
      this.bytes += frame.length;
      if (this.passes(entry)) this.shown.push(entry);
    }
    this.trim();
    this.requestDataDraw();
  }

  /** Drops the oldest frames beyond the limits. */
  private trim(): void {
    while (this.entries.length - this.head > MAX_FRAMES || this.bytes > MAX_BYTES) {
      const oldest = this.entries[this.head++]!;
      this.bytes -= oldest.frame.length;
      this.dropped++;
      if (this.shown[this.shownHead] === oldest) {
        this.shownHead++;
        this.shifted++;
      }
    }
    // Compact now and then, so dropping stays O(1) per frame.
    if (this.head > MAX_FRAMES) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (this.shownHead > MAX_FRAMES) {
      this.shown = this.shown.slice(this.shownHead);
      this.shownHead = 0;
    }
  }

  private setFilter(text: string): void {
    this.matches = compileFilter(text);
    this.filtering = text.trim() !== '';
    this.shown = this.entries.slice(this.head).filter((entry) => this.passes(entry));
    this.shownHead = this.shifted = 0;
    this.follow = true;
    this.requestDraw();
  }

  /** Whether the filter shows `entry`. */
  private passes(entry: Entry): boolean {
    return !this.filtering || this.matches(infoOf(entry));
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pause.setAttribute('aria-pressed', String(paused));
    this.missed = 0;
    this.requestDraw();
  }

  private clear(): void {
    this.entries = [];
    this.shown = [];
    this.head = this.shownHead = this.bytes = this.dropped = this.missed = this.shifted = 0;
    this.selected = undefined;
    this.follow = true;
    this.detail.replaceChildren(h('p', { class: 'hint' }, 'Select a frame to see its layers and bytes.'));
    this.requestDraw();
  }

  /** Saves the frames held (not just the shown ones) as a classic pcap file. */
  private download(): void {
    const held = this.entries.slice(this.head);
    const parts = [pcapHeader(), ...held.map((entry) => pcapRecord(entry.frame, entry.time))];
    const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/vnd.tcpdump.pcap' }));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const name = this.showsLan ? 'lan' : this.name;
    h('a', { href: url, download: `${name}-${stamp}.pcap` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private get shownCount(): number {
    return this.shown.length - this.shownHead;
  }

  private shownAt(index: number): Entry | undefined {
    return index >= 0 && index < this.shownCount ? this.shown[this.shownHead + index] : undefined;
  }

  /** The index among the shown frames of the frame numbered `seq` (they are in seq order), or -1. */
  private indexOfSeq(seq: number): number {
    let low = this.shownHead;
    let high = this.shown.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = this.shown[mid]!.seq;
      if (at === seq) return mid - this.shownHead;
      if (at < seq) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.shownCount;
    if (count === 0) return;
    const current = this.selected ? this.indexOfSeq(this.selected.seq) : -1;
    const page = Math.max(1, Math.floor(this.list.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current < 0 ? 0 : current + 1,
      ArrowUp: current < 0 ? count - 1 : current - 1,
      PageDown: current + page,
      PageUp: Math.max(0, current - page),
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const entry = this.shownAt(Math.min(count - 1, Math.max(0, target)));
    if (entry) this.select(entry);
  }

  private select(entry: Entry): void {
    this.selected = entry;
    const index = this.indexOfSeq(entry.seq);
    const top = index * ROW_HEIGHT;
    if (top < this.list.scrollTop) this.list.scrollTop = top;
    else if (top + ROW_HEIGHT > this.list.scrollTop + this.list.clientHeight) {
      this.list.scrollTop = top + ROW_HEIGHT - this.list.clientHeight;
    }
    this.follow = index === this.shownCount - 1;
    this.showDetail(entry);
    this.draw();
  }

  /** Draws on the next frame (after a scroll, a filter, a click). */
  private requestDraw(): void {
    if (this.drawRequest) return;
    this.drawRequest = requestAnimationFrame(() => this.draw());
  }

  /** Draws for new frames: at most every DATA_DRAW_MS, since during a transfer every visible row changes. */
  private requestDataDraw(): void {
    if (this.drawRequest || this.drawTimer !== undefined) return;
    const wait = this.lastDraw + DATA_DRAW_MS - performance.now();
    if (wait <= 0) return this.requestDraw();
    this.drawTimer = setTimeout(() => {
      this.drawTimer = undefined;
      this.requestDraw();
    }, wait);
  }

  /** Draws the visible rows and the counts. */
  private draw(): void {
    cancelAnimationFrame(this.drawRequest);
    this.drawRequest = 0;
    this.lastDraw = performance.now();
    const count = this.shownCount;
    this.rows.style.height = `${count * ROW_HEIGHT}px`;
    this.counts.textContent = this.countsText();
    if (count === 0) {
      // Nothing to place: no geometry is read, so this draw does not lay out the page before its next paint.
      this.rows.replaceChildren();
      this.list.removeAttribute('aria-activedescendant');
      this.drawnTop = this.shifted = 0;
      return;
    }
    if (this.follow) this.list.scrollTop = this.list.scrollHeight;
    else if (this.shifted > 0) this.list.scrollTop -= this.shifted * ROW_HEIGHT;
    this.shifted = 0;
    const { scrollTop, clientHeight } = this.list;
    this.drawnTop = Math.floor(scrollTop / ROW_HEIGHT);
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(count, Math.ceil((scrollTop + clientHeight) / ROW_HEIGHT) + OVERSCAN);
    let active: RowView | undefined;
    for (let i = first; i < last; i++) {
      const view = this.rowView(i - first);
      this.fill(view, this.shown[this.shownHead + i]!, i, count);
      if (view.entry === this.selected) active = view;
    }
    const needed = Math.max(0, last - first);
    while (this.rows.childElementCount > needed) this.rows.lastElementChild!.remove();
    for (let i = this.rows.childElementCount; i < needed; i++) this.rows.append(this.pool[i]!.row);
    if (active) this.list.setAttribute('aria-activedescendant', active.row.id);
    else this.list.removeAttribute('aria-activedescendant');
  }

  private countsText(): string {
    const held = this.entries.length - this.head;
    if (held === 0 && !this.paused) return 'No frames yet: requests to the appliance show up here.';
    const parts = [`${held} frames`, `${this.shownCount} shown`];
    if (this.dropped > 0) parts.push(`${this.dropped} older frames dropped`);
    if (this.paused) parts.push(`paused: ${this.missed} frames not captured`);
    return parts.join(' · ');
  }

  /** Row element `i` of the pool, made on first use. */
  private rowView(i: number): RowView {
    let view = this.pool[i];
    if (!view) {
      const cells = ['frame-time', 'frame-dir', 'frame-proto', 'frame-info'].map((name) => h('span', { class: name }));
      const row = h('div', { class: 'frame-row', role: 'option' }, ...cells);
      view = { row, cells, entry: undefined };
      this.pool.push(view);
    }
    return view;
  }

  /** Shows `entry`, shown frame number `index` of `count`, in a pooled row; its text is set only if it changed. */
  private fill(view: RowView, entry: Entry, index: number, count: number): void {
    const { row } = view;
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.setAttribute('aria-posinset', String(index + 1));
    row.setAttribute('aria-setsize', String(count));
    row.setAttribute('aria-selected', String(entry === this.selected));
    if (view.entry === entry) return;
    view.entry = entry;
    const info = infoOf(entry);
    const time = this.seconds(entry.time);
    const summary = info.summary.startsWith(`${info.protocol} `)
      ? info.summary.slice(info.protocol.length + 1)
      : info.summary;
    // On the whole LAN a frame goes from one guest to another (or to all): its IP addresses say which.
    const lan = this.showsLan;
    const hosts = lan ? ipAddresses(entry.frame) : undefined;
    const text = hosts ? `${hosts}  ${summary}` : summary;
    row.id = `${this.prefix}-${entry.seq}`;
    row.dataset['seq'] = String(entry.seq);
    row.dataset['protocol'] = info.protocol;
    row.dataset['direction'] = entry.direction;
    const where = lan
      ? `on the LAN${hosts ? `, ${hosts}` : ''}`
      : `${entry.direction === 'from-guest' ? 'from' : 'to'} the guest`;
    row.setAttribute('aria-label', `${time} s, ${where}: ${info.summary}`);
    const texts = [time, lan ? 'LAN' : entry.direction === 'from-guest' ? 'guest →' : '→ guest', info.protocol, text];
    view.cells.forEach((cell, i) => (cell.textContent = texts[i]!));
  }

  /** Seconds since the worker started (else since the first frame held), as text. */
  private seconds(time: number): string {
    const zero = this.zero ?? this.entries[this.head]?.time ?? time;
    return ((time - zero) / 1000).toFixed(3);
  }

  private showDetail(entry: Entry): void {
    const hex = h('pre', { class: 'frame-hex', 'aria-label': 'Frame bytes, hex and ASCII' });
    const drawHex = (layer?: Layer): void => hex.replaceChildren(...hexRows(entry.frame, layer));
    const layers = dissect(entry.frame).map((layer) => {
      const fields = layer.fields.map(([name, value]) =>
        h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)),
      );
      const code = guestSource(layer.name, entry.direction);
      const details = h(
        'details',
        { class: 'frame-layer', open: '', 'data-layer': layer.name },
        h('summary', {}, layer.title),
        ...(fields.length ? [h('table', {}, h('tbody', {}, ...fields))] : []),
        ...(code
          ? [h('a', { class: 'layer-source', href: sourceLink(code) }, `The guest's code for it: ${code}`)]
          : []),
      );
      // Pointing at (or tabbing to) a layer marks its bytes.
      details.addEventListener('mouseenter', () => drawHex(layer));
      details.addEventListener('focusin', () => drawHex(layer));
      details.addEventListener('mouseleave', () => drawHex());
      return details;
    });
    drawHex();
    const where = entry.direction === 'from-guest' ? 'sent by the guest' : 'sent to the guest';
    this.detail.replaceChildren(
      h('h4', {}, `Frame ${entry.seq}: ${entry.frame.length} bytes at ${this.seconds(entry.time)} s, ${where}`),
      ...layers,
      hex,
    );
  }
}

/** The summary of `entry`'s frame, parsed once. */
function infoOf(entry: Entry): FrameInfo {
  return (entry.info ??= frameInfo(entry.frame));
}

/** The guest's file that makes (or takes) a layer going `direction`; undefined where the guest has none. */
function guestSource(layer: string, direction: Direction): string | undefined {
  const sent = direction === 'from-guest';
  const files: Record<string, string> = {
    Ethernet: 'net/eth.c',
    ARP: 'net/arp.c',
    IPv4: 'net/ip.c',
    TCP: sent ? 'net/tcp_out.c' : 'net/tcp_in.c',
    UDP: 'net/udp.c',
    ICMP: 'net/icmp.c',
    DHCP: 'net/dhcp.c',
    HTTP: sent ? 'net/http_resp.c' : 'net/http_parse.c',
  };
  return files[layer];
}

/** The hex dump lines of `frame`, with the bytes of `layer` marked. */
function hexRows(frame: Uint8Array, layer?: Layer): (string | HTMLElement)[] {
  const out: (string | HTMLElement)[] = [];
  hexDump(frame).forEach((line, row) => {
    const rowStart = row * HEX_ROW_BYTES;
    const a = Math.max(layer?.start ?? 0, rowStart) - rowStart;
    const b = Math.min(layer?.end ?? 0, rowStart + HEX_ROW_BYTES, frame.length) - rowStart;
    if (!layer || a >= b) {
      out.push(`${line}\n`);
      return;
    }
    const first = hexDumpColumns(a);
    const last = hexDumpColumns(b - 1);
    out.push(
      line.slice(0, first.hex),
      h('mark', {}, line.slice(first.hex, last.hex + 2)),
      line.slice(last.hex + 2, first.ascii),
      h('mark', {}, line.slice(first.ascii, last.ascii + 1)),
      `${line.slice(last.ascii + 1)}\n`,
    );
  });
  return out;
}

/** "10.0.2.16 → 10.0.2.15" for an IPv4 frame, else undefined. */
function ipAddresses(frame: Uint8Array): string | undefined {
  const eth = parseEthernet(frame);
  const packet = eth?.type === ETHERTYPE_IPV4 ? parseIpv4(eth.payload) : null;
  return packet ? `${formatIp(packet.src)} → ${formatIp(packet.dst)}` : undefined;
}

/** The LAN's members and counters in one line, e.g. "LAN (all tabs): kv 10.0.2.15, db 10.0.2.16 · 12 forwarded". */
function describeLan(view: LanView, scope: 'shared' | 'tab'): string {
  const where = scope === 'shared' ? 'LAN (all tabs)' : 'LAN (this tab only: no SharedWorker here)';
  const members = view.members.map((member) => `${member.name} ${member.addr}`).join(', ') || 'no appliances';
  const { forwarded, flooded, dropped, queueDropped } = view.counters;
  const parts = [`${forwarded} forwarded`, `${flooded} flooded`];
  if (dropped > 0) parts.push(`${dropped} dropped over a sender's rate`);
  if (queueDropped > 0) parts.push(`${queueDropped} dropped by a full queue`);
  return `${where}: ${members} · ${parts.join(' · ')}`;
}
