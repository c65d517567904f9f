// Turns every error a client sees into one with `extensions.code` and a message in the
// request's language. Errors we did not mean to show become INTERNAL with a request id;
// their details go to the log only.
import { GraphQLError } from 'graphql';
import { type Locale, type MessageKey, type MessageParams, translate } from '../i18n/messages.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { inputProblemOf, scalarProblemOf } from './input-problems.ts';

function appErrorOf(error: GraphQLError): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error.originalError instanceof AppError) return error.originalError;
  return undefined;
}

/** What graphql-js says about bad literals in the document, read back into a field name. */
const literalProblems: { pattern: RegExp; key: MessageKey }[] = [
  { pattern: /Field "(?:\w+\.)?(\w+)" of required type "[^"]+" was not provided\./, key: 'required' },
  { pattern: /Field "(?:\w+\.)?(\w+)" is not defined by type "\w+"/, key: 'invalidValue' },
];

const armorPatterns = /(depth limit|Aliases limit|Query Cost limit|Token limit)/i;

// Prisma's codes for an unreachable, timed-out or closed database, and pool exhaustion.
const unavailableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  const text = String((error as { message?: string })?.message ?? error);
  return /ECONNREFUSED|Can't reach database|Connection terminated|connection is closed|ETIMEDOUT|timeout exceeded when trying to connect/i.test(
    text,
  );
}

function localized(error: GraphQLError, message: string, extensions: Record<string, unknown>) {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}

export function presentError(error: GraphQLError, locale: Locale, requestId: string, logger: Logger): GraphQLError {
  const app = appErrorOf(error);
  if (app) return localized(error, translate(locale, app.messageKey, app.params), { ...app.extensions });

  const variable = inputProblemOf(error);
  if (variable) {
    return localized(error, translate(locale, variable.key, variable.params), {
      code: 'BAD_USER_INPUT',
      field: variable.field,
    });
  }
  const scalar = scalarProblemOf(error);
  if (scalar) return localized(error, translate(locale, scalar.messageKey), { code: 'BAD_USER_INPUT' });

  const original = error.originalError;
  if (!original || original instanceof GraphQLError) {
    if (
      error.extensions?.code &&
      error.extensions.code !== 'GRAPHQL_VALIDATION_FAILED' &&
      error.extensions.code !== 'BAD_USER_INPUT'
    ) {
      return error;
    }
    for (const { pattern, key } of literalProblems) {
      const match = pattern.exec(error.message);
      if (match?.[1]) {
        const field = match[1];
        const params: MessageParams = { field };
        return localized(error, translate(locale, key, params), { code: 'BAD_USER_INPUT', field });
      }
    }
    if (armorPatterns.test(error.message)) {
      return localized(error, translate(locale, 'queryRejected', { reason: error.message }), {
        code: 'BAD_USER_INPUT',
        reason: 'QUERY_TOO_COMPLEX',
      });
    }
    return error;
  }

  if (isUnavailable(original)) {
    logger.error({ err: original, requestId }, 'dependency unavailable');
    return localized(error, translate(locale, 'unavailable'), { code: 'UNAVAILABLE', http: { status: 503 } });
  }
  logger.error({ err: original, requestId, path: error.path }, 'unexpected error');
  return localized(error, translate(locale, 'internal', { requestId }), { code: 'INTERNAL', requestId });
}
