import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newApiTokenSecret } from '../src/auth/api-token-format.ts';
import {
  ApiTokenDocument,
  ApiTokensDocument,
  CreateApiTokenDocument,
  CreateServiceAccountDocument,
  CurrentOrganizationDocument,
  DeleteServiceAccountDocument,
  MeDocument,
  MembersDocument,
  RefreshDocument,
  RevokeApiTokenDocument,
  RotateApiTokenDocument,
  ServiceAccountDocument,
  ServiceAccountsDocument,
  UpdateApiTokenDocument,
  UpdateMemberRoleDocument,
  UpdateServiceAccountDocument,
} from './generated/graphql.ts';
import { addMember, auditActions, createMachineToken, eventually } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { API_TOKEN_USAGE_FLUSH_MS: '100', API_TOKEN_MAX_TTL_DAYS: '30' } });
});
afterAll(() => server?.close());

const DAY = 24 * 3600 * 1000;

describe('service accounts', () => {
  it('are created with a slug (given or derived), listed, found by slug, and unique per organization', async () => {
    const owner = await createOwner(server);
    const token = owner.accessToken;
    const derived = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Deploy Bot' } }, { token }),
    ).createServiceAccount;
    expect(derived.slug).toBe('deploy-bot');
    const given = ok(
      await server.gql(
        CreateServiceAccountDocument,
        { input: { name: 'Importer', slug: 'importer', description: 'nightly' } },
        { token },
      ),
    ).createServiceAccount;
    const { serviceAccounts } = ok(await server.gql(ServiceAccountsDocument, {}, { token }));
    expect(serviceAccounts.edges.map((e) => e.node.slug)).toEqual(['deploy-bot', 'importer']);
    expect(serviceAccounts.totalCount).toBe(2);
    expect(ok(await server.gql(ServiceAccountDocument, { slug: 'importer' }, { token })).serviceAccount).toMatchObject({
      id: given.id,
      description: 'nightly',
    });

    const taken = failure(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'X', slug: 'importer' } }, { token }),
    );
    expect(taken.extensions).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    const bad = failure(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'X', slug: 'Not A Slug' } }, { token }),
    );
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });

    // The same slug is free in another organization, and invisible from here.
    const other = await createOwner(server);
    ok(
      await server.gql(
        CreateServiceAccountDocument,
        { input: { name: 'Importer', slug: 'importer' } },
        { token: other.accessToken },
      ),
    );
    const stranger = await createOwner(server);
    const foreign = failure(
      await server.gql(ServiceAccountDocument, { slug: 'importer' }, { token: stranger.accessToken }),
    );
    expect(foreign.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'slug' });
  });

  it('disabling revokes its tokens at once and enabling brings none back; deleting stops them for good', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token }));

    const disabled = ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: machine.serviceAccountSlug, disabled: true } },
        { token: owner.accessToken },
      ),
    ).updateServiceAccount;
    expect(disabled.disabledAt).not.toBeNull();
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: machine.serviceAccountSlug, disabled: false } },
        { token: owner.accessToken },
      ),
    );
    // Disabling is incident response: the old token stays dead once the account is back.
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );

    ok(
      await server.gql(
        DeleteServiceAccountDocument,
        { input: { slug: machine.serviceAccountSlug } },
        { token: owner.accessToken },
      ),
    );
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['service_account.created', 'service_account.deleted']));
  });
});

describe('deleteServiceAccount', () => {
  it('revokes every token of the account with it: refused at once everywhere, each revocation audited', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const { createApiToken: second } = ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: machine.serviceAccountSlug, name: 'old', scopes: ['read:members'] } },
        { token: owner.accessToken },
      ),
    );
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: second.apiToken.id } }, { token: owner.accessToken }));
    // Used once, so that it is cached as valid.
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token }));

    ok(
      await server.gql(
        DeleteServiceAccountDocument,
        { input: { slug: machine.serviceAccountSlug } },
        { token: owner.accessToken },
      ),
    );
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const validate = await fetch(`${server.url}/api/tokens/validate`, {
      headers: { authorization: `Bearer ${machine.token}` },
    });
    expect(validate.status).toBe(401);
    const { apiTokens } = ok(
      await server.gql(ApiTokensDocument, { includeRevoked: true }, { token: owner.accessToken }),
    );
    expect(apiTokens.totalCount).toBe(0);
    expect(await server.app.db.apiToken.count({ where: { serviceAccountId: machine.serviceAccountId } })).toBe(0);

    const events = await auditActions(server, owner.accessToken);
    const revoked = events.filter((e) => e.action === 'api_token.revoked').map((e) => e.targetId);
    // The live token by the deletion, the other by its own revocation earlier: once each.
    expect(revoked.sort()).toEqual([machine.tokenId, second.apiToken.id].sort());
    expect(events.map((e) => e.action).slice(0, 2)).toEqual(['service_account.deleted', 'api_token.revoked']);
  });

  it('another organization’s slug answers NOT_FOUND and its tokens keep working', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const theirs = await createMachineToken(server, stranger, ['read:organization']);
    const error = failure(
      await server.gql(
        DeleteServiceAccountDocument,
        { input: { slug: theirs.serviceAccountSlug } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'slug' });
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: theirs.token }));
  });
});

describe('createApiToken', () => {
  it('returns the secret once in the fixed format; lists show only its prefix', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members', 'read:tokens']);
    expect(machine.token).toMatch(/^hld_[0-9A-Za-z]{49}$/);

    const apiTokens = ok(await server.gql(ApiTokensDocument, {}, { token: owner.accessToken })).apiTokens.edges.map(
      (e) => e.node,
    );
    expect(apiTokens).toHaveLength(1);
    expect(apiTokens[0]).toMatchObject({
      id: machine.tokenId,
      prefix: machine.token.slice(0, 12),
      scopes: ['read:members', 'read:tokens'],
      serviceAccount: { slug: machine.serviceAccountSlug },
    });
    expect(JSON.stringify(apiTokens)).not.toContain(machine.token.slice(12));
    // Without expiresAt the token gets the configured maximum.
    const expiresIn = new Date(apiTokens[0]?.expiresAt as string).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29.9 * DAY);
    expect(expiresIn).toBeLessThanOrEqual(30 * DAY);
  });

  it.each([
    ['an unknown scope', { scopes: ['read:everything'] }, 'scopes', /read:everything.*read:organization, .*write:\*/],
    ['a malformed scope', { scopes: ['admin'] }, 'scopes', /Valid scopes: /],
    ['no scopes', { scopes: [] }, 'scopes', /required/],
    ['a past expiry', { expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt', /future/],
    ['an expiry beyond the maximum', { expiresAt: new Date(Date.now() + 31 * DAY).toISOString() }, 'expiresAt', /30/],
    ['an empty name', { name: ' ' }, 'name', /required/],
  ])('refuses %s, naming the field, and writes nothing', async (_case, change, field, message) => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const error = failure(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: machine.serviceAccountSlug, name: 'n', scopes: ['read:members'], ...change } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(error.message).toMatch(message);
    expect(ok(await server.gql(ApiTokensDocument, {}, { token: owner.accessToken })).apiTokens.totalCount).toBe(1);
  });

  it('a token can mint narrower tokens but not broader ones, and the attempt is audited', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['write:tokens', 'read:members']);
    const input = { serviceAccountSlug: machine.serviceAccountSlug, name: 'child' };
    const child = ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { ...input, scopes: ['read:tokens'] } },
        { token: machine.token },
      ),
    ).createApiToken;
    expect(child.apiToken.scopes).toEqual(['read:tokens']);

    for (const scopes of [['write:*'], ['write:members'], ['read:audit']]) {
      const refused = failure(
        await server.gql(CreateApiTokenDocument, { input: { ...input, scopes } }, { token: machine.token }),
      );
      expect(refused.extensions?.code).toBe('FORBIDDEN');
    }
    const denied = (await auditActions(server, owner.accessToken)).filter((e) => e.action === 'authorization.denied');
    expect(denied).toHaveLength(3);
    expect(denied.every((e) => e.actorType === 'SERVICE_ACCOUNT' && e.actorId === machine.serviceAccountId)).toBe(true);
    expect(ok(await server.gql(ApiTokensDocument, {}, { token: owner.accessToken })).apiTokens.totalCount).toBe(2);
  });

  it('a demoted admin can hand out none of their former scopes: the older access token ends, the refreshed one is a member’s', async () => {
    const owner = await createOwner(server);
    const admin = await addMember(server, owner, 'ADMIN');
    const machine = await createMachineToken(server, owner, ['read:organization']);
    ok(
      await server.gql(
        UpdateMemberRoleDocument,
        { input: { userId: admin.userId, role: 'MEMBER' } },
        { token: owner.accessToken },
      ),
    );
    const mint = (token: string) =>
      server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: machine.serviceAccountSlug, name: 'x', scopes: ['write:members'] } },
        { token },
      );
    expect(failure(await mint(admin.accessToken)).extensions?.code).toBe('UNAUTHENTICATED');
    const { refresh } = ok(await server.gql(RefreshDocument, { input: { refreshToken: admin.refreshToken } }));
    expect(failure(await mint(refresh.accessToken)).extensions?.code).toBe('FORBIDDEN');
  });
});

describe('authenticating with an API token', () => {
  it('acts as the service account with the token’s scopes, and records lastUsedAt off the request path', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members']);
    const { members } = ok(await server.gql(MembersDocument, {}, { token: machine.token }));
    expect(members.edges.map((e) => e.node.user.id)).toEqual([owner.userId]);
    expect(failure(await server.gql(ApiTokensDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'FORBIDDEN',
    );
    // A service account is not a user.
    expect(failure(await server.gql(MeDocument, {}, { token: machine.token })).extensions?.code).toBe('FORBIDDEN');

    const usedAt = await eventually(async () => {
      const { apiToken } = ok(
        await server.gql(ApiTokenDocument, { id: machine.tokenId }, { token: owner.accessToken }),
      );
      expect(apiToken.lastUsedAt).not.toBeNull();
      return new Date(apiToken.lastUsedAt as string).getTime();
    });
    expect(Math.abs(usedAt - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['a mistyped character', (t: string) => `${t.slice(0, 20)}${t[20] === 'a' ? 'b' : 'a'}${t.slice(21)}`],
    ['a truncated token', (t: string) => t.slice(0, -3)],
    ['a made-up token with a bad checksum', () => `hld_${'a'.repeat(49)}`],
  ])('refuses %s before any lookup', async (_case, mangle) => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const verify = vi.spyOn(server.app.apiTokens, 'verify');
    try {
      const error = failure(await server.gql(CurrentOrganizationDocument, {}, { token: mangle(machine.token) }));
      expect(error.extensions?.code).toBe('UNAUTHENTICATED');
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
  });

  it('refuses a well-formed token that does not exist, after looking it up', async () => {
    const verify = vi.spyOn(server.app.apiTokens, 'verify');
    try {
      const error = failure(await server.gql(CurrentOrganizationDocument, {}, { token: newApiTokenSecret() }));
      expect(error).toMatchObject({ message: 'The API token is invalid or has been revoked.' });
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('refuses an expired token', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const { createApiToken } = ok(
      await server.gql(
        CreateApiTokenDocument,
        {
          input: {
            serviceAccountSlug: machine.serviceAccountSlug,
            name: 'short',
            scopes: ['read:organization'],
            expiresAt: new Date(Date.now() + 1500).toISOString(),
          },
        },
        { token: owner.accessToken },
      ),
    );
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: createApiToken.token }));
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const error = failure(await server.gql(CurrentOrganizationDocument, {}, { token: createApiToken.token }));
    expect(error).toMatchObject({ message: 'The API token has expired.', extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('revoke, rotate and update', () => {
  it('revocation takes effect on the very next request, even with the token cached', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    const { revokeApiToken } = ok(
      await server.gql(RevokeApiTokenDocument, { input: { id: machine.tokenId } }, { token: owner.accessToken }),
    );
    expect(revokeApiToken.revokedAt).not.toBeNull();
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_token.created', 'api_token.revoked']));
  });

  it('rotation issues a new secret with the same name and scopes; the old one stops', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    const { rotateApiToken } = ok(
      await server.gql(RotateApiTokenDocument, { input: { id: machine.tokenId } }, { token: owner.accessToken }),
    );
    expect(rotateApiToken.token).not.toBe(machine.token);
    expect(rotateApiToken.apiToken).toMatchObject({ name: 'ci', scopes: ['read:organization'], revokedAt: null });
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: rotateApiToken.token }));
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const again = failure(
      await server.gql(RotateApiTokenDocument, { input: { id: machine.tokenId } }, { token: owner.accessToken }),
    );
    expect(again.extensions?.code).toBe('BAD_USER_INPUT');
    const actions = (await auditActions(server, owner.accessToken)).map((e) => e.action);
    expect(actions).toContain('api_token.rotated');
  });

  it('narrowing scopes takes effect at once; widening beyond the caller is refused', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization', 'read:members', 'write:tokens']);
    ok(await server.gql(MembersDocument, {}, { token: machine.token }));
    const { updateApiToken } = ok(
      await server.gql(
        UpdateApiTokenDocument,
        { input: { id: machine.tokenId, name: 'renamed', scopes: ['read:organization', 'write:tokens'] } },
        { token: owner.accessToken },
      ),
    );
    expect(updateApiToken).toMatchObject({ name: 'renamed', scopes: ['read:organization', 'write:tokens'] });
    expect(failure(await server.gql(MembersDocument, {}, { token: machine.token })).extensions?.code).toBe('FORBIDDEN');

    const widen = failure(
      await server.gql(
        UpdateApiTokenDocument,
        { input: { id: machine.tokenId, scopes: ['write:*'] } },
        { token: machine.token },
      ),
    );
    expect(widen.extensions?.code).toBe('FORBIDDEN');
  });

  it('another organization’s token ids answer NOT_FOUND and change nothing', async () => {
    const owner = await createOwner(server);
    const victim = await createOwner(server);
    const theirs = await createMachineToken(server, victim, ['read:organization']);
    const input = { id: theirs.tokenId };
    for (const response of [
      await server.gql(ApiTokenDocument, input, { token: owner.accessToken }),
      await server.gql(RevokeApiTokenDocument, { input }, { token: owner.accessToken }),
      await server.gql(RotateApiTokenDocument, { input }, { token: owner.accessToken }),
      await server.gql(UpdateApiTokenDocument, { input: { ...input, name: 'mine' } }, { token: owner.accessToken }),
    ]) {
      const error = failure(response);
      expect(error.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(response)).not.toContain(theirs.serviceAccountSlug);
    }
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: theirs.token }));
    const { apiToken } = ok(await server.gql(ApiTokenDocument, input, { token: victim.accessToken }));
    expect(apiToken).toMatchObject({ name: 'ci', revokedAt: null });
  });
});

describe('GET /api/tokens/validate', () => {
  const validate = (authorization?: string) =>
    fetch(`${server.url}/api/tokens/validate`, { headers: authorization ? { authorization } : {} });
  const jwtOf = (response: Response) => {
    expect(response.status).toBe(200);
    return /^Bearer (\S+)$/.exec(response.headers.get('authorization') ?? '')?.[1] as string;
  };
  // What docs/forward-auth.md tells an upstream to check.
  const upstreamCheck = {
    issuer: 'herald',
    audience: 'herald-forward-auth',
    typ: 'herald-forward+jwt',
    algorithms: ['ES256'],
    requiredClaims: ['exp', 'sub', 'org'],
  };

  it('exchanges a valid API token for a short-lived ES256 JWT with the same organization and scopes', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members', 'write:work_items']);
    const response = await validate(`Bearer ${machine.token}`);
    expect(response.status).toBe(200);
    const jwt = /^Bearer (\S+)$/.exec(response.headers.get('authorization') ?? '')?.[1] as string;
    expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(jwt, jwks, upstreamCheck);
    expect(payload).toMatchObject({
      sub: machine.serviceAccountId,
      org: owner.organizationId,
      scopes: ['read:members', 'write:work_items'],
    });
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(15 * 60);
    // Meant for the upstream: Herald itself does not take it as an access token.
    expect(failure(await server.gql(MembersDocument, {}, { token: jwt })).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('signs JWTs of their own kind, which the upstream check of docs/forward-auth.md tells from access tokens', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members']);
    const jwt = jwtOf(await validate(`Bearer ${machine.token}`));
    expect(decodeProtectedHeader(jwt).typ).toBe('herald-forward+jwt');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    expect((await jwtVerify(jwt, jwks, upstreamCheck)).payload.aud).toBe('herald-forward-auth');
    // A person's access token, sent straight to the upstream, fails the same check twice over.
    await expect(jwtVerify(owner.accessToken, jwks, upstreamCheck)).rejects.toThrow();
    await expect(jwtVerify(owner.accessToken, jwks, { ...upstreamCheck, typ: undefined })).rejects.toThrow(/aud/);
  });

  it('hands the same JWT out again while nothing it says has changed, and a fresh one once it has', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members']);
    const first = jwtOf(await validate(`Bearer ${machine.token}`));
    expect(jwtOf(await validate(`Bearer ${machine.token}`))).toBe(first);
    ok(
      await server.gql(
        UpdateApiTokenDocument,
        { input: { id: machine.tokenId, scopes: ['read:members', 'read:work_items'] } },
        { token: owner.accessToken },
      ),
    );
    const changed = jwtOf(await validate(`Bearer ${machine.token}`));
    expect(changed).not.toBe(first);
    expect(decodeJwt(changed).scopes).toEqual(['read:members', 'read:work_items']);
  });

  it.each([
    ['no credential', () => undefined],
    ['a user access token', (_t: string, access: string) => `Bearer ${access}`],
    ['a bad checksum', (t: string) => `Bearer ${t.slice(0, -1)}${t.endsWith('a') ? 'b' : 'a'}`],
    ['an unknown token', () => `Bearer ${newApiTokenSecret()}`],
    ['another scheme', (t: string) => `Basic ${t}`],
  ])('answers 401 for %s', async (_case, header) => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members']);
    const response = await validate(header(machine.token, owner.accessToken));
    expect(response.status).toBe(401);
    expect(response.headers.get('authorization')).toBeNull();
  });

  it('answers 429 with Retry-After and the RateLimit fields once an address has guessed too many tokens', async () => {
    const guesser = await startServer({ env: { RATE_LIMIT_IP_PER_MINUTE: '2' } });
    try {
      const guess = () =>
        fetch(`${guesser.url}/api/tokens/validate`, { headers: { authorization: `Bearer ${newApiTokenSecret()}` } });
      expect((await guess()).status).toBe(401);
      expect((await guess()).status).toBe(401);
      const refused = await guess();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ status: 'rate_limited', limit: 'signIn.ip' });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.headers.get('ratelimit-policy')).toBe('"signIn.ip";q=2;w=60');
      expect(refused.headers.get('ratelimit')).toMatch(/^"signIn\.ip";r=0;t=\d+$/);
    } finally {
      await guesser.close();
    }
  });

  it('answers 401 once the token is revoked', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:members']);
    expect((await validate(`Bearer ${machine.token}`)).status).toBe(200);
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: machine.tokenId } }, { token: owner.accessToken }));
    expect((await validate(`Bearer ${machine.token}`)).status).toBe(401);
  });
});
