// One user who loops logoutAll (no limit applies to it) must not turn every other tenant's
// requests into database reads: the revocation epochs are scoped, so another user's warm
// token keeps being answered from the cache. Only Redis has epochs to share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf } from '../src/platform/shared-epoch.ts';
import { LoginDocument, LogoutAllDocument, MeDocument } from './generated/graphql.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { needing, ok, startServer, type TestServer, usingPostgres } from './helpers/server.ts';

const scoped = needing('a logoutAll loop leaves other tenants’ cached sessions alone', 'REDIS_URL');
describe.skipIf(scoped.skip)(scoped.title, () => {
  let looping: TestServer;
  let serving: TestServer;
  beforeAll(async () => {
    looping = await startServer({ env: { METRICS: 'true' } });
    // A second instance of the deployment where there is a database to share.
    serving = usingPostgres ? await startServer({ reuse: looping, env: { METRICS: 'true' } }) : looping;
  });
  afterAll(async () => {
    if (serving !== looping) await serving?.close();
    await looping?.close();
  });

  /** Session checks answered from the cache and from the database on `server` so far. */
  async function sessionLookups(server: TestServer) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^herald_credential_cache_lookups_total\\{cache="sessions",result="${result}"\\} (\\d+)`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    return { hits: count('hit'), misses: count('miss') };
  }

  async function signIn(server: TestServer, account: Account) {
    const { login } = ok(
      await server.gql(LoginDocument, {
        input: { email: account.email, password: account.password, organizationId: account.organizationId },
      }),
    );
    if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
    return login.accessToken;
  }

  it('another user’s warm token is served from the cache on every instance while the loop runs', async () => {
    const attacker = await createOwner(looping);
    let victim = await createOwner(serving);
    // A user who shares the attacker's bucket is flushed with it: pick one who does not.
    while (bucketOf(victim.userId) === bucketOf(attacker.userId)) victim = await createOwner(serving);
    for (const server of new Set([looping, serving]))
      ok(await server.gql(MeDocument, {}, { token: victim.accessToken }));

    let token = attacker.accessToken;
    for (let round = 0; round < 10; round++) {
      ok(await looping.gql(LogoutAllDocument, {}, { token }));
      token = await signIn(looping, attacker);
      for (const server of new Set([looping, serving])) {
        const before = await sessionLookups(server);
        ok(await server.gql(MeDocument, {}, { token: victim.accessToken }));
        const after = await sessionLookups(server);
        expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual({
          hits: 1,
          misses: 0,
        });
      }
    }
  });
});
