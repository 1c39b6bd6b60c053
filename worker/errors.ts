const ERROR_CODES = [
  'image-not-found',
  'already-booted',
  'not-running',
  'boot-timeout',
  'guest-crashed',
  'emulator-failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error whose code survives the worker boundary: comlink carries only name,
 * message and stack, so the code is the name.
 */
export class TabcloudError extends Error {
  declare readonly name: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = code;
  }
}

/** The code of an error thrown by the host, or undefined for any other error. */
export function errorCode(error: unknown): ErrorCode | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return ERROR_CODES.find((code) => code === name);
}
