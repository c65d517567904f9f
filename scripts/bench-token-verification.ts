// What an API token costs a request: the same tiny GraphQL query with no credential, with a
// token already in the verification cache (warm) and with the cache emptied before every
// request (cold: one database lookup). Also authenticate() alone, without HTTP, and the two
// caches alone: the API token cache and the session revocation check of access JWTs. Figures
// only; runs on the embedded database, or with DATABASE_URL on a fresh database created
// next to that one and dropped afterwards (REDIS_URL for Redis pub/sub and limits).
//   npm run bench:tokens [-- <requests per case>]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { authenticate } from '../src/auth/principal.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createHeraldServer } from '../src/server.ts';
import { createDatabase } from '../test/helpers/server.ts';

const rounds = Number(process.argv[2] ?? 2000);
const dataDir = await mkdtemp(path.join(tmpdir(), 'herald-bench-'));
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const config = loadConfig({
  ...process.env,
  DATABASE_URL: database?.url,
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  RATE_LIMIT_IP_PER_MINUTE: String(10 * rounds),
});
const app = await createApp(config, { namespace: `bench-${process.pid}` });
const herald = createHeraldServer(app);
const url = `http://127.0.0.1:${await herald.listen(0, '127.0.0.1')}/graphql`;

async function gql<T>(query: string, variables: unknown = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const { register } = await gql<{
  register: { accessToken: string; user: { id: string }; organization: { id: string } };
}>('mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id } organization { id } } }', {
  input: { email: 'bench@example.test', password: 'correct horse battery staple', name: 'B', organizationName: 'B' },
});
await gql(
  'mutation { createServiceAccount(input: { name: "Bench", slug: "bench" }) { id } }',
  {},
  register.accessToken,
);
const { createApiToken } = await gql<{ createApiToken: { token: string } }>(
  'mutation { createApiToken(input: { serviceAccountSlug: "bench", name: "b", scopes: ["read:organization"] }) { token } }',
  {},
  register.accessToken,
);
const apiToken = createApiToken.token;

type Case = { name: string; token?: string; before?: () => void };
const cases: Case[] = [
  { name: 'no auth' },
  { name: 'API token, cache warm', token: apiToken },
  { name: 'API token, cache cold', token: apiToken, before: () => app.apiTokens.forgetAll() },
  { name: 'access JWT (for comparison)', token: register.accessToken },
];

const query = '{ __typename }';
const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let i = 0; i < 200; i++) for (const c of cases) await gql(query, {}, c.token); // warm-up
// Interleaved, so that drift (JIT, GC, the database warming up) hits every case alike.
for (let i = 0; i < rounds; i++) {
  for (const c of cases) {
    c.before?.();
    const start = performance.now();
    await gql(query, {}, c.token);
    samples.get(c.name)?.push(performance.now() - start);
  }
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: at(0.5), p99: at(0.99) };
};
const micro = (ms: number) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
const baseline = stats(samples.get('no auth') as number[]);
console.log(
  `database: ${app.database.kind}, pub/sub: ${app.redis ? 'redis' : 'in-process'}, ${rounds} requests per case`,
);
console.log('HTTP request `{ __typename }`          mean       p50       p99   mean over no auth');
for (const c of cases) {
  const s = stats(samples.get(c.name) as number[]);
  console.log(
    `  ${c.name.padEnd(34)} ${micro(s.mean)} ${micro(s.p50)} ${micro(s.p99)}   ${micro(s.mean - baseline.mean)}`,
  );
}

const iterations = rounds * 2;
const timeAuth = async (credential: string, before?: () => void) => {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    before?.();
    await authenticate(app, credential, '127.0.0.1');
  }
  return (performance.now() - start) / iterations;
};
console.log('authenticate() alone, mean per call');
console.log(`  API token, cache warm               ${micro(await timeAuth(apiToken))}`);
console.log(
  `  API token, cache cold               ${micro(await timeAuth(apiToken, () => app.apiTokens.forgetAll()))}`,
);
console.log(`  access JWT                          ${micro(await timeAuth(register.accessToken))}`);

const timeCache = async (check: () => Promise<unknown>) => {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await check();
  return (performance.now() - start) / iterations;
};
const now = Date.now();
console.log('the caches alone, warm, mean per call');
console.log(`  API token cache (verify)            ${micro(await timeCache(() => app.apiTokens.verify(apiToken)))}`);
console.log(
  `  session revocation check (holds)    ${micro(
    await timeCache(() => app.sessions.holds(register.user.id, register.organization.id, now)),
  )}`,
);

await herald.close();
await database?.drop();
await rm(dataDir, { recursive: true, force: true });
