// A NUL character cannot be stored in PostgreSQL text. In any string argument, whether it
// comes in a variable or written in the document, nested in an input or in a list, it is
// refused as BAD_USER_INPUT naming the field, and nothing runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument } from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, type GraphQLResponse, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Account;
let robot: string;
beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server);
  robot = (await createMachineToken(server, owner, ['write:notifications'])).token;
});
afterAll(() => server?.close());

const NUL = 'a\u0000b';

/** An enum value: written bare in a document. */
class Enum {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

type Input = Record<string, unknown>;

interface Case {
  /** The root field, and the type of its `input` argument. */
  field: string;
  inputType: string;
  input: Input;
  /** The field BAD_USER_INPUT must name. */
  expected: string;
  as?: 'owner' | 'robot';
  selection?: string;
}

const id = '00000000-0000-4000-8000-000000000000';
const register = { email: uniqueEmail('nul'), password: PASSWORD, name: 'N', organizationName: 'O' };

const mutations: Case[] = [
  { field: 'register', inputType: 'RegisterInput', input: { ...register, name: NUL }, expected: 'name' },
  { field: 'register', inputType: 'RegisterInput', input: { ...register, email: NUL }, expected: 'email' },
  {
    field: 'register',
    inputType: 'RegisterInput',
    input: { ...register, organizationName: NUL },
    expected: 'organizationName',
  },
  { field: 'login', inputType: 'LoginInput', input: { email: NUL, password: PASSWORD }, expected: 'email' },
  { field: 'login', inputType: 'LoginInput', input: { email: 'a@b.io', password: NUL }, expected: 'password' },
  {
    field: 'requestPasswordReset',
    inputType: 'RequestPasswordResetInput',
    input: { email: NUL },
    expected: 'email',
    selection: '',
  },
  {
    field: 'resetPassword',
    inputType: 'ResetPasswordInput',
    input: { token: NUL, password: PASSWORD },
    expected: 'token',
    selection: '',
  },
  {
    field: 'acceptInvitation',
    inputType: 'AcceptInvitationInput',
    input: { token: 't', name: NUL, password: PASSWORD },
    expected: 'name',
  },
  { field: 'updateProfile', inputType: 'UpdateProfileInput', input: { name: NUL }, expected: 'name', as: 'owner' },
  {
    field: 'inviteMember',
    inputType: 'InviteMemberInput',
    input: { email: NUL, role: new Enum('MEMBER') },
    expected: 'email',
    as: 'owner',
  },
  {
    field: 'createServiceAccount',
    inputType: 'CreateServiceAccountInput',
    input: { name: 'Robot', description: NUL },
    expected: 'description',
    as: 'owner',
  },
  {
    field: 'createApiToken',
    inputType: 'CreateApiTokenInput',
    input: { serviceAccountSlug: 'robot', name: NUL, scopes: ['read:*'] },
    expected: 'name',
    as: 'owner',
    selection: '{ token }',
  },
  {
    field: 'createApiToken',
    inputType: 'CreateApiTokenInput',
    input: { serviceAccountSlug: 'robot', name: 'ci', scopes: ['read:*', NUL] },
    expected: 'scopes[1]',
    as: 'owner',
    selection: '{ token }',
  },
  {
    field: 'createWebhookEndpoint',
    inputType: 'CreateWebhookEndpointInput',
    input: { url: `https://hooks.example.com/${NUL}`, events: ['notification.created'] },
    expected: 'url',
    as: 'owner',
    selection: '{ secret }',
  },
  {
    field: 'createSlaPolicy',
    inputType: 'CreateSlaPolicyInput',
    input: { name: NUL, targetMinutes: 60 },
    expected: 'name',
    as: 'owner',
  },
  {
    field: 'createWorkItem',
    inputType: 'CreateWorkItemInput',
    input: { title: 'T', description: NUL },
    expected: 'description',
    as: 'owner',
  },
  {
    field: 'updateSecurityAlertSettings',
    inputType: 'UpdateSecurityAlertSettingsInput',
    input: { slackWebhookUrl: NUL },
    expected: 'slackWebhookUrl',
    as: 'owner',
  },
  {
    field: 'publishNotification',
    inputType: 'PublishNotificationInput',
    input: { userId: id, title: 'Hi', url: NUL },
    expected: 'url',
    as: 'robot',
  },
];

/** The value written as a GraphQL literal; JSON's string escapes (`\u0000`) are GraphQL's too. */
function literal(value: unknown): string {
  if (value instanceof Enum) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

const variable = (value: unknown): unknown =>
  value instanceof Enum
    ? value.name
    : Array.isArray(value)
      ? value.map(variable)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, variable(item)]))
        : value;

async function send(test: Case, how: 'variables' | 'literal') {
  const selection = test.selection ?? '{ __typename }';
  const body =
    how === 'variables'
      ? {
          query: `mutation Try($input: ${test.inputType}!) { ${test.field}(input: $input) ${selection} }`,
          variables: { input: variable(test.input) },
        }
      : { query: `mutation Try { ${test.field}(input: ${literal(test.input)}) ${selection} }` };
  const token = test.as === 'owner' ? owner.accessToken : test.as === 'robot' ? robot : undefined;
  const response = await server.post(body, { token });
  return (await response.json()) as GraphQLResponse<unknown>;
}

function expectRefused(response: GraphQLResponse<unknown>, field: string) {
  const error = failure(response);
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(error.message).toContain('NUL');
  expect(response.data ?? null).toBeNull();
}

describe.each(['variables', 'literal'] as const)('a NUL character in %s', (how) => {
  it.each(mutations.map((test) => [`${test.field} ${test.expected}`, test] as const))(
    '%s is BAD_USER_INPUT naming the field',
    async (_title, test) => {
      expectRefused(await send(test, how), test.expected);
    },
  );
});

describe('a NUL character anywhere in an operation', () => {
  it('refuses a register before it runs: no account is made', async () => {
    const email = uniqueEmail('nul-register');
    const response = await server.post({
      query: 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }',
      variables: { input: { email, password: PASSWORD, name: NUL, organizationName: 'Acme' } },
    });
    expectRefused((await response.json()) as GraphQLResponse<unknown>, 'name');
    const login = await server.gql(LoginDocument, { input: { email, password: PASSWORD } });
    expect(failure(login).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses it in a query argument, in a nested field argument, and in a variable used inside a literal', async () => {
    const cases: [string, Record<string, unknown> | undefined, string][] = [
      ['query ($slug: String!) { serviceAccount(slug: $slug) { id } }', { slug: NUL }, 'slug'],
      ['{ workItems(first: 1, after: "a\\u0000") { edges { cursor } } }', undefined, 'after'],
      [
        'mutation ($name: String!) { createSlaPolicy(input: { name: $name, targetMinutes: 5 }) { id } }',
        { name: NUL },
        'name',
      ],
      ['query { me { id } ...F } fragment F on Query { serviceAccount(slug: "\\u{0}") { id } }', undefined, 'slug'],
    ];
    for (const [query, variables, field] of cases) {
      const response = await server.post({ query, variables }, { token: owner.accessToken });
      expectRefused((await response.json()) as GraphQLResponse<unknown>, field);
    }
  });

  it('answers in the language asked for', async () => {
    const response = await server.post(
      { query: 'mutation { requestPasswordReset(input: { email: "\\u0000" }) }' },
      { locale: 'de' },
    );
    const error = failure((await response.json()) as GraphQLResponse<unknown>);
    expect(error.message).toBe('email darf kein NUL-Zeichen (U+0000) enthalten.');
  });
});
