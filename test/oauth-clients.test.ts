// Managing OAuth clients over GraphQL: created with a secret shown once and stored hashed,
// never given scopes their creator lacks, invisible from other organizations, revoked and
// rotated. What the clients can then do at /oauth/token is in oauth-token.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/auth/secrets.ts';
import {
  CreateOAuthClientDocument,
  CreateServiceAccountDocument,
  OAuthClientDocument,
  OAuthClientsDocument,
  RevokeOAuthClientDocument,
  RotateOAuthClientSecretDocument,
} from './generated/graphql.ts';
import { auditActions, createMachineToken } from './helpers/machine.ts';
import { createTestClient, OAUTH_ENV } from './helpers/oauth.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: OAUTH_ENV });
});
afterAll(() => server?.close());

describe('OAuth clients', () => {
  it('are created with a public id and a secret shown once, stored as its SHA-256', async () => {
    const owner = await createOwner(server);
    const token = owner.accessToken;
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Billing sync' } }, { token }),
    );
    const { createOAuthClient } = ok(
      await server.gql(
        CreateOAuthClientDocument,
        {
          input: {
            serviceAccountSlug: 'billing-sync',
            name: 'billing',
            scopes: ['read:organization', 'write:work_items'],
          },
        },
        { token },
      ),
    );
    const { clientId, clientSecret, oauthClient } = createOAuthClient;
    expect(clientId).toMatch(/^hldci_[0-9A-Za-z]{22}$/);
    expect(clientSecret).toMatch(/^hldcs_[0-9A-Za-z]{49}$/);
    expect(oauthClient).toMatchObject({
      clientId,
      name: 'billing',
      secretPrefix: clientSecret.slice(0, 14),
      scopes: ['read:organization', 'write:work_items'],
      lastUsedAt: null,
      revokedAt: null,
      serviceAccount: { id: createServiceAccount.id, slug: 'billing-sync' },
    });

    const row = await server.app.db.oAuthClient.findUniqueOrThrow({ where: { clientId } });
    expect(row.secretHash).toBe(sha256(clientSecret));
    expect(JSON.stringify(row)).not.toContain(clientSecret.slice(14));

    // Listed (never with the secret), filtered by service account, and found by id.
    const { oauthClients } = ok(await server.gql(OAuthClientsDocument, {}, { token }));
    expect(oauthClients.totalCount).toBe(1);
    expect(oauthClients.edges[0]?.node).toEqual(oauthClient);
    const filtered = ok(await server.gql(OAuthClientsDocument, { serviceAccountSlug: 'billing-sync' }, { token }));
    expect(filtered.oauthClients.totalCount).toBe(1);
    const unknownSlug = failure(await server.gql(OAuthClientsDocument, { serviceAccountSlug: 'nobody' }, { token }));
    expect(unknownSlug.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'serviceAccountSlug' });
    expect(ok(await server.gql(OAuthClientDocument, { id: oauthClient.id }, { token })).oauthClient).toEqual(
      oauthClient,
    );

    const actions = await auditActions(server, token);
    expect(actions[0]).toMatchObject({
      action: 'oauth_client.created',
      targetType: 'OAuthClient',
      targetId: oauthClient.id,
    });
  });

  it.each([
    [['read:everything'], 'unknown scope'],
    [[], 'no scope'],
  ])('refuses %j (%s) and writes nothing', async (scopes) => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Bot' } }, { token: owner.accessToken }),
    );
    const refused = failure(
      await server.gql(
        CreateOAuthClientDocument,
        { input: { serviceAccountSlug: createServiceAccount.slug, name: 'x', scopes } },
        { token: owner.accessToken },
      ),
    );
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    expect(ok(await server.gql(OAuthClientsDocument, {}, { token: owner.accessToken })).oauthClients.totalCount).toBe(
      0,
    );
  });

  it('are never given scopes beyond their creator’s, and the attempt is audited', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['write:tokens', 'read:organization']);
    const escalation = failure(
      await server.gql(
        CreateOAuthClientDocument,
        { input: { serviceAccountSlug: machine.serviceAccountSlug, name: 'wider', scopes: ['write:*'] } },
        { token: machine.token },
      ),
    );
    expect(escalation.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:*'] });
    expect(ok(await server.gql(OAuthClientsDocument, {}, { token: owner.accessToken })).oauthClients.totalCount).toBe(
      0,
    );
    expect((await auditActions(server, owner.accessToken))[0]).toMatchObject({ action: 'authorization.denied' });

    // Within what it holds (read:tokens comes with write:tokens), the token may.
    const held = ok(
      await server.gql(
        CreateOAuthClientDocument,
        {
          input: {
            serviceAccountSlug: machine.serviceAccountSlug,
            name: 'narrow',
            scopes: ['read:tokens', 'read:organization'],
          },
        },
        { token: machine.token },
      ),
    );
    expect(held.createOAuthClient.oauthClient.scopes).toEqual(['read:tokens', 'read:organization']);

    // Rotating hands the secret out anew, so it needs the client's scopes too.
    const wide = await createTestClient(server, owner, ['write:*']);
    const rotation = failure(
      await server.gql(RotateOAuthClientSecretDocument, { input: { id: wide.id } }, { token: machine.token }),
    );
    expect(rotation.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:*'] });
  });

  it('of another organization answer NOT_FOUND and stay untouched', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    const stranger = await createOwner(server);
    const token = stranger.accessToken;

    for (const response of [
      await server.gql(OAuthClientDocument, { id: client.id }, { token }),
      await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token }),
      await server.gql(RotateOAuthClientSecretDocument, { input: { id: client.id } }, { token }),
      await server.gql(OAuthClientDocument, { id: 'not-a-uuid' }, { token }),
    ]) {
      expect(failure(response).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
    const foreignAccount = failure(
      await server.gql(
        CreateOAuthClientDocument,
        { input: { serviceAccountSlug: client.serviceAccountSlug, name: 'x', scopes: ['read:organization'] } },
        { token },
      ),
    );
    expect(foreignAccount.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'serviceAccountSlug' });
    expect(ok(await server.gql(OAuthClientsDocument, {}, { token })).oauthClients.totalCount).toBe(0);

    const mine = ok(await server.gql(OAuthClientDocument, { id: client.id }, { token: owner.accessToken }));
    expect(mine.oauthClient).toMatchObject({ revokedAt: null, secretRotatedAt: null });
  });

  it('are revoked (once, audited, then listed only on request) and can no longer be rotated', async () => {
    const owner = await createOwner(server);
    const token = owner.accessToken;
    const client = await createTestClient(server, owner, ['read:organization']);
    const { revokeOAuthClient } = ok(
      await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token }),
    );
    expect(revokeOAuthClient.revokedAt).not.toBeNull();
    const again = ok(await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token }));
    expect(again.revokeOAuthClient.revokedAt).toBe(revokeOAuthClient.revokedAt);

    expect(ok(await server.gql(OAuthClientsDocument, {}, { token })).oauthClients.totalCount).toBe(0);
    const all = ok(await server.gql(OAuthClientsDocument, { includeRevoked: true }, { token }));
    expect(all.oauthClients.edges.map((edge) => edge.node.id)).toEqual([client.id]);

    const rotation = failure(
      await server.gql(RotateOAuthClientSecretDocument, { input: { id: client.id } }, { token }),
    );
    expect(rotation.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const actions = (await auditActions(server, token)).map((event) => event.action);
    expect(actions.filter((action) => action === 'oauth_client.revoked')).toHaveLength(1);
  });

  it('rotate their secret under the same client id', async () => {
    const owner = await createOwner(server);
    const token = owner.accessToken;
    const client = await createTestClient(server, owner, ['read:organization']);
    const { rotateOAuthClientSecret } = ok(
      await server.gql(RotateOAuthClientSecretDocument, { input: { id: client.id } }, { token }),
    );
    expect(rotateOAuthClientSecret.clientId).toBe(client.clientId);
    expect(rotateOAuthClientSecret.clientSecret).not.toBe(client.clientSecret);
    expect(rotateOAuthClientSecret.oauthClient).toMatchObject({
      id: client.id,
      secretPrefix: rotateOAuthClientSecret.clientSecret.slice(0, 14),
      scopes: ['read:organization'],
      revokedAt: null,
    });
    expect(rotateOAuthClientSecret.oauthClient.secretRotatedAt).not.toBeNull();
    const row = await server.app.db.oAuthClient.findUniqueOrThrow({ where: { id: client.id } });
    expect(row.secretHash).toBe(sha256(rotateOAuthClientSecret.clientSecret));
    expect((await auditActions(server, token))[0]).toMatchObject({ action: 'oauth_client.secret_rotated' });
  });
});
