import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordDocument,
  LoginDocument,
  MeDocument,
  RefreshDocument,
  RegisterDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
} from './generated/graphql.ts';
import { countEmails, tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const NEW_PASSWORD = 'a brand new passphrase';
const login = (email: string, password: string) => server.gql(LoginDocument, { input: { email, password } });

describe('password policy', () => {
  it.each([
    ['too short', 'short7!', 'password must have at least 8 characters.'],
    ['too long', 'x'.repeat(129), 'password must have at most 128 characters.'],
    ['common', 'password123', 'This password is too common; choose another one.'],
  ])('refuses a %s password at registration, naming the field', async (_what, password, message) => {
    const error = failure(
      await server.gql(RegisterDocument, {
        input: { email: uniqueEmail(), password, name: 'N', organizationName: 'O' },
      }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(error.message).toBe(message);
  });

  it('accepts a 128-character passphrase', async () => {
    ok(
      await server.gql(RegisterDocument, {
        input: {
          email: uniqueEmail(),
          password: 'correct horse '.repeat(10).slice(0, 128),
          name: 'N',
          organizationName: 'O',
        },
      }),
    );
  });
});

describe('changePassword', () => {
  it('needs the current password, naming the field when it is wrong', async () => {
    const owner = await createOwner(server);
    const error = failure(
      await server.gql(
        ChangePasswordDocument,
        { input: { currentPassword: 'not it at all', newPassword: NEW_PASSWORD } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    ok(await login(owner.email, owner.password));
  });

  it('changes it, revokes the other sessions and answers a working pair', async () => {
    const owner = await createOwner(server);
    const other = ok(await login(owner.email, owner.password)).login;
    if (other.__typename !== 'AuthPayload') throw new Error('expected tokens');

    const { changePassword } = ok(
      await server.gql(
        ChangePasswordDocument,
        { input: { currentPassword: owner.password, newPassword: NEW_PASSWORD } },
        { token: owner.accessToken },
      ),
    );
    ok(await server.gql(MeDocument, {}, { token: changePassword.accessToken }));
    ok(await server.gql(RefreshDocument, { input: { refreshToken: changePassword.refreshToken } }));
    for (const stale of [owner.refreshToken, other.refreshToken]) {
      expect(failure(await server.gql(RefreshDocument, { input: { refreshToken: stale } })).extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(failure(await login(owner.email, owner.password)).extensions?.code).toBe('UNAUTHENTICATED');
    ok(await login(owner.email, NEW_PASSWORD));
  });
});

describe('password reset', () => {
  it('answers true for an unknown email and sends nothing', async () => {
    const email = uniqueEmail('ghost');
    expect(ok(await server.gql(RequestPasswordResetDocument, { input: { email } })).requestPasswordReset).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await countEmails(server.dataDir, email)).toBe(0);
  });

  it('emails a single-use link; the reset ends every session', async () => {
    const owner = await createOwner(server);
    expect(
      ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email.toUpperCase() } }))
        .requestPasswordReset,
    ).toBe(true);
    const email = await waitForEmail(server.dataDir, owner.email);
    expect(email).toMatch(/^Subject: Reset your Herald password$/m);
    const token = tokenFromEmail(email);

    expect(
      ok(await server.gql(ResetPasswordDocument, { input: { token, password: NEW_PASSWORD } })).resetPassword,
    ).toBe(true);
    expect(
      failure(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
    ok(await login(owner.email, NEW_PASSWORD));
    expect(failure(await login(owner.email, owner.password)).extensions?.code).toBe('UNAUTHENTICATED');

    const replay = failure(
      await server.gql(ResetPasswordDocument, { input: { token, password: 'yet another passphrase' } }),
    );
    expect(replay.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    ok(await login(owner.email, NEW_PASSWORD));

    const audit = await server.app.db.auditEvent.findMany({
      where: { organizationId: owner.organizationId, action: 'password.reset' },
    });
    expect(audit).toHaveLength(1);
  });

  it('refuses a link older than 30 minutes', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const token = tokenFromEmail(await waitForEmail(server.dataDir, owner.email));
    // Age the link as the clock would.
    await server.app.db.passwordReset.updateMany({
      where: { userId: owner.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const error = failure(await server.gql(ResetPasswordDocument, { input: { token, password: NEW_PASSWORD } }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    ok(await login(owner.email, owner.password));
  });

  it('an earlier link dies when a later one is used', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const first = tokenFromEmail(await waitForEmail(server.dataDir, owner.email));
    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const second = tokenFromEmail(await waitForEmail(server.dataDir, owner.email, { after: 1 }));
    expect(second).not.toBe(first);
    ok(await server.gql(ResetPasswordDocument, { input: { token: second, password: NEW_PASSWORD } }));
    expect(
      failure(await server.gql(ResetPasswordDocument, { input: { token: first, password: 'other passphrase 42' } }))
        .extensions?.field,
    ).toBe('token');
  });
});
