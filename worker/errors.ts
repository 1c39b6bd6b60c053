import { CodedError } from './net/errors.ts';

const ERROR_CODES = [
  'image-not-found',
  'already-booted',
  'not-running',
  'boot-timeout',
  'guest-crashed',
  'emulator-failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error of the appliance host (boot, console, emulator). */
export class TabcloudError extends CodedError<ErrorCode> {}

/** The code of an error thrown by the host, or undefined for any other error. */
export function errorCode(error: unknown): ErrorCode | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return ERROR_CODES.find((code) => code === name);
}
