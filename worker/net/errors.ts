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
 * An error whose code survives the worker boundary: comlink carries only name, message and stack,
 * so the code is the name. Every error class of the project is one of these.
 */
export class CodedError<C extends string> extends Error {
  declare readonly name: C;

  constructor(code: C, message: string) {
    super(message);
    this.name = code;
  }

  /** The error code, for the UI to branch on and tests to assert. */
  get code(): C {
    return this.name;
  }
}

/** A network failure. */
export class NetError extends CodedError<NetErrorCode> {}

/** The code of a network error, or undefined for any other error. */
export function netErrorCode(error: unknown): NetErrorCode | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return NET_ERROR_CODES.find((code) => code === name);
}
