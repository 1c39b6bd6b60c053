// The console's terminal: xterm.js sized to its element, refitted when the window resizes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** An open terminal; `opened` settles once it is drawn in its element. */
export interface OpenTerminal {
  terminal: Terminal;
  opened: Promise<void>;
  dispose(): void;
}

/**
 * A terminal in `screen`, put there after the page's next paint: opening xterm lays out the page
 * and measures glyphs, so doing it in the same task as building the view makes one long task.
 * Output written before then is kept and shown. dispose() removes it and its resize listener.
 */
export function openTerminal(screen: HTMLElement, options: ITerminalOptions): OpenTerminal {
  const terminal = new Terminal({ cursorBlink: true, ...options });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  const onResize = (): void => fit.fit();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frame = 0;
  const opened = new Promise<void>((resolve) => {
    frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        terminal.open(screen);
        fit.fit();
        window.addEventListener('resize', onResize);
        resolve();
      });
    });
  });
  return {
    terminal,
    opened,
    dispose() {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      window.removeEventListener('resize', onResize);
      terminal.dispose();
    },
  };
}
