// One open appliance: status line, console, API console, packet inspector, boot timeline, sharing and user-data
// (for the js appliance, its script's editor).
import type { DirectRequest, DirectResponse, LanStatus, MachineStatus } from '../worker/protocol.ts';
import { renderApiConsole } from './api-console.ts';
import { BootTimelineView } from './boot-timeline.ts';
import { clearError, h, showError } from './dom.ts';
import type { Fleet, RunningAppliance } from './fleet.ts';
import { renderEmbedPanel } from './embed.ts';
import { renderOutboundPanel } from './outbound-panel.ts';
import { formatMs } from './format.ts';
import { Inspector } from './inspector.ts';
import { SerialAddon } from './serial-addon.ts';
import { renderPlayground, type Playground } from './playground.ts';
import { afterPaint, openTerminal } from './terminal.ts';
import { renderSharePanel } from './share-panel.ts';
import { putSaved, type SavedAppliance } from './storage.ts';
import { renderTrustBanner } from './trust.ts';
import { renderUserDataEditor } from './user-data-editor.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

/** The most the panels under the console wait for the machine to be up before they are made anyway. */
const PANELS_WAIT_MS = 1000;

/** A mounted appliance view; dispose() frees the terminal (the appliance keeps running). */
export interface ApplianceView {
  /** Settles once its first screen is done (the console open, the machine up or failed, every panel made). */
  readonly drawn?: Promise<void>;
  dispose(): void;
}

/** Shows appliance `saved` (an instance of catalog appliance `spec`), booting it if this tab does not run it yet. */
export function openAppliance(
  root: HTMLElement,
  fleet: Fleet,
  spec: ApplianceSpec,
  saved: SavedAppliance,
): ApplianceView {
  const { name } = saved;
  const status = h('span', { class: 'status', 'data-state': 'off', 'aria-live': 'polite' }, '');
  const savedAt = h('span', { class: 'saved-at', 'aria-live': 'polite' }, '');
  const lanName = h('span', { class: 'lan-name', 'aria-live': 'polite' }, '');
  const restart = h(
    'button',
    { class: 'button secondary', type: 'button', title: 'Boot the kernel again with its user-data (RAM is lost)' },
    'Restart',
  );
  const suspend = h(
    'button',
    { class: 'button secondary', type: 'button', title: 'Save the running machine and stop it: opening it resumes it' },
    'Suspend',
  );
  const stop = h('button', { class: 'button secondary', type: 'button' }, 'Stop');
  const cold = h(
    'button',
    { class: 'button secondary', type: 'button', title: 'Boot from the kernel instead of resuming the snapshot' },
    'Cold boot',
  );
  cold.hidden = !spec.snapshot;
  const screen = h('div', { class: 'console-screen' });
  // The panels under the console come after the first screen (see `later`); their places are kept from the start,
  // so the console's column does not change when they arrive.
  const side = h('div', { class: 'side-panels' });
  const study = h('div', { class: 'study-panels' });
  const panels = h('div', { class: 'panels' }, screen, side, study);
  // A script appliance (js) is edited in the page: the editor comes first, beside its console and API console.
  const playground: Playground | undefined =
    spec.userData === 'script'
      ? renderPlayground(name, saved.userData, { run: (source) => applyUserData(source) })
      : undefined;
  if (playground) {
    panels.classList.add('with-playground');
    panels.prepend(playground.element);
  }
  // Sharing a running machine in a link is what no other browser VM does: one click from the top bar.
  const share = h('button', { class: 'button', type: 'button' }, 'Share');
  share.addEventListener('click', () => {
    buildLater();
    sharePanel?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    sharePanel?.querySelector('button')?.focus({ preventScroll: true });
  });
  const banner = saved.trusted ? '' : renderTrustBanner(saved.source, () => trust());
  root.replaceChildren(
    h(
      'div',
      { class: 'machine-bar' },
      h('a', { href: '#/' }, '← Gallery'),
      h('h2', {}, saved.label),
      ...(spec.kind === 'linux' || saved.image
        ? []
        : [h('a', { class: 'button secondary', href: `#/src/${spec.id}` }, 'Source')]),
      // One line of its own size: what it says as the machine boots does not move the console below.
      h('div', { class: 'machine-state' }, status, lanName, savedAt),
      share,
      restart,
      cold,
      suspend,
      stop,
    ),
    banner,
    panels,
  );

  const terminal = openTerminal(screen, { fontSize: 14, scrollback: 5000 }, true);
  /** The appliance the view shows (attach() starts it); the panels made later connect to it. */
  let current: RunningAppliance | undefined;
  let sharePanel: HTMLElement | undefined;
  let outbound: ReturnType<typeof renderOutboundPanel> | undefined;
  let inspector: Inspector | undefined;
  let timeline: BootTimelineView | undefined;
  // Before the service worker controls the page (or in a frame that has none), requests go to the worker.
  const directRequest = (r: DirectRequest): Promise<DirectResponse> =>
    fleet.get(name)?.request(r) ?? Promise.reject(new Error(`${saved.label} is not running: restart it.`));
  // Made after the terminal has opened, one a frame: each one's building and its first layout and paint are a
  // short task, and the console is on the screen before any of them.
  const hasPorts = spec.ports.length > 0;
  const later: (() => void)[] = [
    ...(hasPorts ? [() => side.before(renderApiConsole(name, { port: spec.ports[0]!, request: directRequest }))] : []),
    () => {
      sharePanel = renderSharePanel(spec, saved, () => fleet.get(name));
      side.append(sharePanel);
    },
    // An embed boots a catalog appliance: an image of one's own is shared by link or file instead.
    ...(saved.image ? [] : [() => side.append(renderEmbedPanel(spec))]),
    () => {
      outbound = renderOutboundPanel(saved, async (allowNet) => {
        saved.allowNet = allowNet;
        await putSaved(saved);
        fleet.get(name)?.applyOutbound();
      });
      side.append(outbound.element);
    },
    ...(spec.userData && !playground
      ? [() => side.append(renderUserDataEditor(spec, saved.userData, (bytes) => applyUserData(bytes)))]
      : []),
    ...(hasPorts
      ? [
          () => {
            inspector = new Inspector(name);
            if (fleet.lan) inspector.showLan(fleet.lan);
            if (current) inspector.connect(current);
            study.append(inspector.element);
          },
        ]
      : []),
    () => {
      timeline = new BootTimelineView(saved.label);
      if (current) timeline.show(current.status, current.workerStartedAt);
      study.append(timeline.element);
    },
  ];
  /** Makes the panels still waiting, now. */
  const buildLater = (): void => {
    for (let build = later.shift(); build; build = later.shift()) build();
  };
  let disposed = false;
  // They start once the machine is up (its boot's console output drawn) or has failed, or after PANELS_WAIT_MS: the
  // terminal's first screenful is its most work, and a panel laid out in the same frame only adds to it.
  let machineSettled = (): void => {};
  const settled = new Promise<void>((resolve) => (machineSettled = resolve));
  const drawn = terminal.opened
    .then(() => Promise.race([settled, new Promise((resolve) => setTimeout(resolve, PANELS_WAIT_MS))]))
    .then(async () => {
      while (later.length > 0) {
        await afterPaint();
        if (disposed) return;
        later.shift()?.();
      }
    });

  let unsubscribe = (): void => {};
  let serial: SerialAddon | undefined;
  const showStatus = (s: MachineStatus): void => {
    status.dataset.state = s.state;
    status.textContent = describe(s);
    stop.disabled = s.state !== 'booting' && s.state !== 'ready';
    suspend.disabled = s.state !== 'ready';
    if (s.state === 'crashed' && s.error) showError(s.error.message);
    if (s.state === 'ready') playground?.serving();
    showLan(lanName, s.lan);
  };
  const attach = (options: { cold?: boolean } = {}): void => {
    unsubscribe();
    serial?.dispose();
    playground?.booted();
    const appliance = fleet.start(spec, saved, options);
    current = appliance;
    inspector?.connect(appliance);
    serial = new SerialAddon((text) => appliance.sendSerial(text));
    terminal.connect(serial);
    const addon = serial;
    unsubscribe = appliance.subscribe((event) => {
      if (event.type === 'serial') {
        addon.write(event.data);
        playground?.consoleOutput(event.data);
      } else if (event.type === 'status') {
        showStatus(event.status);
        timeline?.show(event.status, appliance.workerStartedAt);
        if (event.status.state !== 'off' && event.status.state !== 'booting') machineSettled();
      } else if (event.type === 'saved') savedAt.textContent = `saved ${new Date(event.at).toLocaleTimeString()}`;
    });
    terminal.focus();
  };

  /** Boots afresh: the saved machine is dropped, so a reload does not bring back the old RAM. */
  const reboot = (options: { cold?: boolean }, userDataChanged = false): void => {
    clearError();
    fleet.stop(name);
    const dropped = saved.snapshot !== undefined;
    delete saved.snapshot;
    delete saved.savedAt;
    savedAt.textContent = '';
    attach(options);
    if (dropped || userDataChanged) void persist();
  };
  const persist = (): Promise<void> => putSaved(saved).catch((error: Error) => showError(error.message));
  const applyUserData = (bytes: Uint8Array): void => {
    saved.userData = bytes;
    reboot({}, true);
  };
  // Trust applies at once; saving it must not hold it up (a put can wait behind an autosave's).
  const trust = (): void => {
    saved.trusted = true;
    fleet.get(name)?.connectGateway();
    fleet.get(name)?.applyOutbound();
    outbound?.refresh();
    if (banner) banner.remove();
    void persist();
  };
  restart.addEventListener('click', () => reboot({}));
  cold.addEventListener('click', () => reboot({ cold: true }));
  // A suspended appliance waits in the gallery's saved list; opening it resumes it.
  suspend.addEventListener('click', () => {
    fleet.suspend(name).then(
      () => (location.hash = '#/'),
      (error: Error) => showError(error.message),
    );
  });
  stop.addEventListener('click', () => fleet.get(name)?.stop());
  attach();

  return {
    drawn,
    dispose() {
      disposed = true;
      unsubscribe();
      inspector?.dispose();
      playground?.dispose();
      terminal.dispose();
    },
  };
}

/** Its name and address on the LAN, e.g. "kv-2 · 10.0.2.16 on the LAN"; or that its network is its own, and why. */
function showLan(element: HTMLElement, lan: LanStatus | undefined): void {
  element.hidden = !lan;
  if (!lan) return;
  element.dataset.link = lan.link;
  const addr = lan.addr ? ` · ${lan.addr}` : '';
  if (lan.link === 'lan') {
    element.textContent = `${lan.name}${addr} on the LAN`;
    element.title = `Other appliances reach it as http://${lan.name}/ (or ${lan.name}.tabcloud).`;
  } else {
    element.textContent = `private network${addr}`;
    element.title = `Only the host is on its network: ${lan.note ?? 'there is no LAN here'}.`;
  }
}

function describe(s: MachineStatus): string {
  switch (s.state) {
    case 'off':
      return 'off';
    case 'booting':
      return 'booting…';
    case 'ready': {
      const host = s.timeline.host['ready'];
      const guest = s.timeline.guest['ready'];
      const resumed = s.timeline.host['snapshot-loaded'] !== undefined;
      const kernel = resumed ? ' (resumed from snapshot)' : guest === undefined ? '' : ` (kernel ${formatMs(guest)})`;
      return host === undefined ? 'ready' : `ready in ${formatMs(host)}${kernel}`;
    }
    case 'stopped':
      return 'stopped';
    case 'crashed':
      return `crashed: ${s.error?.message ?? 'unknown error'}`;
  }
}
