// Reads the requests a guest sends to the host's web proxy: HTTP/1.1 in absolute form, bodies bounded.
import { CodedError } from './errors.ts';

/** The largest request line plus headers accepted. */
export const PROXY_MAX_HEAD_BYTES = 16 * 1024;
export const PROXY_MAX_HEADERS = 100;
/** The largest request body accepted (Content-Length or chunked). */
export const PROXY_MAX_BODY_BYTES = 1024 * 1024;
const MAX_CHUNK_LINE_BYTES = 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const REQUEST_LINE = /^([^ ]+) ([^ ]+) HTTP\/1\.([01])$/;
const CHUNK_SIZE = /^([0-9a-fA-F]{1,7})[ \t]*(?:;.*)?$/;
/**
 * Headers about this connection or its framing, not the request: the host's fetch sets its own. Accept-Encoding too:
 * the fetch decodes what it asked for, and only that (the guest gets the body decoded).
 */
const HOP_BY_HOP = new Set([
  'accept-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
  'expect',
]);

export type ProxyErrorCode = 'bad-request' | 'not-implemented' | 'too-large' | 'headers-too-large';
const STATUS: Record<ProxyErrorCode, number> = {
  'bad-request': 400,
  'not-implemented': 501,
  'too-large': 413,
  'headers-too-large': 431,
};

/** A request the proxy refuses before fetching anything; `status` is the HTTP status it answers with. */
export class ProxyError extends CodedError<ProxyErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

/** A whole request from the guest. */
export interface ProxyRequest {
  method: string;
  url: TargetUrl;
  /** The end-to-end headers, names as sent; hop-by-hop ones, Host and framing are left out. */
  headers: [string, string][];
  body: Uint8Array;
  /** Whether the guest may send another request on this connection. */
  keepAlive: boolean;
  /** HTTP/1.0 clients take no chunked responses. */
  http10: boolean;
}

interface Head {
  method: string;
  url: TargetUrl;
  headers: [string, string][];
  keepAlive: boolean;
  http10: boolean;
  length: number | 'chunked';
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** An absolute http(s) URL as the proxy accepts it: canonical, so the policy sees the host fetch() will reach. */
export interface TargetUrl {
  scheme: 'http' | 'https';
  /** Lower-case DNS name, dotted-decimal IPv4 address, or IPv6 address in brackets. */
  hostname: string;
  /** The port if one was given ('' for the scheme's default). */
  port: string;
  /** Path and query, at least '/'. */
  path: string;
  href: string;
}

const ABSOLUTE = /^(https?):\/\/([^/?#@]*)([/?][\x21-\x7e]*)?$/i;
const DNS_NAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * Parses an absolute-form request target. Only canonical hosts pass (a DNS name in ASCII, a dotted-decimal IPv4
 * address or a bracketed IPv6 one): a host the policy compares is the host fetch() connects to, not another
 * spelling of it (`0x7f.1`, `EXAMPLE.com.`, percent-escapes).
 */
export function parseTarget(target: string): TargetUrl | undefined {
  const match = ABSOLUTE.exec(target);
  if (!match || target.includes('#')) return undefined;
  const scheme = match[1]!.toLowerCase() as TargetUrl['scheme'];
  const authority = match[2]!.toLowerCase();
  const colon = authority.lastIndexOf(':');
  const bracketed = authority.startsWith('[');
  const split = colon >= 0 && colon > authority.lastIndexOf(']');
  const hostname = split ? authority.slice(0, colon) : authority;
  const port = split ? authority.slice(colon + 1) : '';
  if (port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return undefined;
  // WHATWG URL reads a host whose last label is a number (decimal or 0x) as an IPv4 address, in any of its spellings.
  const numeric = /^(?:\d+|0x[0-9a-f]*)$/.test(hostname.slice(hostname.lastIndexOf('.') + 1));
  const hostOk = bracketed ? IPV6.test(hostname) : numeric ? IPV4.test(hostname) : DNS_NAME.test(hostname);
  if (!hostOk || hostname.length > 253) return undefined;
  const path = match[3] === undefined ? '/' : match[3].startsWith('?') ? `/${match[3]}` : match[3];
  const portPart = port === '' || port === (scheme === 'http' ? '80' : '443') ? '' : `:${Number(port)}`;
  const canonicalPort = portPart.slice(1);
  return { scheme, hostname, port: canonicalPort, path, href: `${scheme}://${hostname}${portPart}${path}` };
}

function parseUrl(target: string, method: string): TargetUrl {
  if (method === 'CONNECT') {
    throw new ProxyError(
      'not-implemented',
      'CONNECT tunnels are not offered: send https:// URLs in absolute form (GET https://host/path HTTP/1.1) and the host makes the TLS connection.',
    );
  }
  const url = parseTarget(target);
  if (url) return url;
  const why = /^https?:\/\//i.test(target)
    ? 'its host must be an ASCII name (punycode for others), an IPv4 address or [IPv6], with no user:password@ and no #fragment'
    : "this is the host's web proxy: send an absolute http:// or https:// URL (GET http://example.com/ HTTP/1.1)";
  throw new ProxyError('bad-request', `Cannot fetch '${target.slice(0, 100)}': ${why}.`);
}

/** Parses a request head (request line and header lines, without the blank line); throws ProxyError. */
export function parseRequestHead(text: string): Head {
  const [requestLine = '', ...lines] = text.split(/\r?\n/);
  const match = REQUEST_LINE.exec(requestLine);
  if (!match || !TOKEN.test(match[1]!)) {
    throw new ProxyError('bad-request', `Not an HTTP/1.x request line: '${requestLine.slice(0, 100)}'.`);
  }
  const method = match[1]!;
  const url = parseUrl(match[2]!, method);
  if (lines.length > PROXY_MAX_HEADERS) throw new ProxyError('headers-too-large', 'More than 100 header lines.');
  const all = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(name) || !FIELD_VALUE.test(value)) {
      throw new ProxyError('bad-request', `Bad header line: '${line.slice(0, 100)}'.`);
    }
    return [name, value];
  });
  const values = (name: string): string[] => all.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const tokens = (name: string): string[] => values(name).flatMap((v) => v.toLowerCase().split(/\s*,\s*/));
  const connection = tokens('connection');
  const http10 = match[3] === '0';
  const keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
  const named = new Set(connection);
  const headers = all.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()) && !named.has(n.toLowerCase()));
  return { method, url, headers, keepAlive, http10, length: bodyLength(values, tokens) };
}

// RFC 9112 section 6.3, for requests: chunked, or Content-Length, or no body.
function bodyLength(values: (name: string) => string[], tokens: (name: string) => string[]): number | 'chunked' {
  const codings = tokens('transfer-encoding').filter((t) => t !== '');
  const lengths = values('content-length');
  if (codings.length > 0) {
    if (lengths.length > 0) throw new ProxyError('bad-request', 'Both Transfer-Encoding and Content-Length.');
    if (codings.join() !== 'chunked') {
      throw new ProxyError('not-implemented', `Transfer-Encoding ${codings.join(', ')}: only chunked is read.`);
    }
    return 'chunked';
  }
  const distinct = new Set(lengths.flatMap((v) => v.split(',')).map((v) => v.trim()));
  if (distinct.size === 0) return 0;
  const [length] = distinct;
  if (distinct.size > 1 || !/^\d{1,15}$/.test(length!)) throw new ProxyError('bad-request', 'Bad Content-Length.');
  if (Number(length) > PROXY_MAX_BODY_BYTES) throw tooLarge();
  return Number(length);
}

function tooLarge(): ProxyError {
  return new ProxyError(
    'too-large',
    `The request body is larger than ${PROXY_MAX_BODY_BYTES} bytes, the most the host forwards.`,
  );
}

/**
 * Reads requests from a connection's bytes: push() what arrives, split anywhere; next() returns each request once it
 * is whole, or undefined while more bytes are needed. Throws a ProxyError for what it cannot read; the connection
 * is then answered with that status and closed.
 */
export class RequestReader {
  private data = new Uint8Array(4096);
  private length = 0;
  /** Where the unread bytes start. */
  private pos = 0;
  private head: Head | undefined;
  private chunks: Uint8Array[] = [];
  private chunked = 0;
  private trailers = false;

  /** Whether part of a request has arrived. */
  get partial(): boolean {
    return this.length > this.pos || this.head !== undefined;
  }

  push(bytes: Uint8Array): void {
    if (this.pos > 0 && this.pos === this.length) this.pos = this.length = 0;
    if (this.length + bytes.length > this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, this.length - this.pos + bytes.length));
      grown.set(this.data.subarray(this.pos, this.length));
      this.length -= this.pos;
      this.pos = 0;
      this.data = grown;
    }
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }

  next(): ProxyRequest | undefined {
    if (!this.head) {
      // Empty lines before a request are ignored (RFC 9112 section 2.2).
      while (this.pos < this.length && (this.data[this.pos] === 0x0d || this.data[this.pos] === 0x0a)) this.pos++;
      const end = this.headEnd();
      if (end === undefined) return undefined;
      this.head = parseRequestHead(latin1(this.data.subarray(this.pos, end.text)).replace(/\r$/, ''));
      this.pos = end.next;
    }
    const body = this.head.length === 'chunked' ? this.readChunked() : this.readLength(this.head.length);
    if (!body) return undefined;
    const { method, url, headers, keepAlive, http10 } = this.head;
    this.head = undefined;
    return { method, url, headers, keepAlive, http10, body };
  }

  // Finds the blank line that ends the head: where the head's text ends and the body starts.
  private headEnd(): { text: number; next: number } | undefined {
    const limit = Math.min(this.length, this.pos + PROXY_MAX_HEAD_BYTES);
    for (let i = this.pos; i < limit; i++) {
      if (this.data[i] !== 0x0a || i === this.pos) continue;
      if (this.data[i - 1] === 0x0a) return { text: i - 1, next: i + 1 };
      if (this.data[i - 1] === 0x0d && i - 2 >= this.pos && this.data[i - 2] === 0x0a)
        return { text: i - 2, next: i + 1 };
    }
    if (this.length - this.pos >= PROXY_MAX_HEAD_BYTES) {
      throw new ProxyError('headers-too-large', `The request head is larger than ${PROXY_MAX_HEAD_BYTES} bytes.`);
    }
    return undefined;
  }

  private readLength(length: number): Uint8Array | undefined {
    if (this.length - this.pos < length) return undefined;
    const body = this.data.slice(this.pos, this.pos + length);
    this.pos += length;
    return body;
  }

  // The next line (without CR LF), or undefined until it has arrived.
  private line(): string | undefined {
    const lf = this.data.subarray(this.pos, this.length).indexOf(0x0a);
    if (lf < 0) {
      if (this.length - this.pos > MAX_CHUNK_LINE_BYTES) throw new ProxyError('bad-request', 'Bad chunk framing.');
      return undefined;
    }
    const text = latin1(this.data.subarray(this.pos, this.pos + lf)).replace(/\r$/, '');
    this.pos += lf + 1;
    return text;
  }

  private readChunked(): Uint8Array | undefined {
    for (;;) {
      if (this.trailers) {
        const line = this.line();
        if (line === undefined) return undefined;
        if (line !== '') continue; // trailer fields are dropped
        const body = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const chunk of this.chunks) body.set(chunk, (at += chunk.length) - chunk.length);
        this.chunks = [];
        this.chunked = 0;
        this.trailers = false;
        return body;
      }
      const start = this.pos;
      const sizeLine = this.line();
      if (sizeLine === undefined) return undefined;
      const size = CHUNK_SIZE.exec(sizeLine);
      if (!size) throw new ProxyError('bad-request', `Bad chunk size line: '${sizeLine.slice(0, 40)}'.`);
      const bytes = parseInt(size[1]!, 16);
      if (bytes === 0) {
        this.trailers = true;
        continue;
      }
      if (this.chunked + bytes > PROXY_MAX_BODY_BYTES) throw tooLarge();
      if (this.length - this.pos < bytes + 2) {
        this.pos = start; // read the size line again once the whole chunk is here
        return undefined;
      }
      this.chunks.push(this.data.slice(this.pos, this.pos + bytes));
      this.chunked += bytes;
      this.pos += bytes;
      if (this.data[this.pos] !== 0x0d || this.data[this.pos + 1] !== 0x0a) {
        throw new ProxyError('bad-request', 'A chunk is longer than its size.');
      }
      this.pos += 2;
    }
  }
}
