// The database goes away and comes back: requests fail fast with a clear error, readiness
// says so, and service resumes on its own. Needs a real PostgreSQL to cut off.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MeDocument } from './generated/graphql.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer, usingPostgres } from './helpers/server.ts';
import { startProxy } from './helpers/tcp-proxy.ts';

let first: TestServer;
let server: TestServer;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  if (!usingPostgres) return;
  first = await startServer();
  await first.stop();
  const url = new URL(first.databaseUrl as string);
  proxy = await startProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  server = await startServer({
    reuse: { dataDir: first.dataDir, databaseUrl: url.toString() },
    // Background work (the SLA sweep) keeps database connections busy through the outage.
    env: { SLA_SWEEP_INTERVAL_MS: '200' },
  });
});
afterAll(async () => {
  await server?.stop();
  proxy?.close();
  await first?.close();
});

const outage = needing('fails fast with UNAVAILABLE while the database is down, then recovers', 'DATABASE_URL');
it.skipIf(outage.skip)(outage.title, async () => {
  const owner = await createOwner(server);
  await proxy.cut();

  const started = performance.now();
  const error = failure(await server.gql(MeDocument, {}, { token: owner.accessToken }));
  expect(performance.now() - started).toBeLessThan(10_000);
  expect(error.extensions?.code).toBe('UNAVAILABLE');
  expect(error.message).toBe('The service is temporarily unavailable. Try again shortly.');
  expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

  await proxy.restore();
  const deadline = Date.now() + 10_000;
  let response = await server.gql(MeDocument, {}, { token: owner.accessToken });
  while (response.errors && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    response = await server.gql(MeDocument, {}, { token: owner.accessToken });
  }
  expect(ok(response).me.id).toBe(owner.userId);
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
});
