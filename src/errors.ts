import { GraphQLError } from 'graphql';
import type { MessageKey, MessageParams } from './i18n/messages.ts';
import { translate } from './i18n/messages.ts';

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

export const unauthenticated = (key: MessageKey = 'unauthenticated') => new AppError('UNAUTHENTICATED', key);
export const forbidden = () => new AppError('FORBIDDEN', 'forbidden');
export const notFound = (entity: string, field?: string) =>
  new AppError('NOT_FOUND', 'notFound', { params: { entity }, extensions: field ? { field } : undefined });
export const conflict = (key: MessageKey, params?: MessageParams, field?: string) =>
  new AppError('CONFLICT', key, { params, extensions: field ? { field } : undefined });

/** BAD_USER_INPUT naming the offending field (its path inside `input`, e.g. `email`). */
export const badInput = (field: string, key: MessageKey = 'invalidValue', params: MessageParams = {}) =>
  new AppError('BAD_USER_INPUT', key, { params: { field, ...params }, extensions: { field } });

export const rateLimited = (retryAfterSeconds: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError('RATE_LIMITED', 'rateLimited', { params: { seconds }, extensions: { retryAfter: seconds } });
};
