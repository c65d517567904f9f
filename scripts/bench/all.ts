// Every benchmark, in one run, on the embedded database and then on PostgreSQL + Redis: the
// figures of the README's table. Each benchmark runs in its own process (and starts its own
// servers); the PostgreSQL ones make a fresh database next to DATABASE_URL and drop it after.
//   npm run bench   (DATABASE_URL and REDIS_URL default to the loopback services)
import { spawn } from 'node:child_process';

const postgres = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const benchmarks: [string, string[]][] = [
  ['requests: throughput against bare yoga, yoga + raw pg, and the argon2id ceiling', ['scripts/bench/requests.ts']],
  [
    'forward-auth and limits: against the floor of one ES256 signing, and without limits',
    ['scripts/bench/forward-auth.ts'],
  ],
  ['assignWorkItem → subscriber', ['scripts/bench/latency.ts', '5', '100,250,500,1000']],
  ['SLA sweep', ['scripts/bench/sla-sweep.ts']],
  ['memory per authenticated socket, distinct users', ['scripts/bench/sockets.ts']],
  ['idle RSS', ['scripts/bench/idle-rss.ts']],
];

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => {
      if (code !== 0) console.log(`  (exited with ${code})`);
      resolve();
    });
  });
}

for (const [mode, env] of [
  ['PGlite, in-process pub/sub', { ...process.env, DATABASE_URL: '', REDIS_URL: '' }],
  ['PostgreSQL + Redis', { ...process.env, DATABASE_URL: postgres, REDIS_URL: redis }],
] as const) {
  console.log(`\n### ${mode}`);
  for (const [title, args] of benchmarks) {
    console.log(`\n## ${title}`);
    await run(args, env);
  }
}
