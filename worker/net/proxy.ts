// The host's web proxy on an appliance's network: the guest sends `GET https://example.com/x HTTP/1.1` to the
// gateway's port 80 and the host fetches it (the page's fetch() or Node's), within the appliance's policy.
import { HOP_BY_HOP } from './http.ts';
import type { Network } from './network.ts';
import { refusal, type OutboundPolicy } from './outbound.ts';
import { ProxyError, RequestReader, parseTarget, type ProxyRequest } from './proxy-request.ts';
import type { TcpSocket } from './tcp-socket.ts';

/** The gateway port the proxy listens on. */
export const PROXY_PORT = 80;
/** How long a fetch may take to answer, and the longest pause in its body, before the guest gets 504 or a reset. */
export const PROXY_TIMEOUT_MS = 30_000;
/** How long a connection may sit without a whole request before the host closes it. */
export const PROXY_IDLE_MS = 60_000;
/** Fetches in flight at once for one appliance; more are 503 at once, so a looping guest cannot flood the host. */
export const PROXY_MAX_FETCHES = 16;

/** A request for the host's fetch. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body: Uint8Array | undefined;
}

/** What the host's fetch answered; the body already decoded (fetch undoes any Content-Encoding). */
export interface OutboundResponse {
  /** The URL answered, when redirects were followed to it (the page's fetch follows them). */
  url?: string;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: AsyncIterable<Uint8Array> | null;
}

/** A fetch under way: its response, and how to give up on it (the response or its body then fails). */
export interface OutboundCall {
  response: Promise<OutboundResponse>;
  abort(): void;
}

/** The one adapter for the actual fetch (worker/outbound-fetch.ts); rejects with an Error saying why. */
export type OutboundFetch = (request: OutboundRequest) => OutboundCall;

export interface ProxyOptions {
  fetch: OutboundFetch;
  /** The appliance's policy, read for every request (so trusting it or editing its list applies at once). */
  policy(): OutboundPolicy;
  /** Runs fn after ms; returns the cancel. Time is the host's to give (setTimeout, or a test's clock). */
  timer(ms: number, fn: () => void): () => void;
  timeoutMs?: number;
  idleMs?: number;
  maxFetches?: number;
}

/** One network's proxy: its options and the fetches it has in flight. */
interface Proxy {
  options: ProxyOptions;
  inFlight: number;
}

/** Response headers that describe the host's connection or framing (fetch decoded the body): the proxy frames it. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'content-encoding']);

/** Serves the web proxy on the network's gateway port 80; returns the stop function (connections in progress go on). */
export function serveProxy(network: Pick<Network, 'listen'>, options: ProxyOptions): () => void {
  const proxy: Proxy = { options, inFlight: 0 };
  return network.listen(PROXY_PORT, (socket) => void serveConnection(socket, proxy));
}

/** Answers the requests on one connection, one after the other, until either side closes it. */
async function serveConnection(socket: TcpSocket, proxy: Proxy): Promise<void> {
  const reader = new RequestReader();
  try {
    for (;;) {
      const request = await nextRequest(socket, reader, proxy.options);
      if (!request) return;
      if (!(await answer(socket, request, proxy))) return socket.close();
    }
  } catch (error) {
    // The connection failed, or a body could not be sent whole: the guest sees a reset.
    if (!(error instanceof ProxyError)) return socket.abort();
    try {
      await writeText(socket, error.status, error.message, { keepAlive: false, http10: false });
      socket.close();
    } catch {
      socket.abort();
    }
  }
}

/** Reads until a whole request is here; undefined when the guest closed or went idle (the socket is then closed). */
async function nextRequest(
  socket: TcpSocket,
  reader: RequestReader,
  options: ProxyOptions,
): Promise<ProxyRequest | undefined> {
  let idle = false;
  const cancel = options.timer(options.idleMs ?? PROXY_IDLE_MS, () => {
    idle = true;
    socket.close();
    // A guest that never closes its side is reset after another while (a no-op once the connection has closed).
    options.timer(options.idleMs ?? PROXY_IDLE_MS, () => socket.abort());
  });
  try {
    for (;;) {
      const request = reader.next();
      if (request) return request;
      const chunk = await socket.read();
      if (chunk && !idle) {
        reader.push(chunk);
        continue;
      }
      if (reader.partial && !idle)
        throw new ProxyError('bad-request', 'The connection closed in the middle of a request.');
      socket.close();
      return undefined;
    }
  } finally {
    cancel();
  }
}

/** Fetches one request for the guest and writes the answer; resolves whether the connection may carry another. */
async function answer(socket: TcpSocket, request: ProxyRequest, proxy: Proxy): Promise<boolean> {
  const { options } = proxy;
  const refused = refusal(options.policy(), request.url);
  if (refused) return writeText(socket, 403, refused, request);
  const max = options.maxFetches ?? PROXY_MAX_FETCHES;
  if (proxy.inFlight >= max) {
    return writeText(
      socket,
      503,
      `The appliance has ${max} calls out in flight, the most it may: try again once they end.`,
      request,
    );
  }
  proxy.inFlight++;
  const call = options.fetch({
    url: request.url.href,
    method: request.method,
    headers: request.headers,
    body: request.body.length > 0 ? request.body : undefined,
  });
  // A guest that gives up (resets, or the link goes down) frees its fetch at once.
  socket.onchange = () => {
    if (!socket.error) return;
    socket.onchange = undefined;
    call.abort();
  };
  try {
    return await relay(socket, request, call, options);
  } catch (error) {
    call.abort();
    throw error;
  } finally {
    socket.onchange = undefined;
    proxy.inFlight--;
  }
}

/** Writes the fetch's answer, or what went wrong with it, to the guest; resolves keep-alive. */
async function relay(
  socket: TcpSocket,
  request: ProxyRequest,
  call: OutboundCall,
  options: ProxyOptions,
): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? PROXY_TIMEOUT_MS;
  let response: OutboundResponse;
  try {
    response = await withTimeout(call.response, timeoutMs, options);
  } catch (error) {
    call.abort();
    if (error === TIMED_OUT) {
      return writeText(socket, 504, `No answer from ${request.url.hostname} within ${timeoutMs / 1000} s.`, request);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return writeText(socket, 502, `The host could not fetch ${request.url.href}: ${reason}`, request);
  }
  // A redirect the host followed may lead off the allow-list: the answer is then withheld.
  if (response.url !== undefined && response.url !== request.url.href) {
    const final = parseTarget(response.url);
    const why = final ? refusal(options.policy(), final) : 'the host cannot check that URL';
    if (why) {
      call.abort();
      return writeText(socket, 403, `${request.url.href} redirected to ${response.url}: ${why}`, request);
    }
  }
  await writeResponse(socket, request, response, timeoutMs, options);
  return request.keepAlive;
}

const TIMED_OUT = Symbol('timed out');

/** The promise's value, or a rejection with TIMED_OUT after ms. */
function withTimeout<T>(promise: Promise<T>, ms: number, options: ProxyOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = options.timer(ms, () => reject(TIMED_OUT));
    promise.then(resolve, reject).finally(cancel);
  });
}

/** Writes the status line, the end-to-end headers and the body: chunked (close-delimited for HTTP/1.0). */
async function writeResponse(
  socket: TcpSocket,
  request: ProxyRequest,
  response: OutboundResponse,
  timeoutMs: number,
  options: ProxyOptions,
): Promise<void> {
  const noBody = request.method === 'HEAD' || response.status === 204 || response.status === 304;
  const headers = response.headers.filter(([name]) => !NOT_FORWARDED.has(name.toLowerCase()));
  if (!noBody && !request.http10) headers.push(['Transfer-Encoding', 'chunked']);
  if (!request.keepAlive || request.http10) headers.push(['Connection', 'close']);
  await send(socket, head(response.status, response.statusText, headers));
  if (noBody || !response.body) {
    if (!noBody && !request.http10) await send(socket, utf8('0\r\n\r\n'));
    return;
  }
  const chunks = response.body[Symbol.asyncIterator]();
  for (;;) {
    const next = await withTimeout(chunks.next(), timeoutMs, options);
    if (next.done) break;
    if (next.value.length === 0) continue;
    // A guest that stops taking the body holds the fetch no longer than one that stops sending it.
    const pieces = request.http10 ? [next.value] : [utf8(`${next.value.length.toString(16)}\r\n`), next.value, CRLF];
    await withTimeout(send(socket, ...pieces), timeoutMs, options);
  }
  if (!request.http10) await send(socket, utf8('0\r\n\r\n'));
  else request.keepAlive = false;
}

const CRLF = utf8('\r\n');

/** A response head. Header values are byte strings (fetch's Headers hold Latin-1), so each char is one byte. */
function head(status: number, statusText: string, headers: [string, string][]): Uint8Array {
  // HTTP/2 answers carry no reason phrase: a guest's log reads better with the usual one.
  const reason = (statusText || REASONS[status] || '').replace(/[^\t\x20-\x7e]/g, '');
  const lines = [`HTTP/1.1 ${status} ${reason}`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  const text = lines.join('\r\n') + '\r\n\r\n';
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

/** Writes the pieces, waiting while the guest is slow to take them. */
async function send(socket: TcpSocket, ...pieces: Uint8Array[]): Promise<void> {
  for (const piece of pieces) if (!socket.write(piece)) await socket.drained();
}

/** Answers with a short text/plain message (the host's own answer, not the web's); resolves keep-alive. */
async function writeText(
  socket: TcpSocket,
  status: number,
  message: string,
  request: Pick<ProxyRequest, 'keepAlive' | 'http10'>,
): Promise<boolean> {
  const body = utf8(message + '\n');
  const keepAlive = request.keepAlive && !request.http10;
  const headers: [string, string][] = [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Length', String(body.length)],
    ['X-Tabcloud-Proxy', 'refused'],
    ...(keepAlive ? [] : ([['Connection', 'close']] as [string, string][])),
  ];
  await send(socket, head(status, '', headers), body);
  return keepAlive;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  500: 'Internal Server Error',
  403: 'Forbidden',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** UTF-8 bytes of text (ES2022 has no TextEncoder; neither does this library's lib). */
function utf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(bytes);
}
