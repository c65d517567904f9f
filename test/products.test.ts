// Products: a request is for one product, named by X-Product-Slug (or the default); one
// identity signs in to several products, each with its own organizations; a credential is for
// its own product only, on every transport.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  AuditEventProductsDocument,
  CurrentProductDocument,
  InviteMemberDocument,
  LoginDocument,
  LogoutAllDocument,
  MeDocument,
  MyOrganizationsDocument,
  NotificationAddedDocument,
  OrganizationProductDocument,
  RefreshDocument,
  RegisterDocument,
  SelectOrganizationDocument,
  SwitchOrganizationDocument,
  UpdateOrganizationDocument,
} from './generated/graphql.ts';
import { connect, within, wsUrl } from './helpers/live.ts';
import { createMachineToken } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { productHeader, seedProduct } from './helpers/products.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { openStream } from './helpers/sse.ts';

let server: TestServer;
let acme: { id: string; slug: string };
let beta: { id: string; slug: string };

beforeAll(async () => {
  server = await startServer();
  acme = await seedProduct(server, { name: 'Acme' });
  beta = await seedProduct(server, { name: 'Beta' });
});
afterAll(() => server?.close());

const inProduct = (slug: string) => ({ headers: productHeader(slug) });

describe('the product of a request', () => {
  it('is the default product when the request names none, as before products', async () => {
    const { product } = ok(await server.gql(CurrentProductDocument));
    expect(product).toMatchObject({ slug: 'default', features: null, allowedOrigins: null });
    const owner = await createOwner(server);
    expect(decodeJwt(owner.accessToken).product).toBe('default');
  });

  it('is the product X-Product-Slug names, whatever the case of the header name and the space around the value', async () => {
    for (const [name, value] of [
      ['X-Product-Slug', acme.slug],
      ['x-product-slug', acme.slug],
      ['X-PRODUCT-SLUG', ` ${acme.slug}\t`],
    ] as const) {
      const { product } = ok(await server.gql(CurrentProductDocument, {}, { headers: { [name]: value } }));
      expect(product.slug).toBe(acme.slug);
    }
  });

  it.each([
    ['an upper-case slug', 'ACME'],
    ['a path', '../default'],
    ['a path in the middle', 'acme/../default'],
    ['two values', 'acme, beta'],
    ['a leading hyphen', '-acme'],
    ['a slug too long', 'a'.repeat(64)],
    ['an empty value', ''],
  ])('refuses %s with BAD_USER_INPUT naming the header, HTTP 400, before any other work', async (_name, value) => {
    const owner = await createOwner(server);
    const response = await server.post(
      { query: '{ me { id } }' },
      { token: 'not even a token', headers: { 'X-Product-Slug': value } },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Product-Slug' });
    // Nothing was done with the request: registering through a malformed name creates nothing.
    const refused = await server.gql(
      RegisterDocument,
      { input: { email: owner.email, password: PASSWORD, name: 'O', organizationName: 'Nope' } },
      { headers: { 'X-Product-Slug': value } },
    );
    expect(failure(refused).extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      ok(await server.gql(MyOrganizationsDocument, {}, { token: owner.accessToken })).myOrganizations,
    ).toHaveLength(1);
  });

  it('answers NOT_FOUND (HTTP 404) for a product that does not exist, before the credential is read', async () => {
    const response = await server.post(
      { query: '{ product { slug } }' },
      { token: 'garbage', headers: productHeader('no-such-product') },
    );
    expect(response.status).toBe(404);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'X-Product-Slug' });
  });
});

describe('one identity, several products', () => {
  it('registers one email in two products, each sign-in seeing only its own organizations', async () => {
    const email = uniqueEmail('twice');
    const inAcme = await createOwner(server, {
      email,
      organizationName: 'Acme Team',
      headers: productHeader(acme.slug),
    });
    const inBeta = await createOwner(server, {
      email,
      organizationName: 'Beta Team',
      headers: productHeader(beta.slug),
    });
    expect(inBeta.userId).toBe(inAcme.userId);
    expect(decodeJwt(inAcme.accessToken)).toMatchObject({ product: acme.slug, org: inAcme.organizationId });
    expect(decodeJwt(inBeta.accessToken)).toMatchObject({ product: beta.slug, org: inBeta.organizationId });

    for (const [product, account] of [
      [acme, inAcme],
      [beta, inBeta],
    ] as const) {
      const { login } = ok(
        await server.gql(LoginDocument, { input: { email, password: PASSWORD } }, inProduct(product.slug)),
      );
      if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
      expect(login.organization.id).toBe(account.organizationId);
      expect(decodeJwt(login.accessToken).product).toBe(product.slug);
      const { myOrganizations } = ok(await server.gql(MyOrganizationsDocument, {}, { token: login.accessToken }));
      expect(myOrganizations.map((m) => m.organization.id)).toEqual([account.organizationId]);
      const { organization } = ok(await server.gql(OrganizationProductDocument, {}, { token: login.accessToken }));
      expect(organization.product.slug).toBe(product.slug);
      expect(organization.subscription).toMatchObject({ status: 'ACTIVE', plan: null });
    }
  });

  it('answers a user with no organization in the product as it answers a wrong password', async () => {
    const owner = await createOwner(server, { headers: productHeader(acme.slug) });
    const elsewhere = failure(
      await server.gql(LoginDocument, { input: { email: owner.email, password: PASSWORD } }, inProduct(beta.slug)),
    );
    const wrong = failure(
      await server.gql(
        LoginDocument,
        { input: { email: owner.email, password: 'wrong password!' } },
        inProduct(beta.slug),
      ),
    );
    expect(elsewhere).toEqual(wrong);
    // Nor does the default product know of it.
    expect(failure(await server.gql(LoginDocument, { input: { email: owner.email, password: PASSWORD } }))).toEqual(
      wrong,
    );
  });

  it('selects and switches only among the organizations of the request’s product', async () => {
    const email = uniqueEmail('many');
    const first = await createOwner(server, { email, headers: productHeader(acme.slug) });
    const second = await createOwner(server, { email, headers: productHeader(acme.slug) });
    const other = await createOwner(server, { email, headers: productHeader(beta.slug) });
    const { login } = ok(
      await server.gql(LoginDocument, { input: { email, password: PASSWORD } }, inProduct(acme.slug)),
    );
    if (login.__typename !== 'OrganizationSelection') throw new Error('expected a selection');
    expect(login.organizations.map((o) => o.id).sort()).toEqual([first.organizationId, second.organizationId].sort());

    const foreign = failure(
      await server.gql(
        SelectOrganizationDocument,
        { input: { selectionToken: login.selectionToken, organizationId: other.organizationId } },
        inProduct(acme.slug),
      ),
    );
    expect(foreign.extensions?.code).toBe('NOT_FOUND');
    const switched = failure(
      await server.gql(
        SwitchOrganizationDocument,
        { input: { organizationId: other.organizationId } },
        { token: first.accessToken },
      ),
    );
    expect(switched.extensions?.code).toBe('NOT_FOUND');
    const { switchOrganization } = ok(
      await server.gql(
        SwitchOrganizationDocument,
        { input: { organizationId: second.organizationId } },
        { token: first.accessToken },
      ),
    );
    expect(decodeJwt(switchOrganization.accessToken).product).toBe(acme.slug);
  });
});

describe('a credential of another product', () => {
  let account: Account;
  beforeAll(async () => {
    account = await createOwner(server, { headers: productHeader(acme.slug) });
  });
  const mismatch = { code: 'UNAUTHENTICATED', reason: 'PRODUCT_MISMATCH' };

  it('is its own product’s without a header, and refused with PRODUCT_MISMATCH when the request names another', async () => {
    const { product } = ok(await server.gql(CurrentProductDocument, {}, { token: account.accessToken }));
    expect(product.slug).toBe(acme.slug);
    for (const other of [beta.slug, 'default']) {
      const response = await server.post(
        { query: '{ me { id } }' },
        { token: account.accessToken, headers: productHeader(other) },
      );
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]?.extensions).toMatchObject(mismatch);
    }
    ok(await server.gql(MeDocument, {}, { token: account.accessToken, headers: productHeader(acme.slug) }));
  });

  it('refuses an API token named for another product, on GraphQL and forward-auth', async () => {
    const { token } = await createMachineToken(server, account, ['read:organization']);
    expect(
      failure(await server.gql(MeDocument, {}, { token, headers: productHeader(beta.slug) })).extensions,
    ).toMatchObject(mismatch);
    const validate = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/tokens/validate`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const refused = await validate(productHeader(beta.slug));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ reason: 'PRODUCT_MISMATCH' });
    expect((await validate(productHeader('Not/A/Slug'))).status).toBe(400);
    expect((await validate(productHeader('no-such-product'))).status).toBe(404);
    const accepted = await validate(productHeader(acme.slug));
    expect(accepted.status).toBe(200);
    const jwt = (accepted.headers.get('authorization') ?? '').replace(/^Bearer /, '');
    expect(decodeJwt(jwt).product).toBe(acme.slug);
  });

  it('refuses a refresh named for another product, and leaves the refresh token usable', async () => {
    const fresh = await createOwner(server, { headers: productHeader(acme.slug) });
    const refused = failure(
      await server.gql(RefreshDocument, { input: { refreshToken: fresh.refreshToken } }, inProduct(beta.slug)),
    );
    expect(refused.extensions).toMatchObject(mismatch);
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: fresh.refreshToken } }));
    expect(decodeJwt(refresh.accessToken).product).toBe(acme.slug);
  });

  it('refuses an invitation accepted in another product, and leaves it to be accepted in its own', async () => {
    const owner = await createOwner(server, { headers: productHeader(acme.slug) });
    const email = uniqueEmail('invitee');
    ok(
      await server.gql(
        InviteMemberDocument,
        { input: { email, role: 'MEMBER' } },
        { token: owner.accessToken, headers: productHeader(acme.slug) },
      ),
    );
    const token = tokenFromEmail(await waitForEmail(server.dataDir, email));
    const input = { token, name: 'Ines', password: PASSWORD };
    for (const other of [beta.slug, 'default']) {
      const refused = failure(await server.gql(AcceptInvitationDocument, { input }, inProduct(other)));
      expect(refused.extensions).toMatchObject(mismatch);
    }
    const { acceptInvitation } = ok(await server.gql(AcceptInvitationDocument, { input }, inProduct(acme.slug)));
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);
    expect(decodeJwt(acceptInvitation.accessToken).product).toBe(acme.slug);
  });

  it('refuses an SSE stream named for another product', async () => {
    const stream = await openStream(server, NotificationAddedDocument, {
      token: account.accessToken,
      headers: productHeader(beta.slug),
    });
    expect(stream.status).toBe(401);
    stream.dispose();
  });

  it.each([
    [
      '?product=',
      (slug: string) => ({ url: `${wsUrl(server, account.accessToken)}&product=${slug}`, params: undefined }),
    ],
    [
      'connectionParams.product',
      (slug: string) => ({ url: wsUrl(server, account.accessToken), params: { product: slug } }),
    ],
  ])('closes a WebSocket naming another product in %s with 4403 PRODUCT_MISMATCH', async (_name, where) => {
    const { url, params } = where(beta.slug);
    const connection = connect(url, params);
    expect(await within(connection.closed, 5000, 'the close')).toEqual({ code: 4403, reason: 'PRODUCT_MISMATCH' });
  });

  it('refuses a malformed or unknown product on a WebSocket before the credential', async () => {
    const malformed = connect(`${wsUrl(server, 'no token at all')}&product=..%2Fdefault`);
    expect(await within(malformed.closed, 5000, 'the close')).toEqual({ code: 4400, reason: 'BAD_USER_INPUT' });
    const unknown = connect(wsUrl(server), { product: 'no-such-product' });
    expect(await within(unknown.closed, 5000, 'the close')).toEqual({ code: 4404, reason: 'NOT_FOUND' });
  });

  it('connects a WebSocket that names its own product', async () => {
    const connection = connect(`${wsUrl(server, account.accessToken)}&product=${acme.slug}`);
    await within(connection.connected, 5000, 'the connection');
    await connection.client.dispose();
  });
});

describe('the default product', () => {
  it('takes its slug from DEFAULT_PRODUCT at the first start, and keeps the organizations', async () => {
    const named = await startServer({ env: { DEFAULT_PRODUCT: 'console' } });
    try {
      const owner = await createOwner(named);
      expect(decodeJwt(owner.accessToken).product).toBe('console');
      expect(ok(await named.gql(CurrentProductDocument)).product.slug).toBe('console');
      expect(await named.app.db.product.count({ where: { slug: { in: ['_default', 'default'] } } })).toBe(0);
    } finally {
      await named.close();
    }
  });

  it('refuses a reserved or malformed DEFAULT_PRODUCT at start', async () => {
    await expect(startServer({ env: { DEFAULT_PRODUCT: 'admin' } })).rejects.toThrow(/DEFAULT_PRODUCT: is reserved/);
    await expect(startServer({ env: { DEFAULT_PRODUCT: 'Not Valid' } })).rejects.toThrow(/DEFAULT_PRODUCT/);
  });
});

it('keeps organization slugs per product: a name taken in one product is free in another, and says nothing of it', async () => {
  const organizationName = `Slugs ${Date.now()}`;
  const inAcme = await createOwner(server, { organizationName, headers: productHeader(acme.slug) });
  const inBeta = await createOwner(server, { organizationName, headers: productHeader(beta.slug) });
  expect(inBeta.organizationSlug).toBe(inAcme.organizationSlug);
  // Within one product the name is taken: the next gets a suffix, a rename to it conflicts.
  const second = await createOwner(server, { organizationName, headers: productHeader(acme.slug) });
  expect(second.organizationSlug).not.toBe(inAcme.organizationSlug);
  const taken = failure(
    await server.gql(
      UpdateOrganizationDocument,
      { input: { slug: inAcme.organizationSlug } },
      { token: second.accessToken },
    ),
  );
  expect(taken.extensions).toMatchObject({ code: 'CONFLICT', field: 'slug' });
  // A slug of another product's organization is no conflict.
  const renamed = `beta-only-${Date.now()}`;
  ok(await server.gql(UpdateOrganizationDocument, { input: { slug: renamed } }, { token: inBeta.accessToken }));
  ok(await server.gql(UpdateOrganizationDocument, { input: { slug: renamed } }, { token: second.accessToken }));
});

it('registers in the request’s product even for a new email', async () => {
  const { register } = ok(
    await server.gql(
      RegisterDocument,
      { input: { email: uniqueEmail(), password: PASSWORD, name: 'N', organizationName: 'New' } },
      inProduct(beta.slug),
    ),
  );
  expect(decodeJwt(register.accessToken).product).toBe(beta.slug);
});

it('names the product in the audit events of its organizations', async () => {
  const owner = await createOwner(server, { headers: productHeader(acme.slug) });
  const { auditEvents } = ok(await server.gql(AuditEventProductsDocument, {}, { token: owner.accessToken }));
  const registered = auditEvents.edges.find((edge) => edge.node.action === 'user.registered');
  expect(registered?.node.product?.slug).toBe(acme.slug);
});

it('logoutAll ends the sessions of the request’s product only', async () => {
  const email = uniqueEmail('both');
  const inAcme = await createOwner(server, { email, headers: productHeader(acme.slug) });
  const inDefault = await createOwner(server, { email });
  ok(await server.gql(LogoutAllDocument, {}, { token: inAcme.accessToken }));
  expect(failure(await server.gql(MeDocument, {}, { token: inAcme.accessToken })).extensions?.reason).toBe(
    'SESSION_ENDED',
  );
  expect(
    failure(await server.gql(RefreshDocument, { input: { refreshToken: inAcme.refreshToken } })).extensions?.reason,
  ).toBe('SESSION_ENDED');
  ok(await server.gql(MeDocument, {}, { token: inDefault.accessToken }));
  ok(await server.gql(RefreshDocument, { input: { refreshToken: inDefault.refreshToken } }));
});
