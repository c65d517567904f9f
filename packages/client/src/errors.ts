import { type MessageKey, message } from './messages.ts';

/** An error as Herald sends it in a GraphQL answer. */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * Herald's codes (`extensions.code`), and NETWORK for an answer that never came. UNAUTHENTICATED
 * means "sign in again" once the client has tried a refresh; FORBIDDEN means "you may not".
 */
export type HeraldErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'NETWORK'
  | (string & {});

export interface HeraldErrorInit {
  code: HeraldErrorCode;
  message: string;
  reason?: string | null;
  field?: string | null;
  retryAfter?: number | null;
  errors?: readonly GraphQLErrorShape[];
  cause?: unknown;
}

/** Every failure the client reports, whether Herald answered it or the network lost it. */
export class HeraldError extends Error {
  override name = 'HeraldError';
  readonly code: HeraldErrorCode;
  /** What to do about it: `TOKEN_EXPIRED`, `SESSION_ENDED`, `MISSING_SCOPE`… (`extensions.reason`). */
  readonly reason: string | null;
  /** The input field at fault, for BAD_USER_INPUT (and some NOT_FOUND and CONFLICT). */
  readonly field: string | null;
  /** Seconds to wait before trying again, for RATE_LIMITED. */
  readonly retryAfter: number | null;
  /** Every error of Herald's answer, the first of which this one describes. */
  readonly errors: readonly GraphQLErrorShape[];

  constructor(init: HeraldErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.reason = init.reason ?? null;
    this.field = init.field ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.errors = init.errors ?? [];
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const seconds = (value: unknown) => {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
};

export function fromGraphQLErrors(errors: readonly GraphQLErrorShape[], retryAfterHeader?: string | null) {
  const [first] = errors as [GraphQLErrorShape];
  const extensions = first.extensions ?? {};
  return new HeraldError({
    code: text(extensions.code) ?? 'INTERNAL',
    message: first.message,
    reason: text(extensions.reason),
    field: text(extensions.field),
    retryAfter: seconds(extensions.retryAfter) ?? seconds(retryAfterHeader),
    errors,
  });
}

export const clientError = (
  locale: string | undefined,
  code: HeraldErrorCode,
  key: MessageKey,
  extra: Omit<HeraldErrorInit, 'code' | 'message'> & { params?: Record<string, string | number> } = {},
) => new HeraldError({ ...extra, code, message: message(locale, key, extra.params) });

export const networkError = (locale: string | undefined, cause?: unknown) =>
  clientError(locale, 'NETWORK', 'network', { cause });

/** A session that cannot continue: Herald said so, or the person signed out (here or in another tab). */
export const endedError = (locale: string | undefined, reason: string) =>
  clientError(
    locale,
    'UNAUTHENTICATED',
    reason === 'SIGNED_OUT' ? 'signedOut' : reason === 'INVALID_CREDENTIAL' ? 'invalidCredential' : 'sessionEnded',
    { reason },
  );

/**
 * A refresh that Herald refused for good: the person must sign in again. Anything else (the
 * network, an outage, a rate limit) is worth another try later.
 */
export const endsSession = (error: unknown): error is HeraldError =>
  error instanceof HeraldError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN');

/** What a closed socket means, from its close code and reason (Herald puts the reason word there). */
export function fromClose(locale: string | undefined, code: number, reason: string): HeraldError {
  if (code === 4403) {
    const key: MessageKey =
      reason === 'TOKEN_EXPIRED' ? 'tokenExpired' : reason === 'SESSION_ENDED' ? 'sessionEnded' : 'invalidCredential';
    return clientError(locale, 'UNAUTHENTICATED', key, { reason: reason || 'INVALID_CREDENTIAL' });
  }
  if (code === 4429) {
    let retryAfter: number | null = null;
    try {
      retryAfter = seconds((JSON.parse(reason) as { retryAfter?: unknown }).retryAfter);
    } catch {}
    retryAfter ??= 5;
    return clientError(locale, 'RATE_LIMITED', 'rateLimited', { retryAfter, params: { seconds: retryAfter } });
  }
  if (code === 4500) return new HeraldError({ code: 'INTERNAL', message: reason || 'Internal server error' });
  if (code >= 4400 && code < 4500 && code !== 4408 && code !== 4499) {
    return new HeraldError({ code: 'BAD_USER_INPUT', message: reason || `closed with ${code}` });
  }
  // 1001 (a server going away), 1006 (the network), 1012/1013, 4408 and 4499: try again.
  return networkError(locale);
}
