// Seed builders for organizations with members, service accounts and API tokens.
import { randomUUID } from 'node:crypto';
import {
  AcceptInvitationDocument,
  AuditEventsDocument,
  CreateApiTokenDocument,
  CreateServiceAccountDocument,
  InviteMemberDocument,
  type Role,
} from '../generated/graphql.ts';
import { tokenFromEmail, waitForEmail } from './mail.ts';
import { type Account, PASSWORD, uniqueEmail } from './seed.ts';
import { ok, type TestServer } from './server.ts';

export interface Member {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

/** Invites a new person with `role` into the owner's organization and accepts for them. */
export async function addMember(server: TestServer, inviter: { accessToken: string }, role: Role): Promise<Member> {
  const email = uniqueEmail(role.toLowerCase());
  ok(await server.gql(InviteMemberDocument, { input: { email, role } }, { token: inviter.accessToken }));
  const token = tokenFromEmail(await waitForEmail(server.dataDir, email));
  const { acceptInvitation } = ok(
    await server.gql(AcceptInvitationDocument, { input: { token, name: role, password: PASSWORD } }),
  );
  return {
    email,
    password: PASSWORD,
    userId: acceptInvitation.user.id,
    accessToken: acceptInvitation.accessToken,
    refreshToken: acceptInvitation.refreshToken,
  };
}

export interface MachineToken {
  serviceAccountSlug: string;
  serviceAccountId: string;
  tokenId: string;
  token: string;
}

/** A new service account in the owner's organization with one token of `scopes`. */
export async function createMachineToken(
  server: TestServer,
  owner: Pick<Account, 'accessToken'>,
  scopes: string[],
): Promise<MachineToken> {
  const { createServiceAccount } = ok(
    await server.gql(
      CreateServiceAccountDocument,
      { input: { name: 'Robot', slug: `robot-${randomUUID().slice(0, 8)}` } },
      { token: owner.accessToken },
    ),
  );
  const { createApiToken } = ok(
    await server.gql(
      CreateApiTokenDocument,
      { input: { serviceAccountSlug: createServiceAccount.slug, name: 'ci', scopes } },
      { token: owner.accessToken },
    ),
  );
  return {
    serviceAccountSlug: createServiceAccount.slug,
    serviceAccountId: createServiceAccount.id,
    tokenId: createApiToken.apiToken.id,
    token: createApiToken.token,
  };
}

/** The organization's audit actions, newest first. */
export async function auditActions(server: TestServer, token: string, first = 100) {
  const { auditEvents } = ok(await server.gql(AuditEventsDocument, { first }, { token }));
  return auditEvents.edges.map((edge) => edge.node);
}

/** Polls until `check` passes (for effects written off the request path). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
