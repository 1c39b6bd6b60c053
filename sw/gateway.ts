// The service worker's half of the /vm/ gateway: which tab owns which appliance, and how a
// request reaches that appliance's worker and comes back as a Response.
import type { GatewayAbort, GatewayErrorCode, GatewayReply, GatewayRequest } from '../worker/gateway-protocol.ts';
import { bodyInit, refuseBody } from '../worker/body-port.ts';
import { matchVmRoute, type VmRoute } from './route.ts';

export interface GatewayEnv {
  /** The app's base path, e.g. "/". */
  base: string;
  /** Whether the window client with this id is still open. */
  clientExists(id: string): Promise<boolean>;
  /** Asks every open tab to send its ports again (after a service worker restart). */
  askForPorts(): void;
  /** How long a guest may take to answer (default 15 s). */
  timeoutMs?: number;
}

interface Owner {
  port: MessagePort;
  /** The requests waiting for their reply on `port`, by id. */
  pending: Map<number, (reply: GatewayReply | 'owner-gone') => void>;
  /** Checks that the owner tab is open while requests wait for it. */
  watchdog?: ReturnType<typeof setInterval>;
  clientId: string;
  /** Untrusted content: its responses get SANDBOX_CSP, so its pages cannot reach the app's origin. */
  sandbox: boolean;
}

/** A unique origin for the page: scripts and forms run, but storage, cookies and the app are out of reach. */
export const SANDBOX_CSP = 'sandbox allow-scripts allow-forms';

const DEFAULT_TIMEOUT_MS = 15_000;
/** How long to wait for tabs to send their ports again after a restart. */
const PORTS_WAIT_MS = 1500;
/** How often an owner tab is checked while a request waits for it. */
const WATCHDOG_MS = 1000;
/** Response headers that belong to the hop between worker and guest. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-connection']);
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

const STATUS_OF: Record<GatewayErrorCode, number> = {
  'not-running': 503,
  'owner-gone': 503,
  'port-closed': 502,
  'bad-response': 502,
  reset: 502,
  timeout: 504,
  'bad-request': 400,
  internal: 500,
};

/** Routes /vm/<name>[:<port>]/<path> to the worker of the tab that owns appliance <name>. */
export class GatewayRouter {
  private readonly owners = new Map<string, Owner>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private nextId = 1;

  constructor(private readonly env: GatewayEnv) {}

  /** Records that a tab runs appliance `name` and that `port` reaches its worker. */
  own(name: string, port: MessagePort, clientId: string, options = { sandbox: false }): void {
    this.owners.get(name)?.port.close();
    const pending: Owner['pending'] = new Map();
    port.onmessage = (event: MessageEvent<GatewayReply>) => pending.get(event.data?.id)?.(event.data);
    this.owners.set(name, { port, pending, clientId, sandbox: options.sandbox });
    for (const wake of this.waiting.get(name) ?? []) wake();
    this.waiting.delete(name);
  }

  /** Forgets appliance `name` if that tab owns it. */
  disown(name: string, clientId: string): void {
    const owner = this.owners.get(name);
    if (owner?.clientId !== clientId) return;
    owner.port.close();
    this.owners.delete(name);
  }

  /** The response for a gateway request, or undefined if the request is not the gateway's. */
  handle(request: Request): Promise<Response> | undefined {
    const route = matchVmRoute(new URL(request.url), this.env.base);
    return (
      route &&
      this.forward(route, request).catch((error: unknown) =>
        failure(request, route, this.env.base, 'internal', String(error)),
      )
    );
  }

  private async forward(route: VmRoute, request: Request): Promise<Response> {
    const owner = await this.findOwner(route.name);
    if (!owner) {
      return failure(
        request,
        route,
        this.env.base,
        'not-running',
        `No appliance '${route.name}' is running. Open it in Tabcloud to boot it.`,
      );
    }
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    const id = this.nextId++;
    const message: GatewayRequest = {
      type: 'http-request',
      id,
      port: route.port,
      method: request.method,
      target: route.target,
      headers: [...request.headers],
      body,
    };
    owner.port.postMessage(message, body ? [body] : []);
    const reply = await this.awaitReply(id, owner);
    if (reply === 'timeout') {
      owner.port.postMessage({ type: 'abort', id } satisfies GatewayAbort);
      return failure(
        request,
        route,
        this.env.base,
        'timeout',
        `${route.name} did not answer within ${this.timeoutMs / 1000} s.`,
      );
    }
    if (reply === 'owner-gone') return this.ownerGone(request, route, owner);
    if (reply.type === 'http-error') return failure(request, route, this.env.base, reply.code, reply.message);
    const response = toResponse(reply, request, route, this.env.base);
    if (owner.sandbox) response.headers.set('content-security-policy', SANDBOX_CSP);
    return response;
  }

  private get timeoutMs(): number {
    return this.env.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The owner of `name`, asking open tabs for their ports first if the registry has none (a restarted worker). */
  private async findOwner(name: string): Promise<Owner | undefined> {
    if (!this.owners.has(name)) {
      const owned = new Promise<void>((resolve) =>
        this.waiting.set(name, [...(this.waiting.get(name) ?? []), resolve]),
      );
      this.env.askForPorts();
      await Promise.race([owned, sleep(PORTS_WAIT_MS)]);
    }
    return this.owners.get(name);
  }

  /** The first reply on `port`, or why none came: the timeout passed or the owner tab closed. */
  private awaitReply(id: number, owner: Owner): Promise<GatewayReply | 'timeout' | 'owner-gone'> {
    return new Promise((resolve) => {
      const done = (result: GatewayReply | 'timeout' | 'owner-gone'): void => {
        clearTimeout(timer);
        owner.pending.delete(id);
        resolve(result);
      };
      owner.pending.set(id, done);
      const timer = setTimeout(() => done('timeout'), this.timeoutMs);
      this.watch(owner);
    });
  }

  /**
   * While requests wait on `owner`, asks every WATCHDOG_MS whether its tab is still open, and fails them all if not.
   * Once per owner, not per request, and not at once: asking the browser about a client costs the service worker's
   * thread about as much as a whole tiny request.
   */
  private watch(owner: Owner): void {
    if (owner.watchdog !== undefined) return;
    owner.watchdog = setInterval(() => {
      if (owner.pending.size === 0) {
        clearInterval(owner.watchdog);
        owner.watchdog = undefined;
        return;
      }
      void this.env.clientExists(owner.clientId).then((exists) => {
        if (!exists) for (const done of [...owner.pending.values()]) done('owner-gone');
      });
    }, WATCHDOG_MS);
  }

  private ownerGone(request: Request, route: VmRoute, owner: Owner): Response {
    if (this.owners.get(route.name) === owner) this.owners.delete(route.name);
    owner.port.close();
    return failure(
      request,
      route,
      this.env.base,
      'owner-gone',
      `The tab that ran '${route.name}' was closed. Open it again to boot it.`,
    );
  }
}

function toResponse(
  reply: Extract<GatewayReply, { type: 'http-response' }>,
  request: Request,
  route: VmRoute,
  base: string,
): Response {
  const headers = new Headers();
  for (const [name, value] of reply.headers) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, value);
  }
  const noBody = NULL_BODY_STATUS.has(reply.status) || request.method === 'HEAD';
  if (noBody && reply.body instanceof MessagePort) refuseBody(reply.body);
  const body = noBody ? null : bodyInit(reply.body);
  try {
    return new Response(body, { status: reply.status, statusText: reply.statusText, headers });
  } catch (error) {
    return failure(
      request,
      route,
      base,
      'bad-response',
      `${route.name} answered with an invalid response: ${String(error)}`,
    );
  }
}

/** A gateway error: JSON for programs, a small page with a way forward for navigations. */
function failure(request: Request, route: VmRoute, base: string, code: GatewayErrorCode, message: string): Response {
  const status = STATUS_OF[code];
  if (request.mode === 'navigate') {
    const open = `${base}#/a/${encodeURIComponent(route.name)}`;
    const html = `<!doctype html><meta charset="utf-8"><title>${status} · Tabcloud</title>
<body style="font-family:system-ui;max-width:40em;margin:3em auto;line-height:1.5">
<h1>${escapeHtml(route.name)}: ${status}</h1><p>${escapeHtml(message)}</p>
<p><a href="${open}">Open and boot it</a>, then reload this page.</p>`;
    return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  return Response.json({ error: code, message }, { status });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
