// The messages of the /vm/ gateway: page → service worker, and service worker → appliance worker.
// Types only, shared by sw/, web/ and worker/.

/** Why a gateway call failed; each maps to one HTTP status in the service worker. */
export type GatewayErrorCode =
  | 'not-running' // no appliance of that name is running: 503
  | 'owner-gone' // the tab that ran it closed: 503
  | 'port-closed' // the guest refused the connection: 502
  | 'bad-response' // the guest's answer was not HTTP: 502
  | 'reset' // the guest reset the connection: 502
  | 'timeout' // the guest did not answer in time: 504
  | 'bad-request' // the request cannot be sent as it is: 400
  | 'internal'; // a bug in the gateway: 500

/**
 * Service worker → appliance worker, on the port the owner tab handed over. Requests and their replies share that
 * one port, told apart by id: a port made per request costs the browser a round trip between its threads.
 */
export interface GatewayRequest {
  type: 'http-request';
  /** Unique among this port's requests in flight; the reply carries it. */
  id: number;
  port: number;
  method: string;
  /** Path and query, as the guest sees them. */
  target: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
}

/** Service worker → appliance worker: the request `id` is no longer wanted. */
export interface GatewayAbort {
  type: 'abort';
  id: number;
}

/** Appliance worker → service worker, on the same port: the answer to request `id`. */
export type GatewayReply = { id: number } & (
  | {
      type: 'http-response';
      status: number;
      statusText: string;
      headers: [string, string][];
      /** Whole when it had all arrived, else a port that streams it (worker/body-port.ts: BodyMessage, BodyControl). */
      body: ArrayBuffer | MessagePort | null;
    }
  | { type: 'http-error'; code: GatewayErrorCode; message: string }
);

/** A streamed body, sender → receiver: chunks (transferred), then the end or why it broke off. */
export type BodyMessage = { type: 'chunk'; bytes: ArrayBuffer } | { type: 'end' } | { type: 'error'; message: string };

/** A streamed body, receiver → sender: room for more chunks, or no more wanted. */
export type BodyControl = { type: 'credit'; chunks: number } | { type: 'cancel' };

/** Page → service worker. */
export type PageMessage =
  /** This tab runs appliance `name`; `port` reaches its worker; `sandbox`: its content is untrusted. */
  | { type: 'own'; name: string; port: MessagePort; sandbox?: boolean }
  /** This tab stopped appliance `name`. */
  | { type: 'disown'; name: string };

/** Service worker → page. */
export type ServiceWorkerMessage =
  /** The service worker restarted and lost its ports: send `own` again for every running appliance. */
  { type: 'ports-please' };
