// What the command line answers when something fails: one line on stderr with the API's code
// and message, and an exit code a script can act on.
import { HeraldError } from '@herald/client';

/** The exit codes (fixed): scripts branch on them. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  unauthenticated: 3,
  forbidden: 4,
  rateLimited: 5,
} as const;

/** A failure the command line itself reports (a missing sign-in, a bad argument). */
export class CliError extends Error {
  readonly exitCode: number;
  readonly code: string;

  constructor(code: string, message: string, exitCode: number) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string) => new CliError('USAGE', message, EXIT.usage);

export const notSignedIn = (message = 'Not signed in: run `herald login`, or set HERALD_TOKEN.') =>
  new CliError('UNAUTHENTICATED', message, EXIT.unauthenticated);

/** The exit code of one of Herald's error codes. */
export function exitCodeOf(code: string): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return EXIT.unauthenticated;
    case 'FORBIDDEN':
      return EXIT.forbidden;
    case 'RATE_LIMITED':
      return EXIT.rateLimited;
    case 'USAGE':
      return EXIT.usage;
    default:
      return EXIT.error;
  }
}

export interface Failure {
  code: string;
  message: string;
  reason: string | null;
  field: string | null;
  retryAfter: number | null;
  exitCode: number;
}

/** Any error, as the command line reports it. */
export function failureOf(error: unknown): Failure {
  if (error instanceof HeraldError) {
    return {
      code: error.code,
      message: error.message,
      reason: error.reason,
      field: error.field,
      retryAfter: error.retryAfter,
      exitCode: exitCodeOf(error.code),
    };
  }
  if (error instanceof CliError) {
    return {
      code: error.code,
      message: error.message,
      reason: null,
      field: null,
      retryAfter: null,
      exitCode: error.exitCode,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERROR', message, reason: null, field: null, retryAfter: null, exitCode: EXIT.error };
}

/** `FORBIDDEN (MISSING_SCOPE): …`, with the field or the wait when Herald named one. */
export function failureLine(failure: Failure): string {
  const reason = failure.reason ? ` (${failure.reason})` : '';
  const field = failure.field ? ` [field: ${failure.field}]` : '';
  const wait = failure.retryAfter !== null ? ` Retry after ${failure.retryAfter} s.` : '';
  return `${failure.code}${reason}: ${failure.message}${field}${wait}`;
}
