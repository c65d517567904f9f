// Operators manage their products and their organizations' subscriptions; nobody else sees or
// touches them. A cancelled subscription suspends the organization at once: sign-in and refresh
// are refused, sessions, sockets and streams end, machine credentials are refused until it
// leaves CANCELED. With PostgreSQL and Redis the suspension holds on a second instance too.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateProductDocument,
  CurrentProductDocument,
  LoginDocument,
  MeDocument,
  NotificationAddedDocument,
  OrganizationProductDocument,
  ProductOrganizationsDocument,
  RefreshDocument,
  UpdateOrganizationSubscriptionDocument,
  UpdateProductDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, within, wsUrl } from './helpers/live.ts';
import { auditActions, createMachineToken } from './helpers/machine.ts';
import { createTestClient } from './helpers/oauth.ts';
import { productHeader, uniqueProductSlug } from './helpers/products.ts';
import { type Account, createOwner, PASSWORD } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { notificationStream } from './helpers/sse.ts';
import { addMember } from './helpers/work.ts';

const OPERATOR_ONLY = { code: 'FORBIDDEN', reason: 'OPERATOR_ONLY' };
const INACTIVE = { code: 'FORBIDDEN', reason: 'SUBSCRIPTION_INACTIVE' };

let server: TestServer;
/** The oldest organization of the default product: its operator, OPERATOR_ORGANIZATION being unset. */
let operator: Account;

beforeAll(async () => {
  server = await startServer({ env: { MAIL_FROM: 'Ops <ops@herald.test>' } });
  operator = await createOwner(server, { organizationName: 'Operators' });
});
afterAll(() => server?.close());

/** A product created by the default product's operator, operated by `by` (the operator's organization unless given). */
async function newProduct(by?: Account, features?: string[]) {
  const { createProduct } = ok(
    await server.gql(
      CreateProductDocument,
      {
        input: {
          slug: uniqueProductSlug('shop'),
          name: 'Shop',
          features: features ?? ['work_items', 'notifications', 'dsar'],
          operatorOrganizationId: by?.organizationId,
        },
      },
      { token: operator.accessToken },
    ),
  );
  return createProduct;
}

const subscription = (account: Account, input: Record<string, unknown>, token = operator.accessToken) =>
  server.gql(
    UpdateOrganizationSubscriptionDocument,
    { input: { organizationId: account.organizationId, ...input } },
    {
      token,
    },
  );

describe('operators', () => {
  it('the default product’s operator creates a product, operates it, and sees its settings', async () => {
    const product = await newProduct();
    expect(product).toMatchObject({
      features: ['work_items', 'notifications', 'dsar'],
      operatorOrganization: { id: operator.organizationId },
    });
    const customer = await createOwner(server, { headers: productHeader(product.slug) });
    const listed = ok(
      await server.gql(ProductOrganizationsDocument, { productSlug: product.slug }, { token: operator.accessToken }),
    );
    expect(listed.productOrganizations.edges.map((edge) => edge.node.id)).toEqual([customer.organizationId]);
    // The customer reads its product's public fields only.
    const seen = ok(await server.gql(CurrentProductDocument, {}, { token: customer.accessToken })).product;
    expect(seen).toMatchObject({ slug: product.slug, name: 'Shop', features: null, operatorOrganization: null });
    expect((await auditActions(server, operator.accessToken)).map((event) => event.action)).toContain(
      'product.created',
    );
  });

  it('an operator of product A can neither see nor touch product B', async () => {
    const operatorA = await createOwner(server);
    const a = await newProduct(operatorA);
    const b = await newProduct();
    const inB = await createOwner(server, { headers: productHeader(b.slug) });
    const as = { token: operatorA.accessToken };
    expect(
      failure(await server.gql(ProductOrganizationsDocument, { productSlug: b.slug }, as)).extensions,
    ).toMatchObject(OPERATOR_ONLY);
    expect(
      failure(await server.gql(UpdateProductDocument, { input: { productSlug: b.slug, name: 'Mine' } }, as)).extensions,
    ).toMatchObject(OPERATOR_ONLY);
    expect(failure(await subscription(inB, { status: 'CANCELED' }, operatorA.accessToken)).extensions).toMatchObject(
      OPERATOR_ONLY,
    );
    // Nor may it create products: that is for the default product's operators.
    expect(
      failure(await server.gql(CreateProductDocument, { input: { slug: uniqueProductSlug(), name: 'X' } }, as))
        .extensions,
    ).toMatchObject(OPERATOR_ONLY);
    // Its own product it does operate, from its own organization in the default product.
    ok(await server.gql(UpdateProductDocument, { input: { productSlug: a.slug, name: 'Renamed' } }, as));
    expect(
      ok(await server.gql(OrganizationProductDocument, {}, { token: inB.accessToken })).organization.subscription,
    ).toMatchObject({ status: 'ACTIVE' });
  });

  it('a member of the operator organization holds no operator scope and sees no settings; a token needs the operator scope', async () => {
    const product = await newProduct();
    const customer = await createOwner(server, { headers: productHeader(product.slug) });
    const member = await addMember(server, operator, 'MEMBER');
    expect(decodeJwt(member.accessToken).scopes).not.toContain('read:products');
    expect(
      failure(
        await server.gql(ProductOrganizationsDocument, { productSlug: product.slug }, { token: member.accessToken }),
      ).extensions,
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: ['read:products'] });
    // The default product's settings: its operators' owners and admins read them, its members do not.
    const { product: seenByMember } = ok(await server.gql(CurrentProductDocument, {}, { token: member.accessToken }));
    expect(seenByMember).toMatchObject({
      slug: 'default',
      features: null,
      allowedOrigins: null,
      operatorOrganization: null,
    });
    const { product: seenByOwner } = ok(await server.gql(CurrentProductDocument, {}, { token: operator.accessToken }));
    expect(seenByOwner.features).toContain('work_items');
    expect(seenByOwner.operatorOrganization?.id).toBe(operator.organizationId);
    // The owner of an organization that operates nothing holds no operator scope either.
    const bystander = await createOwner(server);
    expect(decodeJwt(bystander.accessToken).scopes).not.toContain('write:products');
    expect(
      failure(
        await server.gql(ProductOrganizationsDocument, { productSlug: product.slug }, { token: bystander.accessToken }),
      ).extensions,
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
    const reader = await createMachineToken(server, operator, ['read:products']);
    expect(failure(await subscription(customer, { plan: 'pro' }, reader.token)).extensions).toMatchObject({
      code: 'FORBIDDEN',
      requiredScopes: ['write:subscriptions'],
    });
    const billing = await createMachineToken(server, operator, ['write:subscriptions']);
    const changed = ok(await subscription(customer, { plan: 'pro', features: ['dsar'] }, billing.token));
    expect(changed.updateOrganizationSubscription.subscription).toMatchObject({ plan: 'pro', features: ['dsar'] });
  });

  it('refuses a feature the product does not declare, and changes nothing', async () => {
    const product = await newProduct();
    const customer = await createOwner(server, { headers: productHeader(product.slug) });
    const refused = failure(await subscription(customer, { plan: 'x', features: ['audit'] }));
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'features' });
    const { organization } = ok(await server.gql(OrganizationProductDocument, {}, { token: customer.accessToken }));
    expect(organization.subscription).toMatchObject({ plan: null, features: ['work_items', 'notifications', 'dsar'] });
  });

  it.each([
    ['a reserved slug', { slug: 'admin' }, 'slug'],
    ['a path as slug', { slug: '../default' }, 'slug'],
    ['a feature of the operators', { features: ['subscriptions'] }, 'features'],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/app'] }, 'allowedOrigins'],
    ['a link without {token}', { invitationUrl: 'https://shop.example/invite' }, 'invitationUrl'],
  ] as [string, Record<string, unknown>, string][])(
    'refuses to create a product with %s, and creates nothing',
    async (_name, input, field) => {
      const slug = uniqueProductSlug();
      const refused = failure(
        await server.gql(
          CreateProductDocument,
          { input: { slug, name: 'Bad', ...input } },
          { token: operator.accessToken },
        ),
      );
      expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await server.app.db.product.count({ where: { slug: { in: [slug, String(input.slug)] } } })).toBe(0);
    },
  );

  it('refuses to change what the environment sets for the default product, naming the variable', async () => {
    const refused = failure(
      await server.gql(
        UpdateProductDocument,
        { input: { productSlug: 'default', mailFrom: 'Other <x@y.test>' } },
        { token: operator.accessToken },
      ),
    );
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mailFrom', variable: 'MAIL_FROM' });
    expect(refused.message).toContain('MAIL_FROM');
    // What no variable sets is the operator's to change.
    const { updateProduct } = ok(
      await server.gql(
        UpdateProductDocument,
        { input: { productSlug: 'default', name: 'Console', defaultLocale: 'de' } },
        { token: operator.accessToken },
      ),
    );
    expect(updateProduct).toMatchObject({ name: 'Console', defaultLocale: 'de' });
    ok(
      await server.gql(
        UpdateProductDocument,
        { input: { productSlug: 'default', name: 'Herald', defaultLocale: 'en' } },
        { token: operator.accessToken },
      ),
    );
  });
});

/** What a customer holds open and in hand: a socket and an SSE stream, an API token, an OAuth client. */
async function customerWithEverything(productSlug: string) {
  const owner = await createOwner(server, { headers: productHeader(productSlug) });
  const socket = connect(wsUrl(server, owner.accessToken));
  const feed = await subscribe(socket, NotificationAddedDocument, notificationProbe(server, owner));
  const stream = await notificationStream(server, owner);
  const robot = await createMachineToken(server, owner, ['read:organization']);
  const machineSocket = connect(wsUrl(server, robot.token));
  await within(machineSocket.connected, 5000, 'the machine socket');
  const client = await createTestClient(server, owner, ['read:organization']);
  return { owner, socket, feed, stream, robot, machineSocket, client };
}

const clientToken = (client: { clientId: string; clientSecret: string }) =>
  fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });

describe('a cancelled subscription', () => {
  it('ends sessions, sockets and streams at once, and suspends machine credentials until renewed', async () => {
    const product = await newProduct();
    const { owner, socket, feed, stream, robot, machineSocket, client } = await customerWithEverything(product.slug);
    const oauthBefore = (await (await clientToken(client)).json()) as { access_token: string };
    ok(await server.gql(OrganizationProductDocument, {}, { token: oauthBefore.access_token }));

    ok(await subscription(owner, { status: 'CANCELED' }));

    expect(await within(socket.closed, 5000, 'the socket to close')).toEqual({
      code: 4403,
      reason: 'SUBSCRIPTION_INACTIVE',
    });
    expect(await within(machineSocket.closed, 5000, 'the machine socket to close')).toEqual({
      code: 4403,
      reason: 'SUBSCRIPTION_INACTIVE',
    });
    expect((await stream.next()).errors?.[0]?.extensions).toMatchObject(INACTIVE);
    await within(stream.ended, 5000, 'the stream to end');

    expect(failure(await server.gql(MeDocument, {}, { token: owner.accessToken })).extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'SESSION_ENDED',
    });
    const login = () =>
      server.gql(
        LoginDocument,
        { input: { email: owner.email, password: PASSWORD } },
        { headers: productHeader(product.slug) },
      );
    expect(failure(await login()).extensions).toMatchObject(INACTIVE);
    expect(
      failure(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } })).extensions,
    ).toMatchObject(INACTIVE);

    const machine = await server.post({ query: '{ organization { id } }' }, { token: robot.token });
    expect(machine.status).toBe(403);
    const body = (await machine.json()) as { errors: { extensions: unknown }[] };
    expect(body.errors[0]?.extensions).toMatchObject(INACTIVE);
    expect(
      failure(await server.gql(OrganizationProductDocument, {}, { token: oauthBefore.access_token })).extensions,
    ).toMatchObject(INACTIVE);
    const validate = await fetch(`${server.url}/api/tokens/validate`, {
      headers: { authorization: `Bearer ${robot.token}` },
    });
    expect(validate.status).toBe(403);
    expect(await validate.json()).toMatchObject({ reason: 'SUBSCRIPTION_INACTIVE' });
    const grant = await clientToken(client);
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unauthorized_client', reason: 'SUBSCRIPTION_INACTIVE' });
    const refusedSocket = connect(wsUrl(server, robot.token));
    expect(await within(refusedSocket.closed, 5000, 'the refusal')).toEqual({
      code: 4403,
      reason: 'SUBSCRIPTION_INACTIVE',
    });

    // Renewed: the integrations are back, not revoked; people sign in again.
    ok(await subscription(owner, { status: 'ACTIVE' }));
    ok(await server.gql(OrganizationProductDocument, {}, { token: robot.token }));
    expect((await clientToken(client)).status).toBe(200);
    expect((await login()).data?.login.__typename).toBe('AuthPayload');
    // The sessions the cancellation ended stay ended.
    expect(failure(await server.gql(MeDocument, {}, { token: owner.accessToken })).extensions?.reason).toBe(
      'SESSION_ENDED',
    );
    await feed.dispose();
  });

  it('leaves the other organizations of the product and the operator alone', async () => {
    const product = await newProduct();
    const cancelled = await createOwner(server, { headers: productHeader(product.slug) });
    const neighbour = await createOwner(server, { headers: productHeader(product.slug) });
    ok(await subscription(cancelled, { status: 'CANCELED' }));
    ok(await server.gql(MeDocument, {}, { token: neighbour.accessToken }));
    ok(await server.gql(MeDocument, {}, { token: operator.accessToken }));
  });
});

const acrossInstances = needing('a cancellation across instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(acrossInstances.skip)(acrossInstances.title, () => {
  it('closes a socket and refuses an API token on the other instance at once', async () => {
    const second = await startServer({ reuse: server });
    try {
      const product = await newProduct();
      const owner = await createOwner(server, { headers: productHeader(product.slug) });
      const robot = await createMachineToken(server, owner, ['read:organization']);
      ok(await second.gql(OrganizationProductDocument, {}, { token: robot.token }));
      const socket = connect(wsUrl(second, owner.accessToken));
      await within(socket.connected, 5000, 'the connection');
      ok(await subscription(owner, { status: 'CANCELED' }));
      expect(
        failure(await second.gql(OrganizationProductDocument, {}, { token: robot.token })).extensions,
      ).toMatchObject(INACTIVE);
      expect((await within(socket.closed, 15_000, 'the socket to close')).code).toBe(4403);
    } finally {
      await second.stop();
    }
  });
});
