// Failed sign-ins are counted per (account, address) with a higher ceiling per account, and
// the waits grow; a stranger guessing a password, or an OAuth client's secret, slows down
// itself and never locks the real owner out of an address it signed in from before. Each
// client address is played with X-Forwarded-For through one trusted hop (TRUST_PROXY=1).
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientSecret } from '../src/auth/oauth-client-format.ts';
import { LoginDocument } from './generated/graphql.ts';
import { createTestClient, OAUTH_ENV, type TestClient } from './helpers/oauth.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, type GraphQLResponse, ok, startServer, type TestServer } from './helpers/server.ts';

const PER_ADDRESS = 3;
const PER_ACCOUNT = 7;
const FIRST_WAIT = 2;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      ...OAUTH_ENV,
      TRUST_PROXY: '1',
      RATE_LIMIT_LOGIN_FAILURES: String(PER_ADDRESS),
      RATE_LIMIT_ACCOUNT_FAILURES: String(PER_ACCOUNT),
      RATE_LIMIT_LOGIN_DELAY: String(FIRST_WAIT),
    },
  });
});
afterAll(() => server?.close());

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));

/** A new account that has signed in from `home` (and registered from elsewhere). */
async function accountAt(home: string, registeredFrom: string): Promise<Account> {
  const account = await createOwner(server, from(registeredFrom));
  ok(await server.gql(LoginDocument, { input: { email: account.email, password: account.password } }, from(home)));
  return account;
}

const login = (account: Account, password: string, ip: string) =>
  server.gql(LoginDocument, { input: { email: account.email, password } }, from(ip));
const codeOf = (response: Awaited<ReturnType<typeof login>>) => response.errors?.[0]?.extensions?.code;

describe('signing in', () => {
  it('a stranger’s failures make the stranger wait, while the user signs in from home', async () => {
    const victim = await accountAt('10.4.1.1', '10.4.0.1');
    const stranger = '198.51.100.10';
    for (let i = 0; i < PER_ADDRESS; i++)
      expect(codeOf(await login(victim, `guess ${i}`, stranger))).toBe('UNAUTHENTICATED');
    const answer = await server.post(
      { query: print(LoginDocument), variables: { input: { email: victim.email, password: victim.password } } },
      from(stranger),
    );
    // 429, the wait, and where the address stands against the limit that refused it.
    expect(answer.status).toBe(429);
    const refused = failure((await answer.json()) as GraphQLResponse<unknown>);
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'signIn.ip' });
    expect(refused.extensions?.retryAfter).toBeLessThanOrEqual(FIRST_WAIT);
    expect(answer.headers.get('retry-after')).toBe(String(refused.extensions?.retryAfter));
    expect(answer.headers.get('ratelimit-policy')).toBe(`"signIn.ip";q=${PER_ADDRESS};w=900`);
    expect(answer.headers.get('ratelimit')).toMatch(/^"signIn\.ip";r=0;t=[12]$/);

    ok(await login(victim, victim.password, '10.4.1.1'));
    // So does a newcomer at an address that never failed, while the account is under its ceiling.
    ok(await login(victim, victim.password, '10.4.1.2'));
  });

  it('waits grow with each failure past the limit, as Retry-After shows', async () => {
    const victim = await accountAt('10.4.2.1', '10.4.0.2');
    const stranger = '198.51.100.11';
    for (let i = 0; i < PER_ADDRESS; i++) await login(victim, `guess ${i}`, stranger);
    const first = failure(await login(victim, 'another guess', stranger)).extensions?.retryAfter as number;
    await sleep(first);
    expect(codeOf(await login(victim, 'a guess after the wait', stranger))).toBe('UNAUTHENTICATED');
    const second = failure(await login(victim, 'another guess', stranger)).extensions?.retryAfter as number;
    expect(first).toBeLessThanOrEqual(FIRST_WAIT);
    expect(second).toBeGreaterThan(FIRST_WAIT);
    expect(second).toBeLessThanOrEqual(FIRST_WAIT * 2);
  });

  it('the ceiling per account holds across addresses; the addresses it signed in from still work', async () => {
    const victim = await accountAt('10.4.3.1', '10.4.0.3');
    // Spread thin, so that no address reaches its own limit.
    for (let i = 0; i < PER_ACCOUNT; i++) {
      expect(codeOf(await login(victim, `guess ${i}`, `198.51.100.${20 + Math.floor(i / 2)}`))).toBe('UNAUTHENTICATED');
    }
    const fresh = failure(await login(victim, victim.password, '198.51.100.99'));
    expect(fresh.extensions?.code).toBe('RATE_LIMITED');
    expect(codeOf(await login(victim, victim.password, '10.4.9.9'))).toBe('RATE_LIMITED');

    ok(await login(victim, victim.password, '10.4.3.1'));
    // A success at home does not reopen the account to everyone.
    expect(codeOf(await login(victim, victim.password, '10.4.9.9'))).toBe('RATE_LIMITED');
    // Where it registered counts as where it signed in.
    ok(await login(victim, victim.password, '10.4.0.3'));
  });

  it('a success clears the address’s own failures', async () => {
    const user = await accountAt('10.4.4.1', '10.4.0.4');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PER_ADDRESS - 1; i++) await login(user, 'a typo', '10.4.4.1');
      ok(await login(user, user.password, '10.4.4.1'));
    }
  });
});

describe('OAuth client authentication', () => {
  let client: TestClient;
  const home = '10.5.1.1';
  beforeAll(async () => {
    const owner = await createOwner(server, from('10.5.0.1'));
    client = await createTestClient(server, owner, ['read:organization']);
  });

  const token = (ip: string, secret: string) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`,
        'x-forwarded-for': ip,
      },
      body: 'grant_type=client_credentials',
    });
  // Well-formed (its checksum holds), so that it is checked and counted, and wrong.
  const wrongSecret = () => newClientSecret();

  it('strangers’ failures never take the integration offline at its own address', async () => {
    expect((await token(home, client.clientSecret)).status).toBe(200);

    const stranger = '198.51.100.40';
    for (let i = 0; i < PER_ADDRESS; i++) expect((await token(stranger, wrongSecret())).status).toBe(401);
    const waiting = await token(stranger, client.clientSecret);
    expect(waiting.status).toBe(429);
    const first = Number(waiting.headers.get('retry-after'));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(FIRST_WAIT);
    expect((await token(home, client.clientSecret)).status).toBe(200);

    // The stranger's wait grows with each failure past the limit.
    await sleep(first);
    expect((await token(stranger, wrongSecret())).status).toBe(401);
    const longer = await token(stranger, client.clientSecret);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBeGreaterThan(FIRST_WAIT);
    expect((await token(home, client.clientSecret)).status).toBe(200);

    // The ceiling per client: failures spread over addresses shut out every address but home.
    for (let i = PER_ADDRESS + 1; i < PER_ACCOUNT; i++) {
      expect((await token(`198.51.100.${41 + i}`, wrongSecret())).status).toBe(401);
    }
    const elsewhere = await token('198.51.100.98', client.clientSecret);
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get('retry-after'))).toBeGreaterThan(FIRST_WAIT * 2);
    expect((await token(home, client.clientSecret)).status).toBe(200);
  });
});
