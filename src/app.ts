import type { Redis } from 'ioredis';
import { loadSigningKeys } from './auth/keys.ts';
import { createSessionRevocations } from './auth/session-revocations.ts';
import { createVerifiedTokens } from './auth/verified-tokens.ts';
import { createForwardAuthJwts } from './machine/forward-auth-jwts.ts';
import { createOAuthClientRevocations } from './machine/oauth-client-revocations.ts';
import { createApiTokenVerifier } from './machine/token-verifier.ts';
import { createMailer } from './mail/outbox.ts';
import type { App } from './platform/app.ts';
import type { Config } from './platform/config.ts';
import { openDatabase } from './platform/database/db.ts';
import { createOrganizationLookup, createUserLookup } from './platform/database/lookups-by-id.ts';
import { applyMigrations, hasPendingMigrations } from './platform/database/migrations.ts';
import { memoryCounters, sharedCounters } from './platform/limit-counters.ts';
import { createMetrics } from './platform/observability/create-metrics.ts';
import { createLogger, type Logger } from './platform/observability/logger.ts';
import type { Tracing } from './platform/observability/tracing.ts';
import { createEventBus, type EventBus } from './platform/pubsub.ts';
import { createRateLimits } from './platform/ratelimit.ts';
import { sharedEpoch } from './platform/shared-epoch.ts';
import { databaseUnreachable, isUnreachableDatabase, redisUnreachable } from './platform/start-problems.ts';
import { createProductCatalog } from './products/catalog.ts';
import { withOperator } from './products/operators.ts';
import { prepareDefaultProduct } from './products/setup.ts';
import { createOrganizationStandings } from './products/standing.ts';
import { deliverSlackAlerts } from './security/alerts.ts';
import { createCredentialUseTracker } from './security/credential-use.ts';

export type { App };

export interface AppOptions {
  logger?: Logger;
  /** Prefix of shared Redis keys, so that separate deployments (or test runs) never mix. */
  namespace?: string;
  tracing?: Tracing;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  const namespace = options.namespace ?? 'herald';
  const metrics = await createMetrics({ enabled: config.METRICS });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  metrics.sources.pool = database.poolStats;
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => database.close()];
  try {
    const applied = (await hasPendingMigrations(database.db))
      ? await applyMigrations(database.adapterFactory).catch((error) => {
          throw config.DATABASE_URL && isUnreachableDatabase(error) ? databaseUnreachable(config) : error;
        })
      : [];
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
    await prepareDefaultProduct(database.db, config, logger);

    const keys = await loadSigningKeys({
      privateKey: config.JWT_PRIVATE_KEY,
      retiredPublicKeys: config.JWT_RETIRED_PUBLIC_KEYS,
      dataDir: config.DATA_DIR,
    });

    let redis: Redis | undefined;
    /** The connection whose commands of one turn of the event loop leave in one write. */
    let pipelined: Redis | undefined;
    let pubsub: EventBus;
    if (config.REDIS_URL) {
      // Loaded only for Redis: the embedded setup never needs the client.
      const { Redis } = await import('ioredis');
      const connect = (options: { enableAutoPipelining?: boolean } = {}) => {
        const client = new Redis(config.REDIS_URL as string, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: true,
          ...options,
        });
        // ioredis reports every failed reconnection attempt; one line per outage is enough, and
        // none before the first connection (the start then fails with its own message).
        let state: 'new' | 'up' | 'down' = 'new';
        client.on('error', (error) => {
          if (state === 'up') logger.warn({ err: error }, 'Redis unreachable; reconnecting');
          if (state === 'up') state = 'down';
        });
        client.on('ready', () => {
          if (state === 'down') logger.info('Redis reachable again');
          state = 'up';
        });
        return client;
      };
      redis = connect();
      // Publishes made in one turn of the event loop (a notification's two events, and those of
      // the requests answered in the same turn) leave in one write.
      const clients = [redis, connect({ enableAutoPipelining: true }), connect()] as const;
      const [, publish, subscribe] = clients;
      pipelined = publish;
      // quit() waits for a connection that may never come; a client not connected is dropped.
      cleanups.push(() => Promise.all(clients.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect()))));
      await redis.ping().catch(() => {
        throw redisUnreachable(config);
      });
      pubsub = createEventBus({
        publish,
        subscribe,
        namespace,
        onCommandError: (error) => logger.warn({ err: error }, 'Redis pub/sub command failed'),
      });
    } else {
      pubsub = createEventBus();
    }

    const mailer = createMailer({
      db: database.db,
      dataDir: config.DATA_DIR,
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      logger,
    });
    cleanups.push(() => mailer.close());

    // The revocation is committed and enforced here; other instances learn of it once Redis
    // takes the retried bump (see shared-epoch.ts).
    const onBumpFailed = (error: unknown) =>
      logger.warn({ err: error }, 'Redis refused a revocation epoch bump; retrying, caches distrusted meanwhile');
    const apiTokens = createApiTokenVerifier({
      db: database.db,
      pubsub,
      logger,
      usageFlushMs: config.API_TOKEN_USAGE_FLUSH_MS,
      epoch: sharedEpoch(redis && { redis, key: `${namespace}:apiTokens:epoch`, onBumpFailed }),
      metrics,
    });
    cleanups.push(() => apiTokens.close());

    const sessions = createSessionRevocations({
      db: database.db,
      pubsub,
      logger,
      epoch: sharedEpoch(redis && { redis, key: `${namespace}:sessions:epoch`, onBumpFailed }),
      metrics,
    });
    cleanups.push(() => sessions.close());

    const oauthClients = createOAuthClientRevocations({
      db: database.db,
      pubsub,
      logger,
      epoch: sharedEpoch(redis && { redis, key: `${namespace}:oauthClients:epoch`, onBumpFailed }),
      metrics,
    });
    cleanups.push(() => oauthClients.close());

    const products = createProductCatalog({
      db: database.db,
      defaultSlug: config.DEFAULT_PRODUCT,
      pubsub,
      logger,
      epoch: sharedEpoch(redis && { redis, key: `${namespace}:products:epoch`, onBumpFailed }),
    });
    cleanups.push(() => products.close());
    const standings = createOrganizationStandings({
      db: database.db,
      pubsub,
      logger,
      epoch: sharedEpoch(redis && { redis, key: `${namespace}:standings:epoch`, onBumpFailed }),
    });
    cleanups.push(() => standings.close());

    const pending = new Set<Promise<unknown>>();
    const background = (task: () => Promise<unknown>) => {
      const promise = task()
        .catch((error) => logger.error({ err: error }, 'background task failed'))
        .finally(() => pending.delete(promise));
      pending.add(promise);
    };
    const retry = setInterval(() => {
      background(() => mailer.retryPending());
      background(() => deliverSlackAlerts(app));
    }, 30_000);
    retry.unref();

    const app: App = {
      config,
      db: database.db,
      database,
      jwt: { keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
      logger,
      metrics,
      pubsub,
      mailer,
      limits: createRateLimits(config, redis, namespace, metrics),
      // The limit checks of the requests of one turn of the event loop share a write too.
      limitCounters: pipelined
        ? sharedCounters({
            redis: pipelined,
            namespace,
            logger,
            failOpenSeconds: config.LIMITS_FAIL_OPEN_SECONDS,
            onFailOpen: () => metrics.rateLimitFailOpen.inc({}),
          })
        : memoryCounters(),
      apiTokens,
      forwardAuthJwts: createForwardAuthJwts({
        keys,
        issuer: config.JWT_ISSUER,
        audience: config.FORWARD_AUTH_AUDIENCE,
      }),
      credentialUse: createCredentialUseTracker(() => app),
      sessions,
      oauthClients,
      products,
      standings,
      verifiedTokens: createVerifiedTokens(keys),
      userById: createUserLookup(database.db),
      organizationById: createOrganizationLookup(database.db),
      redis,
      tracing: options.tracing,
      background,
      async close() {
        clearInterval(retry);
        await Promise.allSettled([...pending]);
        for (const cleanup of cleanups.reverse()) await cleanup();
      },
    };
    // The default product's operator, chosen now when it can be (see withOperator).
    await withOperator(app, await products.defaultProduct());
    return app;
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    throw error;
  }
}
