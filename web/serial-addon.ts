// Connects an xterm.js terminal to an appliance's serial console.
import type { IDisposable, ITerminalAddon, Terminal } from '@xterm/xterm';

/** Output kept for a terminal that is not made yet (a page in the background paints nothing); older bytes drop. */
const EARLY_BYTES = 256 * 1024;

/** Keys typed in the terminal go to `send`; `write` shows guest output, also output written before it is loaded. */
export class SerialAddon implements ITerminalAddon {
  private terminal: Terminal | undefined;
  private disposables: IDisposable[] = [];
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private disposed = false;

  constructor(private readonly send: (text: string) => void) {}

  activate(terminal: Terminal): void {
    this.terminal = terminal;
    this.disposables.push(terminal.onData((data) => this.send(data)));
    for (const data of this.early) terminal.write(data);
    this.early = [];
    this.earlyBytes = 0;
  }

  /** Shows bytes the guest wrote to its console. */
  write(data: Uint8Array): void {
    if (this.terminal) return this.terminal.write(data);
    if (this.disposed) return;
    this.early.push(data);
    this.earlyBytes += data.length;
    while (this.earlyBytes > EARLY_BYTES && this.early.length > 1) this.earlyBytes -= this.early.shift()!.length;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
    this.terminal = undefined;
    this.early = [];
    this.disposed = true;
  }
}
