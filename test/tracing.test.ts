// Traces as a collector receives them, here through an in-memory exporter: an HTTP server span,
// the GraphQL operation inside it, and the database calls inside that, in one trace.
import type { InMemorySpanExporter as Exporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/platform/observability/tracing.ts';
import { MeDocument } from './generated/graphql.ts';
import { eventually } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

let exporter: Exporter;
let tracing: Tracing;
let server: TestServer;
let owner: Account;
beforeAll(async () => {
  exporter = new InMemorySpanExporter();
  tracing = startTracing({ exporter });
  server = await startServer({ tracing });
  owner = await createOwner(server);
});
afterAll(async () => {
  await server?.close();
  await tracing?.shutdown();
});

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;

it('traces a GraphQL request from HTTP through the operation to the database', async () => {
  exporter.reset();
  ok(await server.gql(MeDocument, {}, { token: owner.accessToken }));
  const { http, operation, database } = await eventually(async () => {
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.name === 'query.Me');
    expect(operation).toBeDefined();
    const http = spans.find((span) => spanId(span) === parentId(operation as ReadableSpan));
    expect(http).toBeDefined();
    // Prisma's spans hang below the operation: prisma:client:operation, then the queries.
    const database = spans.filter(
      (span) => span.name.startsWith('prisma:') && span.spanContext().traceId === operation?.spanContext().traceId,
    );
    expect(database.some((span) => span.name === 'prisma:client:operation')).toBe(true);
    return { http: http as ReadableSpan, operation: operation as ReadableSpan, database };
  });
  expect(http.attributes['http.method'] ?? http.attributes['http.request.method']).toBe('POST');
  expect(http.attributes['http.status_code'] ?? http.attributes['http.response.status_code']).toBe(200);
  expect(operation.attributes['graphql.execute.operationName']).toBe('Me');
  // Authentication reads the database before the operation starts; the resolver's reads are
  // the operation's children.
  const ofOperation = database.filter((span) => parentId(span) === spanId(operation));
  expect(ofOperation.map((span) => span.name)).toContain('prisma:client:operation');
  expect(ofOperation.find((span) => span.name === 'prisma:client:operation')?.attributes.model).toBe('User');
});

it('leaves health checks and scrapes out, and cuts tokens from traced URLs', async () => {
  exporter.reset();
  await fetch(`${server.url}/healthz`);
  await fetch(`${server.url}/metrics`);
  const secret = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const page = await fetch(`${server.url}/accept-invitation?token=${secret}`);
  expect(page.status).toBe(200);
  const spans = await eventually(async () => {
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(0);
    return spans;
  });
  const serialized = JSON.stringify(spans.map((span) => span.attributes));
  expect(serialized).toContain('token=[REDACTED]');
  expect(serialized).not.toContain(secret);
  expect(serialized).not.toContain('/healthz');
  expect(serialized).not.toContain('/metrics');
});

it('continues the trace a caller started (traceparent)', async () => {
  exporter.reset();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  await server.post(
    { query: 'query Traced { __typename }' },
    { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
  );
  const operation = await eventually(async () => {
    const found = exporter.getFinishedSpans().find((span) => span.name === 'query.Traced');
    expect(found).toBeDefined();
    return found as ReadableSpan;
  });
  expect(operation.spanContext().traceId).toBe(traceId);
});
