/** Why a gateway call failed; each maps to one HTTP status in the service worker. */
export type GatewayErrorCode =
  'not-running' | 'owner-gone' | 'port-closed' | 'bad-response' | 'reset' | 'timeout' | 'bad-request' | 'internal';
/** Service worker → appliance worker, on the port the owner tab handed over. */
export interface GatewayRequest {
  type: 'http-request';
  port: number;
  method: string;
  /** Path and query, as the guest sees them. */
  target: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
  /** Where the answer goes; a message `{ type: 'abort' }` on it cancels the call. */
  reply: MessagePort;
}
/** Appliance worker → service worker, on the request's reply port. */
export type GatewayReply =
  | {
      type: 'http-response';
      status: number;
      statusText: string;
      headers: [string, string][];
      /** Streamed where streams can be transferred, whole otherwise. */
      body: ReadableStream<Uint8Array> | ArrayBuffer | null;
    }
  | {
      type: 'http-error';
      code: GatewayErrorCode;
      message: string;
    };
/** Page → service worker. */
export type PageMessage =
  /** This tab runs appliance `name`; `port` reaches its worker. */
  | {
      type: 'own';
      name: string;
      port: MessagePort;
    }
  /** This tab stopped appliance `name`. */
  | {
      type: 'disown';
      name: string;
    };
/** Service worker → page. */
export type ServiceWorkerMessage =
  /** The service worker restarted and lost its ports: send `own` again for every running appliance. */
  {
    type: 'ports-please';
  };
