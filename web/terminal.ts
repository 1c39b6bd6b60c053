// The console's terminal: xterm.js sized to its element, refitted when the window resizes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** A terminal in `screen`; dispose() removes it and its resize listener. */
export function openTerminal(screen: HTMLElement, options: ITerminalOptions): { terminal: Terminal; dispose(): void } {
  const terminal = new Terminal({ cursorBlink: true, ...options });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(screen);
  fit.fit();
  const onResize = (): void => fit.fit();
  window.addEventListener('resize', onResize);
  return {
    terminal,
    dispose() {
      window.removeEventListener('resize', onResize);
      terminal.dispose();
    },
  };
}
