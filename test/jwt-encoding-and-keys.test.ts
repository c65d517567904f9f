// What a holder of a genuine token can do without any key: re-encode its ES256 signature
// as its twin (r, n - s), which verifies just as well, and so get a second token text. And
// what a key that stops being accepted does to tokens an instance already verified and cached.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CurrentOrganizationDocument, MeDocument, RefreshDocument } from './generated/graphql.ts';
import { createTestClient, OAUTH_ENV, oauthLibrary } from './helpers/oauth.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

/** The order of P-256. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const signatureOf = (jws: string) => Buffer.from(jws.split('.')[2] as string, 'base64url');
const sOf = (jws: string) => BigInt(`0x${signatureOf(jws).subarray(32).toString('hex')}`);

/** The same token with s replaced by n - s: a second signature of the same bytes. */
function malleate(jws: string): string {
  const signature = signatureOf(jws);
  const twin = Buffer.concat([
    signature.subarray(0, 32),
    Buffer.from((N - sOf(jws)).toString(16).padStart(64, '0'), 'hex'),
  ]);
  const [header, payload] = jws.split('.');
  return `${header}.${payload}.${twin.toString('base64url')}`;
}

describe('ES256 signatures', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: OAUTH_ENV });
  });
  afterAll(() => server?.close());

  it('Herald signs only the low-S form of each signature', async () => {
    const owner = await createOwner(server);
    let refreshToken = owner.refreshToken;
    const tokens = [owner.accessToken];
    // Each signature is high-S by chance half the time: twenty in a row low-S is no accident.
    for (let i = 0; i < 20; i++) {
      const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken } }));
      refreshToken = refresh.refreshToken;
      tokens.push(refresh.accessToken);
    }
    for (const token of tokens) expect(sOf(token) <= N / 2n).toBe(true);
  });

  it('refuses the twin encoding of a genuine access token, cached or not', async () => {
    const owner = await createOwner(server);
    const twin = malleate(owner.accessToken);
    expect(twin).not.toBe(owner.accessToken);
    const cold = failure(await server.gql(MeDocument, {}, { token: twin }));
    expect(cold.extensions?.code).toBe('UNAUTHENTICATED');
    // The genuine one works, and is now in the verified-token cache.
    ok(await server.gql(MeDocument, {}, { token: owner.accessToken }));
    const warm = failure(await server.gql(MeDocument, {}, { token: twin }));
    expect(warm.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the twin encoding of an OAuth access token', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const library = oauthLibrary(server);
    const { access_token: token } = await library.token(await library.discover(), client, 'basic');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token }));
    const refused = failure(await server.gql(CurrentOrganizationDocument, {}, { token: malleate(token) }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

async function privateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(privateKey);
}

describe('a signing key that stops being accepted', () => {
  let first: TestServer;
  let second: TestServer | undefined;
  afterAll(async () => {
    vi.useRealTimers();
    await second?.close();
    await first?.close();
  });

  it('takes the tokens it signed with it, also those the instance verified and cached', async () => {
    const oldKey = await privateJwk();
    first = await startServer({ env: { JWT_PRIVATE_KEY: JSON.stringify(oldKey) } });
    const owner = await createOwner(first);
    await first.stop();

    // The old key is retired: accepted for one more minute, then not at all.
    const { kty, crv, x, y } = oldKey;
    const keyExp = Math.floor(Date.now() / 1000) + 60;
    second = await startServer({
      reuse: first,
      env: {
        JWT_PRIVATE_KEY: JSON.stringify(await privateJwk()),
        JWT_RETIRED_PUBLIC_KEYS: JSON.stringify([{ kty, crv, x, y, exp: keyExp }]),
      },
    });
    ok(await second.gql(MeDocument, {}, { token: owner.accessToken }));
    ok(await second.gql(MeDocument, {}, { token: owner.accessToken }));

    // Two minutes on: the key is gone, the token itself would hold for most of an hour more.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((keyExp + 60) * 1000);
    const refused = failure(await second.gql(MeDocument, {}, { token: owner.accessToken }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
    vi.useRealTimers();
  });
});
