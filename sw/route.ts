// Which requests belong to the /vm/ gateway, and where they go.

/** A request for an appliance's service: /vm/<name>[:<port>]/<path>. */
export interface VmRoute {
  name: string;
  port: number;
  /** Path and query as the guest sees them, always starting with "/". */
  target: string;
}

const VM_PATH = /^\/vm\/([a-z0-9][a-z0-9-]{0,62})(?::(\d{1,5}))?(\/.*)?$/;
const DEFAULT_PORT = 80;

/** Routes a same-origin URL to a guest service, or undefined if it is not the gateway's. */
export function matchVmRoute(url: URL, base = '/'): VmRoute | undefined {
  if (!url.pathname.startsWith(base)) return undefined;
  const match = VM_PATH.exec(url.pathname.slice(base.length - 1));
  if (!match) return undefined;
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { name: match[1]!, port, target: (match[3] ?? '/') + url.search };
}
