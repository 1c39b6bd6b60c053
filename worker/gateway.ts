// The worker's end of the /vm/ gateway: HTTP requests from the service worker, carried to the
// guest by the host TCP stack, answers streamed back.
import { sendBody } from './body-port.ts';
import type { GatewayAbort, GatewayErrorCode, GatewayReply, GatewayRequest } from './gateway-protocol.ts';
import { concatBytes } from './net/bytes.ts';
import { CodedError, NetError, netErrorCode, type NetErrorCode } from './net/errors.ts';
import { HttpClient, type HttpResponse } from './net/http-client.ts';
import type { Network } from './net/network.ts';
import type { DirectRequest, DirectResponse } from './protocol.ts';

const NET_TO_GATEWAY: Record<NetErrorCode, GatewayErrorCode> = {
  refused: 'port-closed',
  reset: 'reset',
  timeout: 'timeout',
  aborted: 'timeout',
  closed: 'not-running',
  'malformed-response': 'bad-response',
  'invalid-request': 'bad-request',
};

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * The most one streamed chunk gathers: a transferred stream costs a round trip between threads per chunk, so a
 * chunk carries every segment that has arrived (at most this much) rather than one.
 */
const STREAM_CHUNK_BYTES = 1 << 20;

/** A failed direct request (Gateway.request); the code is the name, so it survives the worker boundary. */
export class GatewayError extends CodedError<GatewayErrorCode> {}

/** Serves gateway requests for one appliance, whatever network its current boot has. */
export class Gateway {
  private client: { network: Network; http: HttpClient } | undefined;

  /**
   * `appliance()` tells the current boot's name (the guest sees `Host: <name>.tabcloud`) and network; `onWritten` hears
   * of each answered request that may have changed the guest's data, `onAnswered` of every answered request.
   */
  constructor(
    private readonly appliance: () => { name: string; network: Network | undefined },
    private readonly onWritten: () => void = () => {},
    private readonly onAnswered: () => void = () => {},
  ) {}

  /** Serves every request that arrives on `port` (handed over by the owner tab), answering on the same port. */
  attach(port: MessagePort): void {
    const inFlight = new Map<number, AbortController>();
    port.onmessage = (event: MessageEvent<GatewayRequest | GatewayAbort>) => {
      const message = event.data;
      if (message?.type === 'abort') inFlight.get(message.id)?.abort();
      if (message?.type !== 'http-request') return;
      const abort = new AbortController();
      inFlight.set(message.id, abort);
      void this.serve(message, port, abort.signal).finally(() => inFlight.delete(message.id));
    };
  }

  /** Answers one request on `port`; never throws. */
  private async serve(request: GatewayRequest, port: MessagePort, signal: AbortSignal): Promise<void> {
    const { id } = request;
    try {
      const response = await this.send(request, signal);
      this.answered(request.method);
      await postResponse(port, id, response);
    } catch (error) {
      const { name: code, message } = this.failure(error);
      port.postMessage({ id, type: 'http-error', code, message } satisfies GatewayReply);
    }
  }

  /** Answers one request with its body whole, for a caller with no reply port; rejects with a GatewayError. */
  async request(request: DirectRequest): Promise<DirectResponse> {
    try {
      const response = await this.send(request);
      this.answered(request.method);
      const bytes = await response.body.bytes();
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const body = (whole ? bytes.buffer : new Uint8Array(bytes).buffer) as ArrayBuffer;
      return { status: response.status, statusText: response.reason, headers: response.headers, body };
    } catch (error) {
      throw this.failure(error);
    }
  }

  private answered(method: string): void {
    this.onAnswered();
    if (!READ_ONLY_METHODS.has(method.toUpperCase())) this.onWritten();
  }

  private failure(error: unknown): GatewayError {
    const code = netErrorCode(error);
    return new GatewayError(
      code ? NET_TO_GATEWAY[code] : 'internal',
      `${this.appliance().name}: ${(error as Error).message}`,
    );
  }

  private async send(request: DirectRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const { name, network } = this.appliance();
    const ip = network?.guest?.ip;
    if (!network || ip === undefined) {
      throw new NetError('closed', 'it is not running or has no network address yet');
    }
    if (this.client?.network !== network) {
      this.client?.http.close();
      this.client = { network, http: new HttpClient(network) };
    }
    // The HTTP client drops hop-by-hop headers and frames the body itself; Host names the appliance.
    const headers = request.headers.filter(([name]) => name.toLowerCase() !== 'host');
    return this.client.http.request({
      ip,
      port: request.port,
      method: request.method,
      path: request.target,
      headers: [['Host', `${name}.tabcloud`], ...headers],
      ...(request.body && { body: new Uint8Array(request.body) }),
      ...(signal && { signal }),
    });
  }
}

/**
 * Posts the head with the body whole if it has all arrived (a small response: streaming would cost the service
 * worker round trips), else with a port that streams it, several chunks in flight.
 */
async function postResponse(reply: MessagePort, id: number, response: HttpResponse): Promise<void> {
  const head = {
    id,
    type: 'http-response',
    status: response.status,
    statusText: response.reason,
    headers: response.headers,
  } as const;
  if (response.body.complete()) {
    const bytes = await response.body.bytes();
    const body = bytes.buffer as ArrayBuffer;
    reply.postMessage({ ...head, body } satisfies GatewayReply, [body]);
    return;
  }
  const { port1, port2 } = new MessageChannel();
  reply.postMessage({ ...head, body: port2 } satisfies GatewayReply, [port2]);
  const chunks = new ReadAhead(response.body[Symbol.asyncIterator]());
  await sendBody(port1, { next: async () => chunks.next().then(iteratorResult) }, () => void response.body.cancel());
}

function iteratorResult(value: Uint8Array | undefined): IteratorResult<Uint8Array> {
  return value ? { value, done: false } : { value: undefined, done: true };
}

/**
 * Reads a body ahead of its consumer, up to STREAM_CHUNK_BYTES, and hands over everything read so far as one chunk:
 * while the other thread takes a chunk, the next one gathers.
 */
class ReadAhead {
  private pieces: Uint8Array[] = [];
  private size = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  /** The consumer waiting for data, and the reader waiting for room. */
  private dataArrived: (() => void) | undefined;
  private roomMade: (() => void) | undefined;

  constructor(iterator: AsyncIterator<Uint8Array>) {
    void this.run(iterator);
  }

  /** Everything read since the last call (waiting for something), or undefined at the end. */
  async next(): Promise<Uint8Array | undefined> {
    while (this.size === 0 && !this.ended) await new Promise<void>((resolve) => (this.dataArrived = resolve));
    if (this.size === 0) {
      if (this.failure) throw this.failure.error;
      return undefined;
    }
    const chunk = this.pieces.length === 1 ? this.pieces[0]! : concatBytes(this.pieces);
    this.pieces = [];
    this.size = 0;
    this.roomMade?.();
    return chunk;
  }

  private async run(iterator: AsyncIterator<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        while (this.size >= STREAM_CHUNK_BYTES) await new Promise<void>((resolve) => (this.roomMade = resolve));
        const { value, done } = await iterator.next();
        if (done) break;
        this.pieces.push(value);
        this.size += value.length;
        this.dataArrived?.();
      }
    } catch (error) {
      this.failure = { error };
    }
    this.ended = true;
    this.dataArrived?.();
  }
}
