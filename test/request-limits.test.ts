// An organization's limits hold on every request, whatever carries it: requests per UTC minute
// and day (HTTP operations and WebSocket subscribe messages), queries and mutations in flight,
// live connections (a socket running a subscription, an SSE stream). Refusals are 429 with
// Retry-After and RateLimit fields over HTTP, RATE_LIMITED naming the limit everywhere; over a
// WebSocket the refused operation alone fails and the socket stays. With Redis, two instances
// share the counts.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLimitedProductDocument,
  MeDocument,
  NotificationAddedDocument,
  UpdateOrganizationLimitsDocument,
} from './generated/graphql.ts';
import { type Connection, connect, notificationProbe, subscribe, within, wsUrl } from './helpers/live.ts';
import { eventually } from './helpers/machine.ts';
import { productHeader, uniqueProductSlug } from './helpers/products.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { type GraphQLResponse, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { notificationStream } from './helpers/sse.ts';

let server: TestServer;
let operator: Account;

beforeAll(async () => {
  server = await startServer();
  operator = await createOwner(server, { organizationName: 'Operators' });
});
afterAll(() => server?.close());

/** A customer organization in a product of its own, with these limits set by the operator. */
async function customerWith(limits: Record<string, number>, on = server) {
  const slug = uniqueProductSlug('plan');
  ok(
    await on.gql(
      CreateLimitedProductDocument,
      { input: { slug, name: 'Plans', features: ['notifications'] } },
      { token: operator.accessToken },
    ),
  );
  const customer = await createOwner(on, { headers: productHeader(slug) });
  ok(
    await on.gql(
      UpdateOrganizationLimitsDocument,
      { input: { organizationId: customer.organizationId, ...limits } },
      { token: operator.accessToken },
    ),
  );
  return customer;
}

/** Waits, when the UTC minute is about to end, for the next one: a test's count must not straddle two. */
async function freshMinute(secondsNeeded = 15) {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - secondsNeeded * 1000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

const me = (token: string, on = server) => on.post({ query: print(MeDocument) }, { token });

/** Runs one operation on a socket and answers its single result (or the protocol error). */
const runOnSocket = (connection: Connection, query: string) =>
  new Promise<GraphQLResponse<unknown> | { protocolError: unknown }>((resolve) => {
    let first: GraphQLResponse<unknown> | undefined;
    connection.client.subscribe(
      { query },
      {
        next: (result) => {
          first ??= result as GraphQLResponse<unknown>;
          resolve(first);
        },
        error: (error) => resolve({ protocolError: error }),
        complete: () => first && resolve(first),
      },
    );
  });

describe('requests per minute', () => {
  it('admits N, refuses the next with 429, Retry-After and RateLimit fields, and counts WebSocket subscribe messages', async () => {
    await freshMinute();
    const customer = await customerWith({ requestsPerMinute: 3, requestsPerDay: 1000 });
    const neighbour = await customerWith({ requestsPerMinute: 3 });
    const first = await me(customer.accessToken);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"requestsPerMinute";q=3;w=60, "requestsPerDay";q=1000;w=86400');
    expect(first.headers.get('ratelimit')).toMatch(/^"requestsPerMinute";r=2;t=\d+, "requestsPerDay";r=999;t=\d+$/);

    // The third request over a WebSocket, a subscribe message like any other.
    const socket = connect(wsUrl(server, customer.accessToken));
    await within(socket.connected, 5000, 'the connection');
    expect(await runOnSocket(socket, print(MeDocument))).toMatchObject({ data: { me: { id: customer.userId } } });
    expect((await me(customer.accessToken)).status).toBe(200);

    const refused = await me(customer.accessToken);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toMatch(/^"requestsPerMinute";r=0;t=\d+, "requestsPerDay";r=997;t=\d+$/);
    const body = (await refused.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'requestsPerMinute', retryAfter });
    expect(body.errors?.[0]?.message).toContain('requestsPerMinute');

    // Over the socket: the operation alone is refused, without the HTTP fields, and the socket stays.
    const onSocket = (await runOnSocket(socket, print(MeDocument))) as GraphQLResponse<unknown>;
    expect(onSocket.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'requestsPerMinute' });
    expect(onSocket.errors?.[0]?.extensions).not.toHaveProperty('http');
    const closedSoon = await Promise.race([socket.closed, new Promise((r) => setTimeout(() => r('open'), 300))]);
    expect(closedSoon).toBe('open');
    await socket.client.dispose();

    // Another organization is counted apart.
    expect((await me(neighbour.accessToken)).status).toBe(200);
  });

  it('a limit lowered while requests come applies to the next one', async () => {
    await freshMinute();
    const customer = await customerWith({ requestsPerMinute: 100 });
    for (let i = 0; i < 3; i++) expect((await me(customer.accessToken)).status).toBe(200);
    ok(
      await server.gql(
        UpdateOrganizationLimitsDocument,
        { input: { organizationId: customer.organizationId, requestsPerMinute: 4 } },
        { token: customer.accessToken },
      ),
    );
    // The change itself was the fourth request.
    expect((await me(customer.accessToken)).status).toBe(429);
  });
});

describe('requests in flight', () => {
  it('refuses a query while every slot is held, and admits it once one is handed back', async () => {
    const customer = await customerWith({ concurrentRequests: 2 });
    // Two requests in flight on other instances hold the organization's slots.
    const key = `org:${customer.organizationId}:inflight`;
    const held = await Promise.all(
      [1, 2].map(() => server.app.limitCounters.admit([], { key, max: 2, leaseMs: 60_000 })),
    );
    const refused = await me(customer.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-policy')).toBe('"concurrentRequests";q=2');
    const body = (await refused.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrentRequests' });
    await server.app.limitCounters.release(key, held[0]?.lease as string);
    const admitted = await me(customer.accessToken);
    expect(admitted.status).toBe(200);
    expect(admitted.headers.get('ratelimit')).toBe('"concurrentRequests";r=0;t=0');
    // The answered request handed its slot back.
    await eventually(async () => expect(await server.app.limitCounters.inUse(key)).toBe(1));
  });

  it('open subscriptions hold no slot', async () => {
    const customer = await customerWith({ concurrentRequests: 1 });
    const stream = await notificationStream(server, customer);
    const socket = connect(wsUrl(server, customer.accessToken));
    const feed = await subscribe(socket, NotificationAddedDocument, notificationProbe(server, customer));
    expect((await me(customer.accessToken)).status).toBe(200);
    expect((await me(customer.accessToken)).status).toBe(200);
    stream.dispose();
    await feed.dispose();
  });
});

describe('live connections', () => {
  it('counts a socket once however many subscriptions it runs, refuses the next socket’s subscribe alone, and SSE streams', async () => {
    const customer = await customerWith({ liveConnections: 1 });
    const probe = notificationProbe(server, customer);
    const first = connect(wsUrl(server, customer.accessToken));
    const feed = await subscribe(first, NotificationAddedDocument, probe);
    // A second subscription on the same socket takes no second slot.
    const again = await subscribe(first, NotificationAddedDocument, probe);

    const second = connect(wsUrl(server, customer.accessToken));
    await within(second.connected, 5000, 'the second connection');
    const refused = (await runOnSocket(second, print(NotificationAddedDocument))) as GraphQLResponse<unknown>;
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'liveConnections', retryAfter: 30 });
    // The socket stays, and runs queries.
    expect(await runOnSocket(second, print(MeDocument))).toMatchObject({ data: { me: { id: customer.userId } } });

    // An SSE stream is refused before it opens: a 429 like any other request.
    const sse = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${customer.accessToken}`,
      },
      body: JSON.stringify({ query: print(NotificationAddedDocument) }),
    });
    expect(sse.status).toBe(429);
    expect(sse.headers.get('retry-after')).toBe('30');
    expect(sse.headers.get('ratelimit-policy')).toBe('"liveConnections";q=1');
    const sseBody = await sse.text();
    expect(sseBody).toContain('"limit":"liveConnections"');

    // The first socket's last subscription ends: its slot is free for the second socket.
    await again.dispose();
    await feed.dispose();
    const ticker = setInterval(() => probe.publish(), 50);
    try {
      const live = await eventually(async () => {
        const result = await runOnSocket(second, print(NotificationAddedDocument));
        if ('errors' in result && result.errors) throw new Error('still refused');
        return result;
      });
      expect(live).toMatchObject({ data: { notificationAdded: { unreadCount: -1 } } });
    } finally {
      clearInterval(ticker);
    }
    await second.client.dispose();
  });
});

const acrossInstances = needing('a limit shared by two instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(acrossInstances.skip)(acrossInstances.title, () => {
  it('a limit of N per minute admits N and refuses N+1 across both', async () => {
    await freshMinute();
    const second = await startServer({ reuse: server });
    try {
      const customer = await customerWith({ requestsPerMinute: 6 });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await me(customer.accessToken, i % 2 ? second : server)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await second.stop();
    }
  });
});
