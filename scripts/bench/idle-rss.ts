// Resident memory of an idle Herald, as `npm start` runs it (the built dist/main.js): the server is started in a child process on a fresh data
// directory (first start: the database is created and migrated), stopped, started again on the
// same data (every later start), and read from /proc once it has been listening a few seconds.
// Embedded database by default; with DATABASE_URL (a fresh database next to it, dropped after)
// and REDIS_URL, on PostgreSQL and Redis.
//   npm run bench:idle -- [settle seconds=5]
import { rm } from 'node:fs/promises';
import { createDatabase } from '../../test/helpers/server.ts';
import { benchEnv, freePort, residentMiB, startProcess } from './common.ts';

const settle = Number(process.argv[2] ?? 5);

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
try {
  const figures: string[] = [];
  for (const start of ['first start', 'later start']) {
    const port = await freePort();
    const herald = await startProcess(
      'dist/main.js',
      { ...process.env, ...env, PORT: String(port), DATABASE_URL: database?.url ?? '', LOG_LEVEL: 'info' },
      (out) => out.includes('Herald listening'),
    );
    await fetch(`http://127.0.0.1:${port}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));
    figures.push(`${start} ${(await residentMiB(herald.child.pid as number)).toFixed(0)} MiB`);
    herald.child.kill('SIGTERM');
    await new Promise((resolve) => herald.child.once('exit', resolve));
  }
  console.log(
    `database: ${database ? 'postgres' : 'pglite'}, pub/sub: ${process.env.REDIS_URL ? 'redis' : 'in-process'}; idle RSS ${settle} s after listening: ${figures.join(', ')}`,
  );
} finally {
  await database?.drop().catch(() => {});
  await rm(env.DATA_DIR, { recursive: true, force: true });
}
