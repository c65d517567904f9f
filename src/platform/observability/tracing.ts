// OpenTelemetry traces: one span per HTTP request, a child per GraphQL operation, and Prisma's
// spans for the database calls beneath it. Loaded (with import()) only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, so that an instance without a collector never pays for
// these modules. The SDK is process-wide: start it once, before the server is created.
import { createRequire } from 'node:module';
import { useOpenTelemetry } from '@envelop/opentelemetry';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { Plugin } from 'graphql-yoga';
import { redactUrl } from './logger.ts';
import { METRICS_PATH } from './metrics.ts';

export interface Tracing {
  /** The yoga plugin that opens a span per GraphQL operation. */
  plugin: Plugin;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const untraced = new Set(['/healthz', '/readyz', METRICS_PATH]);

// Span attributes that hold the request URL; landing pages carry a token in it.
const urlAttributes = ['http.url', 'http.target', 'url.full'];

export function startTracing(options: { exporter?: SpanExporter } = {}): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'herald' }),
    // A test hands in its exporter and reads each span as it ends; a collector gets batches.
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter()),
    ],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => untraced.has((request.url ?? '/').split('?')[0] as string),
        requestHook: (span, request) => {
          if (!('headers' in request) || !('url' in request)) return;
          const attributes = (span as unknown as ReadableSpan).attributes ?? {};
          for (const name of urlAttributes) {
            const value = attributes[name];
            if (typeof value === 'string') span.setAttribute(name, redactUrl(value));
          }
          if (typeof attributes['url.query'] === 'string') {
            span.setAttribute('url.query', redactUrl(`?${attributes['url.query']}`).slice(1));
          }
        },
      }),
      new PrismaInstrumentation(),
    ],
  });
  // Herald imports node:http as an ES module, which the instrumentation's require hook does not
  // see; requiring it once lets the hook patch the shared Server prototype.
  createRequire(import.meta.url)('node:http');

  return {
    plugin: useOpenTelemetry(
      // Variables and results may hold passwords and tokens; documents with inline
      // arguments are left out by the plugin for the same reason.
      { resolvers: false, variables: false, result: false },
      provider,
      SpanKind.INTERNAL,
      {},
      'herald',
    ) as Plugin,
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
