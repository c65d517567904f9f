// An API token's own limits: a rate limit over fixed windows and a usage budget that a refill
// sets back, held on /graphql and on forward-auth alike, visible in `usage`, and out of the
// token's own reach. With Redis, two instances share them.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiTokenLimitsDocument,
  CreateLimitedApiTokenDocument,
  CreateServiceAccountDocument,
  OAuthClientLimitsDocument,
  OrganizationLimitsDocument,
  UpdateApiTokenLimitsDocument,
  UpdateOAuthClientLimitsDocument,
} from './generated/graphql.ts';
import { createTestClient } from './helpers/oauth.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, type GraphQLResponse, needing, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Account;
let serviceAccountSlug: string;

beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server);
  const { createServiceAccount } = ok(
    await server.gql(CreateServiceAccountDocument, { input: { name: 'Gateway' } }, { token: owner.accessToken }),
  );
  serviceAccountSlug = createServiceAccount.slug;
});
afterAll(() => server?.close());

async function tokenWith(limits: Record<string, unknown>, scopes = ['read:organization']) {
  const { createApiToken } = ok(
    await server.gql(
      CreateLimitedApiTokenDocument,
      { input: { serviceAccountSlug, name: 'limited', scopes, ...limits } },
      { token: owner.accessToken },
    ),
  );
  return createApiToken;
}

const query = (token: string, on = server) => on.post({ query: print(OrganizationLimitsDocument) }, { token });
const validate = (token: string, on = server) =>
  fetch(`${on.url}/api/tokens/validate`, { headers: { authorization: `Bearer ${token}` } });
const usage = async (id: string) =>
  ok(await server.gql(ApiTokenLimitsDocument, { id }, { token: owner.accessToken })).apiToken;

/** Waits for the start of a fixed window of `seconds`, so that a sequence of requests stays inside one. */
async function windowStart(seconds: number) {
  const into = Date.now() % (seconds * 1000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000 - into + 30));
}

describe('an API token’s rate limit', () => {
  it('admits `limit` per window, refuses the next naming apiToken.rateLimit, and admits again in the next window', async () => {
    const created = await tokenWith({ rateLimit: { limit: 2, windowSeconds: 3 } });
    expect(created.apiToken).toMatchObject({
      rateLimit: { limit: 2, windowSeconds: 3 },
      remaining: null,
      usage: { remaining: null, windowRemaining: 2 },
    });
    await windowStart(3);
    const first = await query(created.token);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"apiToken.rateLimit";q=2;w=3');
    expect(first.headers.get('ratelimit')).toMatch(/^"apiToken.rateLimit";r=1;t=[1-3]$/);
    expect((await query(created.token)).status).toBe(200);
    const refused = await query(created.token);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'apiToken.rateLimit' });
    expect((await usage(created.apiToken.id)).usage.windowRemaining).toBe(0);
    await windowStart(3);
    expect((await query(created.token)).status).toBe(200);
  });

  it('holds on forward-auth: 429 with Retry-After and the RateLimit fields, for the gateway to pass on', async () => {
    const created = await tokenWith({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = await validate(created.token);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit')).toMatch(/^"apiToken.rateLimit";r=1;t=\d+$/);
    expect((await validate(created.token)).status).toBe(200);
    const refused = await validate(created.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toBe('"apiToken.rateLimit";q=2;w=60');
    expect(await refused.json()).toEqual({ status: 'rate_limited', limit: 'apiToken.rateLimit' });
    // The same budget as /graphql.
    expect((await query(created.token)).status).toBe(429);
  });
});

describe('an API token’s budget', () => {
  it('is spent to 0, refused with apiToken.remaining, and set anew by an update', async () => {
    const created = await tokenWith({ remaining: 2 });
    expect((await query(created.token)).status).toBe(200);
    expect((await validate(created.token)).status).toBe(200);
    expect((await usage(created.apiToken.id)).remaining).toBe(0);
    const refused = await query(created.token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(refused.headers.get('ratelimit-policy')).toBe('"apiToken.remaining";q=2');
    const body = (await refused.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'apiToken.remaining' });

    const { updateApiToken } = ok(
      await server.gql(
        UpdateApiTokenLimitsDocument,
        { input: { id: created.apiToken.id, remaining: 1 } },
        { token: owner.accessToken },
      ),
    );
    expect(updateApiToken).toMatchObject({ remaining: 1, usage: { remaining: 1 } });
    expect((await query(created.token)).status).toBe(200);
    expect((await query(created.token)).status).toBe(429);
    // Removed: unlimited again.
    ok(
      await server.gql(
        UpdateApiTokenLimitsDocument,
        { input: { id: created.apiToken.id, remaining: null } },
        { token: owner.accessToken },
      ),
    );
    expect((await query(created.token)).status).toBe(200);
  });

  it('is refilled to its amount at the start of every interval', async () => {
    await windowStart(3);
    const created = await tokenWith({ remaining: 1, refill: { amount: 2, intervalSeconds: 3 } });
    expect(created.apiToken.refill).toEqual({ amount: 2, intervalSeconds: 3 });
    expect((await query(created.token)).status).toBe(200);
    const spent = await query(created.token);
    expect(spent.status).toBe(429);
    expect(Number(spent.headers.get('retry-after'))).toBeLessThanOrEqual(3);
    await windowStart(3);
    expect((await usage(created.apiToken.id)).remaining).toBe(2);
    expect((await query(created.token)).status).toBe(200);
    expect((await query(created.token)).status).toBe(200);
    expect((await query(created.token)).status).toBe(429);
  });
});

describe('attacks', () => {
  it('a token cannot lift its own limits, even holding write:tokens', async () => {
    const created = await tokenWith({ rateLimit: { limit: 50, windowSeconds: 60 }, remaining: 50 }, ['write:tokens']);
    const refused = failure(
      await server.gql(
        UpdateApiTokenLimitsDocument,
        { input: { id: created.apiToken.id, remaining: 1_000_000 } },
        { token: created.token },
      ),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    const kept = await usage(created.apiToken.id);
    expect(kept.rateLimit).toEqual({ limit: 50, windowSeconds: 60 });
    expect(kept.remaining).toBeLessThan(50);
  });

  it('bad limits name their field', async () => {
    const refused = failure(
      await server.gql(
        CreateLimitedApiTokenDocument,
        {
          input: {
            serviceAccountSlug,
            name: 'bad',
            scopes: ['read:organization'],
            rateLimit: { limit: 0, windowSeconds: 60 },
          },
        },
        { token: owner.accessToken },
      ),
    );
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rateLimit.limit' });
  });
});

describe('an OAuth client’s limits', () => {
  const tokenRequest = (client: { clientId: string; clientSecret: string }) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });

  it('are spent by token requests and by the requests its tokens make, and refused on both', async () => {
    const client = await createTestClient(server, owner, ['read:organization', 'write:tokens']);
    const { updateOAuthClient } = ok(
      await server.gql(
        UpdateOAuthClientLimitsDocument,
        { input: { id: client.id, rateLimit: { limit: 3, windowSeconds: 60 } } },
        { token: owner.accessToken },
      ),
    );
    expect(updateOAuthClient).toMatchObject({
      rateLimit: { limit: 3, windowSeconds: 60 },
      usage: { windowRemaining: 3 },
    });
    const issued = await tokenRequest(client);
    expect(issued.status).toBe(200);
    const { access_token: accessToken } = (await issued.json()) as { access_token: string };
    expect((await query(accessToken)).status).toBe(200);

    // The client cannot lift its own limit with its own token.
    const own = failure(
      await server.gql(
        UpdateOAuthClientLimitsDocument,
        { input: { id: client.id, rateLimit: null } },
        { token: accessToken },
      ),
    );
    expect(own.extensions?.code).toBe('FORBIDDEN');

    const refusedToken = await tokenRequest(client);
    expect(refusedToken.status).toBe(429);
    expect(refusedToken.headers.get('ratelimit-policy')).toBe('"oauthClient.rateLimit";q=3;w=60');
    expect(await refusedToken.json()).toMatchObject({
      error: 'temporarily_unavailable',
      limit: 'oauthClient.rateLimit',
    });
    const refused = await query(accessToken);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'oauthClient.rateLimit' });
    const read = ok(await server.gql(OAuthClientLimitsDocument, { id: client.id }, { token: owner.accessToken }));
    expect(read.oauthClient.usage).toEqual({ remaining: null, windowRemaining: 0 });
  });
});

const acrossInstances = needing('a token’s limit shared by two instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(acrossInstances.skip)(acrossInstances.title, () => {
  it('one budget, spent on both', async () => {
    const second = await startServer({ reuse: server });
    try {
      const created = await tokenWith({ remaining: 5 });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push((await (i % 2 ? query(created.token, second) : validate(created.token, server))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await second.stop();
    }
  });
});
