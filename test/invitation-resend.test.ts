// Sending an invitation again: a new email with a new link, valid for another 7 days, while the
// link of the earlier email stops working; only for invitations still open, only by those who
// may invite, and only within the caller's organization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  InvitationsWithExpiredDocument,
  InviteMemberDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
} from './generated/graphql.ts';
import { addMember, auditActions } from './helpers/machine.ts';
import { countEmails, tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

async function invite(inviter: { accessToken: string }, role: 'MEMBER' | 'ADMIN' | 'OWNER' = 'MEMBER') {
  const email = uniqueEmail('invitee');
  const { inviteMember } = ok(
    await server.gql(InviteMemberDocument, { input: { email, role } }, { token: inviter.accessToken }),
  );
  const token = tokenFromEmail(await waitForEmail(server.dataDir, email));
  return { id: inviteMember.id, email, token };
}

describe('resendInvitation', () => {
  it('emails a new link that works, and the earlier link stops working', async () => {
    const owner = await createOwner(server);
    const invitation = await invite(owner);
    const before = Date.now();
    const { resendInvitation } = ok(
      await server.gql(ResendInvitationDocument, { input: { id: invitation.id } }, { token: owner.accessToken }),
    );
    expect(resendInvitation).toMatchObject({
      id: invitation.id,
      email: invitation.email,
      role: 'MEMBER',
      revokedAt: null,
    });
    expect(new Date(resendInvitation.expiresAt).getTime()).toBeGreaterThanOrEqual(before + 7 * 24 * 3600_000 - 1000);

    const second = tokenFromEmail(await waitForEmail(server.dataDir, invitation.email, { after: 1 }));
    expect(second).not.toBe(invitation.token);
    expect(await countEmails(server.dataDir, invitation.email)).toBe(2);

    const stale = failure(
      await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, name: 'N', password: PASSWORD } }),
    );
    expect(stale.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    const { acceptInvitation } = ok(
      await server.gql(AcceptInvitationDocument, { input: { token: second, name: 'N', password: PASSWORD } }),
    );
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);
    expect((await auditActions(server, owner.accessToken)).map((event) => event.action)).toContain(
      'member.invitation_resent',
    );
  });

  it('refuses an invitation already accepted or revoked, with a message in the caller’s language', async () => {
    const owner = await createOwner(server);
    const accepted = await invite(owner);
    ok(await server.gql(AcceptInvitationDocument, { input: { token: accepted.token, name: 'A', password: PASSWORD } }));
    const afterAccepting = failure(
      await server.gql(ResendInvitationDocument, { input: { id: accepted.id } }, { token: owner.accessToken }),
    );
    expect(afterAccepting.extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });

    const revoked = await invite(owner);
    ok(await server.gql(RevokeInvitationDocument, { input: { id: revoked.id } }, { token: owner.accessToken }));
    const afterRevoking = failure(
      await server.gql(
        ResendInvitationDocument,
        { input: { id: revoked.id } },
        { token: owner.accessToken, locale: 'de' },
      ),
    );
    expect(afterRevoking.extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(afterRevoking.message).toMatch(/widerrufen/);
    expect(await countEmails(server.dataDir, revoked.email)).toBe(1);
  });

  it('refuses members, and admins resending an invitation to become owner', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner, 'MEMBER');
    const admin = await addMember(server, owner, 'ADMIN');
    const invitation = await invite(owner);
    const byMember = failure(
      await server.gql(ResendInvitationDocument, { input: { id: invitation.id } }, { token: member.accessToken }),
    );
    expect(byMember.extensions).toMatchObject({ code: 'FORBIDDEN' });

    const toOwner = await invite(owner, 'OWNER');
    const byAdmin = failure(
      await server.gql(ResendInvitationDocument, { input: { id: toOwner.id } }, { token: admin.accessToken }),
    );
    expect(byAdmin.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await countEmails(server.dataDir, invitation.email)).toBe(1);
    expect(await countEmails(server.dataDir, toOwner.email)).toBe(1);
    // The admin may resend the others.
    ok(await server.gql(ResendInvitationDocument, { input: { id: invitation.id } }, { token: admin.accessToken }));
  });

  it('sends an expired invitation again, which the list shows when asked for expired ones', async () => {
    const owner = await createOwner(server);
    const invitation = await invite(owner);
    // A week has passed (the test's clock cannot wait for it).
    await server.app.db.invitation.update({
      where: { id: invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const listed = async (includeExpired: boolean) =>
      ok(
        await server.gql(InvitationsWithExpiredDocument, { includeExpired }, { token: owner.accessToken }),
      ).invitations.edges.map((edge) => edge.node.id);
    expect(await listed(false)).toEqual([]);
    expect(await listed(true)).toEqual([invitation.id]);
    const expired = failure(
      await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, name: 'E', password: PASSWORD } }),
    );
    expect(expired.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });

    ok(await server.gql(ResendInvitationDocument, { input: { id: invitation.id } }, { token: owner.accessToken }));
    expect(await listed(false)).toEqual([invitation.id]);
    const fresh = tokenFromEmail(await waitForEmail(server.dataDir, invitation.email, { after: 1 }));
    ok(await server.gql(AcceptInvitationDocument, { input: { token: fresh, name: 'E', password: PASSWORD } }));
    // Accepted: in neither list.
    expect(await listed(true)).toEqual([]);
  });

  it('finds no invitation of another organization, nor a malformed id', async () => {
    const owner = await createOwner(server);
    const invitation = await invite(owner);
    const stranger = await createOwner(server);
    const foreign = failure(
      await server.gql(ResendInvitationDocument, { input: { id: invitation.id } }, { token: stranger.accessToken }),
    );
    expect(foreign.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const malformed = failure(
      await server.gql(ResendInvitationDocument, { input: { id: 'not-an-id' } }, { token: owner.accessToken }),
    );
    expect(malformed.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await countEmails(server.dataDir, invitation.email)).toBe(1);
    // The invitation still works with its first link.
    ok(
      await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, name: 'I', password: PASSWORD } }),
    );
  });
});
