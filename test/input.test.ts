// Bad input for every account mutation: BAD_USER_INPUT naming the field, and nothing written.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordDocument,
  LoginDocument,
  LogoutDocument,
  RefreshDocument,
  RegisterDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SelectOrganizationDocument,
  SwitchOrganizationDocument,
  UpdateProfileDocument,
} from './generated/graphql.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Account;
beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server);
});
afterAll(() => server?.close());

const register = { email: 'ok@example.test', password: PASSWORD, name: 'N', organizationName: 'O' };

// Variables are sent untyped on purpose: a client can send anything.
type Case = [
  name: string,
  document: TypedDocumentNode<unknown, never>,
  input: Record<string, unknown>,
  field: string,
  auth?: boolean,
];

const cases: Case[] = [
  ['register: malformed email', RegisterDocument, { ...register, email: 'not-an-email' }, 'email'],
  ['register: email too long', RegisterDocument, { ...register, email: `${'a'.repeat(250)}@x.io` }, 'email'],
  ['register: short password', RegisterDocument, { ...register, password: 'short' }, 'password'],
  ['register: missing password', RegisterDocument, { ...register, password: undefined }, 'password'],
  ['register: missing email', RegisterDocument, { ...register, email: undefined }, 'email'],
  ['register: blank name', RegisterDocument, { ...register, name: '   ' }, 'name'],
  [
    'register: missing organization name',
    RegisterDocument,
    { ...register, organizationName: undefined },
    'organizationName',
  ],
  ['register: name too long', RegisterDocument, { ...register, name: 'n'.repeat(101) }, 'name'],
  ['register: wrong type', RegisterDocument, { ...register, name: 42 }, 'name'],
  ['register: unknown field', RegisterDocument, { ...register, role: 'OWNER' }, 'role'],
  ['login: malformed email', LoginDocument, { email: 'nope', password: PASSWORD }, 'email'],
  ['login: empty password', LoginDocument, { email: 'a@b.io', password: '' }, 'password'],
  ['login: missing password', LoginDocument, { email: 'a@b.io' }, 'password'],
  [
    'login: organizationId not an id',
    LoginDocument,
    { email: 'a@b.io', password: PASSWORD, organizationId: 'x' },
    'organizationId',
  ],
  [
    'selectOrganization: missing token',
    SelectOrganizationDocument,
    { organizationId: crypto.randomUUID() },
    'selectionToken',
  ],
  [
    'selectOrganization: bad id',
    SelectOrganizationDocument,
    { selectionToken: 't', organizationId: '1' },
    'organizationId',
  ],
  ['switchOrganization: bad id', SwitchOrganizationDocument, { organizationId: 'x' }, 'organizationId', true],
  ['switchOrganization: missing id', SwitchOrganizationDocument, {}, 'organizationId', true],
  ['refresh: missing token', RefreshDocument, {}, 'refreshToken'],
  ['logout: missing token', LogoutDocument, {}, 'refreshToken'],
  ['requestPasswordReset: malformed email', RequestPasswordResetDocument, { email: 'x@' }, 'email'],
  ['resetPassword: missing token', ResetPasswordDocument, { password: PASSWORD }, 'token'],
  ['resetPassword: short password', ResetPasswordDocument, { token: 't', password: '1234' }, 'password'],
  [
    'changePassword: common new password',
    ChangePasswordDocument,
    { currentPassword: PASSWORD, newPassword: 'qwertyuiop' },
    'newPassword',
    true,
  ],
  [
    'changePassword: missing current',
    ChangePasswordDocument,
    { newPassword: 'fine new passphrase' },
    'currentPassword',
    true,
  ],
  ['updateProfile: unsupported locale', UpdateProfileDocument, { locale: 'fr' }, 'locale', true],
  ['updateProfile: blank name', UpdateProfileDocument, { name: ' ' }, 'name', true],
  ['updateProfile: nothing to change', UpdateProfileDocument, {}, 'input', true],
];

async function rowCounts() {
  const db = server.app.db;
  const [users, organizations, memberships, refreshTokens, resets, selections, emails] = await Promise.all([
    db.user.count(),
    db.organization.count(),
    db.membership.count(),
    db.refreshToken.count(),
    db.passwordReset.count(),
    db.organizationSelection.count(),
    db.outboundEmail.count(),
  ]);
  const profile = await db.user.findUniqueOrThrow({ where: { id: owner.userId } });
  return { users, organizations, memberships, refreshTokens, resets, selections, emails, profile };
}

describe('bad input', () => {
  it.each(cases)(
    '%s → BAD_USER_INPUT naming the field, nothing written',
    async (_name, document, input, field, auth) => {
      const before = await rowCounts();
      const error = failure(await server.gql(document, { input } as never, auth ? { token: owner.accessToken } : {}));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error.message.length).toBeGreaterThan(0);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('a register that fails validation leaves no user behind', async () => {
    const email = uniqueEmail('half');
    failure(await server.gql(RegisterDocument, { input: { ...register, email, organizationName: ' ' } }));
    expect(await server.app.db.user.findUnique({ where: { email } })).toBeNull();
  });
});
