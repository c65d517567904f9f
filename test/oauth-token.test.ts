// The client credentials grant end to end: a real OAuth library (oauth4webapi) discovers
// Herald (RFC 8414), obtains tokens with either client authentication method, and the
// tokens act on /graphql as the service account with exactly the granted scopes. Each RFC
// 6749 §5.2 error is tried by hand, as are revocation, rotation and the rate limits.
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateClient, issueClientToken } from '../src/machine/oauth-token-grant.ts';
import {
  ApiTokenDocument,
  CreateApiTokenDocument,
  CurrentOrganizationDocument,
  DeleteServiceAccountDocument,
  MeDocument,
  MembersDocument,
  RevokeOAuthClientDocument,
  RotateOAuthClientSecretDocument,
  UpdateServiceAccountDocument,
} from './generated/graphql.ts';
import { auditActions, eventually } from './helpers/machine.ts';
import { createTestClient, ISSUER, OAUTH_ENV, oauthLibrary, type TestClient } from './helpers/oauth.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let library: ReturnType<typeof oauthLibrary>;
let as: oauth.AuthorizationServer;
beforeAll(async () => {
  server = await startServer({ env: { ...OAUTH_ENV, OAUTH_ACCESS_TOKEN_TTL: '600' } });
  library = oauthLibrary(server);
  as = await library.discover();
});
afterAll(() => server?.close());

/** A raw request to the token endpoint. */
function tokenRequest(
  target: TestServer,
  body: string | Record<string, string>,
  headers: Record<string, string> = {},
  method = 'POST',
) {
  return fetch(`${target.url}/oauth/token`, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const credentialsGrant = (client: Pick<TestClient, 'clientId' | 'clientSecret'>) => ({
  grant_type: 'client_credentials',
  client_id: client.clientId,
  client_secret: client.clientSecret,
});

/** A client, and a grant naming it with another client's secret: a real secret, but not its own. */
async function clientAndWrongGrant(target: TestServer) {
  const owner = await createOwner(target);
  const client = await createTestClient(target, owner, ['read:organization']);
  const other = await createTestClient(target, owner, ['read:organization']);
  return { client, other, wrong: { ...credentialsGrant(client), client_secret: other.clientSecret } };
}

describe('authorization server metadata (RFC 8414)', () => {
  it('names the issuer of our tokens, the token endpoint, the keys, the grant and the auth methods', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oauth/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      scopes_supported: expect.arrayContaining(['read:organization', 'write:*']),
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    // oauth4webapi checked the issuer against the one it asked for.
    expect(as.issuer).toBe(ISSUER);
    expect(as.token_endpoint).toBe(`${ISSUER}/oauth/token`);
  });
});

describe('POST /oauth/token with a real OAuth client', () => {
  it.each(['basic', 'post'] as const)(
    'client_secret_%s: an ES256 JWT, verifiable with our JWKS, acting as the service account',
    async (method) => {
      const owner = await createOwner(server);
      const client = await createTestClient(server, owner, ['read:organization', 'read:members']);
      const answer = await library.token(as, client, method);
      expect(answer).toMatchObject({ token_type: 'bearer', expires_in: 600, scope: 'read:organization read:members' });
      expect(answer.refresh_token).toBeUndefined();

      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(answer.access_token, jwks, {
        issuer: ISSUER,
        audience: 'herald',
        algorithms: ['ES256'],
        typ: 'at+jwt',
      });
      expect(protectedHeader.kid).toBeDefined();
      expect(payload).toMatchObject({
        sub: client.serviceAccountId,
        org: owner.organizationId,
        client_id: client.clientId,
        scope: 'read:organization read:members',
        scopes: ['read:organization', 'read:members'],
        type: 'client_credentials',
      });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
      expect(payload.jti).toEqual(expect.any(String));

      const token = answer.access_token;
      const organization = ok(await server.gql(CurrentOrganizationDocument, {}, { token }));
      expect(organization.organization.id).toBe(owner.organizationId);
      ok(await server.gql(MembersDocument, {}, { token }));
      // A service account, not a user; and nothing beyond its scopes.
      expect(failure(await server.gql(MeDocument, {}, { token })).extensions?.code).toBe('FORBIDDEN');
      const beyond = failure(await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token }));
      expect(beyond.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:tokens'] });

      const [issued] = (await auditActions(server, owner.accessToken)).filter(
        (event) => event.action === 'oauth_token.issued',
      );
      expect(issued).toMatchObject({
        actorType: 'SERVICE_ACCOUNT',
        actorId: client.serviceAccountId,
        targetType: 'OAuthClient',
        targetId: client.id,
      });
      await eventually(async () => {
        const row = await server.app.db.oAuthClient.findUniqueOrThrow({ where: { id: client.id } });
        expect(row.lastUsedAt).not.toBeNull();
      });
    },
  );

  it('narrows to the scopes asked for, within the client’s (write:X includes read:X)', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization', 'write:members']);
    const narrow = await library.token(as, client, 'basic', 'read:members');
    expect(narrow.scope).toBe('read:members');
    const token = narrow.access_token;
    ok(await server.gql(MembersDocument, {}, { token }));
    const refused = failure(await server.gql(CurrentOrganizationDocument, {}, { token }));
    expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['read:organization'] });

    for (const scope of ['write:*', 'read:organization write:organization', 'read:everything']) {
      const error = await library.token(as, client, 'post', scope).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(oauth.ResponseBodyError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_scope' });
    }
  });

  it('refuses a wrong secret with 401 invalid_client and a Basic challenge, and audits it', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const wrong = {
      clientId: client.clientId,
      clientSecret: (await createTestClient(server, owner, ['read:organization'])).clientSecret,
    };
    for (const method of ['basic', 'post'] as const) {
      const error = await library.token(as, wrong, method).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
      const { response } = error as oauth.WWWAuthenticateChallengeError;
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="herald"/);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
    const failed = (await auditActions(server, owner.accessToken)).filter(
      (event) => event.action === 'oauth_client.authentication_failed',
    );
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({ actorType: 'ANONYMOUS', targetId: client.id });
  });
});

describe('POST /oauth/token errors (RFC 6749 §5.2)', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await createTestClient(server, await createOwner(server), ['read:organization']);
  });

  const cases: [string, () => Promise<Response>, number, string][] = [
    ['GET instead of POST', () => tokenRequest(server, '', {}, 'GET'), 405, 'invalid_request'],
    [
      'a JSON body',
      () => tokenRequest(server, JSON.stringify(credentialsGrant(client)), { 'content-type': 'application/json' }),
      400,
      'invalid_request',
    ],
    [
      'no grant_type',
      () => tokenRequest(server, { client_id: client.clientId, client_secret: client.clientSecret }),
      400,
      'invalid_request',
    ],
    [
      'an empty grant_type (as omitted)',
      () => tokenRequest(server, { ...credentialsGrant(client), grant_type: '' }),
      400,
      'invalid_request',
    ],
    [
      'the password grant',
      () => tokenRequest(server, { ...credentialsGrant(client), grant_type: 'password' }),
      400,
      'unsupported_grant_type',
    ],
    [
      'a parameter given twice',
      () =>
        tokenRequest(
          server,
          `${new URLSearchParams(credentialsGrant(client))}&scope=read:organization&scope=read:organization`,
        ),
      400,
      'invalid_request',
    ],
    [
      'both Basic and client_secret',
      () =>
        tokenRequest(server, credentialsGrant(client), { authorization: basic(client.clientId, client.clientSecret) }),
      400,
      'invalid_request',
    ],
    [
      'a client_id in the body that is not the Basic one',
      () =>
        tokenRequest(
          server,
          { grant_type: 'client_credentials', client_id: 'hldci_0000000000000000000000' },
          { authorization: basic(client.clientId, client.clientSecret) },
        ),
      400,
      'invalid_request',
    ],
    [
      'the secret in the URL',
      () =>
        fetch(`${server.url}/oauth/token?client_secret=${client.clientSecret}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(credentialsGrant(client)),
        }),
      400,
      'invalid_request',
    ],
    [
      'no client authentication',
      () => tokenRequest(server, { grant_type: 'client_credentials', client_id: client.clientId }),
      401,
      'invalid_client',
    ],
    [
      'a Bearer token instead of Basic',
      () =>
        tokenRequest(server, { grant_type: 'client_credentials' }, { authorization: `Bearer ${client.clientSecret}` }),
      401,
      'invalid_client',
    ],
    [
      'a mistyped secret (checksum)',
      () =>
        tokenRequest(server, {
          ...credentialsGrant(client),
          client_secret: `${client.clientSecret.slice(0, -1)}${client.clientSecret.endsWith('x') ? 'y' : 'x'}`,
        }),
      401,
      'invalid_client',
    ],
    [
      'an unknown client id',
      () => tokenRequest(server, { ...credentialsGrant(client), client_id: 'hldci_0000000000000000000000' }),
      401,
      'invalid_client',
    ],
    [
      'an API token as the secret',
      () => tokenRequest(server, { ...credentialsGrant(client), client_secret: `hld_${'0'.repeat(49)}` }),
      401,
      'invalid_client',
    ],
    [
      'an unknown scope',
      () => tokenRequest(server, { ...credentialsGrant(client), scope: 'read:everything' }),
      400,
      'invalid_scope',
    ],
  ];

  it.each(cases.map(([name, send, status, error]) => [name, status, error, send] as const))(
    '%s → %i %s, never cached',
    async (_name, status, error, send) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({ error, error_description: expect.any(String) });
      if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="herald"/);
      if (status === 405) expect(response.headers.get('allow')).toBe('POST');
    },
  );

  it('a success is never cached either, and an empty scope counts as omitted', async () => {
    const response = await tokenRequest(server, { ...credentialsGrant(client), scope: '' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read:organization' });
  });

  it('Basic credentials are form-urlencoded inside Base64', async () => {
    const response = await tokenRequest(
      server,
      { grant_type: 'client_credentials' },
      {
        authorization: basic(client.clientId, client.clientSecret),
      },
    );
    expect(response.status).toBe(200);
  });
});

describe('access tokens of OAuth clients', () => {
  it('stop at once when the client is revoked, and the secret stops too', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const { access_token: token } = await library.token(as, client, 'basic');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token }));

    ok(await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token: owner.accessToken }));
    const refused = failure(await server.gql(CurrentOrganizationDocument, {}, { token }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.message).toMatch(/revoked/);
    const error = await library.token(as, client, 'post').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  });

  it('issued before a rotation stop with the old secret; the new secret gets tokens that work', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const { access_token: before } = await library.token(as, client, 'basic');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: before }));

    const { rotateOAuthClientSecret } = ok(
      await server.gql(RotateOAuthClientSecretDocument, { input: { id: client.id } }, { token: owner.accessToken }),
    );
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: before })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const old = await library.token(as, client, 'basic').catch((e: unknown) => e);
    expect(old).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);

    const rotated = { clientId: client.clientId, clientSecret: rotateOAuthClientSecret.clientSecret };
    const { access_token: after } = await library.token(as, rotated, 'post');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: after }));
  });

  it('whose secret was checked just before a rotation committed, and signed after it, are refused', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    // The grant's two steps, with the rotation landing between them.
    const checked = await authenticateClient(server.app, client, '127.0.0.1');
    ok(await server.gql(RotateOAuthClientSecretDocument, { input: { id: client.id } }, { token: owner.accessToken }));
    const late = await issueClientToken(server.app, checked, ['read:organization'], '127.0.0.1');
    const refused = failure(await server.gql(CurrentOrganizationDocument, {}, { token: late.access_token }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stop when the service account is disabled, stay stopped when it is enabled, and stop when it is deleted', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const { access_token: token } = await library.token(as, client, 'basic');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token }));
    const disable = (disabled: boolean) =>
      server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: client.serviceAccountSlug, disabled } },
        { token: owner.accessToken },
      );

    ok(await disable(true));
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await library.token(as, client, 'basic').catch((e: unknown) => e)).toBeInstanceOf(
      oauth.WWWAuthenticateChallengeError,
    );
    ok(await disable(false));
    // Disabling revoked the client: neither its tokens nor its secret come back.
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await library.token(as, client, 'basic').catch((e: unknown) => e)).toBeInstanceOf(
      oauth.WWWAuthenticateChallengeError,
    );

    ok(
      await server.gql(
        DeleteServiceAccountDocument,
        { input: { slug: client.serviceAccountSlug } },
        { token: owner.accessToken },
      ),
    );
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await library.token(as, client, 'basic').catch((e: unknown) => e)).toBeInstanceOf(
      oauth.WWWAuthenticateChallengeError,
    );
  });

  it('an account disabled and enabled again keeps its old API tokens and OAuth tokens dead; new ones work', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const { access_token: oauthToken } = await library.token(as, client, 'basic');
    const newApiToken = async () =>
      ok(
        await server.gql(
          CreateApiTokenDocument,
          { input: { serviceAccountSlug: client.serviceAccountSlug, name: 'ci', scopes: ['read:organization'] } },
          { token: owner.accessToken },
        ),
      ).createApiToken;
    const apiToken = await newApiToken();
    for (const token of [oauthToken, apiToken.token]) ok(await server.gql(CurrentOrganizationDocument, {}, { token }));

    for (const disabled of [true, false]) {
      ok(
        await server.gql(
          UpdateServiceAccountDocument,
          { input: { slug: client.serviceAccountSlug, disabled } },
          { token: owner.accessToken },
        ),
      );
    }

    for (const token of [oauthToken, apiToken.token]) {
      expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token })).extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    }
    // The listing says so: the old token is revoked, not silently dead.
    const { apiToken: listed } = ok(
      await server.gql(ApiTokenDocument, { id: apiToken.apiToken.id }, { token: owner.accessToken }),
    );
    expect(listed?.revokedAt).not.toBeNull();
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_token.revoked', 'oauth_client.revoked']));

    // Credentials made after the account is back work.
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: (await newApiToken()).token }));
    const fresh = await createTestClient(server, owner, ['read:organization'], client.serviceAccountSlug);
    const { access_token: freshToken } = await library.token(as, fresh, 'basic');
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: freshToken }));
  });

  it('forged ones are refused: the same claims signed with another key under our kid', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const { access_token: genuine } = await library.token(as, client, 'basic');
    const { payload } = await jwtVerify(genuine, createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)));
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: decodeProtectedHeader(genuine).kid, typ: 'at+jwt' })
      .sign(privateKey);
    const refused = failure(await server.gql(CurrentOrganizationDocument, {}, { token: forged }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('rate limits', () => {
  let limited: TestServer;
  let limitedAs: oauth.AuthorizationServer;
  beforeAll(async () => {
    limited = await startServer({
      env: { ...OAUTH_ENV, RATE_LIMIT_LOGIN_FAILURES: '2', RATE_LIMIT_IP_PER_MINUTE: '12' },
    });
    limitedAs = await oauthLibrary(limited).discover();
  });
  afterAll(() => limited?.close());

  it('refuse a client id after repeated failures, even with the right secret, then an IP over budget', async () => {
    const { client, other, wrong } = await clientAndWrongGrant(limited);
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    const locked = await tokenRequest(limited, credentialsGrant(client));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.headers.get('cache-control')).toBe('no-store');
    expect(await locked.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(locked.headers.get('ratelimit-policy')).toMatch(/^"signIn\.ip";q=\d+;w=\d+$/);
    expect(locked.headers.get('ratelimit')).toMatch(/^"signIn\.ip";r=0;t=\d+$/);

    // Another client is not locked; the IP's budget (12 a minute, shared with sign-up and
    // sign-in) runs out all the same.
    const library = oauthLibrary(limited);
    await library.token(limitedAs, other, 'basic');
    let overIp = await tokenRequest(limited, credentialsGrant(other));
    for (let sent = 0; overIp.status === 200 && sent < 12; sent++) {
      overIp = await tokenRequest(limited, credentialsGrant(other));
    }
    expect(overIp.status).toBe(429);
    expect(overIp.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(overIp.headers.get('ratelimit-policy')).toBe('"signIn.ip";q=12;w=60');
  });
});

describe('failures before a success', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ env: { ...OAUTH_ENV, RATE_LIMIT_LOGIN_FAILURES: '2' } });
  });
  afterAll(() => limited?.close());

  it('are cleared by it, so the limit counts from zero again', async () => {
    const { client, wrong } = await clientAndWrongGrant(limited);
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    expect((await tokenRequest(limited, credentialsGrant(client))).status).toBe(200);
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    expect((await tokenRequest(limited, credentialsGrant(client))).status).toBe(200);
    // The limit itself still holds after a success: two failures in a row lock the client.
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    expect((await tokenRequest(limited, wrong)).status).toBe(401);
    expect((await tokenRequest(limited, credentialsGrant(client))).status).toBe(429);
  });
});

const scaledOut = needing('OAuth client revocation across instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(scaledOut.skip)(scaledOut.title, () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startServer({ env: OAUTH_ENV });
    second = await startServer({ env: OAUTH_ENV, reuse: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const changes = {
    revoked: async (owner: string, id: string) =>
      ok(await first.gql(RevokeOAuthClientDocument, { input: { id } }, { token: owner })),
    rotated: async (owner: string, id: string) =>
      ok(await first.gql(RotateOAuthClientSecretDocument, { input: { id } }, { token: owner })),
  };
  it.each(Object.entries(changes))(
    'a client %s through one instance: its tokens are refused by the other at once',
    async (_name, change) => {
      const owner = await createOwner(first);
      const client = await createTestClient(first, owner, ['read:organization']);
      const secondAs = await oauthLibrary(second).discover();
      const { access_token: token } = await oauthLibrary(second).token(secondAs, client, 'basic');
      // Both instances check, and so cache, the client.
      ok(await first.gql(CurrentOrganizationDocument, {}, { token }));
      ok(await second.gql(CurrentOrganizationDocument, {}, { token }));

      await change(owner.accessToken, client.id);
      const refused = failure(await second.gql(CurrentOrganizationDocument, {}, { token }));
      expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
    },
  );
});
