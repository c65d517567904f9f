// Features are scopes: a product declares feature modules (Herald's and its own), an
// organization's subscription enables some, and every token may use its scopes within them
// only. Switching a feature off narrows the next request of every token at once.
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEventsDocument,
  CreateProductDocument,
  OrganizationProductDocument,
  RefreshDocument,
  UpdateOrganizationSubscriptionDocument,
  WorkItemsDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { productHeader, uniqueProductSlug } from './helpers/products.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let operator: Account;
let slug: string;

beforeAll(async () => {
  server = await startServer();
  operator = await createOwner(server, { organizationName: 'Operators' });
  slug = uniqueProductSlug('privacy');
  ok(
    await server.gql(
      CreateProductDocument,
      { input: { slug, name: 'Privacy', features: ['work_items', 'audit', 'dsar', 'reports'] } },
      { token: operator.accessToken },
    ),
  );
});
afterAll(() => server?.close());

const setFeatures = (account: Account, features: string[]) =>
  server.gql(
    UpdateOrganizationSubscriptionDocument,
    { input: { organizationId: account.organizationId, features } },
    { token: operator.accessToken },
  );

describe('the scopes claim', () => {
  it('lists the role’s scopes expanded over the enabled modules, the product’s own included, verifiable with the JWKS', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    const jwks = createLocalJWKSet(await (await fetch(`${server.url}/.well-known/jwks.json`)).json());
    const { payload } = await jwtVerify(owner.accessToken, jwks, { issuer: 'herald', audience: 'herald' });
    expect(payload.product).toBe(slug);
    expect(payload.scopes).toEqual([
      'write:organization',
      'write:members',
      'write:service_accounts',
      'write:tokens',
      'write:work_items',
      'write:audit',
      // No operator modules: the organization operates no product.
      'write:dsar',
      'write:reports',
    ]);
    expect(JSON.stringify(payload.scopes)).not.toContain('*');
  });

  it('leaves out what the subscription does not enable, at the next sign-in', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    ok(await setFeatures(owner, ['dsar']));
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
    const scopes = decodeJwt(refresh.accessToken).scopes as string[];
    expect(scopes).toContain('write:dsar');
    expect(scopes).toContain('write:members');
    expect(scopes).not.toContain('write:reports');
    expect(scopes).not.toContain('write:work_items');
  });
});

describe('switching a feature off', () => {
  it('refuses the next request of a user’s token and an API token with FEATURE_DISABLED, and switching it on again restores them', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    const robot = await createMachineToken(server, owner, ['write:*']);
    for (const token of [owner.accessToken, robot.token]) {
      ok(await server.gql(WorkItemsDocument, {}, { token }));
      ok(await server.gql(AuditEventsDocument, {}, { token }));
    }

    ok(await setFeatures(owner, ['audit', 'dsar']));
    for (const token of [owner.accessToken, robot.token]) {
      const refused = failure(await server.gql(WorkItemsDocument, {}, { token }));
      expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEATURE_DISABLED' });
      ok(await server.gql(AuditEventsDocument, {}, { token }));
      // The core modules stay, whatever the subscription says.
      ok(await server.gql(OrganizationProductDocument, {}, { token }));
    }
    // What forward-auth hands upstream shrinks the same way.
    const validated = await fetch(`${server.url}/api/tokens/validate`, {
      headers: { authorization: `Bearer ${robot.token}` },
    });
    const body = (await validated.json()) as { scopes: string[] };
    expect(body.scopes).toContain('write:dsar');
    expect(body.scopes).not.toContain('write:work_items');

    ok(await setFeatures(owner, ['work_items', 'audit', 'dsar']));
    ok(await server.gql(WorkItemsDocument, {}, { token: robot.token }));
  });

  it('widens a user’s token signed while a feature was off on the next request, without waiting for a refresh', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    ok(await setFeatures(owner, ['dsar']));
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
    expect(decodeJwt(refresh.accessToken).scopes).not.toContain('write:work_items');
    const token = refresh.accessToken;
    expect(failure(await server.gql(WorkItemsDocument, {}, { token })).extensions).toMatchObject({
      reason: 'FEATURE_DISABLED',
    });

    ok(await setFeatures(owner, ['dsar', 'work_items']));
    ok(await server.gql(WorkItemsDocument, {}, { token }));
  });

  it('refuses features the product does not declare', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    expect(failure(await setFeatures(owner, ['notifications'])).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'features',
    });
  });
});

describe('the product’s own feature modules', () => {
  it('are scopes a token may be given in that product, and forward-auth drops them once switched off', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    const robot = await createMachineToken(server, owner, ['read:dsar', 'write:reports']);
    const validate = async () => {
      const response = await fetch(`${server.url}/api/tokens/validate`, {
        headers: { authorization: `Bearer ${robot.token}` },
      });
      return decodeJwt((response.headers.get('authorization') ?? '').replace(/^Bearer /, '')).scopes;
    };
    expect(await validate()).toEqual(['read:dsar', 'write:reports']);
    ok(await setFeatures(owner, ['reports']));
    expect(await validate()).toEqual(['write:reports']);
  });

  it('are unknown scopes in a product that does not declare them', async () => {
    const elsewhere = await createOwner(server);
    await expect(createMachineToken(server, elsewhere, ['read:dsar'])).rejects.toThrow(/BAD_USER_INPUT/);
  });
});
