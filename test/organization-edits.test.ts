// Edits of the organization itself and of who belongs to it: renaming, withdrawing an
// invitation, leaving. Each is audited, refuses bad input without writing, and reads another
// organization's ids as unknown.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  CurrentOrganizationDocument,
  InvitationsDocument,
  InviteMemberDocument,
  LeaveOrganizationDocument,
  MeDocument,
  MembersDocument,
  MyOrganizationsDocument,
  RefreshDocument,
  RevokeInvitationDocument,
  UpdateOrganizationDocument,
} from './generated/graphql.ts';
import { auditActions, createMachineToken } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember, loginTo } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

/** The rows these edits touch, to show that a refused one wrote nothing. */
async function snapshot(organizationId: string) {
  const db = server.app.db;
  const [organization, memberships, invitations, refreshTokens, auditEvents] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: organizationId } }),
    db.membership.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    db.invitation.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    db.refreshToken.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    db.auditEvent.count({ where: { organizationId } }),
  ]);
  return { organization, memberships, invitations, refreshTokens, auditEvents };
}

async function invite(owner: Account, email = uniqueEmail('invitee')) {
  const { inviteMember } = ok(
    await server.gql(InviteMemberDocument, { input: { email, role: 'MEMBER' } }, { token: owner.accessToken }),
  );
  return { ...inviteMember, token: tokenFromEmail(await waitForEmail(server.dataDir, email)) };
}

describe('updateOrganization', () => {
  it('renames and re-slugs the caller’s organization, and audits it', async () => {
    const owner = await createOwner(server);
    const slug = `acme-${randomUUID().slice(0, 8)}`;
    const { updateOrganization } = ok(
      await server.gql(
        UpdateOrganizationDocument,
        { input: { name: ' Acme Corp ', slug } },
        { token: owner.accessToken },
      ),
    );
    expect(updateOrganization).toEqual({ id: owner.organizationId, name: 'Acme Corp', slug });
    expect(ok(await server.gql(CurrentOrganizationDocument, {}, { token: owner.accessToken })).organization).toEqual(
      updateOrganization,
    );
    const renamed = ok(
      await server.gql(UpdateOrganizationDocument, { input: { name: 'Acme' } }, { token: owner.accessToken }),
    ).updateOrganization;
    expect(renamed).toEqual({ id: owner.organizationId, name: 'Acme', slug });
    const events = await auditActions(server, owner.accessToken);
    expect(events.filter((e) => e.action === 'organization.updated')).toHaveLength(2);
    expect(events[0]).toMatchObject({ targetType: 'Organization', targetId: owner.organizationId });
  });

  it('a token with write:organization edits its own organization only', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const robot = await createMachineToken(server, stranger, ['write:organization']);
    const before = await snapshot(owner.organizationId);
    const { updateOrganization } = ok(
      await server.gql(UpdateOrganizationDocument, { input: { name: 'Robots' } }, { token: robot.token }),
    );
    expect(updateOrganization.id).toBe(stranger.organizationId);
    expect(await snapshot(owner.organizationId)).toEqual(before);
  });

  it('a member may not, and is told the scope', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const before = await snapshot(owner.organizationId);
    const error = failure(
      await server.gql(UpdateOrganizationDocument, { input: { name: 'Mine' } }, { token: member.accessToken }),
    );
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:organization'] });
    // The refusal is audited off the request path; the organization itself is untouched.
    expect((await snapshot(owner.organizationId)).organization).toEqual(before.organization);
  });

  it.each([
    ['a slug with spaces', { slug: 'Acme Corp' }, 'BAD_USER_INPUT', 'slug'],
    ['a blank name', { name: '  ' }, 'BAD_USER_INPUT', 'name'],
    ['a null name', { name: null }, 'BAD_USER_INPUT', 'name'],
    ['nothing to change', {}, 'BAD_USER_INPUT', 'input'],
    ['another organization’s slug', { slug: 'TAKEN' }, 'CONFLICT', 'slug'],
  ])('refuses %s and writes nothing', async (_case, input, code, field) => {
    const owner = await createOwner(server);
    const other = await createOwner(server);
    const before = await snapshot(owner.organizationId);
    const given = 'slug' in input && input.slug === 'TAKEN' ? { ...input, slug: other.organizationSlug } : input;
    const error = failure(await server.gql(UpdateOrganizationDocument, { input: given }, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code, field });
    expect(await snapshot(owner.organizationId)).toEqual(before);
  });
});

describe('revokeInvitation', () => {
  it('withdraws a pending invitation: gone from the list, its link dead, audited; again is harmless', async () => {
    const owner = await createOwner(server);
    const invitation = await invite(owner);
    const { revokeInvitation } = ok(
      await server.gql(RevokeInvitationDocument, { input: { id: invitation.id } }, { token: owner.accessToken }),
    );
    expect(revokeInvitation.revokedAt).not.toBeNull();
    const { invitations } = ok(await server.gql(InvitationsDocument, {}, { token: owner.accessToken }));
    expect(invitations.totalCount).toBe(0);
    const accept = failure(
      await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, name: 'N', password: PASSWORD } }),
    );
    expect(accept.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });

    const again = ok(
      await server.gql(RevokeInvitationDocument, { input: { id: invitation.id } }, { token: owner.accessToken }),
    ).revokeInvitation;
    expect(again.revokedAt).toBe(revokeInvitation.revokedAt);
    const revoked = (await auditActions(server, owner.accessToken)).filter(
      (e) => e.action === 'member.invitation_revoked',
    );
    expect(revoked.map((e) => e.targetId)).toEqual([invitation.id]);
  });

  it('an accepted invitation is a CONFLICT, and the member stays', async () => {
    const owner = await createOwner(server);
    const invitation = await invite(owner);
    ok(
      await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, name: 'N', password: PASSWORD } }),
    );
    const before = await snapshot(owner.organizationId);
    const error = failure(
      await server.gql(RevokeInvitationDocument, { input: { id: invitation.id } }, { token: owner.accessToken }),
    );
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(await snapshot(owner.organizationId)).toEqual(before);
  });

  it.each([
    ['another organization’s invitation', 'FOREIGN'],
    ['an unknown id', randomUUID()],
    ['a malformed id', 'not-an-id'],
  ])('%s answers NOT_FOUND and changes nothing', async (_case, id) => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const theirs = await invite(stranger);
    const before = await snapshot(stranger.organizationId);
    const error = failure(
      await server.gql(
        RevokeInvitationDocument,
        { input: { id: id === 'FOREIGN' ? theirs.id : id } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(JSON.stringify(error)).not.toContain(theirs.email);
    expect(await snapshot(stranger.organizationId)).toEqual(before);
    // Their invitation still works.
    ok(await server.gql(AcceptInvitationDocument, { input: { token: theirs.token, name: 'N', password: PASSWORD } }));
  });
});

describe('leaveOrganization', () => {
  it('a member leaves: their sessions there end, the owner sees it in the audit', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    expect(
      ok(
        await server.gql(
          LeaveOrganizationDocument,
          { input: { organizationId: owner.organizationId } },
          { token: member.accessToken },
        ),
      ).leaveOrganization,
    ).toBe(true);
    expect(failure(await server.gql(MeDocument, {}, { token: member.accessToken })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const refresh = failure(await server.gql(RefreshDocument, { input: { refreshToken: member.refreshToken } }));
    expect(refresh.extensions?.code).toBe('UNAUTHENTICATED');
    const { members } = ok(await server.gql(MembersDocument, {}, { token: owner.accessToken }));
    expect(members.edges.map((e) => e.node.user.id)).toEqual([owner.userId]);
    expect((await auditActions(server, owner.accessToken))[0]).toMatchObject({
      action: 'member.left',
      actorId: member.userId,
      targetId: member.userId,
    });
  });

  it('leaves another of the user’s organizations while the current session goes on', async () => {
    const owner = await createOwner(server);
    const user = await createOwner(server);
    const invitation = await invite(owner, user.email);
    ok(await server.gql(AcceptInvitationDocument, { input: { token: invitation.token, password: user.password } }));
    ok(
      await server.gql(
        LeaveOrganizationDocument,
        { input: { organizationId: owner.organizationId } },
        { token: user.accessToken },
      ),
    );
    const { myOrganizations } = ok(await server.gql(MyOrganizationsDocument, {}, { token: user.accessToken }));
    expect(myOrganizations.map((m) => m.organization.id)).toEqual([user.organizationId]);
  });

  it('the last owner cannot leave; with a second owner they can', async () => {
    const owner = await createOwner(server);
    const leave = (account: Account) =>
      server.gql(
        LeaveOrganizationDocument,
        { input: { organizationId: owner.organizationId } },
        { token: account.accessToken },
      );
    const before = await snapshot(owner.organizationId);
    expect(failure(await leave(owner)).extensions?.code).toBe('CONFLICT');
    expect(await snapshot(owner.organizationId)).toEqual(before);

    const second = await addMember(server, owner, 'OWNER');
    ok(await leave(owner));
    expect(failure(await leave(await loginTo(server, second, owner.organizationId))).extensions?.code).toBe('CONFLICT');
  });

  it.each([
    ['an organization the user is not in', 'FOREIGN', 'NOT_FOUND'],
    ['a malformed id', 'x', 'BAD_USER_INPUT'],
  ])('%s is refused naming organizationId, and nothing changes', async (_case, id, code) => {
    const user = await createOwner(server);
    const stranger = await createOwner(server);
    const mine = await snapshot(user.organizationId);
    const theirs = await snapshot(stranger.organizationId);
    const organizationId = id === 'FOREIGN' ? stranger.organizationId : id;
    const error = failure(
      await server.gql(LeaveOrganizationDocument, { input: { organizationId } }, { token: user.accessToken }),
    );
    expect(error.extensions).toMatchObject({ code, field: 'organizationId' });
    expect([await snapshot(user.organizationId), await snapshot(stranger.organizationId)]).toEqual([mine, theirs]);
  });
});
