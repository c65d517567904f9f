// Rate limits, bounds on query shape and batches, and the language of errors.

import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newApiTokenSecret } from '../src/auth/api-token-format.ts';
import {
  LoginDocument,
  LogoutAllDocument,
  MeDocument,
  RefreshDocument,
  RegisterDocument,
  RequestPasswordResetDocument,
  RevokeApiTokenDocument,
  UpdateProfileDocument,
} from './generated/graphql.ts';
import { wsUrl } from './helpers/live.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createOwner, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

describe('rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { RATE_LIMIT_IP_PER_MINUTE: '8', TRUST_PROXY: '1' },
    });
  });
  afterAll(() => server?.close());

  it('per IP: the budget covers login, registration and reset together, with a retry time', async () => {
    const ip = { headers: { 'x-forwarded-for': '192.0.2.7' } };
    const attempts = [
      () => server.gql(LoginDocument, { input: { email: uniqueEmail(), password: 'whatever pass' } }, ip),
      () => server.gql(RequestPasswordResetDocument, { input: { email: uniqueEmail() } }, ip),
      () =>
        server.gql(
          RegisterDocument,
          { input: { email: uniqueEmail(), password: 'long enough pass', name: 'N', organizationName: 'O' } },
          ip,
        ),
    ];
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await (attempts[i % attempts.length] as () => ReturnType<TestServer['gql']>)();
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    expect(codes.slice(0, 8)).not.toContain('RATE_LIMITED');
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Another address is unaffected.
    ok(
      await server.gql(
        RequestPasswordResetDocument,
        { input: { email: uniqueEmail() } },
        {
          headers: { 'x-forwarded-for': '192.0.2.8' },
        },
      ),
    );
  });

  it('per IP: guessing refresh tokens runs out of attempts', async () => {
    const ip = { headers: { 'x-forwarded-for': '203.0.113.9' } };
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await server.gql(RefreshDocument, { input: { refreshToken: `guess-${i}` } }, ip);
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('UNAUTHENTICATED'));
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('per IP: forged tokens run out of attempts, while a good token from there keeps working', async () => {
    const owner = await createOwner(server);
    // Verified once from elsewhere; from then on it costs the limiter nothing.
    ok(await server.gql(MeDocument, {}, { token: owner.accessToken }));
    const headers = { 'x-forwarded-for': '203.0.113.10' };
    const forged = [`${owner.accessToken.slice(0, -4)}AAAA`, 'hld_0000000000000000000000000000000000000000000abcdef'];
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await server.gql(MeDocument, {}, { headers, token: forged[i % 2] });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('UNAUTHENTICATED'));
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(ok(await server.gql(MeDocument, {}, { headers, token: owner.accessToken })).me.id).toBe(owner.userId);
  });

  it('per email: password reset requests for one address are capped', async () => {
    const email = uniqueEmail('reset');
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await server.gql(
        RequestPasswordResetDocument,
        { input: { email } },
        {
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        },
      );
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual([undefined, undefined, undefined, undefined, undefined, 'RATE_LIMITED']);
  });
});

describe('per IP: only what proves guessing counts against a token budget', () => {
  const BUDGET = 5;
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_IP_PER_MINUTE: String(BUDGET), TRUST_PROXY: '1' } });
  });
  afterAll(() => server?.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  let registrations = 0;
  /** Each registered from an address of its own, so that sign-up budgets stay out of the way. */
  const register = () => createOwner(server, { headers: from(`10.3.0.${++registrations}`) });
  const ENDED = 'This session has ended; sign in again.';

  /** Opens a WebSocket from `ip` with `token` and answers the code it is closed with. */
  const socketClosedWith = (ip: string, token: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(wsUrl(server, token), 'graphql-transport-ws', { headers: from(ip) });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });

  it('a signed-out user’s tabs and sockets, however many, leave the office’s neighbours served', async () => {
    const office = '203.0.113.40';
    const leaving = await register();
    const colleague = await register();
    ok(await server.gql(LogoutAllDocument, {}, { token: leaving.accessToken, headers: from(office) }));

    for (let i = 0; i < BUDGET * 3; i++) {
      const refused = failure(await server.gql(MeDocument, {}, { token: leaving.accessToken, headers: from(office) }));
      expect(refused).toMatchObject({ message: ENDED, extensions: { code: 'UNAUTHENTICATED' } });
    }
    for (let i = 0; i < BUDGET * 2; i++) {
      const input = { refreshToken: leaving.refreshToken };
      const refused = failure(await server.gql(RefreshDocument, { input }, { headers: from(office) }));
      expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
    }
    for (let i = 0; i < BUDGET; i++) expect(await socketClosedWith(office, leaving.accessToken)).toBe(4403);

    // A token this server has never verified, from the same address.
    expect(ok(await server.gql(MeDocument, {}, { token: colleague.accessToken, headers: from(office) })).me.id).toBe(
      colleague.userId,
    );
  });

  it('junk JWTs beyond the budget are RATE_LIMITED, while a valid token from there is still served', async () => {
    const attacker = '203.0.113.41';
    const neighbour = await register();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ org: neighbour.organizationId, scopes: ['write:*'], type: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: decodeProtectedHeader(neighbour.accessToken).kid as string })
      .setSubject(neighbour.userId)
      .setIssuer('herald')
      .setAudience('herald')
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime('1h')
      .sign(privateKey);
    const junk = [forged, 'not.a.jwt', `${neighbour.accessToken.slice(0, -4)}AAAA`];
    const codes = [];
    for (let i = 0; i < BUDGET + 3; i++) {
      const response = await server.gql(MeDocument, {}, { token: junk[i % junk.length], headers: from(attacker) });
      codes.push(failure(response).extensions?.code);
    }
    expect(codes.slice(0, BUDGET)).toEqual(Array(BUDGET).fill('UNAUTHENTICATED'));
    expect(codes.slice(BUDGET)).toEqual(Array(3).fill('RATE_LIMITED'));
    expect(ok(await server.gql(MeDocument, {}, { token: neighbour.accessToken, headers: from(attacker) })).me.id).toBe(
      neighbour.userId,
    );
  });

  it('a revoked API token is refused for what it is; unknown ones run out of attempts', async () => {
    const owner = await register();
    const robot = await createMachineToken(server, owner, ['read:organization']);
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: robot.tokenId } }, { token: owner.accessToken }));
    const deployed = from('203.0.113.42');
    for (let i = 0; i < BUDGET * 2; i++) {
      expect(
        failure(await server.gql(MeDocument, {}, { token: robot.token, headers: deployed })).extensions?.code,
      ).toBe('UNAUTHENTICATED');
    }
    const guesser = from('203.0.113.43');
    const codes = [];
    for (let i = 0; i < BUDGET + 1; i++) {
      // Well-formed (the checksum holds), so each costs a lookup that finds nothing.
      const unknown = newApiTokenSecret();
      codes.push(failure(await server.gql(MeDocument, {}, { token: unknown, headers: guesser })).extensions?.code);
    }
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });
});

describe('request bounds', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({
      env: {
        MAX_QUERY_DEPTH: '2',
        MAX_ALIASES: '3',
        MAX_QUERY_COST: '60',
        MAX_QUERY_TOKENS: '300',
        MAX_BATCH_SIZE: '3',
        MAX_REQUEST_BODY_BYTES: '4000',
      },
    });
    // The seed builder's query is deeper than this server allows; a flat one does.
    const response = await server.post({
      query: `mutation { register(input: { email: "${uniqueEmail()}", password: "long enough pass", name: "N", organizationName: "O" }) { accessToken } }`,
    });
    token = ((await response.json()) as { data: { register: { accessToken: string } } }).data.register.accessToken;
  });
  afterAll(() => server?.close());

  const rejected = async (query: string) => {
    const body = (await (await server.post({ query }, { token })).json()) as {
      errors?: { extensions?: Record<string, unknown> }[];
    };
    return body.errors?.[0]?.extensions;
  };

  it('refuses a query deeper than the limit, fragments included', async () => {
    expect(await rejected('{ me { id } }')).toBeUndefined();
    const tooDeep = { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' };
    expect(await rejected('{ myOrganizations { user { id } } }')).toMatchObject(tooDeep);
    expect(await rejected('fragment U on User { id } { myOrganizations { user { ...U } } }')).toMatchObject(tooDeep);
  });

  it('refuses too many aliases, too many tokens and too much cost', async () => {
    expect(await rejected('{ a: me { id } b: me { id } c: me { id } d: me { id } }')).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'QUERY_TOO_COMPLEX',
    });
    const manyFields = `{ me { ${Array.from({ length: 200 }, () => 'id').join(' ')} } }`;
    expect(await rejected(manyFields)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
    const costly = `{ ${Array.from({ length: 3 }, (_, i) => `m${i}: myOrganizations { role user { id email name locale } }`).join(' ')} }`;
    expect(await rejected(costly)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
  });

  it('refuses a body over MAX_REQUEST_BODY_BYTES with 413, sized or chunked, and runs none of it', async () => {
    const email = uniqueEmail();
    const operation = {
      query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
      // An unused variable pads the body; within the limit the registration would succeed.
      variables: {
        input: { email, password: 'long enough pass', name: 'N', organizationName: 'O' },
        padding: 'x'.repeat(5000),
      },
    };
    // A body sent as a stream goes without Content-Length (chunked), so it is counted as it arrives.
    const chunked = (body: unknown) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([JSON.stringify(body)]).stream(),
        duplex: 'half',
      } as RequestInit);

    const sized = await server.post(operation);
    expect(sized.status).toBe(413);
    expect(((await sized.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/too large/i);
    const streamed = await chunked(operation);
    expect(streamed.status).toBe(413);
    expect(await server.app.db.user.findUnique({ where: { email } })).toBeNull();

    const small = await chunked({ query: '{ __typename }' });
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers a batch within the limit and refuses a larger one', async () => {
    const one = { query: '{ __typename }' };
    const small = await server.post([one, one, one]);
    expect(((await small.json()) as unknown[]).length).toBe(3);
    const large = await server.post([one, one, one, one]);
    expect(large.status).toBe(413);
  });
});

describe('language of errors', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  const message = async (options: { locale?: string; headers?: Record<string, string>; token?: string }) =>
    failure(await server.gql(MeDocument, {}, options)).message;

  it.each([
    ['?locale=cs', { locale: 'cs' }, 'Je vyžadováno přihlášení.'],
    ['?locale=de', { locale: 'de' }, 'Anmeldung erforderlich.'],
    [
      'Accept-Language with q-values',
      { headers: { 'accept-language': 'fr;q=0.9, de;q=0.8, en;q=0.5' } },
      'Anmeldung erforderlich.',
    ],
    ['Accept-Language regional', { headers: { 'accept-language': 'cs-CZ' } }, 'Je vyžadováno přihlášení.'],
    ['nothing asked', {}, 'Authentication required.'],
    ['an unsupported language', { locale: 'fr' }, 'Authentication required.'],
  ])('%s', async (_how, options, expected) => {
    expect(await message(options)).toBe(expected);
  });

  it('the user’s own language applies when the request names none, and ?locale wins over it', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(UpdateProfileDocument, { input: { locale: 'de' } }, { token: owner.accessToken }));
    const invalid = { input: { name: '' } };
    expect(failure(await server.gql(UpdateProfileDocument, invalid, { token: owner.accessToken })).message).toBe(
      'name ist erforderlich.',
    );
    expect(
      failure(await server.gql(UpdateProfileDocument, invalid, { token: owner.accessToken, locale: 'cs' })).message,
    ).toBe('Pole name je povinné.');
  });

  it('validation errors are localized too', async () => {
    const response = await server.post(
      { query: 'mutation { login(input: { email: "a@b.io" }) { __typename } }' },
      { locale: 'de' },
    );
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'password ist erforderlich.',
      extensions: { code: 'BAD_USER_INPUT', field: 'password' },
    });
  });
});
