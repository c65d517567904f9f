// Errors say what to fix: the scope a refusal lacked, the value graphql-js would have
// suggested, the format a date-time takes, the word an Authorization header misses; in the
// request's language where the text is ours, and always with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateApiTokenDocument,
  CreateWorkItemDocument,
  InviteMemberDocument,
  MeDocument,
  PublishNotificationDocument,
  WorkItemsDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const workItemCount = (organizationId: string) => server.app.db.workItem.count({ where: { organizationId } });

describe('FORBIDDEN names what was missing', () => {
  it.each([
    ['en', /needs the scope write:work_items, which this API token does not hold/],
    ['cs', /vyžaduje rozsah write:work_items, který tento API token nemá/],
    ['de', /erfordert den Geltungsbereich write:work_items, den dieses API-Token nicht hat/],
  ])('a token without the scope (%s)', async (locale, message) => {
    const owner = await createOwner(server);
    const reader = await createMachineToken(server, owner, ['read:work_items']);
    const error = failure(
      await server.gql(CreateWorkItemDocument, { input: { title: 'no' } }, { token: reader.token, locale }),
    );
    expect(error.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_SCOPE',
      requiredScopes: ['write:work_items'],
    });
    expect(error.message).toMatch(message);
    expect(await workItemCount(owner.organizationId)).toBe(0);
  });

  it('a member whose role lacks the scope', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const error = failure(
      await server.gql(
        InviteMemberDocument,
        { input: { email: 'x@example.test', role: 'MEMBER' } },
        { token: member.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_SCOPE',
      requiredScopes: ['write:members'],
    });
    expect(error.message).toMatch(/needs the scope write:members, which your role in this organization does not grant/);
    // Only the invitation that brought the member in.
    expect(await server.app.db.invitation.count({ where: { organizationId: owner.organizationId } })).toBe(1);
  });

  it('handing out more than one holds names the scopes, and making owners names the role', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:tokens', 'read:members']);
    const before = await server.app.db.apiToken.count({ where: { organizationId: owner.organizationId } });
    const mint = failure(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: robot.serviceAccountSlug, name: 'n', scopes: ['read:members', 'write:audit'] } },
        { token: robot.token, locale: 'de' },
      ),
    );
    expect(mint.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:audit'] });
    expect(mint.message).toBe('write:audit können Sie nicht vergeben: Sie haben es selbst nicht.');
    expect(await server.app.db.apiToken.count({ where: { organizationId: owner.organizationId } })).toBe(before);

    const admin = await addMember(server, owner, 'ADMIN');
    const invite = failure(
      await server.gql(
        InviteMemberDocument,
        { input: { email: 'boss@example.test', role: 'OWNER' } },
        { token: admin.accessToken },
      ),
    );
    expect(invite.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'OWNER' });
    expect(invite.message).toBe('Only an owner of the organization can make, change or remove owners.');
  });

  it('a field for one kind of principal says which', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:*']);
    const me = failure(await server.gql(MeDocument, {}, { token: robot.token }));
    expect(me.extensions).toMatchObject({ code: 'FORBIDDEN', requiredPrincipal: 'USER', requiredScopes: [] });
    expect(me.message).toBe('Only a signed-in user can do this, not an API token.');

    const publish = failure(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: owner.userId, title: 'hi' } },
        { token: owner.accessToken },
      ),
    );
    expect(publish.extensions).toMatchObject({
      code: 'FORBIDDEN',
      requiredPrincipal: 'SERVICE_ACCOUNT',
      requiredScopes: ['write:notifications'],
    });
    expect(publish.message).toMatch(/service account.*write:notifications/);
  });
});

describe('bad variables keep graphql-js’s help', () => {
  const create = async (input: Record<string, unknown>, locale?: string) => {
    const owner = await createOwner(server);
    const error = failure(
      await server.gql(CreateWorkItemDocument, { input } as never, { token: owner.accessToken, locale }),
    );
    expect(await workItemCount(owner.organizationId)).toBe(0);
    return error;
  };

  it.each([
    ['en', 'priority must be one of HIGH, LOW, MEDIUM, URGENT, not "high". Did you mean "HIGH"?'],
    ['cs', 'Pole priority musí být jedna z hodnot HIGH, LOW, MEDIUM, URGENT, ne "high". Měli jste na mysli "HIGH"?'],
    ['de', 'priority muss einer der Werte HIGH, LOW, MEDIUM, URGENT sein, nicht "high". Meinten Sie "HIGH"?'],
  ])('an enum value in the wrong case is suggested (%s)', async (locale, message) => {
    const error = await create({ title: 't', priority: 'high' }, locale);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'priority' });
    expect(error.message).toBe(message);
  });

  it('an enum value far from any lists what is allowed', async () => {
    const error = await create({ title: 't', priority: 'whenever' });
    expect(error.message).toBe('priority must be one of HIGH, LOW, MEDIUM, URGENT, not "whenever".');
  });

  it.each(['tomorrow', '2030-01-31', '1', '2030-02-30T09:00:00Z'])(
    'dueAt %j says an ISO 8601 date-time is expected',
    async (dueAt) => {
      const error = await create({ title: 't', dueAt });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueAt' });
      expect(error.message).toBe('dueAt must be an ISO 8601 date-time with an offset, such as 2030-01-31T09:00:00Z.');
    },
  );

  it('a date-time with an offset is taken', async () => {
    const owner = await createOwner(server);
    const { createWorkItem } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 't', dueAt: '2030-01-31T10:00:00+01:00' } },
        { token: owner.accessToken },
      ),
    );
    expect(createWorkItem.dueAt).toBe('2030-01-31T09:00:00.000Z');
  });

  it('in Czech, the date-time format too', async () => {
    const error = await create({ title: 't', dueAt: 'zítra' }, 'cs');
    expect(error.message).toBe(
      'Pole dueAt musí být datum a čas podle ISO 8601 s posunem, například 2030-01-31T09:00:00Z.',
    );
  });

  it('a wrong type and an unknown field name what was expected', async () => {
    const wrongType = await create({ title: 42 });
    expect(wrongType.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    expect(wrongType.message).toBe('title must be of type String, not 42.');
    const unknown = await create({ title: 't', dueDate: '2030-01-31T09:00:00Z' });
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueDate' });
    expect(unknown.message).toBe('dueDate is not a field of CreateWorkItemInput. Did you mean "dueAt"?');
  });

  it('a nested filter value names its path, and a bad top-level variable names the variable', async () => {
    const owner = await createOwner(server);
    const nested = failure(
      await server.gql(WorkItemsDocument, { filter: { status: ['open'] } } as never, { token: owner.accessToken }),
    );
    expect(nested.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status[0]' });
    expect(nested.message).toMatch(/Did you mean "OPEN"\?$/);
    const first = failure(await server.gql(WorkItemsDocument, { first: 'ten' } as never, { token: owner.accessToken }));
    expect(first.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(first.message).toBe('first must be of type Int, not "ten".');
  });

  it('a date-time written into the document itself says the format too', async () => {
    const owner = await createOwner(server);
    const response = await server.post(
      { query: 'mutation { createWorkItem(input: { title: "t", dueAt: "tomorrow" }) { id } }' },
      { token: owner.accessToken },
    );
    const error = failure((await response.json()) as never);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('Expected an ISO 8601 date-time with an offset, such as 2030-01-31T09:00:00Z.');
    expect(await workItemCount(owner.organizationId)).toBe(0);
  });

  it('a token scope list keeps naming the valid scopes', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['read:members']);
    const error = failure(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: robot.serviceAccountSlug, name: 'n', scopes: ['write:workitems'] } },
        { token: owner.accessToken },
      ),
    );
    expect(error.message).toMatch(/Unknown scope "write:workitems". Valid scopes: .*write:work_items/);
  });
});

describe('the Authorization header', () => {
  it.each([
    ['a bare access token', (token: string) => token],
    ['another scheme', (token: string) => `Token ${token}`],
    ['the word alone', () => 'Bearer'],
  ])('%s is refused with a message that asks for "Bearer "', async (_case, header) => {
    const owner = await createOwner(server);
    const response = await server.post(
      { query: '{ me { id } }' },
      { headers: { authorization: header(owner.accessToken) } },
    );
    expect(response.status).toBe(401);
    const error = failure((await response.json()) as never);
    expect(error.extensions?.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/^The Authorization header must be "Bearer " followed by an access token/);
  });

  it('says so in German too, and a proper header still works', async () => {
    const owner = await createOwner(server);
    const response = await server.post(
      { query: '{ me { id } }' },
      { headers: { authorization: owner.accessToken }, locale: 'de' },
    );
    expect(failure((await response.json()) as never).message).toMatch(/^Der Authorization-Header muss „Bearer “/);
    expect(ok(await server.gql(MeDocument, {}, { token: owner.accessToken })).me.id).toBe(owner.userId);
  });

  it('registering with a bad header writes nothing', async () => {
    const before = await server.app.db.user.count();
    const response = await server.post(
      {
        query: 'mutation R($input: RegisterInput!) { register(input: $input) { accessToken } }',
        variables: {
          input: { email: 'n@example.test', password: 'long enough pass', name: 'N', organizationName: 'O' },
        },
      },
      { headers: { authorization: 'hld_nonsense' } },
    );
    expect(response.status).toBe(401);
    expect(await server.app.db.user.count()).toBe(before);
  });
});
