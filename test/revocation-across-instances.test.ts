// Two instances on one database and one Redis, as behind a load balancer: a token revoked
// through one is refused by the other on its very next request, though the other had it
// cached. Needs PostgreSQL and Redis (PGlite is one process's database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentOrganizationDocument, RevokeApiTokenDocument, UpdateApiTokenDocument } from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';

const scaledOut = needing('API token changes across instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(scaledOut.skip)(scaledOut.title, () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startServer();
    second = await startServer({ reuse: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a revocation on one instance is refused by the other at once', async () => {
    const owner = await createOwner(first);
    const machine = await createMachineToken(first, owner, ['read:organization']);
    // Both instances verify, and so cache, the token.
    ok(await first.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    ok(await second.gql(CurrentOrganizationDocument, {}, { token: machine.token }));

    ok(await first.gql(RevokeApiTokenDocument, { input: { id: machine.tokenId } }, { token: owner.accessToken }));
    const refused = failure(await second.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    expect(refused.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('narrowed scopes apply on the other instance at once', async () => {
    const owner = await createOwner(first);
    const machine = await createMachineToken(first, owner, ['read:organization', 'read:members']);
    ok(await first.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    ok(
      await second.gql(
        UpdateApiTokenDocument,
        { input: { id: machine.tokenId, scopes: ['read:members'] } },
        { token: owner.accessToken },
      ),
    );
    // The change went through the second instance; the first must not serve its cached copy.
    const refused = failure(await first.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    expect(refused.extensions?.code).toBe('FORBIDDEN');
  });
});
