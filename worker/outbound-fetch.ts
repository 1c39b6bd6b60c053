// The one adapter between the web proxy (worker/net/proxy.ts) and the platform's fetch(): the page's, or Node's.
import type { OutboundFetch, OutboundResponse } from './net/proxy.ts';

/** Where the fetch runs: the page's worker (CORS applies, redirects are followed) or Node (redirects passed on). */
export type FetchPlace = 'page' | 'node';

/**
 * The proxy's fetch on top of `fetchImpl`: no cookies or credentials of the page go out with an appliance's call; a
 * failure rejects with an Error whose message is the reason, worded for the guest's 502.
 */
export function outboundFetch(place: FetchPlace, fetchImpl: typeof fetch = (...args) => fetch(...args)): OutboundFetch {
  return (request) => {
    const controller = new AbortController();
    const response = (async (): Promise<OutboundResponse> => {
      let answer: Response;
      try {
        answer = await fetchImpl(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body && { body: request.body as Uint8Array<ArrayBuffer> }),
          credentials: 'omit',
          cache: 'no-store',
          // In a page, a manual redirect is an opaque response with no status or Location: follow it there.
          redirect: place === 'node' ? 'manual' : 'follow',
          signal: controller.signal,
        });
      } catch (error) {
        throw new Error(fetchFailure(place, error), { cause: error });
      }
      return {
        ...(answer.redirected && { url: answer.url }),
        status: answer.status,
        statusText: answer.statusText,
        headers: [...answer.headers],
        body: answer.body && chunks(answer.body),
      };
    })();
    return { response, abort: () => controller.abort() };
  };
}

/** Why a fetch failed, in words: the browser tells only that it refused; Node's cause names the network error. */
export function fetchFailure(place: FetchPlace, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (place === 'page') return `the browser refused (CORS or network): ${message}`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return `cannot resolve the name (${cause.message})`;
  if (cause?.code === 'ECONNREFUSED') return `the connection was refused (${cause.message})`;
  return cause?.message ? `${message}: ${cause.message}` : message;
}

/** A response body's chunks; leaving the loop early cancels the stream. */
async function* chunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    void reader.cancel().catch(() => {});
  }
}
