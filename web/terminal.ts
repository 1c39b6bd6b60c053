// The console's terminal: xterm.js sized to its element, refitted when the window resizes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** Settles in a task of its own after the page's next paint. */
const afterPaint = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
/** Settles in a task of its own. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

/**
 * A terminal in `screen`, put there after the page's next paint, and focused if `focus`. Opening
 * xterm lays out the page and measures glyphs, fitting and focusing lay it out again: each is a
 * task of its own so none blocks the page for long. Output written before then is kept and shown.
 * dispose() removes it and its resize listener.
 */
export function openTerminal(
  screen: HTMLElement,
  options: ITerminalOptions,
  focus = false,
): { terminal: Terminal; dispose(): void } {
  // A steady cursor: xterm blinks it with an endless CSS animation, a style update every frame (60 a second, 6–8 %
  // of a core in an idle page without a GPU).
  const terminal = new Terminal({ cursorBlink: false, ...options });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  const onResize = (): void => fit.fit();
  let disposed = false;
  void (async () => {
    await afterPaint();
    if (disposed) return;
    terminal.open(screen);
    await nextTask();
    if (disposed) return;
    fit.fit();
    window.addEventListener('resize', onResize);
    await nextTask();
    if (focus && !disposed) terminal.focus();
  })();
  return {
    terminal,
    dispose() {
      disposed = true;
      window.removeEventListener('resize', onResize);
      terminal.dispose();
    },
  };
}
