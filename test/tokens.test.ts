// Access tokens: what a verifier gets from the JWKS, and every way of forging one refused.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  base64url,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateLocalKey } from '../src/auth/keys.ts';
import { LoginDocument, MeDocument } from './generated/graphql.ts';
import { type Account, createOwner, OWNER_SCOPES } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Account;
let jwks: { keys: JWK[] };

beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server);
  jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
});
afterAll(() => server?.close());

const meWith = (token: string) => server.gql(MeDocument, {}, { token });

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
}

function unsigned(header: object, claims: object) {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(claims)}.`;
}

describe('issued access tokens', () => {
  it('verify against the published JWKS with the claims of the design', async () => {
    const { payload, protectedHeader } = await jwtVerify(owner.accessToken, createLocalJWKSet(jwks), {
      issuer: 'herald',
      audience: 'herald',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: jwks.keys[0]?.kid });
    expect(payload).toMatchObject({
      sub: owner.userId,
      org: owner.organizationId,
      product: 'default',
      scopes: OWNER_SCOPES,
      type: 'access',
    });
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('are accepted as a bearer credential', async () => {
    expect(ok(await meWith(owner.accessToken)).me.id).toBe(owner.userId);
  });
});

describe('forged or unusable tokens are refused with UNAUTHENTICATED', () => {
  const kid = () => jwks.keys[0]?.kid as string;
  const validClaims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: 'herald',
      aud: 'herald',
      sub: owner.userId,
      org: owner.organizationId,
      product: 'default',
      scopes: OWNER_SCOPES,
      type: 'access',
      jti: 'x',
      iat: now,
      exp: now + 600,
    };
  };

  const forgeries: [string, () => Promise<string>][] = [
    ['alg none', async () => unsigned({ alg: 'none', kid: kid(), typ: 'JWT' }, validClaims())],
    [
      'HS256 keyed with the public key',
      async () => {
        const publicKey = await importJWK(jwks.keys[0] as JWK, 'ES256');
        const pem = await exportSPKI(publicKey as CryptoKey);
        return new SignJWT(validClaims())
          .setProtectedHeader({ alg: 'HS256', kid: kid() })
          .sign(new TextEncoder().encode(pem));
      },
    ],
    [
      'a foreign key under the right kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256', kid: kid() }).sign(privateKey);
      },
    ],
    [
      'a foreign key under its own kid',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
        const foreignKid = `${(await exportJWK(publicKey)).x}`;
        return new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256', kid: foreignKid }).sign(privateKey);
      },
    ],
    [
      'tampered claims (scopes widened, organization changed)',
      async () => {
        const [header, , signature] = owner.accessToken.split('.');
        const claims = {
          ...claimsOf(owner.accessToken),
          org: '00000000-0000-7000-8000-000000000000',
          scopes: ['write:*'],
        };
        return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
      },
    ],
    [
      'a signature of another token',
      async () => {
        const other = await createOwner(server);
        const [header, payload] = owner.accessToken.split('.');
        return `${header}.${payload}.${other.accessToken.split('.')[2]}`;
      },
    ],
    ['no kid', async () => unsigned({ alg: 'ES256' }, validClaims())],
    ['not a JWT at all', async () => 'definitely-not-a-jwt'],
    ['a refresh token', async () => owner.refreshToken],
  ];

  it.each(forgeries)('%s', async (_name, forge) => {
    const error = failure(await meWith(await forge()));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIAL' });
    expect(error.message).toBe('The access token is invalid.');
  });

  it.each([
    ['issuer', { iss: 'someone-else' }],
    ['audience', { aud: 'another-api' }],
    ['token type', { type: 'refresh' }],
  ])('a token signed with our key but the wrong %s', async (_what, override) => {
    // Signed with the server's own key, as a compromised or misconfigured issuer would.
    const token = await new SignJWT({ ...validClaims(), ...override })
      .setProtectedHeader({ alg: 'ES256', kid: kid() })
      .sign(server.app.jwt.keys.privateKey);
    expect(failure(await meWith(token)).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each(['sub', 'exp', 'iss', 'aud'])('a token signed with our key but without %s', async (claim) => {
    const claims: Record<string, unknown> = validClaims();
    delete claims[claim];
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: kid() })
      .sign(server.app.jwt.keys.privateKey);
    expect(failure(await meWith(token)).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an expired token, with its own message', async () => {
    // Long enough to be used once even on a loaded machine (registering hashes a password).
    const short = await startServer({ env: { ACCESS_TOKEN_TTL: '3' } });
    try {
      const account = await createOwner(short);
      ok(await short.gql(MeDocument, {}, { token: account.accessToken }));
      await new Promise((resolve) => setTimeout(resolve, 4100));
      const error = failure(await short.gql(MeDocument, {}, { token: account.accessToken }));
      expect(error).toMatchObject({
        message: 'The access token has expired.',
        extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' },
      });
    } finally {
      await short.close();
    }
  });

  it('answers HTTP 401 with a Bearer challenge', async () => {
    const response = await server.post({ query: '{ me { id } }' }, { token: 'nonsense' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('the signing key', () => {
  it('is kept with mode 0600 and survives a restart with the data', async () => {
    const first = await startServer();
    let second: TestServer | undefined;
    try {
      const account = await createOwner(first);
      const kid = decodeProtectedHeader(account.accessToken).kid;
      const keyFile = path.join(first.dataDir, 'keys', 'signing-key.json');
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      await first.stop();

      second = await startServer({ reuse: first });
      // The old access token still verifies, and the stored account still logs in.
      expect(ok(await second.gql(MeDocument, {}, { token: account.accessToken })).me.email).toBe(account.email);
      const { login } = ok(
        await second.gql(LoginDocument, { input: { email: account.email, password: account.password } }),
      );
      if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
      expect(decodeProtectedHeader(login.accessToken).kid).toBe(kid);
    } finally {
      await second?.stop();
      await first.close();
    }
  });

  it('rotates with overlap: the retired key stays published and accepted until it expires', async () => {
    const first = await startServer();
    let second: TestServer | undefined;
    try {
      const account = await createOwner(first);
      const oldKid = decodeProtectedHeader(account.accessToken).kid;
      await first.stop();
      const newKid = await rotateLocalKey(first.dataDir, 3600);

      // A key retired long ago is neither published nor accepted.
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const expired = { ...(await exportJWK(publicKey)), kid: 'long-gone', exp: Math.floor(Date.now() / 1000) - 1 };
      const retiredDir = path.join(first.dataDir, 'keys', 'retired');
      await mkdir(retiredDir, { recursive: true });
      await writeFile(path.join(retiredDir, 'long-gone.json'), JSON.stringify(expired));
      await chmod(path.join(retiredDir, 'long-gone.json'), 0o600);

      second = await startServer({ reuse: first });
      const published = (await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
      expect(published.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());

      expect(ok(await second.gql(MeDocument, {}, { token: account.accessToken })).me.id).toBe(account.userId);
      const { login } = ok(
        await second.gql(LoginDocument, { input: { email: account.email, password: account.password } }),
      );
      if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
      expect(decodeProtectedHeader(login.accessToken).kid).toBe(newKid);

      const signedByGone = await new SignJWT({ ...claimsOf(account.accessToken) })
        .setProtectedHeader({ alg: 'ES256', kid: 'long-gone' })
        .sign(privateKey);
      expect(failure(await second.gql(MeDocument, {}, { token: signedByGone })).extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    } finally {
      await second?.stop();
      await first.close();
    }
  });
});
