// Seed builders for work items and live notifications: extra members of an organization.
// Until invitations exist, a member is a registered user whose Membership row is inserted
// directly, then logged in to that organization.
import type { Role } from '../../src/generated/prisma/enums.ts';
import { LoginDocument } from '../generated/graphql.ts';
import { type Account, createOwner } from './seed.ts';
import { ok, type TestServer } from './server.ts';

export async function addMember(server: TestServer, owner: Account, role: Role = 'MEMBER'): Promise<Account> {
  const person = await createOwner(server, { name: `${role.toLowerCase()} of ${owner.organizationSlug}` });
  await server.app.db.membership.create({
    data: { userId: person.userId, organizationId: owner.organizationId, role },
  });
  return loginTo(server, person, owner.organizationId);
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
