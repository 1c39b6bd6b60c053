// What the host reads from a guest's serial console: the boot timeline, READY, crashes.

/** Longest console line the parser keeps; the rest of a longer line is ignored. */
const MAX_LINE = 512;

export type ConsoleEvent =
  | { type: 'boot-stage'; stage: string; ms: number }
  | { type: 'ready'; name: string }
  | { type: 'crash'; message: string }
  | { type: 'halted' }
  /** A resumed snapshot asks for its user-data: write it at `address` (at most `room` bytes), then its length. */
  | { type: 'userdata'; address: number; room: number };

const BOOT_STAGE = /^@boot (\S+) (\d+(?:\.\d+)?)$/;
const READY = /^READY (\S+)/;
const USERDATA = /^@userdata 0x([0-9a-f]+) (\d+)$/;
/** The kernel's panic() and CPU exception handlers print these. */
const CRASH = /^(panic: .*|cpu exception .*)$/;
/** The kernel's last line after a crash, once its register dump is out. */
const HALTED = 'HALTED';

/** Parses one console line; undefined for ordinary output. */
export function parseConsoleLine(line: string): ConsoleEvent | undefined {
  let match = BOOT_STAGE.exec(line);
  if (match) return { type: 'boot-stage', stage: match[1]!, ms: Number(match[2]) };
  match = READY.exec(line);
  if (match) return { type: 'ready', name: match[1]! };
  match = USERDATA.exec(line);
  if (match) return { type: 'userdata', address: parseInt(match[1]!, 16), room: Number(match[2]) };
  match = CRASH.exec(line);
  if (match) return { type: 'crash', message: match[1]! };
  if (line === HALTED) return { type: 'halted' };
  return undefined;
}

/** Splits a byte stream into lines (LF-terminated, CR dropped) and parses each. */
export class ConsoleParser {
  private line = '';

  constructor(private readonly onEvent: (event: ConsoleEvent) => void) {}

  /** Feeds one byte of console output. */
  push(byte: number): void {
    if (byte === 0x0a) {
      const event = parseConsoleLine(this.line);
      this.line = '';
      if (event) this.onEvent(event);
    } else if (byte !== 0x0d && this.line.length < MAX_LINE) {
      this.line += String.fromCharCode(byte);
    }
  }
}
