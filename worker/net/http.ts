import { NetError } from './errors.ts';

/** The largest status line plus headers accepted (and, separately, the largest trailer section). */
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_HEADER_COUNT = 100;
const MAX_CHUNK_LINE_BYTES = 4096;
/** 13 hex digits stay below 2^53, so chunk sizes remain exact numbers. */
const MAX_CHUNK_SIZE_DIGITS = 13;
const LF = 0x0a;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const REQUEST_TARGET = /^(\/[\x21-\x7e]*|\*)$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const CHUNK_SIZE_LINE = /^([0-9a-fA-F]+)[ \t]*(;.*)?$/;
/** Headers that describe one connection; the client sets its own framing, so callers' copies are dropped. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** What is needed to write a request's head. */
export interface HttpRequestHead {
  method: string;
  /** The origin-form target, e.g. '/keys/a?x=1'. */
  target: string;
  /** The Host header, unless headers carry one. */
  host: string;
  headers?: Iterable<readonly [string, string]>;
  /** Body length in bytes; a Content-Length is sent when it is non-zero or the method carries a body. */
  bodyLength?: number;
}

/** A response's status line and headers, names as received. */
export interface HttpResponseHead {
  version: '1.0' | '1.1';
  status: number;
  reason: string;
  headers: [string, string][];
}

/** What the response parser found in the bytes it was given. */
export type HttpResponseEvent =
  { type: 'head'; head: HttpResponseHead } | { type: 'data'; data: Uint8Array } | { type: 'end' };

function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function latin1Text(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

function invalid(message: string): NetError {
  return new NetError('invalid-request', message);
}

function malformed(message: string): NetError {
  return new NetError('malformed-response', message);
}

/** Serialises an HTTP/1.1 request head; throws 'invalid-request' for anything that could split the request. */
export function emitHttpRequestHead(request: HttpRequestHead): Uint8Array {
  if (!TOKEN.test(request.method)) throw invalid(`bad method: ${JSON.stringify(request.method)}`);
  if (!REQUEST_TARGET.test(request.target)) throw invalid(`bad request target: ${JSON.stringify(request.target)}`);
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  let host: string | undefined;
  for (const [name, value] of request.headers ?? []) {
    if (!TOKEN.test(name)) throw invalid(`bad header name: ${JSON.stringify(name)}`);
    if (!FIELD_VALUE.test(value)) throw invalid(`bad value for header ${name}`);
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    if (lower === 'host') host ??= value;
    else lines.push(`${name}: ${value.trim()}`);
  }
  host ??= request.host;
  if (!FIELD_VALUE.test(host)) throw invalid('bad Host');
  lines.splice(1, 0, `Host: ${host}`);
  const length = request.bodyLength ?? 0;
  if (length > 0 || METHODS_WITH_BODY.has(request.method)) lines.push(`Content-Length: ${length}`);
  return latin1Bytes(lines.join('\r\n') + '\r\n\r\n');
}

type Mode = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

function tokens(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/**
 * An incremental HTTP/1.1 response parser: push() bytes as they arrive, split anywhere, and get the head, body data
 * and end as events; end() when the peer closes. Throws 'malformed-response' for anything it cannot frame.
 */
export class HttpResponseParser {
  /** Whether the connection may carry another request; final once the 'end' event is out. */
  keepAlive = false;
  /** Whether any byte of the response arrived (a request that got none can be retried on a fresh connection). */
  started = false;

  private mode: Mode = 'head';
  private lineParts: Uint8Array[] = [];
  private lineLength = 0;
  private headBytes = 0;
  private lines: string[] = [];
  private remaining = 0;

  constructor(
    private readonly method: string,
    private readonly maxHeaderBytes = MAX_HEADER_BYTES,
  ) {}

  /** True once the whole response has been parsed. */
  get done(): boolean {
    return this.mode === 'done';
  }

  /** Parses the next bytes of the response. Data events are views into bytes. */
  push(bytes: Uint8Array): HttpResponseEvent[] {
    const events: HttpResponseEvent[] = [];
    if (bytes.length > 0) this.started = true;
    let i = 0;
    while (i < bytes.length) {
      const mode = this.mode;
      if (mode === 'length' || mode === 'chunk-data' || mode === 'until-close') {
        const count = mode === 'until-close' ? bytes.length - i : Math.min(this.remaining, bytes.length - i);
        events.push({ type: 'data', data: bytes.subarray(i, i + count) });
        i += count;
        this.remaining -= count;
        if (mode !== 'until-close' && this.remaining === 0) {
          if (mode === 'length') this.finish(events);
          else this.mode = 'chunk-end';
        }
      } else if (mode === 'done') {
        // Bytes after the end of a response: the server is confused, so the connection is not reused.
        this.keepAlive = false;
        break;
      } else {
        const lf = bytes.indexOf(LF, i);
        const end = lf < 0 ? bytes.length : lf;
        this.appendLine(bytes.subarray(i, end), lf >= 0);
        i = lf < 0 ? bytes.length : lf + 1;
        if (lf >= 0) this.lineDone(this.takeLine(), events);
      }
    }
    return events;
  }

  /** Tells the parser the peer closed the connection: ends a close-delimited body or throws if the response is cut short. */
  end(): HttpResponseEvent[] {
    if (this.mode === 'done') return [];
    if (this.mode === 'until-close') {
      this.mode = 'done';
      return [{ type: 'end' }];
    }
    if (!this.started) throw malformed('the connection closed before any response');
    throw malformed('the connection closed in the middle of the response');
  }

  private lineLimit(): number {
    if (this.mode === 'head' || this.mode === 'trailers') return this.maxHeaderBytes - this.headBytes;
    return this.mode === 'chunk-end' ? 2 : MAX_CHUNK_LINE_BYTES;
  }

  private appendLine(part: Uint8Array, complete: boolean): void {
    this.lineLength += part.length + (complete ? 1 : 0);
    if (this.lineLength > this.lineLimit()) {
      throw malformed(
        this.mode === 'head' || this.mode === 'trailers' ? 'response headers too large' : 'bad chunk framing',
      );
    }
    if (part.length > 0) this.lineParts.push(part);
  }

  // Returns the buffered line without its CR LF.
  private takeLine(): string {
    if (this.mode === 'head' || this.mode === 'trailers') this.headBytes += this.lineLength;
    let text = this.lineParts.map(latin1Text).join('');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.lineParts = [];
    this.lineLength = 0;
    return text;
  }

  private lineDone(line: string, events: HttpResponseEvent[]): void {
    switch (this.mode) {
      case 'head':
        if (line !== '') {
          if (this.lines.length > MAX_HEADER_COUNT) throw malformed('too many response headers');
          this.lines.push(line);
        } else if (this.lines.length > 0) {
          this.headDone(events);
        }
        return;
      case 'chunk-size': {
        const match = CHUNK_SIZE_LINE.exec(line);
        const digits = match?.[1].replace(/^0+(?=.)/, '');
        if (!digits || digits.length > MAX_CHUNK_SIZE_DIGITS) throw malformed('bad chunk size');
        this.remaining = parseInt(digits, 16);
        this.mode = this.remaining === 0 ? 'trailers' : 'chunk-data';
        if (this.remaining === 0) this.headBytes = 0;
        return;
      }
      case 'chunk-end':
        if (line !== '') throw malformed('chunk longer than its size');
        this.mode = 'chunk-size';
        return;
      case 'trailers':
        if (line === '') this.finish(events);
        else parseHeader(line);
        return;
      default:
        throw new Error(`HttpResponseParser: no line expected in mode ${this.mode}`);
    }
  }

  // Decides how the body is framed (RFC 9112 section 6.3).
  private headDone(events: HttpResponseEvent[]): void {
    const [statusLine, ...headerLines] = this.lines;
    this.lines = [];
    this.headBytes = 0;
    const status = STATUS_LINE.exec(statusLine);
    if (!status) throw malformed(`bad status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const code = Number(status[2]);
    const headers = headerLines.map(parseHeader);
    if (code < 200) {
      if (code === 101) throw malformed('unexpected 101 Switching Protocols');
      return; // an interim response: the real one follows
    }
    const version = status[1] === '1' ? '1.1' : '1.0';
    const values = (name: string): string[] => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    const connection = tokens(values('connection'));
    this.keepAlive = version === '1.1' ? !connection.includes('close') : connection.includes('keep-alive');
    events.push({ type: 'head', head: { version, status: code, reason: status[3] ?? '', headers } });
    const lengths = values('content-length');
    const codings = tokens(values('transfer-encoding'));
    if (this.method === 'HEAD' || code === 204 || code === 304) return this.finish(events);
    if (codings.length > 0) {
      if (lengths.length > 0) this.keepAlive = false; // both framings: a smuggling risk, so never reuse
      if (codings[codings.length - 1] === 'chunked') this.mode = 'chunk-size';
      else this.readUntilClose();
      return;
    }
    if (lengths.length === 0) return this.readUntilClose();
    const distinct = new Set(lengths.flatMap((v) => v.split(',')).map((v) => v.trim()));
    const [length] = distinct;
    if (distinct.size !== 1 || !/^\d{1,15}$/.test(length)) throw malformed('bad Content-Length');
    this.remaining = Number(length);
    if (this.remaining === 0) this.finish(events);
    else this.mode = 'length';
  }

  private readUntilClose(): void {
    this.mode = 'until-close';
    this.keepAlive = false;
  }

  private finish(events: HttpResponseEvent[]): void {
    this.mode = 'done';
    events.push({ type: 'end' });
  }
}

function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon);
  // Obsolete line folding and whitespace before the colon are both rejected, as RFC 9112 allows.
  if (colon <= 0 || !TOKEN.test(name)) throw malformed(`bad header line: ${JSON.stringify(line.slice(0, 80))}`);
  const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!FIELD_VALUE.test(value)) throw malformed(`bad value for header ${name}`);
  return [name, value];
}
