// Request throughput against its physical baseline, in one run: bare graphql-yoga answering
// { hello } on the same Node, then Herald answering { __typename } anonymously, with an
// access JWT and with an API token (warm); { me { id } } against bare yoga doing the same
// one-row SELECT with raw `pg` (on PostgreSQL); and login against the argon2id ceiling of
// this machine (verifications per second with the same parameters, on as many threads as
// the thread pool has), with the latency of a cheap request sent meanwhile. Each server runs
// in a process of its own, loaded by autocannon from this one. Each case runs right after
// its baseline, in several such pairs, and the median of the pairs' ratios is printed.
// Embedded database by default; with DATABASE_URL (a fresh database next to it, dropped
// after) and REDIS_URL, on PostgreSQL and Redis.
//   npm run bench:requests -- [seconds per run=2] [connections=16] [pairs=5]
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { hash, verify } from '@node-rs/argon2';
import { createDatabase } from '../../test/helpers/server.ts';
import {
  benchEnv,
  median,
  percentile,
  register,
  startHeraldWithBenchAccount,
  startProcess,
  throughput,
} from './common.ts';

const seconds = Number(process.argv[2] ?? 2);
const connections = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 5);

interface Case {
  name: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Per connection, in turn: its own headers and body, instead of the case's. */
  perConnection?: { headers?: Record<string, string>; body: string }[];
  /** The index of the case this one is a ratio of; none for a baseline. */
  against?: number;
}

const PASSWORD = 'correct horse battery staple';

/** argon2id verifications per second with Herald's parameters, on the thread pool's threads. */
async function argon2Ceiling(duration: number) {
  const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
  const stored = await hash(PASSWORD, options as never);
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  let done = 0;
  const until = performance.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: threads }, async () => {
      while (performance.now() < until) {
        await verify(stored, PASSWORD);
        done++;
      }
    }),
  );
  return done / duration;
}

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const children: ChildProcess[] = [];
try {
  const bare = await startProcess(
    'scripts/bench/bare-yoga.ts',
    { ...process.env, BASELINE_DATABASE_URL: database?.url },
    (out) => /lean port \d+/.test(out),
  );
  children.push(bare.child);
  const barePort = Number(/port (\d+)/.exec(bare.output())?.[1]);
  const leanPort = Number(/lean port (\d+)/.exec(bare.output())?.[1]);

  const { child, base, owner, token } = await startHeraldWithBenchAccount(env, database?.url);
  children.push(child);
  const apiToken = await token('b');

  // `{ me }` is asked by a user of its own on each connection, as by the people of a real
  // deployment: Herald reads the users of requests in flight together (src/lookups-by-id.ts),
  // and one user on every connection would let those reads collapse into one row.
  const people = [
    owner,
    ...(await Promise.all(Array.from({ length: connections - 1 }, (_, i) => register(base, `me${i}`)))),
  ];
  const typename = JSON.stringify({ query: '{ __typename }' });
  const jwt = { authorization: `Bearer ${owner.accessToken}` };
  const bareUrl = `http://127.0.0.1:${barePort}/graphql`;
  const cases: Case[] = [
    { name: 'bare graphql-yoga, { hello }', url: bareUrl, body: JSON.stringify({ query: '{ hello }' }) },
    { name: '{ __typename }, anonymous', url: `${base}/graphql`, body: typename, against: 0 },
    { name: '{ __typename }, access JWT', url: `${base}/graphql`, body: typename, headers: jwt, against: 0 },
    {
      name: '{ __typename }, API token (warm)',
      url: `${base}/graphql`,
      body: typename,
      headers: { authorization: `Bearer ${apiToken}` },
      against: 0,
    },
    {
      name: 'bare yoga without its body-size stream',
      url: `http://127.0.0.1:${leanPort}/graphql`,
      body: JSON.stringify({ query: '{ hello }' }),
      against: 0,
    },
    ...(database
      ? [
          {
            name: 'yoga + raw pg, one-row SELECT',
            url: bareUrl,
            body: JSON.stringify({ query: `{ user(id: "${owner.user.id}") }` }),
            perConnection: people.map((person) => ({
              body: JSON.stringify({ query: `{ user(id: "${person.user.id}") }` }),
            })),
          },
        ]
      : []),
    {
      name: '{ me { id } }, access JWT',
      url: `${base}/graphql`,
      body: JSON.stringify({ query: '{ me { id } }' }),
      headers: jwt,
      perConnection: people.map((person) => ({
        headers: { authorization: `Bearer ${person.accessToken}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      })),
      against: database ? 5 : 0,
    },
  ];
  // Each case is measured right after its baseline, in several such pairs: a machine shared
  // with others drifts by more than the differences asked about, and a ratio of two runs a few
  // seconds apart drifts far less than one of runs a minute apart.
  const rates = cases.map(() => [] as number[]);
  const ratios = cases.map(() => [] as number[]);
  for (const [i, c] of cases.entries()) {
    if (c.against === undefined) continue;
    const baseline = cases[c.against] as Case;
    for (let round = 0; round < rounds; round++) {
      const base = await throughput({ ...baseline, connections, seconds });
      const rate = await throughput({ ...c, connections, seconds });
      rates[c.against]?.push(base);
      rates[i]?.push(rate);
      ratios[i]?.push(rate / base);
    }
  }

  // Logins with the right password, and meanwhile a cheap request every 50 ms.
  const login = JSON.stringify({
    query: `mutation { login(input: { email: "${owner.email}", password: "${PASSWORD}" }) { __typename } }`,
  });
  const cheap: number[] = [];
  const loginRatios: number[] = [];
  const loginRates: number[] = [];
  const ceilings: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const ceiling = await argon2Ceiling(seconds);
    // Cheap requests go on through the warm-up too, but only those of the measured run count:
    // the first logins of a round compile what the measured ones reuse.
    let loading = true;
    let measured = false;
    const probing = (async () => {
      while (loading) {
        const started = performance.now();
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typename,
        });
        if (measured) cheap.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const rate = await throughput({
      url: `${base}/graphql`,
      body: login,
      connections,
      seconds,
      measuring: () => {
        measured = true;
      },
    });
    loading = false;
    await probing;
    ceilings.push(ceiling);
    loginRates.push(rate);
    loginRatios.push(rate / ceiling);
  }

  console.log(
    `database: ${database ? 'postgres' : 'pglite'}, pub/sub: ${process.env.REDIS_URL ? 'redis' : 'in-process'}; ${connections} connections, ${seconds} s per case, ${rounds} rounds`,
  );
  console.log(
    `case                                     req/s   ratio (median of ${rounds} pairs, each case right after its baseline)`,
  );
  for (const [i, c] of cases.entries()) {
    const rate = median(rates[i] as number[]);
    if (c.against === undefined) {
      console.log(`  ${c.name.padEnd(36)} ${rate.toFixed(0).padStart(7)}   baseline`);
      continue;
    }
    const against = (cases[c.against] as Case).name;
    console.log(
      `  ${c.name.padEnd(36)} ${rate.toFixed(0).padStart(7)}   ${median(ratios[i] as number[]).toFixed(2)} of ${against} (pairs: ${(ratios[i] as number[]).map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
  console.log(
    `  login                                ${median(loginRates).toFixed(0).padStart(7)}   ${median(loginRatios).toFixed(2)} of the argon2id ceiling (${median(ceilings).toFixed(0)} verifications/s; rounds: ${loginRatios.map((r) => r.toFixed(2)).join(', ')})`,
  );
  cheap.sort((a, b) => a - b);
  console.log(
    `  { __typename } during the login load: p50 ${percentile(cheap, 50).toFixed(1)} ms, p99 ${percentile(cheap, 99).toFixed(1)} ms (${cheap.length} requests)`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await database?.drop().catch(() => {});
  await rm(env.DATA_DIR, { recursive: true, force: true });
}
