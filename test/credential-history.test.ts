// What the console's token tables show besides the token itself: who created and who revoked
// each API token and OAuth client (a user or a service account, by name), and which ones have
// gone unused since an instant, to prune them. Always within the caller's organization.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir, readMigrations } from '../src/platform/database/migrations.ts';
import {
  ApiTokenActorsDocument,
  CreateApiTokenDocument,
  CurrentOrganizationDocument,
  DeleteServiceAccountDocument,
  OAuthClientActorsDocument,
  RevokeApiTokenDocument,
  RevokeOAuthClientDocument,
  RotateApiTokenDocument,
  UnusedApiTokensDocument,
  UnusedOAuthClientsDocument,
  UpdateServiceAccountDocument,
} from './generated/graphql.ts';
import { addMember, createMachineToken, eventually } from './helpers/machine.ts';
import { createTestClient } from './helpers/oauth.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { API_TOKEN_USAGE_FLUSH_MS: '50', SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const actors = async (id: string, token: string) =>
  ok(await server.gql(ApiTokenActorsDocument, { id }, { token })).apiToken;

describe('who created and who revoked an API token', () => {
  it('names the user who created, rotated or revoked it, and nobody while it holds', async () => {
    const owner = await createOwner(server, { name: 'Olga Owner' });
    const machine = await createMachineToken(server, owner, ['read:organization']);
    expect(await actors(machine.tokenId, owner.accessToken)).toEqual({
      id: machine.tokenId,
      createdBy: { type: 'USER', id: owner.userId, name: 'Olga Owner' },
      revokedBy: null,
    });

    const admin = await addMember(server, owner, 'ADMIN');
    const { rotateApiToken } = ok(
      await server.gql(RotateApiTokenDocument, { input: { id: machine.tokenId } }, { token: admin.accessToken }),
    );
    const byAdmin = { type: 'USER', id: admin.userId, name: 'ADMIN' };
    expect((await actors(machine.tokenId, owner.accessToken)).revokedBy).toEqual(byAdmin);
    expect((await actors(rotateApiToken.apiToken.id, owner.accessToken)).createdBy).toEqual(byAdmin);

    ok(
      await server.gql(
        RevokeApiTokenDocument,
        { input: { id: rotateApiToken.apiToken.id } },
        { token: owner.accessToken },
      ),
    );
    expect((await actors(rotateApiToken.apiToken.id, admin.accessToken)).revokedBy).toEqual({
      type: 'USER',
      id: owner.userId,
      name: 'Olga Owner',
    });
  });

  it('names a service account that created a token, or revoked one (itself), until it is deleted', async () => {
    const owner = await createOwner(server);
    const issuer = await createMachineToken(server, owner, ['write:tokens', 'read:organization']);
    const target = await createMachineToken(server, owner, ['read:organization']);
    const { createApiToken } = ok(
      await server.gql(
        CreateApiTokenDocument,
        {
          input: {
            serviceAccountSlug: target.serviceAccountSlug,
            name: 'made by a robot',
            scopes: ['read:organization'],
          },
        },
        { token: issuer.token },
      ),
    );
    const byIssuer = { type: 'SERVICE_ACCOUNT', id: issuer.serviceAccountId, name: 'Robot' };
    expect((await actors(createApiToken.apiToken.id, owner.accessToken)).createdBy).toEqual(byIssuer);

    // A token that finds itself leaked revokes itself.
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: issuer.tokenId } }, { token: issuer.token }));
    expect((await actors(issuer.tokenId, owner.accessToken)).revokedBy).toEqual(byIssuer);

    // Gone: the id and type stay, the name is no longer known.
    ok(
      await server.gql(
        DeleteServiceAccountDocument,
        { input: { slug: issuer.serviceAccountSlug } },
        { token: owner.accessToken },
      ),
    );
    expect((await actors(createApiToken.apiToken.id, owner.accessToken)).createdBy).toEqual({
      ...byIssuer,
      name: null,
    });
  });

  it('names who disabled the service account as the revoker of its tokens', async () => {
    const owner = await createOwner(server, { name: 'Dora' });
    const machine = await createMachineToken(server, owner, ['read:organization']);
    ok(
      await server.gql(
        UpdateServiceAccountDocument,
        { input: { slug: machine.serviceAccountSlug, disabled: true } },
        { token: owner.accessToken },
      ),
    );
    expect((await actors(machine.tokenId, owner.accessToken)).revokedBy).toEqual({
      type: 'USER',
      id: owner.userId,
      name: 'Dora',
    });
  });

  it('is readable by members, and another organization finds no such token', async () => {
    const owner = await createOwner(server, { name: 'Mia' });
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const member = await addMember(server, owner, 'MEMBER');
    expect((await actors(machine.tokenId, member.accessToken)).createdBy?.name).toBe('Mia');

    const stranger = await createOwner(server);
    const foreign = failure(
      await server.gql(ApiTokenActorsDocument, { id: machine.tokenId }, { token: stranger.accessToken }),
    );
    expect(foreign.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });
});

describe('who created and who revoked an OAuth client', () => {
  it('names the users, and another organization finds no such client', async () => {
    const owner = await createOwner(server, { name: 'Ola' });
    const admin = await addMember(server, owner, 'ADMIN');
    const client = await createTestClient(server, owner, ['read:organization']);
    ok(await server.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token: admin.accessToken }));
    expect(
      ok(await server.gql(OAuthClientActorsDocument, { id: client.id }, { token: owner.accessToken })).oauthClient,
    ).toEqual({
      id: client.id,
      createdBy: { type: 'USER', id: owner.userId, name: 'Ola' },
      revokedBy: { type: 'USER', id: admin.userId, name: 'ADMIN' },
    });
    const stranger = await createOwner(server);
    const foreign = failure(
      await server.gql(OAuthClientActorsDocument, { id: client.id }, { token: stranger.accessToken }),
    );
    expect(foreign.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('credentials unused since an instant', () => {
  const lastUsed = (id: string, token: string) =>
    eventually(async () => {
      const used = ok(await server.gql(UnusedApiTokensDocument, {}, { token })).apiTokens.edges.find(
        (edge) => edge.node.id === id,
      )?.node.lastUsedAt;
      if (!used) throw new Error('not recorded yet');
      return used;
    });

  it('lists tokens made before it and not used since, leaving out revoked ones unless asked', async () => {
    const owner = await createOwner(server);
    const token = owner.accessToken;
    const usedBefore = await createMachineToken(server, owner, ['read:organization']);
    const neverUsed = await createMachineToken(server, owner, ['read:organization']);
    const usedAfter = await createMachineToken(server, owner, ['read:organization']);
    const revoked = await createMachineToken(server, owner, ['read:organization']);
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: revoked.tokenId } }, { token }));

    ok(await server.gql(CurrentOrganizationDocument, {}, { token: usedBefore.token }));
    await lastUsed(usedBefore.tokenId, token);
    const since = new Date(Date.now() + 10).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: usedAfter.token }));
    await lastUsed(usedAfter.tokenId, token);
    const madeAfter = await createMachineToken(server, owner, ['read:organization']);

    const { apiTokens } = ok(await server.gql(UnusedApiTokensDocument, { unusedSince: since }, { token }));
    expect(apiTokens.edges.map((edge) => edge.node.id)).toEqual([usedBefore.tokenId, neverUsed.tokenId]);
    expect(apiTokens.totalCount).toBe(2);

    const withRevoked = ok(
      await server.gql(UnusedApiTokensDocument, { unusedSince: since, includeRevoked: true }, { token }),
    ).apiTokens;
    expect(withRevoked.edges.map((edge) => edge.node.id)).toEqual([
      usedBefore.tokenId,
      neverUsed.tokenId,
      revoked.tokenId,
    ]);
    // One account's only; with no instant, every token.
    const oneAccount = ok(
      await server.gql(
        UnusedApiTokensDocument,
        { unusedSince: since, serviceAccountSlug: neverUsed.serviceAccountSlug },
        { token },
      ),
    ).apiTokens;
    expect(oneAccount.edges.map((edge) => edge.node.id)).toEqual([neverUsed.tokenId]);
    const all = ok(await server.gql(UnusedApiTokensDocument, {}, { token })).apiTokens;
    expect(all.edges.map((edge) => edge.node.id)).toContain(madeAfter.tokenId);
    expect(all.totalCount).toBe(4);
  });

  it('never shows another organization’s tokens, and refuses its service account’s slug', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const later = new Date(Date.now() + 60_000).toISOString();
    const stranger = await createOwner(server);
    const theirs = ok(
      await server.gql(UnusedApiTokensDocument, { unusedSince: later }, { token: stranger.accessToken }),
    ).apiTokens;
    expect(theirs.totalCount).toBe(0);
    const foreign = failure(
      await server.gql(
        UnusedApiTokensDocument,
        { unusedSince: later, serviceAccountSlug: machine.serviceAccountSlug },
        { token: stranger.accessToken },
      ),
    );
    expect(foreign.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'serviceAccountSlug' });
  });

  it('refuses a malformed instant, naming the argument', async () => {
    const owner = await createOwner(server);
    const response = await server.post(
      { query: 'query { apiTokens(unusedSince: "last month") { totalCount } }' },
      { token: owner.accessToken },
    );
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('lists OAuth clients the same way', async () => {
    const owner = await createOwner(server);
    const before = new Date(Date.now() - 1000).toISOString();
    const client = await createTestClient(server, owner, ['read:organization']);
    const later = new Date(Date.now() + 1000).toISOString();
    const ids = async (unusedSince: string) =>
      ok(
        await server.gql(UnusedOAuthClientsDocument, { unusedSince }, { token: owner.accessToken }),
      ).oauthClients.edges.map((edge) => edge.node.id);
    expect(await ids(before)).toEqual([]);
    expect(await ids(later)).toEqual([client.id]);
  });
});

it('the migration names who revoked the credentials revoked before it: a user or a service account', async () => {
  const pglite = await PGlite.create();
  try {
    const migrations = (await readMigrations()).migrationDirectories.map((directory) => directory.path).sort();
    const index = migrations.findIndex((name) => name.endsWith('_credential_revoked_by_type'));
    const run = async (name: string) =>
      pglite.exec(await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
    for (const name of migrations.slice(0, index)) await run(name);
    await pglite.exec(`
      INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
        VALUES ('01900000-0000-7000-8000-00000000000a', 'ada@example.test', 'Ada', 'x', now());
      INSERT INTO "Organization" (id, name, slug, "productId", "updatedAt")
        SELECT '01900000-0000-7000-8000-00000000000b', 'Engines', 'engines', id, now() FROM "Product" LIMIT 1;
      INSERT INTO "ServiceAccount" (id, "organizationId", name, slug, "updatedAt")
        VALUES ('01900000-0000-7000-8000-00000000000c', '01900000-0000-7000-8000-00000000000b', 'Bot', 'bot', now());
      INSERT INTO "ApiToken" (id, "organizationId", "serviceAccountId", name, prefix, "tokenHash", scopes, "revokedAt", "revokedById")
        VALUES
          ('01900000-0000-7000-8000-0000000000d1', '01900000-0000-7000-8000-00000000000b',
           '01900000-0000-7000-8000-00000000000c', 'by a user', 'hld_1', 'h1', '{}', now(), '01900000-0000-7000-8000-00000000000a'),
          ('01900000-0000-7000-8000-0000000000d2', '01900000-0000-7000-8000-00000000000b',
           '01900000-0000-7000-8000-00000000000c', 'by itself', 'hld_2', 'h2', '{}', now(), '01900000-0000-7000-8000-00000000000c'),
          ('01900000-0000-7000-8000-0000000000d3', '01900000-0000-7000-8000-00000000000b',
           '01900000-0000-7000-8000-00000000000c', 'holding', 'hld_3', 'h3', '{}', NULL, NULL);`);
    for (const name of migrations.slice(index)) await run(name);
    const { rows } = await pglite.query<{ name: string; revokedByType: string | null }>(
      `SELECT name, "revokedByType" FROM "ApiToken" ORDER BY id`,
    );
    expect(rows).toEqual([
      { name: 'by a user', revokedByType: 'USER' },
      { name: 'by itself', revokedByType: 'SERVICE_ACCOUNT' },
      { name: 'holding', revokedByType: null },
    ]);
  } finally {
    await pglite.close();
  }
});
