// The js appliance's runtime errors as its console reports them: `script error at <line>:<column>: <message>`
// (`at <line>` when the column is not known, no position when neither is)
// (images/js/README.md), found in the serial stream however it is cut into chunks.

/** A runtime error of the script; line and column are 1-based in the user's source, 0 when the guest did not know. */
export interface ScriptRuntimeError {
  line: number;
  column: number;
  message: string;
}

const SCRIPT_ERROR = /script error(?: at (\d+)(?::(\d+))?)?: (.*)/;
/** Terminal escapes and carriage returns, left out before a line is matched. */
// eslint-disable-next-line no-control-regex -- terminal escapes start with ESC
const NOISE = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;

/** Reads console bytes as they come; feed() returns the script errors in the lines it completed. */
export class ScriptErrorScanner {
  private decoder = new TextDecoder();
  private pending = '';

  feed(data: Uint8Array): ScriptRuntimeError[] {
    const lines = (this.pending + this.decoder.decode(data, { stream: true })).split('\n');
    this.pending = lines.pop() ?? '';
    return lines.map(parseScriptError).filter((error) => error !== undefined);
  }
}

/** The script error a console line reports, if it reports one. */
export function parseScriptError(line: string): ScriptRuntimeError | undefined {
  const match = SCRIPT_ERROR.exec(line.replace(NOISE, ''));
  if (!match) return undefined;
  const [, row, column, message] = match;
  return { line: Number(row ?? 0), column: Number(column ?? 0), message: message ?? '' };
}
