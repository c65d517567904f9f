// Seed builders: each returns handles (ids, credentials, tokens) for the next step.
import { randomUUID } from 'node:crypto';
import { RegisterDocument } from '../generated/graphql.ts';
import { ok, type TestServer } from './server.ts';

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.test`;

export interface Account {
  email: string;
  password: string;
  userId: string;
  organizationId: string;
  organizationSlug: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a new user owning a new organization. */
export async function createOwner(
  server: TestServer,
  options: {
    email?: string;
    password?: string;
    name?: string;
    organizationName?: string;
    /** Request headers, e.g. X-Forwarded-For to register from an address of the test's choosing. */
    headers?: Record<string, string>;
  } = {},
): Promise<Account> {
  const email = options.email ?? uniqueEmail('owner');
  const password = options.password ?? PASSWORD;
  const { register } = ok(
    await server.gql(
      RegisterDocument,
      {
        input: {
          email,
          password,
          name: options.name ?? 'Owner',
          organizationName: options.organizationName ?? `Org ${randomUUID().slice(0, 6)}`,
        },
      },
      { headers: options.headers },
    ),
  );
  return {
    email,
    password,
    userId: register.user.id,
    organizationId: register.organization.id,
    organizationSlug: register.organization.slug,
    accessToken: register.accessToken,
    refreshToken: register.refreshToken,
  };
}

/**
 * The scopes an owner's (or admin's) token lists in the default product's operator
 * organization (its first, when OPERATOR_ORGANIZATION is unset): `write:*` expanded over every
 * module the organization may use, the operator modules included.
 */
export const OWNER_SCOPES = [
  'write:organization',
  'write:members',
  'write:service_accounts',
  'write:tokens',
  'write:work_items',
  'write:sla_policies',
  'write:notifications',
  'write:audit',
  'write:products',
  'write:subscriptions',
];

/** An owner's in an organization that operates no product: no operator modules. */
export const CUSTOMER_OWNER_SCOPES = OWNER_SCOPES.filter((scope) => !/:(products|subscriptions)$/.test(scope));

/** A member's: `read:*` and `write:work_items`, expanded; members never hold the operator modules. */
export const MEMBER_SCOPES = [
  'read:organization',
  'read:members',
  'read:service_accounts',
  'read:tokens',
  'write:work_items',
  'read:sla_policies',
  'read:notifications',
  'read:audit',
];
