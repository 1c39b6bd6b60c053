import { NetError, netErrorCode } from './errors.ts';
import { HttpResponseParser, MAX_HEADER_BYTES, emitHttpRequestHead, type HttpResponseEvent } from './http.ts';
import { formatIp, type Ip } from './ipv4.ts';
import type { TcpSocket } from './tcp-socket.ts';
import { concatBytes } from './bytes.ts';

/** Connections open at once to one guest ip:port; more requests wait for a free one (guest stacks are small). */
export const DEFAULT_MAX_CONNECTIONS_PER_HOST = 6;
/** Methods that may be sent again when a reused connection turns out to be dead. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** Whatever opens TCP connections to guests: a Network. */
export interface TcpConnector {
  connect(ip: Ip, port: number): TcpSocket;
}

/** The part of AbortSignal the client uses (ES2022 has no DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A request to an appliance. */
export interface HttpRequest {
  ip: Ip;
  /** Default 80. */
  port?: number;
  /** Default 'GET'. */
  method?: string;
  /** The origin-form target, default '/'. */
  path?: string;
  /** Hop-by-hop headers (Connection, Transfer-Encoding, Content-Length, ...) are replaced by the client's own. */
  headers?: Iterable<readonly [string, string]>;
  body?: Uint8Array;
  /** Aborting resets the connection; the request or the body read fails with 'aborted'. */
  signal?: AbortSignalLike;
}

/** A streamed response body: iterate it, or read it whole, or cancel it. Its connection is held until one of those ends. */
export interface HttpBody extends AsyncIterable<Uint8Array> {
  /** The whole body. */
  bytes(): Promise<Uint8Array>;
  /** Whether every byte has arrived, so that bytes() will not wait for the guest. */
  complete(): boolean;
  /** Gives up on the rest of the body (the connection is reset, not reused). */
  cancel(): void;
}

/** An appliance's response; header names as the guest sent them. */
export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: HttpBody;
}

/** Per guest ip:port: how many connections are lent out, the idle ones, and who waits for one. */
class HostPool {
  active = 0;
  readonly idle: TcpSocket[] = [];
  readonly waiters: (() => void)[] = [];
}

/**
 * An HTTP/1.1 client over host TCP: keep-alive connections pooled per guest ip:port, bodies streamed with TCP flow
 * control, and every failure a NetError: refused, reset, timeout, aborted, malformed-response, invalid-request.
 */
export class HttpClient {
  private readonly pools = new Map<string, HostPool>();
  private readonly maxConnections: number;
  private readonly maxHeaderBytes: number;

  constructor(
    private readonly net: TcpConnector,
    options: { maxConnectionsPerHost?: number; maxHeaderBytes?: number } = {},
  ) {
    this.maxConnections = options.maxConnectionsPerHost ?? DEFAULT_MAX_CONNECTIONS_PER_HOST;
    this.maxHeaderBytes = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  }

  /** Sends a request and resolves with the response head once it arrives; the body streams after. */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method ?? 'GET';
    const port = request.port ?? 80;
    const head = emitHttpRequestHead({
      method,
      target: request.path ?? '/',
      host: port === 80 ? formatIp(request.ip) : `${formatIp(request.ip)}:${port}`,
      headers: request.headers,
      bodyLength: request.body?.length ?? 0,
    });
    const key = `${request.ip}:${port}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = new HostPool()));
    await this.acquire(pool, request.signal);
    for (let attempt = 0; ; attempt++) {
      const reusable = this.takeIdle(pool);
      const socket = reusable ?? this.net.connect(request.ip, port);
      const parser = new HttpResponseParser(method, this.maxHeaderBytes);
      try {
        return await this.exchange(pool, socket, parser, head, request);
      } catch (error) {
        // A kept-alive connection the guest closed meanwhile: one more try on a fresh one, if that is safe.
        const code = netErrorCode(error);
        const stale = reusable && !parser.started && (code === 'reset' || code === 'malformed-response');
        if (stale && attempt === 0 && IDEMPOTENT_METHODS.has(method) && !request.signal?.aborted) continue;
        this.release(pool);
        throw error;
      }
    }
  }

  /** Closes the idle connections; requests in progress go on. */
  close(): void {
    for (const pool of this.pools.values()) {
      for (const socket of pool.idle.splice(0)) {
        socket.onchange = undefined;
        socket.close();
      }
    }
  }

  private acquire(pool: HostPool, signal: AbortSignalLike | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new NetError('aborted', 'the request was aborted'));
    if (pool.active < this.maxConnections) {
      pool.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        pool.waiters.splice(pool.waiters.indexOf(ready), 1);
        reject(new NetError('aborted', 'the request was aborted'));
      };
      const ready = (): void => {
        signal?.removeEventListener('abort', onAbort);
        pool.active++;
        resolve();
      };
      signal?.addEventListener('abort', onAbort);
      pool.waiters.push(ready);
    });
  }

  private release(pool: HostPool): void {
    pool.active--;
    pool.waiters.shift()?.();
  }

  private takeIdle(pool: HostPool): TcpSocket | undefined {
    for (let socket = pool.idle.pop(); socket; socket = pool.idle.pop()) {
      socket.onchange = undefined;
      if (socket.state === 'established' && socket.readableLength === 0) return socket;
      socket.abort();
    }
    return undefined;
  }

  private keepIdle(pool: HostPool, socket: TcpSocket): void {
    if (pool.idle.length >= this.maxConnections) return socket.close();
    pool.idle.push(socket);
    // The guest may close an idle connection at any time: answer its FIN rather than hold the connection half-open.
    socket.onchange = () => {
      if (socket.state === 'established') return;
      socket.onchange = undefined;
      const index = pool.idle.indexOf(socket);
      if (index >= 0) pool.idle.splice(index, 1);
      socket.close();
    };
  }

  private async exchange(
    pool: HostPool,
    socket: TcpSocket,
    parser: HttpResponseParser,
    head: Uint8Array,
    request: HttpRequest,
  ): Promise<HttpResponse> {
    const { signal } = request;
    const onAbort = (): void => socket.abort();
    signal?.addEventListener('abort', onAbort);
    const queue: Uint8Array[] = [];
    let response: HttpResponse | undefined;
    let ended = false;
    let settled = false;

    // Returns the connection to the pool (or closes it) and frees the slot, exactly once.
    const settle = (reuse: boolean): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (reuse && parser.keepAlive && socket.state === 'established' && socket.readableLength === 0) {
        this.keepIdle(pool, socket);
      } else if (reuse) socket.close();
      else socket.abort();
      this.release(pool);
    };
    const body: HttpBody = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          try {
            while (queue.length === 0 && !ended) await pump();
          } catch (error) {
            settle(false);
            throw error;
          }
          const value = queue.shift();
          if (value) return { value, done: false };
          settle(true);
          return { value: undefined, done: true };
        },
        // Leaving a for-await loop early: a finished body keeps its connection, an unfinished one resets it.
        return: async (): Promise<IteratorResult<Uint8Array>> => {
          settle(ended);
          return { value: undefined, done: true };
        },
      }),
      bytes: async () => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of body) chunks.push(chunk);
        return concatBytes(chunks);
      },
      cancel: () => settle(ended),
      complete: () => ended,
    };
    const take = (events: HttpResponseEvent[]): void => {
      for (const event of events) {
        if (event.type === 'data') queue.push(event.data);
        else if (event.type === 'end') ended = true;
        else response = { ...event.head, body };
      }
    };
    const pump = async (): Promise<void> => {
      const chunk = await socket.read();
      take(chunk ? parser.push(chunk) : parser.end());
    };

    try {
      socket.write(head);
      if (request.body && request.body.length > 0) socket.write(request.body);
      while (!response) await pump();
    } catch (error) {
      signal?.removeEventListener('abort', onAbort);
      socket.abort();
      throw error;
    }
    // A body that is already complete (HEAD, 204, small responses) needs the connection no longer.
    if (ended) settle(true);
    return response;
  }
}
