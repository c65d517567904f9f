// Two instances on one database and one Redis, as behind a load balancer: a token revoked
// through one is refused by the other on its very next request, though the other had it
// cached. Needs PostgreSQL and Redis (PGlite is one process's database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CurrentOrganizationDocument,
  LogoutAllDocument,
  MeDocument,
  RevokeApiTokenDocument,
  RevokeOAuthClientDocument,
  UpdateApiTokenDocument,
} from './generated/graphql.ts';
import { connect, within, wsUrl } from './helpers/live.ts';
import { createMachineToken, eventually } from './helpers/machine.ts';
import { createTestClient, OAUTH_ENV, oauthLibrary } from './helpers/oauth.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { startProxy } from './helpers/tcp-proxy.ts';

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

// The instance that revokes loses Redis for the moment of the revocation: its epoch bump and
// its announcement are refused. The other instance, which had the credential cached and
// holds a socket open with it, must refuse it once Redis is back, not a minute later.
const cutOff = needing(
  'revocations made while Redis refused them reach the other instance once it is back',
  'DATABASE_URL',
  'REDIS_URL',
);
describe.skipIf(cutOff.skip)(cutOff.title, () => {
  let revoking: TestServer;
  let other: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL as string);
    proxy = await startProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    redis.host = `127.0.0.1:${proxy.port}`;
    revoking = await startServer({ env: { ...OAUTH_ENV, REDIS_URL: redis.toString() } });
    other = await startServer({ reuse: revoking, env: OAUTH_ENV });
  });
  afterAll(async () => {
    await other?.close();
    await revoking?.close();
    proxy?.close();
  });

  /**
   * Cuts the revoking instance off Redis for `revoke`, then lets it back. Answers the
   * mutation's response, for the caller to check last: the refusal on the other instance is
   * what matters most.
   */
  async function revokeWhileCutOff<T>(revoke: () => Promise<T>): Promise<T> {
    await proxy.cut();
    try {
      return await revoke();
    } finally {
      await proxy.restore();
    }
  }

  const refusedOnOther = (check: () => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>) =>
    eventually(async () => {
      const response = await check();
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }, 15_000);

  it('an API token: refused, and its open socket closed', async () => {
    const owner = await createOwner(revoking);
    const machine = await createMachineToken(revoking, owner, ['read:organization']);
    ok(await revoking.gql(MeDocument, {}, { token: owner.accessToken }));
    ok(await other.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    const socket = connect(wsUrl(other, machine.token));
    await within(socket.connected, 5000, 'the connection');

    const answer = await revokeWhileCutOff(async () => {
      const answer = await revoking.gql(
        RevokeApiTokenDocument,
        { input: { id: machine.tokenId } },
        { token: owner.accessToken },
      );
      // Committed and enforced here, whatever Redis says.
      expect(
        failure(await revoking.gql(CurrentOrganizationDocument, {}, { token: machine.token })).extensions?.code,
      ).toBe('UNAUTHENTICATED');
      return answer;
    });

    await refusedOnOther(() => other.gql(CurrentOrganizationDocument, {}, { token: machine.token }));
    expect((await within(socket.closed, 15_000, 'the socket to close')).code).toBe(4403);
    // The revocation holds, so the caller is told it succeeded.
    ok(answer);
  });

  it('a session ended by logoutAll', async () => {
    const owner = await createOwner(revoking);
    ok(await revoking.gql(MeDocument, {}, { token: owner.accessToken }));
    ok(await other.gql(MeDocument, {}, { token: owner.accessToken }));

    const answer = await revokeWhileCutOff(() => revoking.gql(LogoutAllDocument, {}, { token: owner.accessToken }));

    await refusedOnOther(() => other.gql(MeDocument, {}, { token: owner.accessToken }));
    ok(answer);
  });

  it('an OAuth client', async () => {
    const owner = await createOwner(revoking);
    ok(await revoking.gql(MeDocument, {}, { token: owner.accessToken }));
    const client = await createTestClient(revoking, owner, ['read:organization']);
    const library = oauthLibrary(revoking);
    const { access_token: token } = await library.token(await library.discover(), client, 'basic');
    ok(await other.gql(CurrentOrganizationDocument, {}, { token }));

    const answer = await revokeWhileCutOff(() =>
      revoking.gql(RevokeOAuthClientDocument, { input: { id: client.id } }, { token: owner.accessToken }),
    );

    await refusedOnOther(() => other.gql(CurrentOrganizationDocument, {}, { token }));
    ok(answer);
  });
});
