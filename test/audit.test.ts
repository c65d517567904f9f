import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEventsDocument,
  LoginDocument,
  RefreshDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
} from './generated/graphql.ts';
import { auditActions } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { REFRESH_REUSE_GRACE: '0' } });
});
afterAll(() => server?.close());

describe('auditEvents', () => {
  it('records sign-in, refresh token reuse and password reset in the organization, newest first', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }));
    ok(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
    // Presented again after the (zero) grace window: taken for a stolen token.
    await new Promise((resolve) => setTimeout(resolve, 10));
    failure(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
    // The owner is told of the reuse by a security alert, raised (and audited) after the answer.
    expect(await waitForEmail(server.dataDir, owner.email)).toMatch(/^Subject: Security alert:/m);

    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const token = tokenFromEmail(await waitForEmail(server.dataDir, owner.email, { after: 1 }));
    const password = 'a brand new long password';
    ok(await server.gql(ResetPasswordDocument, { input: { token, password } }));
    const { login } = ok(await server.gql(LoginDocument, { input: { email: owner.email, password } }));
    if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');

    const events = await auditActions(server, login.accessToken);
    expect(events.map((e) => e.action)).toEqual([
      'login.succeeded',
      'password.reset',
      'security_alert.raised',
      'refresh_token.reuse_detected',
      'login.succeeded',
      'user.registered',
    ]);
    expect(events[0]).toMatchObject({ actorType: 'USER', actorId: owner.userId, ip: '127.0.0.1' });
  });

  it('records a failed login in the organizations of the user it was aimed at', async () => {
    const owner = await createOwner(server);
    failure(await server.gql(LoginDocument, { input: { email: owner.email, password: 'not the password at all' } }));
    const events = await auditActions(server, owner.accessToken);
    expect(events[0]).toMatchObject({
      action: 'login.failed',
      actorType: 'USER',
      actorId: owner.userId,
      targetType: 'User',
      targetId: owner.userId,
    });
  });

  it('pages with first/after and shows nothing of other organizations', async () => {
    const owner = await createOwner(server);
    for (let i = 0; i < 3; i++) {
      ok(
        await server.gql(LoginDocument, {
          input: { email: owner.email, password: owner.password, organizationId: owner.organizationId },
        }),
      );
    }
    const all = await auditActions(server, owner.accessToken);
    expect(all).toHaveLength(4);
    const page = ok(await server.gql(AuditEventsDocument, { first: 3 }, { token: owner.accessToken })).auditEvents;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = ok(
      await server.gql(AuditEventsDocument, { first: 3, after: page.pageInfo.endCursor }, { token: owner.accessToken }),
    ).auditEvents;
    expect([...page.edges, ...rest.edges].map((e) => e.node.id)).toEqual(all.map((e) => e.id));
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const stranger = await createOwner(server);
    const theirs = await auditActions(server, stranger.accessToken);
    expect(theirs.map((e) => e.action)).toEqual(['user.registered']);
  });
});
