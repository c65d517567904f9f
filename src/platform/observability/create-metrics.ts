// Metrics as configured: prom-client and yoga's plugin are loaded only with METRICS on.
import type { Metrics } from './metrics.ts';

const ignored = { inc() {}, startTimer: () => () => 0 };

export async function createMetrics(options: { enabled: boolean }): Promise<Metrics> {
  if (options.enabled) return (await import('./prometheus.ts')).createPrometheusMetrics();
  return {
    sources: {},
    notificationsPublished: ignored,
    slaSweepSeconds: ignored,
    slaClaimed: ignored,
    rateLimitRefusals: ignored,
    rateLimitFailOpen: ignored,
    credentialCache: ignored,
    routeSeconds: ignored,
    plugins: [],
  };
}
