import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CurrentOrganizationDocument,
  LeaveOrganizationDocument,
  LoginDocument,
  LogoutAllDocument,
  LogoutDocument,
  MeDocument,
  MyOrganizationsDocument,
  RefreshDocument,
  RegisterDocument,
  SelectOrganizationDocument,
  SwitchOrganizationDocument,
  UpdateOrganizationDocument,
  UpdateProfileDocument,
} from './generated/graphql.ts';
import { createOwner, MEMBER_SCOPES, OWNER_SCOPES, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

describe('register', () => {
  it('creates the user and an organization it owns, and answers working tokens', async () => {
    const email = uniqueEmail('New.User');
    const { register } = ok(
      await server.gql(RegisterDocument, {
        input: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: 'Ada', organizationName: 'Ada & Co.' },
      }),
    );
    expect(register.user.email).toBe(email.toLowerCase());
    expect(register.organization.slug).toMatch(/^ada-co/);
    expect(register.scopes).toEqual(OWNER_SCOPES);
    expect(register.expiresIn).toBe(3600);

    const { me } = ok(await server.gql(MeDocument, {}, { token: register.accessToken }));
    expect(me).toMatchObject({ id: register.user.id, email: email.toLowerCase(), name: 'Ada', locale: 'en' });
    const { myOrganizations } = ok(await server.gql(MyOrganizationsDocument, {}, { token: register.accessToken }));
    expect(myOrganizations).toEqual([
      { role: 'OWNER', organization: register.organization, user: { id: register.user.id } },
    ]);
  });

  it('adds a second organization to an existing user who gives the right password', async () => {
    const owner = await createOwner(server);
    const { register } = ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: owner.password, name: 'Ignored', organizationName: 'Second' },
      }),
    );
    expect(register.user.id).toBe(owner.userId);
    expect(register.organization.id).not.toBe(owner.organizationId);
    const { myOrganizations } = ok(await server.gql(MyOrganizationsDocument, {}, { token: register.accessToken }));
    expect(myOrganizations.map((m) => m.role)).toEqual(['OWNER', 'OWNER']);
  });

  it('with an existing email and a wrong password fails exactly like a bad login', async () => {
    const owner = await createOwner(server);
    const viaRegister = failure(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: 'a different long password', name: 'X', organizationName: 'Y' },
      }),
    );
    const viaLogin = failure(
      await server.gql(LoginDocument, { input: { email: owner.email, password: 'a different long password' } }),
    );
    expect({ message: viaRegister.message, extensions: viaRegister.extensions }).toEqual({
      message: viaLogin.message,
      extensions: viaLogin.extensions,
    });
    expect(viaRegister.extensions?.code).toBe('UNAUTHENTICATED');
    const { myOrganizations } = ok(await server.gql(MyOrganizationsDocument, {}, { token: owner.accessToken }));
    expect(myOrganizations).toHaveLength(1);
  });
});

describe('login', () => {
  it('answers tokens directly for a user in one organization', async () => {
    const owner = await createOwner(server);
    const { login } = ok(await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }));
    if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
    expect(login.organization.id).toBe(owner.organizationId);
    const { organization } = ok(await server.gql(CurrentOrganizationDocument, {}, { token: login.accessToken }));
    expect(organization.id).toBe(owner.organizationId);
  });

  it('gives a member the scopes of its role, a pair that refreshes, and the answer of a wrong password once it belongs nowhere', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const { login } = ok(
      await server.gql(LoginDocument, { input: { email: member.email, password: member.password } }),
    );
    if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
    expect(login.scopes).toEqual(MEMBER_SCOPES);
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: login.refreshToken } }));
    expect(refresh).toMatchObject({
      scopes: MEMBER_SCOPES,
      organization: { id: owner.organizationId },
    });

    ok(
      await server.gql(
        LeaveOrganizationDocument,
        { input: { organizationId: owner.organizationId } },
        { token: refresh.accessToken },
      ),
    );
    // With no organization in the product, the product does not know the user: the answer
    // says no more than a wrong password would.
    const refused = failure(
      await server.gql(LoginDocument, { input: { email: member.email, password: member.password } }),
    );
    const wrong = failure(
      await server.gql(LoginDocument, { input: { email: member.email, password: 'not the password' } }),
    );
    expect(refused).toEqual(wrong);
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers the same error for a wrong password and an unknown email', async () => {
    const owner = await createOwner(server);
    const wrong = failure(
      await server.gql(LoginDocument, { input: { email: owner.email, password: 'not the password' } }),
    );
    const unknown = failure(
      await server.gql(LoginDocument, { input: { email: uniqueEmail('nobody'), password: 'not the password' } }),
    );
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('asks a user of several organizations to choose, with a single-use selection token', async () => {
    const owner = await createOwner(server);
    const second = ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: owner.password, name: 'O', organizationName: 'Second' },
      }),
    ).register;

    const { login } = ok(await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }));
    if (login.__typename !== 'OrganizationSelection') throw new Error('expected a selection');
    expect(login.organizations.map((o) => o.id).sort()).toEqual([owner.organizationId, second.organization.id].sort());

    const stranger = await createOwner(server);
    const notMine = failure(
      await server.gql(SelectOrganizationDocument, {
        input: { selectionToken: login.selectionToken, organizationId: stranger.organizationId },
      }),
    );
    expect(notMine.extensions?.code).toBe('NOT_FOUND');

    const { selectOrganization } = ok(
      await server.gql(SelectOrganizationDocument, {
        input: { selectionToken: login.selectionToken, organizationId: second.organization.id },
      }),
    );
    expect(selectOrganization.organization.id).toBe(second.organization.id);

    const replay = failure(
      await server.gql(SelectOrganizationDocument, {
        input: { selectionToken: login.selectionToken, organizationId: owner.organizationId },
      }),
    );
    expect(replay.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('goes straight to a named organization, and refuses one the user is not in', async () => {
    const owner = await createOwner(server);
    ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: owner.password, name: 'O', organizationName: 'Second' },
      }),
    );
    const { login } = ok(
      await server.gql(LoginDocument, {
        input: { email: owner.email, password: owner.password, organizationId: owner.organizationId },
      }),
    );
    expect(login.__typename === 'AuthPayload' && login.organization.id).toBe(owner.organizationId);

    const stranger = await createOwner(server);
    const refused = failure(
      await server.gql(LoginDocument, {
        input: { email: owner.email, password: owner.password, organizationId: stranger.organizationId },
      }),
    );
    expect(refused.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('switchOrganization', () => {
  it('issues a pair for another of the user’s organizations and refuses foreign ones', async () => {
    const owner = await createOwner(server);
    const second = ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: owner.password, name: 'O', organizationName: 'Second' },
      }),
    ).register;
    const { switchOrganization } = ok(
      await server.gql(
        SwitchOrganizationDocument,
        { input: { organizationId: owner.organizationId } },
        { token: second.accessToken },
      ),
    );
    expect(switchOrganization.organization.id).toBe(owner.organizationId);
    const { organization } = ok(
      await server.gql(CurrentOrganizationDocument, {}, { token: switchOrganization.accessToken }),
    );
    expect(organization.id).toBe(owner.organizationId);
    // The other pair keeps its own organization: it is not shared server state.
    const still = ok(await server.gql(CurrentOrganizationDocument, {}, { token: second.accessToken }));
    expect(still.organization.id).toBe(second.organization.id);

    const stranger = await createOwner(server);
    const refused = failure(
      await server.gql(
        SwitchOrganizationDocument,
        { input: { organizationId: stranger.organizationId } },
        { token: owner.accessToken },
      ),
    );
    expect(refused.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(refused)).not.toContain(stranger.organizationSlug);
  });
});

describe('sessions', () => {
  it('refresh rotates: the new pair works and the old refresh token is spent', async () => {
    const owner = await createOwner(server);
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
    expect(refresh.refreshToken).not.toBe(owner.refreshToken);
    ok(await server.gql(MeDocument, {}, { token: refresh.accessToken }));
    const again = ok(await server.gql(RefreshDocument, { input: { refreshToken: refresh.refreshToken } }));
    expect(again.refresh.user.id).toBe(owner.userId);
  });

  it('logout ends that session only; logoutAll ends all of them', async () => {
    const owner = await createOwner(server);
    const other = ok(
      await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }),
    ).login;
    if (other.__typename !== 'AuthPayload') throw new Error('expected tokens');

    expect(ok(await server.gql(LogoutDocument, { input: { refreshToken: owner.refreshToken } })).logout).toBe(true);
    expect(
      failure(await server.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
    const stillAlive = ok(await server.gql(RefreshDocument, { input: { refreshToken: other.refreshToken } })).refresh;

    expect(ok(await server.gql(LogoutAllDocument, {}, { token: stillAlive.accessToken })).logoutAll).toBe(true);
    expect(
      failure(await server.gql(RefreshDocument, { input: { refreshToken: stillAlive.refreshToken } })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('me, organization and myOrganizations need a signed-in user', async () => {
    const responses = await Promise.all([
      server.gql(MeDocument, {}),
      server.gql(CurrentOrganizationDocument, {}),
      server.gql(MyOrganizationsDocument, {}),
    ]);
    for (const response of responses) expect(failure(response).extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('me and organization', () => {
  it('answer each of many callers asking at once with their own rows, as their last changes left them', async () => {
    const owners = await Promise.all(Array.from({ length: 6 }, () => createOwner(server)));
    await Promise.all(
      owners.flatMap((owner, i) => [
        server.gql(UpdateProfileDocument, { input: { name: `Person ${i}` } }, { token: owner.accessToken }),
        server.gql(UpdateOrganizationDocument, { input: { name: `Company ${i}` } }, { token: owner.accessToken }),
      ]),
    );
    // Lookups made together are read in one query of each kind: each answer must still be its
    // asker's row. Every owner asks three times for both.
    const asked = owners.flatMap((owner, i) => [0, 1, 2].map(() => ({ owner, i })));
    const [people, companies] = await Promise.all([
      Promise.all(asked.map(({ owner }) => server.gql(MeDocument, {}, { token: owner.accessToken }))),
      Promise.all(asked.map(({ owner }) => server.gql(CurrentOrganizationDocument, {}, { token: owner.accessToken }))),
    ]);
    asked.forEach(({ owner, i }, k) => {
      const person = people[k] as (typeof people)[number];
      const company = companies[k] as (typeof companies)[number];
      expect(ok(person).me).toMatchObject({ id: owner.userId, email: owner.email, name: `Person ${i}` });
      expect(ok(company).organization).toMatchObject({ id: owner.organizationId, name: `Company ${i}` });
    });
  });
});

describe('updateProfile', () => {
  it('changes the name and the language, which then localizes errors', async () => {
    const owner = await createOwner(server);
    const { updateProfile } = ok(
      await server.gql(UpdateProfileDocument, { input: { name: 'Jana', locale: 'cs' } }, { token: owner.accessToken }),
    );
    expect(updateProfile).toMatchObject({ name: 'Jana', locale: 'cs' });
    const error = failure(
      await server.gql(
        SwitchOrganizationDocument,
        { input: { organizationId: 'nonsense' } },
        { token: owner.accessToken },
      ),
    );
    expect(error).toMatchObject({
      message: 'Hodnota pole organizationId není platná.',
      extensions: { field: 'organizationId' },
    });
  });

  it('refuses an unsupported language, naming the field', async () => {
    const owner = await createOwner(server);
    const error = failure(
      await server.gql(UpdateProfileDocument, { input: { locale: 'xx' } }, { token: owner.accessToken }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locale' });
  });
});
