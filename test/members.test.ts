import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  InvitationsDocument,
  InviteMemberDocument,
  MembersDocument,
  MyOrganizationsDocument,
  RefreshDocument,
  RemoveMemberDocument,
  UpdateMemberRoleDocument,
} from './generated/graphql.ts';
import { addMember, auditActions, eventually } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner, MEMBER_SCOPES, OWNER_SCOPES, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

describe('invitations', () => {
  it('a new person accepts once, joins with the role and is signed in to that organization', async () => {
    const owner = await createOwner(server);
    const email = uniqueEmail('invitee');
    const { inviteMember } = ok(
      await server.gql(InviteMemberDocument, { input: { email, role: 'ADMIN' } }, { token: owner.accessToken }),
    );
    expect(new Date(inviteMember.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const { invitations } = ok(await server.gql(InvitationsDocument, {}, { token: owner.accessToken }));
    expect(invitations.edges.map((e) => e.node)).toEqual([{ id: inviteMember.id, email, role: 'ADMIN' }]);
    expect(invitations.totalCount).toBe(1);

    const token = tokenFromEmail(await waitForEmail(server.dataDir, email));
    const { acceptInvitation } = ok(
      await server.gql(AcceptInvitationDocument, { input: { token, name: 'Ines', password: PASSWORD } }),
    );
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);
    expect(acceptInvitation.scopes).toEqual(OWNER_SCOPES);
    const { myOrganizations } = ok(
      await server.gql(MyOrganizationsDocument, {}, { token: acceptInvitation.accessToken }),
    );
    expect(myOrganizations.map((m) => [m.organization.id, m.role])).toEqual([[owner.organizationId, 'ADMIN']]);

    const replay = failure(
      await server.gql(AcceptInvitationDocument, { input: { token, name: 'Ines', password: PASSWORD } }),
    );
    expect(replay.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(ok(await server.gql(InvitationsDocument, {}, { token: owner.accessToken })).invitations.totalCount).toBe(0);
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invited', 'member.joined']));
  });

  it('an existing user accepts with their own password, and a wrong one changes nothing', async () => {
    const owner = await createOwner(server);
    const other = await createOwner(server);
    ok(
      await server.gql(
        InviteMemberDocument,
        { input: { email: other.email, role: 'MEMBER' } },
        { token: owner.accessToken },
      ),
    );
    const token = tokenFromEmail(await waitForEmail(server.dataDir, other.email));
    const wrong = failure(
      await server.gql(AcceptInvitationDocument, { input: { token, password: 'not the right password' } }),
    );
    expect(wrong.extensions?.code).toBe('UNAUTHENTICATED');
    const { acceptInvitation } = ok(
      await server.gql(AcceptInvitationDocument, { input: { token, password: other.password } }),
    );
    expect(acceptInvitation.user.id).toBe(other.userId);
    expect(acceptInvitation.scopes).toEqual(MEMBER_SCOPES);
  });

  it.each([
    ['a bad email', { email: 'nope', role: 'MEMBER' as const }, 'email'],
    ['an existing member', { email: '', role: 'MEMBER' as const }, 'email'],
  ])('refuses %s, naming the field', async (_case, input, field) => {
    const owner = await createOwner(server);
    const response = await server.gql(
      InviteMemberDocument,
      { input: { ...input, email: input.email || owner.email } },
      { token: owner.accessToken },
    );
    expect(failure(response).extensions?.field).toBe(field);
  });

  it('a new person must give a name and an acceptable password', async () => {
    const owner = await createOwner(server);
    const email = uniqueEmail('invitee');
    ok(await server.gql(InviteMemberDocument, { input: { email, role: 'MEMBER' } }, { token: owner.accessToken }));
    const token = tokenFromEmail(await waitForEmail(server.dataDir, email));
    const noName = failure(await server.gql(AcceptInvitationDocument, { input: { token, password: PASSWORD } }));
    expect(noName.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const weak = failure(
      await server.gql(AcceptInvitationDocument, { input: { token, name: 'N', password: 'short' } }),
    );
    expect(weak.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    // Nothing was spent: the invitation still works.
    ok(await server.gql(AcceptInvitationDocument, { input: { token, name: 'N', password: PASSWORD } }));
  });
});

describe('roles', () => {
  it('only an owner makes owners; an admin trying is refused and audited', async () => {
    const owner = await createOwner(server);
    const admin = await addMember(server, owner, 'ADMIN');
    const member = await addMember(server, owner, 'MEMBER');

    const invite = failure(
      await server.gql(
        InviteMemberDocument,
        { input: { email: uniqueEmail(), role: 'OWNER' } },
        { token: admin.accessToken },
      ),
    );
    expect(invite.extensions?.code).toBe('FORBIDDEN');
    const promote = failure(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: admin.userId, role: 'OWNER' } },
        { token: admin.accessToken },
      ),
    );
    expect(promote.extensions?.code).toBe('FORBIDDEN');
    const demoteOwner = failure(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: owner.userId, role: 'MEMBER' } },
        { token: admin.accessToken },
      ),
    );
    expect(demoteOwner.extensions?.code).toBe('FORBIDDEN');

    // An admin may manage non-owners.
    const { updateMemberRole } = ok(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: member.userId, role: 'ADMIN' } },
        { token: admin.accessToken },
      ),
    );
    expect(updateMemberRole.role).toBe('ADMIN');

    const denied = (await auditActions(server, owner.accessToken)).filter((e) => e.action === 'authorization.denied');
    expect(denied.map((e) => e.actorId)).toEqual([admin.userId, admin.userId, admin.userId]);
  });

  it('a member inviting is refused and audited', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner, 'MEMBER');
    const refused = failure(
      await server.gql(
        InviteMemberDocument,
        { input: { email: uniqueEmail(), role: 'MEMBER' } },
        { token: member.accessToken },
      ),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    await eventually(async () => {
      const events = await auditActions(server, owner.accessToken);
      expect(events).toContainEqual(
        expect.objectContaining({ action: 'authorization.denied', actorId: member.userId, targetId: null }),
      );
    });
  });

  it('the last owner can be neither demoted nor removed; with a second owner both work', async () => {
    const owner = await createOwner(server);
    const demote = failure(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: owner.userId, role: 'ADMIN' } },
        { token: owner.accessToken },
      ),
    );
    expect(demote.extensions?.code).toBe('CONFLICT');
    const remove = failure(
      await server.gql(RemoveMemberDocument, { input: { userId: owner.userId } }, { token: owner.accessToken }),
    );
    expect(remove.extensions?.code).toBe('CONFLICT');

    const second = await addMember(server, owner, 'OWNER');
    ok(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: owner.userId, role: 'ADMIN' } },
        { token: second.accessToken },
      ),
    );
    const again = failure(
      await server.gql(RemoveMemberDocument, { input: { userId: second.userId } }, { token: second.accessToken }),
    );
    expect(again.extensions?.code).toBe('CONFLICT');
  });
});

describe('removeMember', () => {
  it('ends the removed member’s sessions in that organization at once', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner, 'MEMBER');
    expect(
      ok(await server.gql(RemoveMemberDocument, { input: { userId: member.userId } }, { token: owner.accessToken }))
        .removeMember,
    ).toBe(true);
    const refresh = failure(await server.gql(RefreshDocument, { input: { refreshToken: member.refreshToken } }));
    expect(refresh.extensions?.code).toBe('UNAUTHENTICATED');
    const { members } = ok(await server.gql(MembersDocument, {}, { token: owner.accessToken }));
    expect(members.edges.map((e) => e.node.user.id)).toEqual([owner.userId]);
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toContain('member.removed');
  });

  it('answers NOT_FOUND for someone of another organization, revealing nothing', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    for (const response of [
      await server.gql(RemoveMemberDocument, { input: { userId: stranger.userId } }, { token: owner.accessToken }),
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: stranger.userId, role: 'MEMBER' } },
        { token: owner.accessToken },
      ),
    ]) {
      const error = failure(response);
      expect(error.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(error)).not.toContain(stranger.email);
    }
    const { members } = ok(await server.gql(MembersDocument, {}, { token: stranger.accessToken }));
    expect(members.edges).toHaveLength(1);
  });
});

describe('members connection', () => {
  it('pages forwards with first/after and backwards with last/before', async () => {
    const owner = await createOwner(server);
    const added = [];
    for (let i = 0; i < 3; i++) added.push(await addMember(server, owner, 'MEMBER'));
    const everyone = [owner.userId, ...added.map((m) => m.userId)];

    const first = ok(await server.gql(MembersDocument, { first: 2 }, { token: owner.accessToken })).members;
    expect(first.edges.map((e) => e.node.user.id)).toEqual(everyone.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = ok(
      await server.gql(MembersDocument, { first: 2, after: first.pageInfo.endCursor }, { token: owner.accessToken }),
    ).members;
    expect(second.edges.map((e) => e.node.user.id)).toEqual(everyone.slice(2));
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const last = ok(await server.gql(MembersDocument, { last: 1 }, { token: owner.accessToken })).members;
    expect(last.edges.map((e) => e.node.user.id)).toEqual(everyone.slice(-1));

    const before = ok(
      await server.gql(MembersDocument, { last: 2, before: last.pageInfo.endCursor }, { token: owner.accessToken }),
    ).members;
    expect(before.edges.map((e) => e.node.user.id)).toEqual(everyone.slice(1, 3));

    const bad = failure(await server.gql(MembersDocument, { after: 'nonsense' }, { token: owner.accessToken }));
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const negative = failure(await server.gql(MembersDocument, { first: -1 }, { token: owner.accessToken }));
    expect(negative.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
