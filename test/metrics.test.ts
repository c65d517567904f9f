// /metrics as Prometheus scrapes it: each series moves with the real request, socket,
// notification, sweep or refusal behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSla } from '../src/work/sla.ts';
import {
  CreateSlaPolicyDocument,
  CreateWorkItemDocument,
  LoginDocument,
  MeDocument,
  NotificationAddedDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, wsUrl } from './helpers/live.ts';
import { eventually } from './helpers/machine.ts';
import { productHeader, seedProduct } from './helpers/products.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
let owner: Account;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0', RATE_LIMIT_IP_PER_MINUTE: '10' } });
  owner = await createOwner(server);
});
afterAll(() => server?.close());

/** The sum of the samples of `name` whose labels include `labels` (0 when there are none). */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  let sum = 0;
  for (const line of (await response.text()).split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

describe('/metrics', () => {
  it('counts GraphQL operations and their latency by operation name', async () => {
    const labels = { operationName: 'Me', operationType: 'query' };
    const before = await sample('graphql_envelop_request', labels);
    ok(await server.gql(MeDocument, {}, { token: owner.accessToken }));
    ok(await server.gql(MeDocument, {}, { token: owner.accessToken }));
    expect(await sample('graphql_envelop_request', labels)).toBe(before + 2);
    expect(await sample('graphql_envelop_request_duration_count', labels)).toBe(before + 2);
    expect(await sample('graphql_yoga_http_duration_count', { ...labels, statusCode: '200' })).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('names the product of each operation and error', async () => {
    const product = await seedProduct(server, { name: 'Metered' });
    const customer = await createOwner(server, { headers: productHeader(product.slug) });
    const labels = { operationName: 'Me', product: product.slug };
    const before = await sample('graphql_envelop_request', labels);
    const defaultBefore = await sample('graphql_envelop_request', { operationName: 'Me', product: 'default' });
    ok(await server.gql(MeDocument, {}, { token: customer.accessToken }));
    expect(await sample('graphql_envelop_request', labels)).toBe(before + 1);
    expect(await sample('graphql_envelop_request', { operationName: 'Me', product: 'default' })).toBe(defaultBefore);
    expect(await sample('graphql_yoga_http_duration_count', { ...labels, statusCode: '200' })).toBeGreaterThanOrEqual(
      1,
    );
    const refused = { operationName: 'Me', product: product.slug, code: 'UNAUTHENTICATED' };
    const refusedBefore = await sample('graphql_envelop_error_result', refused);
    await server.gql(MeDocument, {}, { headers: productHeader(product.slug) });
    expect(await sample('graphql_envelop_error_result', refused)).toBe(refusedBefore + 1);
  });

  it('counts errors by their code', async () => {
    const unauthenticated = { operationName: 'Me', code: 'UNAUTHENTICATED' };
    const before = await sample('graphql_envelop_error_result', unauthenticated);
    const response = await server.gql(MeDocument, {});
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await sample('graphql_envelop_error_result', unauthenticated)).toBe(before + 1);

    const parseBefore = await sample('graphql_envelop_error_result', { code: 'GRAPHQL_PARSE_FAILED' });
    await server.post({ query: '{ me {' });
    expect(await sample('graphql_envelop_error_result', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(parseBefore + 1);
  });

  it('keeps one series per operation name up to a bound, so clients cannot grow it at will', async () => {
    await Promise.all(Array.from({ length: 230 }, (_, i) => server.post({ query: `query Flood${i} { __typename }` })));
    const response = await fetch(`${server.url}/metrics`);
    const names = new Set(
      [...(await response.text()).matchAll(/^graphql_envelop_request\{[^}]*operationName="([^"]*)"/gm)].map(
        (m) => m[1],
      ),
    );
    expect(names.size).toBeLessThanOrEqual(201);
    expect(await sample('graphql_envelop_request', { operationName: 'other' })).toBeGreaterThan(0);
  });

  it('reports open sockets, running subscriptions and published notifications', async () => {
    const member = await addMember(server, owner);
    const published = await sample('herald_notifications_published_total', { type: 'ASSIGNMENT' });
    const feed = await subscribe(
      connect(wsUrl(server, member.accessToken)),
      NotificationAddedDocument,
      notificationProbe(server, member),
    );
    expect(await sample('herald_websockets_open')).toBe(1);
    expect(await sample('herald_subscriptions_active')).toBe(1);

    ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Printer on fire', assigneeId: member.userId } },
        { token: owner.accessToken },
      ),
    );
    expect((await feed.next()).notificationAdded.notification.type).toBe('ASSIGNMENT');
    expect(await sample('herald_notifications_published_total', { type: 'ASSIGNMENT' })).toBe(published + 1);

    await feed.dispose();
    await eventually(async () => {
      expect(await sample('herald_websockets_open')).toBe(0);
      expect(await sample('herald_subscriptions_active')).toBe(0);
    });
  });

  it('times the SLA sweep and counts the items it claimed', async () => {
    const { createSlaPolicy } = ok(
      await server.gql(
        CreateSlaPolicyDocument,
        { input: { name: 'Metrics', targetMinutes: 60, warnBeforeMinutes: 15 } },
        { token: owner.accessToken },
      ),
    );
    const { createWorkItem } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Due soon', slaPolicyId: createSlaPolicy.id } },
        { token: owner.accessToken },
      ),
    );
    const sweeps = await sample('herald_sla_sweep_duration_seconds_count');
    const warned = await sample('herald_sla_items_claimed_total', { kind: 'warning' });
    await sweepSla(server.app, new Date(Date.parse(createWorkItem.dueAt as string) - 10 * 60_000));
    expect(await sample('herald_sla_sweep_duration_seconds_count')).toBe(sweeps + 1);
    expect(await sample('herald_sla_items_claimed_total', { kind: 'warning' })).toBe(warned + 1);
  });

  const pool = needing('reports the PostgreSQL pool', 'DATABASE_URL');
  it.skipIf(pool.skip)(pool.title, async () => {
    expect(await sample('herald_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(await sample('herald_db_pool_connections', { state: 'waiting' })).toBe(0);
  });

  // Last: it spends this server's per-IP budget.
  it('counts rate-limit refusals by the limit clients see, and the rule that refused', async () => {
    const labels = { limit: 'signIn.ip', rule: 'ip' };
    const before = await sample('herald_rate_limit_refusals_total', labels);
    const codes: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await server.gql(LoginDocument, { input: { email: owner.email, password: 'wrong password' } });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    const refused = codes.filter((code) => code === 'RATE_LIMITED').length;
    expect(refused).toBeGreaterThan(0);
    expect(await sample('herald_rate_limit_refusals_total', labels)).toBe(before + refused);
  });
});

it('serves no /metrics with METRICS=false', async () => {
  const quiet = await startServer({ env: { METRICS: 'false' } });
  try {
    expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
  } finally {
    await quiet.close();
  }
});
