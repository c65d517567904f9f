// Organization limits as product operators set them and organizations lower them: the product's
// defaults apply live where there is no override, the operator's override replaces them, the
// organization's own admins may only go lower, and nobody else reaches another organization's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLimitedProductDocument,
  OrganizationLimitsDocument,
  ProductDefaultLimitsDocument,
  UpdateOrganizationLimitsDocument,
  UpdateProductLimitsDocument,
} from './generated/graphql.ts';
import { auditActions, createMachineToken } from './helpers/machine.ts';
import { productHeader, uniqueProductSlug } from './helpers/products.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
/** The oldest organization of the default product: its operator. */
let operator: Account;

beforeAll(async () => {
  server = await startServer();
  operator = await createOwner(server, { organizationName: 'Operators' });
});
afterAll(() => server?.close());

const UNLIMITED = { requestsPerMinute: null, requestsPerDay: null, concurrentRequests: null, liveConnections: null };

async function productWithCustomer(defaultLimits: Record<string, number | null>) {
  const slug = uniqueProductSlug('plan');
  const { createProduct } = ok(
    await server.gql(
      CreateLimitedProductDocument,
      { input: { slug, name: 'Plans', features: ['work_items', 'audit'], defaultLimits } },
      { token: operator.accessToken },
    ),
  );
  const customer = await createOwner(server, { headers: productHeader(slug) });
  return { slug, product: createProduct, customer };
}

const limitsOf = async (account: Account) =>
  ok(await server.gql(OrganizationLimitsDocument, {}, { token: account.accessToken })).organization.limits;

const setLimits = (token: string, organizationId: string, limits: Record<string, number | null>) =>
  server.gql(UpdateOrganizationLimitsDocument, { input: { organizationId, ...limits } }, { token });

describe('organization limits', () => {
  it('the product’s defaults apply, live, where the organization has no override', async () => {
    const { slug, product, customer } = await productWithCustomer({ requestsPerMinute: 500, concurrentRequests: 5 });
    expect(product.defaultLimits).toEqual({ ...UNLIMITED, requestsPerMinute: 500, concurrentRequests: 5 });
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 500, concurrentRequests: 5 });
    // The customer reads its product's defaults too.
    expect(
      ok(await server.gql(ProductDefaultLimitsDocument, {}, { token: customer.accessToken })).product.defaultLimits,
    ).toEqual({ ...UNLIMITED, requestsPerMinute: 500, concurrentRequests: 5 });

    // A field left out stays; null removes a default.
    const { updateProduct } = ok(
      await server.gql(
        UpdateProductLimitsDocument,
        { input: { productSlug: slug, defaultLimits: { requestsPerMinute: 300, concurrentRequests: null } } },
        { token: operator.accessToken },
      ),
    );
    expect(updateProduct.defaultLimits).toEqual({ ...UNLIMITED, requestsPerMinute: 300 });
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 300 });
  });

  it('the operator’s override replaces the default; null removes it again', async () => {
    const { customer } = await productWithCustomer({ requestsPerMinute: 300 });
    const set = ok(
      await setLimits(operator.accessToken, customer.organizationId, {
        requestsPerMinute: 1000,
        requestsPerDay: 50_000,
      }),
    );
    expect(set.updateOrganizationLimits.limits).toEqual({
      ...UNLIMITED,
      requestsPerMinute: 1000,
      requestsPerDay: 50_000,
    });
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 1000, requestsPerDay: 50_000 });
    ok(await setLimits(operator.accessToken, customer.organizationId, { requestsPerMinute: null }));
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 300, requestsPerDay: 50_000 });
    expect((await auditActions(server, customer.accessToken)).slice(0, 2).map((event) => event.action)).toEqual([
      'organization.limits_updated',
      'organization.limits_updated',
    ]);
  });

  it('the organization’s admins set lower values, kept apart from the plan: the lower holds', async () => {
    const { customer } = await productWithCustomer({ requestsPerMinute: 300 });
    const admin = await addMember(server, customer, 'ADMIN');
    ok(await setLimits(admin.accessToken, customer.organizationId, { requestsPerMinute: 100, liveConnections: 3 }));
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 100, liveConnections: 3 });
    // The operator raising the plan does not lift the organization's own lower value.
    ok(await setLimits(operator.accessToken, customer.organizationId, { requestsPerMinute: 2000 }));
    expect((await limitsOf(customer)).requestsPerMinute).toBe(100);
    // Removing its own value leaves the plan's.
    ok(await setLimits(admin.accessToken, customer.organizationId, { requestsPerMinute: null }));
    expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 2000, liveConnections: 3 });
  });

  describe('attacks', () => {
    it('an admin cannot raise its own organization above its plan', async () => {
      const { customer } = await productWithCustomer({ requestsPerMinute: 300, requestsPerDay: 1000 });
      const refused = failure(
        await setLimits(customer.accessToken, customer.organizationId, { requestsPerMinute: 301 }),
      );
      expect(refused.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OPERATOR_ONLY',
        field: 'requestsPerMinute',
      });
      // Nothing of the input was applied, the allowed field included.
      const mixed = failure(
        await setLimits(customer.accessToken, customer.organizationId, { requestsPerMinute: 10, requestsPerDay: 5000 }),
      );
      expect(mixed.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'requestsPerDay' });
      expect(await limitsOf(customer)).toEqual({ ...UNLIMITED, requestsPerMinute: 300, requestsPerDay: 1000 });
      expect((await auditActions(server, customer.accessToken)).map((event) => event.action)).toContain(
        'authorization.denied',
      );
    });

    it('an organization’s admin cannot reach another organization’s limits', async () => {
      const { customer } = await productWithCustomer({});
      const { customer: other } = await productWithCustomer({});
      const refused = failure(await setLimits(customer.accessToken, other.organizationId, { requestsPerMinute: 1 }));
      expect(refused.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'organizationId' });
      // Not even the operator's own organization.
      const operatorsOwn = failure(
        await setLimits(customer.accessToken, operator.organizationId, { requestsPerMinute: 1 }),
      );
      expect(operatorsOwn.extensions?.code).toBe('NOT_FOUND');
      expect(await limitsOf(other)).toEqual(UNLIMITED);
    });

    it('a member, and a token without write:organization, are refused', async () => {
      const { customer } = await productWithCustomer({ requestsPerMinute: 300 });
      const member = await addMember(server, customer, 'MEMBER');
      expect(
        failure(await setLimits(member.accessToken, customer.organizationId, { requestsPerMinute: 10 })).extensions
          ?.code,
      ).toBe('FORBIDDEN');
      const reader = await createMachineToken(server, customer, ['read:organization']);
      expect(
        failure(await setLimits(reader.token, customer.organizationId, { requestsPerMinute: 10 })).extensions?.code,
      ).toBe('FORBIDDEN');
      expect((await limitsOf(customer)).requestsPerMinute).toBe(300);
    });

    it('an operator’s token needs write:subscriptions to set the plan; with write:organization alone it is refused', async () => {
      const { customer } = await productWithCustomer({});
      const partial = await createMachineToken(server, operator, ['write:organization']);
      expect(
        failure(await setLimits(partial.token, customer.organizationId, { requestsPerMinute: 10 })).extensions?.code,
      ).toBe('NOT_FOUND');
      const full = await createMachineToken(server, operator, ['write:organization', 'write:subscriptions']);
      ok(await setLimits(full.token, customer.organizationId, { requestsPerMinute: 10 }));
      expect((await limitsOf(customer)).requestsPerMinute).toBe(10);
    });

    it('bad values name their field', async () => {
      const { customer } = await productWithCustomer({});
      const refused = failure(await setLimits(customer.accessToken, customer.organizationId, { requestsPerMinute: 0 }));
      expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestsPerMinute' });
    });
  });
});
