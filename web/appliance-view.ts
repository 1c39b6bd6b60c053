// One open appliance: its status line and its serial console.
import * as Comlink from 'comlink';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { ApplianceSpec, MachineEvent, MachineStatus } from '../worker/protocol.ts';
import { h, showError } from './dom.ts';
import { formatMs } from './format.ts';
import { startMachineWorker, type MachineClient } from './machine-client.ts';
import { SerialAddon } from './serial-addon.ts';

/** A mounted appliance view; dispose() stops the machine and frees the terminal. */
export interface ApplianceView {
  dispose(): void;
}

/** Shows the appliance and boots it in a new worker. */
export function openAppliance(root: HTMLElement, appliance: ApplianceSpec): ApplianceView {
  const status = h('span', { class: 'status', 'data-state': 'off', 'aria-live': 'polite' }, '');
  const restart = h('button', { class: 'button secondary', type: 'button' }, 'Restart');
  const stop = h('button', { class: 'button secondary', type: 'button' }, 'Stop');
  const screen = h('div', { class: 'console-screen' });
  root.replaceChildren(
    h(
      'div',
      { class: 'machine-bar' },
      h('a', { href: '#/' }, '← Gallery'),
      h('h2', {}, appliance.title),
      status,
      restart,
      stop,
    ),
    screen,
  );

  const terminal = new Terminal({ fontSize: 14, cursorBlink: true, scrollback: 5000 });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(screen);
  fit.fit();
  const onResize = (): void => fit.fit();
  window.addEventListener('resize', onResize);

  let client: MachineClient | undefined;
  let serial: SerialAddon | undefined;

  const showStatus = (s: MachineStatus): void => {
    status.dataset.state = s.state;
    status.textContent = describe(s);
    stop.disabled = s.state !== 'booting' && s.state !== 'ready';
  };

  const boot = (): void => {
    client?.terminate();
    serial?.dispose();
    terminal.reset();
    const current = startMachineWorker();
    client = current;
    serial = new SerialAddon((text) => void current.api.sendSerial(text).catch(() => {}));
    terminal.loadAddon(serial);
    const addon = serial;
    const listener = (event: MachineEvent): void => {
      if (event.type === 'serial') addon.write(event.data);
      else showStatus(event.status);
    };
    current.api.boot({ appliance }, Comlink.proxy(listener)).catch((error: Error) => {
      if (client === current) showError(error.message);
    });
    terminal.focus();
  };

  restart.addEventListener('click', boot);
  stop.addEventListener('click', () => void client?.api.stop());
  boot();

  return {
    dispose() {
      window.removeEventListener('resize', onResize);
      client?.terminate();
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
      const kernel = guest === undefined ? '' : ` (kernel ${formatMs(guest)})`;
      return host === undefined ? 'ready' : `ready in ${formatMs(host)}${kernel}`;
    }
    case 'stopped':
      return 'stopped';
    case 'crashed':
      return `crashed: ${s.error?.message ?? 'unknown error'}`;
  }
}
