// The console's terminal: xterm.js sized to its element, refitted when the window resizes.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalAddon, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { measureGlyphsTogether } from './glyph-widths.ts';

/** Settles in a task of its own after the page's next paint. */
export const afterPaint = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
/** Settles in a task of its own. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

/** A view's console: the terminal is made after the page's first paint, and what it is given meanwhile waits. */
export interface ConsoleTerminal {
  /** Clears the screen and connects `addon` (e.g. a SerialAddon) to the terminal, now or once it is open and fitted. */
  connect(addon: ITerminalAddon): void;
  /** Focuses the terminal if it is open. */
  focus(): void;
  /** Settles once the terminal is open, fitted and (if asked) focused, or once it is disposed. */
  readonly opened: Promise<void>;
  /** Removes the terminal and its resize listener. */
  dispose(): void;
}

/**
 * A terminal in `screen`, made and put there after the page's next paint, and focused if `focus`. Making xterm
 * builds its buffers; opening it lays out the page; measuring its glyphs, fitting and focusing lay it out again:
 * each is a task of its own so none blocks the page for long.
 */
export function openTerminal(screen: HTMLElement, options: ITerminalOptions, focus = false): ConsoleTerminal {
  let terminal: Terminal | undefined;
  /** The terminal once it is open and fitted: what it is given from then on is drawn at its own size, once. */
  let fitted: Terminal | undefined;
  let addon: ITerminalAddon | undefined;
  const fit = new FitAddon();
  const onResize = (): void => fit.fit();
  let disposed = false;
  const opened = (async () => {
    await afterPaint();
    if (disposed) return;
    // A steady cursor: xterm blinks it with an endless CSS animation, a style update every frame (60 a second, 6–8 %
    // of a core in an idle page without a GPU).
    terminal = new Terminal({ cursorBlink: false, ...options });
    terminal.loadAddon(fit);
    await nextTask();
    if (disposed) return;
    terminal.open(screen);
    await nextTask();
    if (disposed) return;
    // The glyphs' widths in one layout, before the first screenful of output is drawn.
    measureGlyphsTogether(terminal);
    await nextTask();
    if (disposed) return;
    fit.fit();
    window.addEventListener('resize', onResize);
    // What came before (e.g. the boot output a SerialAddon kept) is drawn now, at the size it is shown at.
    fitted = terminal;
    if (addon) terminal.loadAddon(addon);
    await nextTask();
    if (disposed) return;
    if (focus) terminal.focus();
  })();
  return {
    connect(next) {
      addon = next;
      fitted?.reset();
      fitted?.loadAddon(next);
    },
    focus: () => terminal?.focus(),
    opened,
    dispose() {
      disposed = true;
      window.removeEventListener('resize', onResize);
      terminal?.dispose();
    },
  };
}
