// Connects an xterm.js terminal to an appliance's serial console.
import type { IDisposable, ITerminalAddon, Terminal } from '@xterm/xterm';

/** Keys typed in the terminal go to `send`; `write` shows guest output. */
export class SerialAddon implements ITerminalAddon {
  private terminal: Terminal | undefined;
  private disposables: IDisposable[] = [];

  constructor(private readonly send: (text: string) => void) {}

  activate(terminal: Terminal): void {
    this.terminal = terminal;
    this.disposables.push(terminal.onData((data) => this.send(data)));
  }

  /** Shows bytes the guest wrote to its console. */
  write(data: Uint8Array): void {
    this.terminal?.write(data);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
    this.terminal = undefined;
  }
}
