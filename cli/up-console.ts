// The consoles of `tabcloud up`, Compose style: each line after its appliance's name, the names aligned.

/** Colours of the names on a terminal, in turn (ANSI: cyan, yellow, green, magenta, blue, red and bright ones). */
const COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91];
const RESET = '\x1b[0m';

/** Each name's prefix, `name | ` padded to the longest; coloured if `colour`. */
export function labels(names: string[], colour: boolean): string[] {
  const width = Math.max(...names.map((name) => name.length));
  return names.map((name, i) => {
    const label = `${name.padEnd(width)} | `;
    return colour ? `\x1b[${COLOURS[i % COLOURS.length]}m${label}${RESET}` : label;
  });
}

/** Most bytes held for a line without its end: a longer one is printed in pieces. */
const LINE_MAX = 4096;

/** Splits one console's bytes into lines and writes each after the prefix (bytes as latin1 text, CRs dropped). */
export class ConsolePrefix {
  private line = '';

  constructor(
    private readonly prefix: string,
    private readonly write: (text: string) => void,
  ) {}

  /** Takes console bytes; writes the lines they complete. */
  push(data: Uint8Array): void {
    let out = '';
    for (const byte of data) {
      if (byte === 0x0a) {
        out += `${this.prefix}${this.line}\n`;
        this.line = '';
      } else if (byte !== 0x0d) {
        this.line += String.fromCharCode(byte);
        if (this.line.length >= LINE_MAX) {
          out += `${this.prefix}${this.line}\n`;
          this.line = '';
        }
      }
    }
    if (out) this.write(out);
  }

  /** Writes a last line that has no end yet (at the stop). */
  flush(): void {
    if (this.line) this.write(`${this.prefix}${this.line}\n`);
    this.line = '';
  }
}
