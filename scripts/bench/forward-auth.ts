// Forward-auth and limits, as ratios measured in one run: /api/tokens/validate with an API
// token against its floor, a bare node:http server that only signs one ES256 JWT per request
// with jose (scripts/bench/bare-jwt-signer.ts); forward-auth with a token that has a rate
// limit against the same without; `{ __typename }` with the access JWT of an organization
// whose limits are set against one whose are not (its requests are counted all the same, for
// its usage: the difference is what enforcing costs). Limits are set high enough never to
// refuse: the figures are what checking them costs. Each case runs right after its baseline, in
// several such pairs, and the median of the pairs' ratios is printed with the floor it must
// reach. Embedded database by default; with DATABASE_URL (a fresh database next to it, dropped
// after) and REDIS_URL, on PostgreSQL and Redis.
//   npm run bench:forward-auth -- [seconds per run=2] [connections=16] [pairs=5]
import type { ChildProcess } from 'node:child_process';
import { createDatabase } from '../../test/helpers/server.ts';
import { benchEnv, gql, median, register, startHeraldWithBenchAccount, startProcess, throughput } from './common.ts';

const seconds = Number(process.argv[2] ?? 2);
const connections = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 5);

interface Case {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** The index of the case this one is a ratio of; none for a baseline. */
  against?: number;
  /** The ratio it must reach. */
  floor?: number;
}

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const children: ChildProcess[] = [];
let failed = false;
try {
  const signer = await startProcess('scripts/bench/bare-jwt-signer.ts', process.env, (out) => /port \d+/.test(out));
  children.push(signer.child);
  const signerPort = Number(/port (\d+)/.exec(signer.output())?.[1]);

  const { child, base, owner, token } = await startHeraldWithBenchAccount(env, database?.url);
  children.push(child);
  const plain = await token('plain');
  const validate = `${base}/api/tokens/validate`;
  // The bench owner's organization is the oldest: it operates the default product, and sets the plan of another.
  const limitedToken = (
    await gql<{ createApiToken: { token: string } }>(
      base,
      'mutation { createApiToken(input: { serviceAccountSlug: "bench", name: "limited", scopes: ["read:organization"], rateLimit: { limit: 1000000000, windowSeconds: 60 } }) { token } }',
      {},
      owner.accessToken,
    )
  ).createApiToken.token;
  const tenant = await register(base, 'tenant');
  await gql(
    base,
    'mutation($i: UpdateOrganizationLimitsInput!) { updateOrganizationLimits(input: $i) { id } }',
    {
      i: {
        organizationId: tenant.organization.id,
        requestsPerMinute: 1_000_000_000,
        requestsPerDay: 1_000_000_000,
        concurrentRequests: 100_000,
      },
    },
    owner.accessToken,
  );
  const typename = JSON.stringify({ query: '{ __typename }' });

  const cases: Case[] = [
    { name: 'bare node:http signing one ES256 JWT', url: `http://127.0.0.1:${signerPort}/` },
    {
      name: 'forward-auth, API token',
      url: validate,
      headers: { authorization: `Bearer ${plain}` },
      against: 0,
      floor: 1.5,
    },
    {
      name: 'forward-auth, API token with a rate limit',
      url: validate,
      headers: { authorization: `Bearer ${limitedToken}` },
      against: 1,
      floor: 0.9,
    },
    {
      name: 'JWT { __typename }, no organization limits',
      url: `${base}/graphql`,
      body: typename,
      headers: { authorization: `Bearer ${owner.accessToken}` },
    },
    {
      name: 'JWT { __typename }, organization limits set',
      url: `${base}/graphql`,
      body: typename,
      headers: { authorization: `Bearer ${tenant.accessToken}` },
      against: 3,
      floor: 0.9,
    },
  ];
  const rates = cases.map(() => [] as number[]);
  const ratios = cases.map(() => [] as number[]);
  for (const [i, c] of cases.entries()) {
    if (c.against === undefined) continue;
    const baseline = cases[c.against] as Case;
    for (let round = 0; round < rounds; round++) {
      const before = await throughput({ ...baseline, connections, seconds });
      const rate = await throughput({ ...c, connections, seconds });
      rates[c.against]?.push(before);
      rates[i]?.push(rate);
      ratios[i]?.push(rate / before);
    }
  }

  console.log(
    `database: ${database ? 'postgres' : 'pglite'}, counters: ${process.env.REDIS_URL ? 'redis' : 'in-process'}; ${connections} connections, ${seconds} s per case, ${rounds} rounds`,
  );
  for (const [i, c] of cases.entries()) {
    const rate = median(rates[i] as number[])
      .toFixed(0)
      .padStart(7);
    if (c.against === undefined) {
      console.log(`  ${c.name.padEnd(44)} ${rate}   baseline`);
      continue;
    }
    const ratio = median(ratios[i] as number[]);
    const verdict =
      c.floor === undefined ? '' : ratio >= c.floor ? ` ≥ ${c.floor}: ok` : ` < ${c.floor}: BELOW THE FLOOR`;
    if (c.floor !== undefined && ratio < c.floor) failed = true;
    console.log(
      `  ${c.name.padEnd(44)} ${rate}   ${ratio.toFixed(2)} of ${(cases[c.against] as Case).name}${verdict} (pairs: ${(ratios[i] as number[]).map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
} finally {
  for (const child of children) child.kill();
  await database?.drop();
}
if (failed) process.exitCode = 1;
