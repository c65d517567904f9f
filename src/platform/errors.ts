import { GraphQLError } from 'graphql';
import type { MessageKey, MessageParams } from '../i18n/messages.ts';
import { translate } from '../i18n/messages.ts';
import { type LimitName, type LimitPolicy, rateLimitHeaders } from './rate-limit-headers.ts';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/**
 * An error meant for the client. The message is English here and translated into the
 * request's language when the response is written (see http/present-errors.ts).
 */
export class AppError extends GraphQLError {
  readonly messageKey: MessageKey;
  readonly params: MessageParams;

  constructor(
    code: ErrorCode,
    messageKey: MessageKey,
    options: { params?: MessageParams; extensions?: Record<string, unknown> } = {},
  ) {
    const params = options.params ?? {};
    super(translate('en', messageKey, params), { extensions: { code, ...options.extensions } });
    this.messageKey = messageKey;
    this.params = params;
  }
}

/**
 * What a client should do about an UNAUTHENTICATED answer (`extensions.reason`, and the close
 * reason of a socket closed for it): fetch a new token for the first two, sign in again (or
 * fix the credential) for the others.
 */
export type UnauthenticatedReason = 'TOKEN_EXPIRED' | 'SESSION_ENDED' | 'PRODUCT_MISMATCH' | 'INVALID_CREDENTIAL';

const REASONS: Partial<Record<MessageKey, UnauthenticatedReason>> = {
  expiredAccessToken: 'TOKEN_EXPIRED',
  expiredApiToken: 'TOKEN_EXPIRED',
  sessionEnded: 'SESSION_ENDED',
  oauthClientRevoked: 'SESSION_ENDED',
};

export const unauthenticated = (key: MessageKey = 'unauthenticated', reason?: UnauthenticatedReason) =>
  new AppError('UNAUTHENTICATED', key, { extensions: { reason: reason ?? REASONS[key] ?? 'INVALID_CREDENTIAL' } });

/** The reason an UNAUTHENTICATED error carries (INVALID_CREDENTIAL for any other error). */
export const reasonOf = (error: unknown): UnauthenticatedReason =>
  (error instanceof GraphQLError && (error.extensions.reason as UnauthenticatedReason | undefined)) ||
  'INVALID_CREDENTIAL';
export const forbidden = () => new AppError('FORBIDDEN', 'forbidden');
export const notFound = (entity: string, field?: string) =>
  new AppError('NOT_FOUND', 'notFound', { params: { entity }, extensions: field ? { field } : undefined });
export const conflict = (key: MessageKey, params?: MessageParams, field?: string) =>
  new AppError('CONFLICT', key, { params, extensions: field ? { field } : undefined });

/** BAD_USER_INPUT naming the offending field (its path inside `input`, e.g. `email`). */
export const badInput = (field: string, key: MessageKey = 'invalidValue', params: MessageParams = {}) =>
  new AppError('BAD_USER_INPUT', key, { params: { field, ...params }, extensions: { field } });

/**
 * RATE_LIMITED: `retryAfter` in seconds, `limit` naming the limit that refused, and over HTTP a
 * 429 with Retry-After and the RateLimit header fields of the limits that apply.
 */
export const rateLimited = (
  retryAfterSeconds: number,
  limit?: LimitName,
  policies: readonly LimitPolicy[] = [],
  key: MessageKey = 'rateLimited',
) => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError('RATE_LIMITED', key, {
    params: { seconds, ...(limit ? { limit } : {}) },
    extensions: {
      retryAfter: seconds,
      ...(limit ? { limit } : {}),
      http: { status: 429, headers: { 'Retry-After': String(seconds), ...rateLimitHeaders(policies) } },
    },
  });
};

/** The HTTP header fields an error asks for (Retry-After and RateLimit fields of a refusal), for plain endpoints. */
export const httpHeadersOf = (error: GraphQLError): Record<string, string> =>
  (error.extensions.http as { headers?: Record<string, string> } | undefined)?.headers ?? {};
