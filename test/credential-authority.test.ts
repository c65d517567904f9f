// Acting on a machine credential needs every scope it holds, as creating it does: a token
// with write:tokens (and write:service_accounts) but not write:* cannot extend, rename,
// narrow, revoke or rotate a write:* token or OAuth client, nor disable, enable or delete the
// service account that holds one. Every credential mutation is attacked through GraphQL, and
// the same mutation is shown to work on a credential the caller does cover.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiTokensDocument,
  CreateApiTokenDocument,
  CreateServiceAccountDocument,
  CurrentOrganizationDocument,
  DeleteServiceAccountDocument,
  RevokeApiTokenDocument,
  RevokeOAuthClientDocument,
  RotateApiTokenDocument,
  RotateOAuthClientSecretDocument,
  UpdateApiTokenDocument,
  UpdateServiceAccountDocument,
} from './generated/graphql.ts';
import { auditActions, createMachineToken } from './helpers/machine.ts';
import { createTestClient, OAUTH_ENV, oauthLibrary } from './helpers/oauth.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, type GraphQLResponse, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { ...OAUTH_ENV, API_TOKEN_MAX_TTL_DAYS: '30' } });
});
afterAll(() => server?.close());

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A service account holding one API token and one OAuth client, both of `scopes`. */
interface Target {
  slug: string;
  accountId: string;
  tokenId: string;
  token: string;
  clientId: string;
}

async function createTarget(owner: Account, scopes: string[]): Promise<Target> {
  const token = owner.accessToken;
  const { createServiceAccount } = ok(
    await server.gql(
      CreateServiceAccountDocument,
      { input: { name: 'Vault', slug: `vault-${randomUUID().slice(0, 8)}` } },
      { token },
    ),
  );
  const { createApiToken } = ok(
    await server.gql(
      CreateApiTokenDocument,
      { input: { serviceAccountSlug: createServiceAccount.slug, name: 'deploy', scopes, expiresAt: inDays(5) } },
      { token },
    ),
  );
  const client = await createTestClient(server, owner, scopes, createServiceAccount.slug);
  return {
    slug: createServiceAccount.slug,
    accountId: createServiceAccount.id,
    tokenId: createApiToken.apiToken.id,
    token: createApiToken.token,
    clientId: client.id,
  };
}

/** Everything the mutations could change, and whether the target's token still works. */
async function stateOf(target: Target) {
  const { db } = server.app;
  const works = !(await server.gql(CurrentOrganizationDocument, {}, { token: target.token })).errors;
  return {
    works,
    account: await db.serviceAccount.findUnique({
      where: { id: target.accountId },
      select: { name: true, disabledAt: true },
    }),
    token: await db.apiToken.findUnique({
      where: { id: target.tokenId },
      select: { name: true, scopes: true, expiresAt: true, revokedAt: true, tokenHash: true },
    }),
    client: await db.oAuthClient.findUnique({
      where: { id: target.clientId },
      select: { secretHash: true, revokedAt: true, tokensNotBefore: true },
    }),
  };
}

type Mutation = (target: Target, token: string) => Promise<GraphQLResponse<unknown>>;

const credentialMutations: [string, Mutation, { disabledFirst?: boolean }?][] = [
  [
    'updateApiToken, a later expiry only',
    (target, token) =>
      server.gql(UpdateApiTokenDocument, { input: { id: target.tokenId, expiresAt: inDays(20) } }, { token }),
  ],
  [
    'updateApiToken, a new name only',
    (target, token) =>
      server.gql(UpdateApiTokenDocument, { input: { id: target.tokenId, name: 'harmless' } }, { token }),
  ],
  [
    'updateApiToken, narrower scopes the caller holds',
    (target, token) =>
      server.gql(UpdateApiTokenDocument, { input: { id: target.tokenId, scopes: ['read:organization'] } }, { token }),
  ],
  [
    'revokeApiToken',
    (target, token) => server.gql(RevokeApiTokenDocument, { input: { id: target.tokenId } }, { token }),
  ],
  [
    'rotateApiToken',
    (target, token) => server.gql(RotateApiTokenDocument, { input: { id: target.tokenId } }, { token }),
  ],
  [
    'revokeOAuthClient',
    (target, token) => server.gql(RevokeOAuthClientDocument, { input: { id: target.clientId } }, { token }),
  ],
  [
    'rotateOAuthClientSecret',
    (target, token) => server.gql(RotateOAuthClientSecretDocument, { input: { id: target.clientId } }, { token }),
  ],
  [
    'updateServiceAccount, disabling',
    (target, token) =>
      server.gql(UpdateServiceAccountDocument, { input: { slug: target.slug, disabled: true } }, { token }),
  ],
  // Enabling again is not here: disabling revoked the account's credentials, so enabling acts
  // on none of them (test/oauth-token.test.ts shows that none come back).
  [
    'deleteServiceAccount',
    (target, token) => server.gql(DeleteServiceAccountDocument, { input: { slug: target.slug } }, { token }),
  ],
];

/** A token that manages tokens and service accounts and reads everything, but is not write:*. */
const LESSER = ['write:tokens', 'write:service_accounts', 'read:*'];

async function setUp(targetScopes: string[], disabledFirst = false) {
  const owner = await createOwner(server);
  const caller = await createMachineToken(server, owner, LESSER);
  const target = await createTarget(owner, targetScopes);
  if (disabledFirst) {
    ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: target.slug, disabled: true } },
        { token: owner.accessToken },
      ),
    );
  }
  return { owner, caller, target };
}

describe('acting on a credential needs every scope it holds', () => {
  it.each(credentialMutations)(
    '%s of a write:* credential is refused, audited, and changes nothing',
    async (_name, mutate, options) => {
      const { owner, caller, target } = await setUp(['write:*'], options?.disabledFirst);
      const before = await stateOf(target);

      const error = failure(await mutate(target, caller.token));
      expect(error.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'MISSING_SCOPE',
        requiredScopes: ['write:*'],
      });
      expect(error.message).toContain('write:*');

      expect(await stateOf(target)).toEqual(before);
      // Among the others: the privileged credentials' alerts are written off the request path.
      expect(await auditActions(server, owner.accessToken)).toContainEqual(
        expect.objectContaining({
          action: 'authorization.denied',
          actorType: 'SERVICE_ACCOUNT',
          actorId: caller.serviceAccountId,
        }),
      );
    },
  );

  it.each(credentialMutations)(
    '%s of a credential within the caller’s scopes goes through',
    async (_name, mutate, options) => {
      const { caller, target } = await setUp(['read:organization', 'read:members'], options?.disabledFirst);
      const before = await stateOf(target);
      ok(await mutate(target, caller.token));
      expect(await stateOf(target)).not.toEqual(before);
    },
  );

  it('names only the scopes the caller lacks, and counts a service account’s live credentials only', async () => {
    const owner = await createOwner(server);
    const caller = await createMachineToken(server, owner, LESSER);
    const target = await createTarget(owner, ['read:organization', 'write:members', 'write:work_items']);
    const refused = failure(
      await server.gql(RevokeApiTokenDocument, { input: { id: target.tokenId } }, { token: caller.token }),
    );
    expect(refused.extensions?.requiredScopes).toEqual(['write:members', 'write:work_items']);

    // Once the owner has revoked the account's credentials, nothing it holds is live.
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: target.tokenId } }, { token: owner.accessToken }));
    ok(await server.gql(RevokeOAuthClientDocument, { input: { id: target.clientId } }, { token: owner.accessToken }));
    ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: target.slug, disabled: true } },
        { token: caller.token },
      ),
    );
  });

  it('a caller without the mutation’s own scope is refused for the same reason', async () => {
    const { owner, target } = await setUp(['read:organization']);
    const reader = await createMachineToken(server, owner, ['read:*']);
    const error = failure(
      await server.gql(RevokeApiTokenDocument, { input: { id: target.tokenId } }, { token: reader.token }),
    );
    expect(error.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_SCOPE',
      requiredScopes: ['write:tokens'],
    });
  });

  it('renaming a service account acts on no credential and needs write:service_accounts alone', async () => {
    const { caller, target } = await setUp(['write:*']);
    const { updateServiceAccount } = ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: target.slug, name: 'Vault (prod)', description: 'deploys' } },
        { token: caller.token },
      ),
    );
    expect(updateServiceAccount).toMatchObject({ name: 'Vault (prod)', disabledAt: null });
    expect((await stateOf(target)).works).toBe(true);
  });
});

describe('a credential acting on itself', () => {
  it('an API token may revoke itself', async () => {
    const owner = await createOwner(server);
    const self = await createMachineToken(server, owner, ['write:tokens']);
    const { revokeApiToken } = ok(
      await server.gql(RevokeApiTokenDocument, { input: { id: self.tokenId } }, { token: self.token }),
    );
    expect(revokeApiToken.revokedAt).not.toBeNull();
    const after = failure(await server.gql(ApiTokensDocument, {}, { token: self.token }));
    expect(after.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an API token cannot push back its own expiry; it may bring it forward, and a holder of its scopes may extend it', async () => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Renewer' } }, { token: owner.accessToken }),
    );
    const { createApiToken } = ok(
      await server.gql(
        CreateApiTokenDocument,
        {
          input: {
            serviceAccountSlug: createServiceAccount.slug,
            name: 'self',
            scopes: ['write:tokens'],
            expiresAt: inDays(5),
          },
        },
        { token: owner.accessToken },
      ),
    );
    const { id } = createApiToken.apiToken;
    const token = createApiToken.token;

    const extended = failure(
      await server.gql(UpdateApiTokenDocument, { input: { id, expiresAt: inDays(20) } }, { token }),
    );
    expect(extended.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'expiresAt' });
    const row = await server.app.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt?.toISOString()).toBe(createApiToken.apiToken.expiresAt);

    const sooner = inDays(2);
    expect(
      ok(await server.gql(UpdateApiTokenDocument, { input: { id, expiresAt: sooner } }, { token })).updateApiToken,
    ).toMatchObject({ expiresAt: sooner });
    const later = inDays(20);
    expect(
      ok(await server.gql(UpdateApiTokenDocument, { input: { id, expiresAt: later } }, { token: owner.accessToken }))
        .updateApiToken,
    ).toMatchObject({ expiresAt: later });
  });

  it('an OAuth client may revoke itself through one of its access tokens', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['write:tokens']);
    const library = oauthLibrary(server);
    const { access_token: token } = await library.token(await library.discover(), client, 'basic');
    const { revokeOAuthClient } = ok(
      await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token }),
    );
    expect(revokeOAuthClient.revokedAt).not.toBeNull();
  });
});
