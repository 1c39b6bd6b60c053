const NET_ERROR_CODES = [
  'refused',
  'reset',
  'timeout',
  'aborted',
  'closed',
  'malformed-response',
  'invalid-request',
] as const;

export type NetErrorCode = (typeof NET_ERROR_CODES)[number];

/**
 * A network failure whose code survives the worker boundary: comlink carries only name,
 * message and stack, so the code is the name (as in worker/errors.ts).
 */
export class NetError extends Error {
  declare readonly name: NetErrorCode;

  constructor(code: NetErrorCode, message: string) {
    super(message);
    this.name = code;
  }
}

/** The code of a network error, or undefined for any other error. */
export function netErrorCode(error: unknown): NetErrorCode | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return NET_ERROR_CODES.find((code) => code === name);
}
