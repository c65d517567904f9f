import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { type Context, createContext, type NodeServerContext, requestedLocale } from '../graphql/context.ts';
import type { Locale } from '../i18n/messages.ts';
import { isLocale } from '../i18n/messages.ts';
import type { App } from '../platform/app.ts';
import { redactUrl } from '../platform/observability/logger.ts';
import { newRequestId } from '../platform/request-id.ts';
import { schema } from '../schema/index.ts';
import { requestBodyLimit } from './body-limit.ts';
import { corsFor, crossSiteRequests } from './cross-site.ts';
import { explorerOptions, explorerPolicy, renderExplorer } from './explorer.ts';
import { liveStreamRules } from './live-streams.ts';
import { refuseNulCharacters } from './nul-characters.ts';
import { presentError } from './present-errors.ts';
import { productOrigins } from './product-origins.ts';
import { requestLimits } from './request-limits.ts';

/**
 * The request's language: asked for explicitly, else the signed-in user's, else the product's
 * default, else English.
 */
async function localeOf(context: Context): Promise<Locale> {
  if (context.requestedLocale) return context.requestedLocale;
  if (context.principal?.kind === 'user') {
    const user = await context.app.db.user
      .findUnique({ where: { id: context.principal.id }, select: { locale: true } })
      .catch(() => null);
    if (user?.locale && isLocale(user.locale)) return user.locale;
  }
  return isLocale(context.product.defaultLocale) ? context.product.defaultLocale : 'en';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Codes and translates execution errors (see present-errors.ts). */
function presentErrorsPlugin(app: App): Plugin<Context> {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        const result = await executeFn(args);
        if (isAsyncIterable(result)) return result;
        const execution = result as ExecutionResult;
        if (!execution.errors?.length) return execution;
        const context = args.contextValue as Context;
        const locale = await localeOf(context);
        return {
          ...execution,
          errors: execution.errors.map((error) => presentError(error, locale, context.requestId, app.logger)),
        };
      });
    },
    // Errors raised before execution (parsing, validation, query bounds) have no context;
    // they are coded here, in the language the request asked for.
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) return;
      const locale = requestedLocale({ url: request.url, headers: request.headers }) ?? 'en';
      const present = (single: ExecutionResult): ExecutionResult =>
        single.errors?.length
          ? {
              ...single,
              errors: single.errors.map(
                (error: GraphQLError | { message: string; extensions?: Record<string, unknown> }) =>
                  presentError(
                    error instanceof GraphQLError
                      ? error
                      : new GraphQLError(error.message, { extensions: error.extensions }),
                    locale,
                    '',
                    app.logger,
                  ),
              ),
            }
          : single;
      setResult(Array.isArray(result) ? result.map(present) : present(result as ExecutionResult));
    },
  };
}

/** Yoga's own log lines, joined into one message with any token in a URL cut out. */
const redacted = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? redactUrl(a) : String(a))).join(' ');

export const GRAPHQL_PATH = '/graphql';

export function createGraphQLHandler(app: App) {
  const { config } = app;
  return createYoga<NodeServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: explorerOptions,
    renderGraphiQL: renderExplorer,
    batching: { limit: config.MAX_BATCH_SIZE },
    // Bounded by requestBodyLimit below, at a fraction of the cost.
    maxRequestBodySize: false,
    maskedErrors: true,
    cors: corsFor(productOrigins(app)),
    logging: {
      debug: (...args) => app.logger.debug(redacted(args)),
      info: (...args) => app.logger.info(redacted(args)),
      warn: (...args) => app.logger.warn(redacted(args)),
      error: (...args) => app.logger.error(redacted(args)),
    },
    plugins: [
      ...(app.tracing ? [app.tracing.plugin] : []),
      crossSiteRequests(),
      explorerPolicy(),
      requestBodyLimit(config.MAX_REQUEST_BODY_BYTES),
      maxTokensPlugin({ n: config.MAX_QUERY_TOKENS }),
      maxDepthPlugin({ n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true, flattenFragments: true }),
      maxAliasesPlugin({ n: config.MAX_ALIASES }),
      costLimitPlugin({ maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true }),
      // Before the presenter: it wraps execution around this check, and so translates its error.
      refuseNulCharacters(),
      // Before the presenter too, for the same reason; after the bounds, so that a query
      // refused for its shape costs the organization nothing.
      requestLimits(app),
      presentErrorsPlugin(app),
      liveStreamRules(app, { maxStreamsPerPrincipal: config.MAX_SUBSCRIPTIONS }),
      ...app.metrics.plugins,
    ],
    context: async ({ request, req }) => {
      try {
        return await createContext(app, {
          url: request.url,
          headers: request.headers,
          remoteAddress: req?.socket.remoteAddress,
        });
      } catch (error) {
        // Authentication reads the database (revoked sessions, API tokens): an outage there
        // is UNAVAILABLE like anywhere else, not an anonymous server error.
        const coded =
          error instanceof GraphQLError ? error : new GraphQLError('context', { originalError: error as Error });
        const locale = requestedLocale({ url: request.url, headers: request.headers }) ?? 'en';
        throw presentError(coded, locale, newRequestId(), app.logger);
      }
    },
  });
}
