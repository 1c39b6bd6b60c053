// Addresses of the source viewer: #/src/<appliance>/<path>[:L<first>[-L<last>]], e.g. #/src/kv/net/tcp_in.c:L120.

/** Which appliance shows a shared directory's files when a link names none: net/ is linked by kv, kernel/ by all. */
const SHOWN_BY: Record<string, string> = { net: 'kv', kernel: 'hello' };

/** What a source route names: an appliance, and maybe one of its files and a range of lines (1-based). */
export interface SourceRoute {
  appliance: string;
  path?: string;
  lines?: { first: number; last: number };
}

const ROUTE = /^#\/src\/([^/?:]+)(?:\/([^?:]+))?(?::L(\d+)(?:-L?(\d+))?)?$/;

/**
 * The page link to `path` (relative to images/, e.g. 'net/tcp_in.c') at `line`, in the sources of
 * `appliance` (default: the one the path's directory belongs to, or kv for net/ and hello for kernel/).
 */
export function sourceLink(path: string, line?: number, appliance?: string): string {
  const dir = path.split('/')[0]!;
  const owner = appliance ?? SHOWN_BY[dir] ?? dir;
  const file = path.split('/').map(encodeURIComponent).join('/');
  return `#/src/${encodeURIComponent(owner)}/${file}${line === undefined ? '' : `:L${line}`}`;
}

/** Whether the hash is the source viewer's. */
export function isSourceRoute(hash: string): boolean {
  return hash === '#/src' || hash.startsWith('#/src/');
}

/** Parses a source route; undefined if `hash` is not one or is malformed. */
export function parseSourceRoute(hash: string): SourceRoute | undefined {
  const match = ROUTE.exec(hash);
  if (!match) return undefined;
  const [, appliance, path, first, last] = match;
  const route: SourceRoute = { appliance: decodeURIComponent(appliance!) };
  if (path) route.path = path.split('/').map(decodeURIComponent).join('/');
  if (first) {
    const a = Number(first);
    const b = last ? Number(last) : a;
    route.lines = { first: Math.min(a, b), last: Math.max(a, b) };
  }
  return route;
}
