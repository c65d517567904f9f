// Prometheus metrics of one instance, on a registry of its own (the tests run two instances in
// one process). GraphQL request counts, latencies and errors come from yoga's Prometheus
// plugin; what it cannot see (sockets, subscriptions, notifications, the SLA sweep, rate-limit
// refusals, the database pool) is registered beside it. Loaded only when METRICS is on.
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

import { METRICS_PATH, type MetricSources, type Metrics } from './metrics.ts';

// Operation names come from clients: a label per distinct name would let anyone grow the
// registry without bound. The first few hundred well-formed names are kept, the rest counted
// together.
const MAX_OPERATION_NAMES = 200;

function operationLabel(known: Set<string>) {
  return (name: string | undefined): string => {
    if (!name) return 'anonymous';
    if (known.has(name)) return name;
    if (!/^\w{1,64}$/.test(name) || known.size >= MAX_OPERATION_NAMES) return 'other';
    known.add(name);
    return name;
  };
}

/** The error's code as clients see it; parse and validation errors are coded only after this runs. */
function codeOf(error: unknown, phase: string | undefined): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) return code;
  if (phase === 'parse') return 'GRAPHQL_PARSE_FAILED';
  if (phase === 'validate') return 'GRAPHQL_VALIDATION_FAILED';
  return 'INTERNAL';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function createPrometheusMetrics(): Metrics {
  const registry = new Registry();
  const sources: MetricSources = {};
  const registers = [registry];

  new Gauge({
    name: 'herald_websockets_open',
    help: 'WebSocket connections open on this instance',
    registers,
    collect() {
      this.set(sources.openSockets?.() ?? 0);
    },
  });
  const subscriptions = new Gauge({
    name: 'herald_subscriptions_active',
    help: 'Subscription operations running on this instance (WebSocket and SSE)',
    registers,
  });
  new Gauge({
    name: 'herald_db_pool_connections',
    help: 'PostgreSQL pool connections by state (absent with the embedded database)',
    labelNames: ['state'],
    registers,
    collect() {
      const pool = sources.pool?.();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
  const metrics: Metrics = {
    sources,
    notificationsPublished: new Counter({
      name: 'herald_notifications_published_total',
      help: 'Notifications stored and published, by type',
      labelNames: ['type'],
      registers,
    }),
    slaSweepSeconds: new Histogram({
      name: 'herald_sla_sweep_duration_seconds',
      help: 'Duration of one SLA sweep',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15],
      registers,
    }),
    slaClaimed: new Counter({
      name: 'herald_sla_items_claimed_total',
      help: 'Work items an SLA sweep claimed, by kind (warning, breach)',
      labelNames: ['kind'],
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'herald_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by limit (the name clients see) and rule (the counter that refused)',
      labelNames: ['limit', 'rule'],
      registers,
    }),
    rateLimitFailOpen: new Counter({
      name: 'herald_rate_limit_fail_open_total',
      help: 'Requests admitted without checking their limits because Redis did not answer',
      registers,
    }),
    credentialCache: new Counter({
      name: 'herald_credential_cache_lookups_total',
      help: 'Credential checks (sessions, API tokens, OAuth clients) answered from the cache (hit) or the database (miss)',
      labelNames: ['cache', 'result'],
      registers,
    }),
    routeSeconds: new Histogram({
      name: 'herald_http_route_duration_seconds',
      help: 'Duration of the plain HTTP endpoints beside GraphQL (forward-auth, health, JWKS)',
      labelNames: ['route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    plugins: [],
  };

  collectDefaultMetrics({ register: registry });
  const operation = operationLabel(new Set());
  // The product a request is for (a few per instance, so a bounded label); an operation refused
  // before its context was built has none.
  const fill = (params: { operationName?: string; operationType?: string }, context?: unknown) => ({
    operationName: operation(params.operationName),
    operationType: params.operationType ?? 'unknown',
    product: (context as { product?: { slug?: string } } | undefined)?.product?.slug ?? 'unknown',
  });
  metrics.plugins = [
    usePrometheus({
      registry,
      endpoint: METRICS_PATH,
      metrics: {
        graphql_envelop_request: createCounter({
          registry,
          counter: {
            name: 'graphql_envelop_request',
            help: 'GraphQL operations executed, by operation',
            labelNames: ['operationName', 'operationType', 'product'],
          },
          fillLabelsFn: (params, context) => fill(params, context),
        }),
        graphql_envelop_request_duration: createHistogram({
          registry,
          histogram: {
            name: 'graphql_envelop_request_duration',
            help: 'Time to execute a GraphQL operation, by operation',
            labelNames: ['operationName', 'operationType', 'product'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          },
          fillLabelsFn: (params, context) => fill(params, context),
        }),
        graphql_envelop_error_result: createCounter({
          registry,
          counter: {
            name: 'graphql_envelop_error_result',
            help: 'GraphQL errors returned, by code and phase',
            labelNames: ['operationName', 'operationType', 'product', 'phase', 'code'],
          },
          fillLabelsFn: (params, context) => ({
            ...fill(params, context),
            phase: params.errorPhase ?? 'execute',
            code: codeOf(params.error, params.errorPhase),
          }),
        }),
        graphql_yoga_http_duration: createHistogram({
          registry,
          histogram: {
            name: 'graphql_yoga_http_duration',
            help: 'Time to answer a GraphQL HTTP request, by operation and status',
            labelNames: ['operationName', 'operationType', 'product', 'statusCode'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          },
          fillLabelsFn: (params, context) => ({
            ...fill(params, context),
            statusCode: (context as { response: Response }).response.status,
          }),
        }),
        // The rest of the plugin's default set (phases, summaries, schema changes) adds series
        // without answering a question the ones above leave open.
        graphql_envelop_request_time_summary: false,
        graphql_envelop_phase_parse: false,
        graphql_envelop_phase_validate: false,
        graphql_envelop_phase_context: false,
        graphql_envelop_phase_execute: false,
        graphql_envelop_phase_subscribe: false,
        graphql_envelop_deprecated_field: false,
        graphql_envelop_schema_change: false,
      },
    }),
    {
      onSubscribe: () => ({
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          subscriptions.inc();
          return { onEnd: () => subscriptions.dec() };
        },
      }),
    },
  ];
  return metrics;
}
