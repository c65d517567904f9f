// The parts one running instance holds, as every module sees them. The composition root
// (src/app.ts) builds them; a module that owns a part adds it to this interface where it is
// defined (`declare module '…/platform/app.ts'`), so that nothing here points up at it.
import type { Redis } from 'ioredis';
import type { Organization, User } from '../generated/prisma/client.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './database/db.ts';
import type { LookupById } from './database/lookups-by-id.ts';
import type { LimitCounters } from './limit-counters.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Tracing } from './observability/tracing.ts';
import type { EventBus } from './pubsub.ts';
import type { RateLimits } from './ratelimit.ts';

export interface App {
  config: Config;
  db: Db;
  database: Database;
  logger: Logger;
  metrics: Metrics;
  pubsub: EventBus;
  limits: RateLimits;
  /** The counters of tenants' limits: in Redis with REDIS_URL, else in memory. */
  limitCounters: LimitCounters;
  /** Users and organizations by id, each batched across the requests in flight. */
  userById: LookupById<User>;
  organizationById: LookupById<Organization>;
  redis?: Redis;
  /** Set when traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing?: Tracing;
  /** Runs work after the response (email delivery…) and lets shutdown wait for it. */
  background(task: () => Promise<unknown>): void;
  close(): Promise<void>;
}
