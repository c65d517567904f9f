// What one user looping logoutAll (sign in, logoutAll, again) costs everyone else: how often
// other tenants' requests find their session check in the cache, and how many database reads
// of sessions they cause, with and without the loop. Needs REDIS_URL (without Redis there is
// no shared epoch and a revocation evicts only its own user). Runs on the embedded database,
// or with DATABASE_URL on a fresh database created next to that one and dropped afterwards.
//   REDIS_URL=redis://127.0.0.1:6379 node scripts/bench/logout-all-cache.ts [seconds per phase] [tenants]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createHeraldServer } from '../../src/server.ts';
import { createDatabase } from '../../test/helpers/server.ts';
import { gql, register } from './common.ts';

if (!process.env.REDIS_URL) {
  console.error('REDIS_URL is not set: without Redis there is no shared epoch to measure.');
  process.exit(2);
}
const seconds = Number(process.argv[2] ?? 5);
const tenants = Number(process.argv[3] ?? 50);
const concurrency = 8;

const dataDir = await mkdtemp(path.join(tmpdir(), 'herald-bench-'));
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const config = loadConfig({
  ...process.env,
  DATABASE_URL: database?.url,
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  RATE_LIMIT_IP_PER_MINUTE: '10000000',
});
const app = await createApp(config, { namespace: `bench-${process.pid}` });
const herald = createHeraldServer(app);
const base = `http://127.0.0.1:${await herald.listen(0, '127.0.0.1')}`;

// Session checks that went to the database, by user: the query session-revocations.ts makes
// on a cache miss (the one that selects sessionsNotBefore).
const reads = new Map<string, number>();
const membership = app.db.membership;
const findUnique = membership.findUnique.bind(membership);
Object.assign(membership, {
  findUnique: (args: Parameters<typeof findUnique>[0]) => {
    const select = args.select as Record<string, unknown> | undefined;
    const userId = (args.where as { userId_organizationId?: { userId: string } }).userId_organizationId?.userId;
    if (select?.sessionsNotBefore && userId) reads.set(userId, (reads.get(userId) ?? 0) + 1);
    return findUnique(args);
  },
});

const attacker = await register(base, 'attacker');
const others: Awaited<ReturnType<typeof register>>[] = [];
for (let i = 0; i < tenants; i++) others.push(await register(base, `tenant-${i}`));
const me = (token: string) => gql(base, '{ me { id } }', {}, token);
for (const other of others) await me(other.accessToken);

/** Other tenants' requests for `seconds`, `concurrency` at a time, while `background` runs. */
async function phase(name: string, background?: (until: number) => Promise<number>) {
  reads.clear();
  const until = Date.now() + seconds * 1000;
  let requests = 0;
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = worker; Date.now() < until; i += concurrency) {
      await me((others[i % others.length] as (typeof others)[number]).accessToken);
      requests++;
    }
  });
  const [loops] = await Promise.all([background?.(until) ?? Promise.resolve(0), ...workers]);
  const otherReads = [...reads].filter(([userId]) => userId !== attacker.user.id).reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `  ${name.padEnd(24)} ${String(loops).padStart(8)} ${String(requests).padStart(9)} ${String(otherReads).padStart(9)}` +
      `   ${(otherReads / requests).toFixed(3).padStart(8)}   ${((1 - otherReads / requests) * 100).toFixed(1).padStart(6)} %`,
  );
}

const logoutAllLoop = async (until: number) => {
  let token = attacker.accessToken;
  let loops = 0;
  while (Date.now() < until) {
    await gql(base, 'mutation { logoutAll }', {}, token);
    loops++;
    const { login } = await gql<{ login: { accessToken: string } }>(
      base,
      'mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }',
      {
        i: {
          email: attacker.email,
          password: 'correct horse battery staple',
          organizationId: attacker.organization.id,
        },
      },
    );
    token = login.accessToken;
  }
  return loops;
};

console.log(
  `database: ${app.database.kind}, pub/sub: redis, ${tenants} other tenants, ${concurrency} requests at a time, ${seconds} s per phase`,
);
console.log('  phase                    logoutAll  requests  db reads  per request  cache hits');
await phase('quiet');
await phase('logoutAll loop', logoutAllLoop);

await herald.close();
await database?.drop();
await rm(dataDir, { recursive: true, force: true });
