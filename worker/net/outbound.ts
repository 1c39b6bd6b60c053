// Which hosts on the web an appliance may call through the host's proxy (worker/net/proxy.ts).
import { CodedError } from './errors.ts';

/** What may go out of one appliance, as its host decided it. */
export interface OutboundPolicy {
  /**
   * Hosts the appliance may call: `example.com` (any port), `example.com:8080` (that port only), `*.example.com`
   * (its subdomains, not itself), `127.0.0.1`, `[::1]:8080`, or `*` for any host. Empty: none.
   */
  allow: string[];
  /** Set when every call is refused whatever `allow` says: why, and what to do (e.g. the appliance is untrusted). */
  blocked?: string;
  /** How the user adds a host, completing "To allow it, …" in a refusal, e.g. "run tabcloud with --allow-net=<host>". */
  howToAllow: string;
}

/** A policy that refuses everything. */
export function noOutbound(howToAllow: string): OutboundPolicy {
  return { allow: [], howToAllow };
}

export class OutboundError extends CodedError<'bad-allow-list'> {}

/** Hosts: a DNS name (letters, digits, hyphens, dots), an IPv4 address, or an IPv6 address in brackets. */
const HOST = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;
const PORT = /^\d{1,5}$/;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** Splits `host[:port]` at the port's colon (not inside an IPv6 address's brackets). */
function splitEntry(entry: string): { host: string; port: string | undefined } {
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || colon < entry.lastIndexOf(']')) return { host: entry, port: undefined };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

/** Parses an allow-list as a user types it (entries split by commas, spaces or lines); throws 'bad-allow-list'. */
export function parseAllowList(text: string): string[] {
  const entries = text
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === '*') continue;
    const { host, port } = splitEntry(entry);
    const portOk = port === undefined || (PORT.test(port) && Number(port) >= 1 && Number(port) <= 65535);
    if (!HOST.test(host) || !portOk) {
      throw new OutboundError(
        'bad-allow-list',
        `'${entry}' is not a host to allow: write a host name (api.example.com), a wildcard (*.example.com), ` +
          'an address (127.0.0.1), any of them with :port, or * for any host.',
      );
    }
  }
  return [...new Set(entries)];
}

/** Whether `entry` admits hostname:port (the hostname lower-case, IPv6 in brackets). */
function admits(entry: string, hostname: string, port: string): boolean {
  if (entry === '*') return true;
  const allowed = splitEntry(entry);
  if (allowed.port !== undefined && allowed.port !== port) return false;
  if (allowed.host.startsWith('*.')) return hostname.endsWith(allowed.host.slice(1));
  return allowed.host === hostname;
}

/** Where a call goes: scheme ('http' or 'https'), host name, and port ('' for the scheme's default). */
export interface Destination {
  scheme: string;
  hostname: string;
  port: string;
}

/** Whether the list admits the destination's host and port. */
export function allowedBy(allow: readonly string[], url: Destination): boolean {
  const port = url.port || DEFAULT_PORTS[url.scheme] || '';
  return allow.some((entry) => admits(entry, url.hostname, port));
}

/** Undefined if the policy lets the appliance call `url`; else the refusal, saying what to do. */
export function refusal(policy: OutboundPolicy, url: Destination): string | undefined {
  if (policy.blocked) return `Calls out to the web are off for this appliance: ${policy.blocked}`;
  if (allowedBy(policy.allow, url)) return undefined;
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const list = policy.allow.length > 0 ? `its allow-list (${policy.allow.join(', ')})` : 'its allow-list (empty)';
  return `${host} is not on ${list}. To allow it, ${policy.howToAllow.replaceAll('<host>', url.hostname)}.`;
}
