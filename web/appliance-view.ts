// One open appliance: its status line, its serial console, and its API console.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { MachineStatus } from '../worker/protocol.ts';
import { renderApiConsole } from './api-console.ts';
import { clearError, h, showError } from './dom.ts';
import type { Fleet } from './fleet.ts';
import { formatMs } from './format.ts';
import { SerialAddon } from './serial-addon.ts';
import type { ApplianceSpec } from '../worker/protocol.ts';

/** A mounted appliance view; dispose() frees the terminal (the appliance keeps running). */
export interface ApplianceView {
  dispose(): void;
}

/** Shows appliance `spec`, booting it if this tab does not run it yet. */
export function openAppliance(root: HTMLElement, fleet: Fleet, spec: ApplianceSpec): ApplianceView {
  const status = h('span', { class: 'status', 'data-state': 'off', 'aria-live': 'polite' }, '');
  const restart = h('button', { class: 'button secondary', type: 'button' }, 'Restart');
  const stop = h('button', { class: 'button secondary', type: 'button' }, 'Stop');
  const cold = h(
    'button',
    { class: 'button secondary', type: 'button', title: 'Boot from the kernel instead of resuming the snapshot' },
    'Cold boot',
  );
  cold.hidden = !spec.snapshot;
  const screen = h('div', { class: 'console-screen' });
  const panels = h('div', { class: 'panels' }, screen);
  if (spec.ports.length > 0) panels.append(renderApiConsole(spec));
  root.replaceChildren(
    h(
      'div',
      { class: 'machine-bar' },
      h('a', { href: '#/' }, '← Gallery'),
      h('h2', {}, spec.title),
      status,
      restart,
      cold,
      stop,
    ),
    panels,
  );

  const terminal = new Terminal({ fontSize: 14, cursorBlink: true, scrollback: 5000 });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(screen);
  fit.fit();
  const onResize = (): void => fit.fit();
  window.addEventListener('resize', onResize);

  let unsubscribe = (): void => {};
  let serial: SerialAddon | undefined;
  const showStatus = (s: MachineStatus): void => {
    status.dataset.state = s.state;
    status.textContent = describe(s);
    stop.disabled = s.state !== 'booting' && s.state !== 'ready';
    if (s.state === 'crashed' && s.error) showError(s.error.message);
  };
  const attach = (options: { cold?: boolean } = {}): void => {
    unsubscribe();
    serial?.dispose();
    terminal.reset();
    const appliance = fleet.start(spec, options);
    serial = new SerialAddon((text) => appliance.sendSerial(text));
    terminal.loadAddon(serial);
    const addon = serial;
    unsubscribe = appliance.subscribe((event) => {
      if (event.type === 'serial') addon.write(event.data);
      else if (event.type === 'status') showStatus(event.status);
    });
    terminal.focus();
  };

  const reboot = (options: { cold?: boolean }): void => {
    clearError();
    fleet.stop(spec.id);
    attach(options);
  };
  restart.addEventListener('click', () => reboot({}));
  cold.addEventListener('click', () => reboot({ cold: true }));
  stop.addEventListener('click', () => fleet.get(spec.id)?.stop());
  attach();

  return {
    dispose() {
      unsubscribe();
      window.removeEventListener('resize', onResize);
      terminal.dispose();
    },
  };
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
