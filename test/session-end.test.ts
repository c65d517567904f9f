// Sessions end at once. After logoutAll, a password change or reset, a removal, a role
// change or a disabled account, the affected access token is refused on the very next
// request, its open socket is closed with 4403 and its SSE stream ends with an
// UNAUTHENTICATED error. With PostgreSQL and Redis the same holds on a second instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserDisabled } from '../src/accounts/disable.ts';
import {
  AcceptInvitationDocument,
  ChangePasswordDocument,
  InviteMemberDocument,
  LoginDocument,
  LogoutAllDocument,
  MeDocument,
  NotificationAddedDocument,
  RefreshDocument,
  RemoveMemberDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  RevokeApiTokenDocument,
  UpdateMemberRoleDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, within, wsUrl } from './helpers/live.ts';
import { createMachineToken } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { notificationStream } from './helpers/sse.ts';
import { addMember, loginTo } from './helpers/work.ts';

const ENDED = 'This session has ended; sign in again.';

interface Scenario {
  /** Whose access token the change must end. */
  victim: Account;
  /** The change, made through `on`. */
  act(): Promise<void>;
  /** A token the change hands out or leaves alone, which must keep working. */
  survivor?(): Promise<string>;
}

/** Each way a session ends, set up on `on` (where the change is made). */
const endings: [string, (on: TestServer) => Promise<Scenario>][] = [
  [
    'logoutAll',
    async (on) => {
      const victim = await createOwner(on);
      return { victim, act: async () => void ok(await on.gql(LogoutAllDocument, {}, { token: victim.accessToken })) };
    },
  ],
  [
    'changePassword',
    async (on) => {
      const victim = await createOwner(on);
      let fresh = '';
      return {
        victim,
        act: async () => {
          const input = { currentPassword: victim.password, newPassword: 'a new and longer passphrase' };
          fresh = ok(await on.gql(ChangePasswordDocument, { input }, { token: victim.accessToken })).changePassword
            .accessToken;
        },
        survivor: async () => fresh,
      };
    },
  ],
  [
    'resetPassword',
    async (on) => {
      const victim = await createOwner(on);
      return {
        victim,
        act: async () => {
          ok(await on.gql(RequestPasswordResetDocument, { input: { email: victim.email } }));
          const token = tokenFromEmail(await waitForEmail(on.dataDir, victim.email));
          ok(await on.gql(ResetPasswordDocument, { input: { token, password: 'a new and longer passphrase' } }));
        },
      };
    },
  ],
  [
    'removeMember',
    async (on) => {
      const owner = await createOwner(on);
      const victim = await addMember(on, owner);
      const input = { userId: victim.userId };
      return {
        victim,
        act: async () => void ok(await on.gql(RemoveMemberDocument, { input }, { token: owner.accessToken })),
      };
    },
  ],
  [
    'updateMemberRole',
    async (on) => {
      const owner = await createOwner(on);
      const victim = await addMember(on, owner);
      const input = { userId: victim.userId, role: 'ADMIN' as const };
      return {
        victim,
        act: async () => void ok(await on.gql(UpdateMemberRoleDocument, { input }, { token: owner.accessToken })),
        // Refresh re-reads the role: the new pair carries the new scopes and works.
        survivor: async () =>
          ok(await on.gql(RefreshDocument, { input: { refreshToken: victim.refreshToken } })).refresh.accessToken,
      };
    },
  ],
  [
    'a disabled account',
    async (on) => {
      const victim = await createOwner(on);
      return { victim, act: async () => void (await setUserDisabled(on.app, victim.email, true)) };
    },
  ],
];

/** Opens what a browser holds open for `account` on `at`: a socket and an SSE stream, both live. */
async function holdOpen(at: TestServer, account: Account) {
  const socket = connect(wsUrl(at, account.accessToken));
  const feed = await subscribe(socket, NotificationAddedDocument, notificationProbe(at, account));
  const stream = await notificationStream(at, account);
  return { socket, feed, stream };
}

/** The change made on `on` ends, on `at`, the victim's token, socket and stream. */
async function expectEnded(on: TestServer, at: TestServer, setup: (on: TestServer) => Promise<Scenario>) {
  const scenario = await setup(on);
  const { victim } = scenario;
  const { socket, feed, stream } = await holdOpen(at, victim);
  ok(await at.gql(MeDocument, {}, { token: victim.accessToken }));

  await scenario.act();

  const refused = failure(await at.gql(MeDocument, {}, { token: victim.accessToken }));
  expect(refused.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  expect(refused.message).toBe(ENDED);
  expect(await within(socket.closed, 5000, 'the socket to close')).toEqual({ code: 4403, reason: 'SESSION_ENDED' });
  const last = await stream.next();
  expect(last.errors?.[0]).toMatchObject({
    message: ENDED,
    extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' },
  });
  await within(stream.ended, 5000, 'the stream to end');
  if (scenario.survivor) ok(await at.gql(MeDocument, {}, { token: await scenario.survivor() }));
  await feed.dispose();
}

describe('sessions end at once on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => server?.close());

  it.each(endings)('%s ends the access token, its socket and its SSE stream', (_name, setup) =>
    expectEnded(server, server, setup),
  );

  it('a removal ends the member’s tokens for that organization only, and rejoining does not revive them', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    // The member also owns an organization of their own.
    const own = await createOwner(server, { email: member.email, password: member.password });
    const elsewhere = await loginTo(server, member, own.organizationId);

    ok(await server.gql(RemoveMemberDocument, { input: { userId: member.userId } }, { token: owner.accessToken }));
    expect(failure(await server.gql(MeDocument, {}, { token: member.accessToken })).message).toBe(ENDED);
    ok(await server.gql(MeDocument, {}, { token: elsewhere.accessToken }));

    const back = await rejoinAs(server, owner, member);
    ok(await server.gql(MeDocument, {}, { token: back.accessToken }));
    expect(failure(await server.gql(MeDocument, {}, { token: member.accessToken })).message).toBe(ENDED);
  });

  it('other people’s sessions are untouched, and signing in again works', async () => {
    const owner = await createOwner(server);
    const colleague = await addMember(server, owner);
    ok(await server.gql(LogoutAllDocument, {}, { token: owner.accessToken }));
    ok(await server.gql(MeDocument, {}, { token: colleague.accessToken }));
    const { login } = ok(
      await server.gql(LoginDocument, {
        input: { email: owner.email, password: owner.password, organizationId: owner.organizationId },
      }),
    );
    if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
    ok(await server.gql(MeDocument, {}, { token: login.accessToken }));
  });

  it('a revoked API token closes the socket it opened with 4403', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['read:organization']);
    const socket = connect(wsUrl(server, robot.token));
    await within(socket.connected, 5000, 'the connection');
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: robot.tokenId } }, { token: owner.accessToken }));
    expect((await within(socket.closed, 5000, 'the socket to close')).code).toBe(4403);
  });
});

const acrossInstances = needing('sessions end at once across instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(acrossInstances.skip)(acrossInstances.title, () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
    second = await startServer({ reuse: first, env: { SLA_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it.each(endings)('%s on one instance ends the token, socket and stream held on the other', (_name, setup) =>
    expectEnded(first, second, setup),
  );
});

/** Invites `person` back into the owner's organization and accepts with their password. */
async function rejoinAs(server: TestServer, owner: Account, person: Account): Promise<Account> {
  ok(
    await server.gql(
      InviteMemberDocument,
      { input: { email: person.email, role: 'MEMBER' } },
      { token: owner.accessToken },
    ),
  );
  const token = tokenFromEmail(await waitForEmail(server.dataDir, person.email, { after: 1 }));
  const { acceptInvitation } = ok(
    await server.gql(AcceptInvitationDocument, { input: { token, name: 'Back', password: person.password } }),
  );
  return { ...person, accessToken: acceptInvitation.accessToken, refreshToken: acceptInvitation.refreshToken };
}
