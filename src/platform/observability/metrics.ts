// What the rest of Herald counts and times, whether or not metrics are on. With METRICS on,
// prometheus.ts (prom-client and yoga's plugin) provides it; off, neither is loaded and every
// call does nothing (create-metrics.ts chooses).
import type { Plugin } from 'graphql-yoga';

export const METRICS_PATH = '/metrics';

type Labels<Name extends string> = Partial<Record<Name, string | number>>;

interface Count<Name extends string> {
  inc(labels: Labels<Name>, value?: number): void;
}

interface Timing<Name extends string> {
  /** Starts a timer; calling the result observes the time, with the labels known by then. */
  startTimer(labels?: Labels<Name>): (labels?: Labels<Name>) => number;
}

/** Live values read when /metrics is scraped; the server fills them in once they exist. */
export interface MetricSources {
  openSockets?: () => number;
  pool?: () => { total: number; idle: number; waiting: number };
}

export interface Metrics {
  sources: MetricSources;
  notificationsPublished: Count<'type'>;
  slaSweepSeconds: Timing<never>;
  slaClaimed: Count<'kind'>;
  /** By the design's name of the limit, and Herald's own name of the counter (`rule`). */
  rateLimitRefusals: Count<'limit' | 'rule'>;
  /** Requests admitted unchecked because the shared limit counters (Redis) did not answer. */
  rateLimitFailOpen: Count<never>;
  /** Revocation checks answered from an instance's cache (hit) or the database (miss). */
  credentialCache: Count<'cache' | 'result'>;
  routeSeconds: Timing<'route' | 'status'>;
  /** The yoga plugins that measure GraphQL and serve /metrics. */
  plugins: Plugin[];
}
