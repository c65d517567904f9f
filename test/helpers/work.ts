// Seed builders for work items and live notifications: extra members of an organization,
// invited and accepted through the API, and logins to a chosen organization.
import type { Role } from '../../src/generated/prisma/enums.ts';
import { LoginDocument } from '../generated/graphql.ts';
import { addMember as invite } from './machine.ts';
import type { Account } from './seed.ts';
import { ok, type TestServer } from './server.ts';

export async function addMember(server: TestServer, owner: Account, role: Role = 'MEMBER'): Promise<Account> {
  const member = await invite(server, owner, role);
  return { ...member, organizationId: owner.organizationId, organizationSlug: owner.organizationSlug };
}

/** Logs an account in to one of its organizations (on any instance). */
export async function loginTo(server: TestServer, account: Account, organizationId: string): Promise<Account> {
  const { login } = ok(
    await server.gql(LoginDocument, { input: { email: account.email, password: account.password, organizationId } }),
  );
  if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
  return {
    ...account,
    organizationId,
    organizationSlug: login.organization.slug,
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
  };
}
