// Memory per authenticated, subscribed WebSocket in one Herald process, each socket a
// different user (as in production: every user has their own revocation watch and topic).
// The users, their memberships and their access tokens are made directly (database and
// signing key) before the server starts; Herald then runs as `npm start` does
// (dist/main.js) in a child process, so that the clients' memory is not counted.
// Embedded database by default; with DATABASE_URL (a fresh database next to it, dropped
// after) and REDIS_URL, on PostgreSQL and Redis.
//   npm run bench:sockets -- [sockets=19900]
// A process may hold 20,000 descriptors on these machines (ulimit -Hn), which bounds the count.
// The same sockets are then opened on bare graphql-ws and on plain ws (bare-graphql-ws.ts), the floors.
import { rm } from 'node:fs/promises';
import type WebSocket from 'ws';
import { createApp } from '../../src/app.ts';
import { signAccessToken } from '../../src/auth/jwt.ts';
import { ROLE_SCOPES } from '../../src/auth/scopes.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createDatabase } from '../../test/helpers/server.ts';
import { benchEnv, freePort, openSubscriber, residentMiB, startProcess } from './common.ts';

const target = Number(process.argv[2] ?? 19_900);
const WARM_UP = 100;

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const serverEnv = { ...process.env, ...env, DATABASE_URL: database?.url ?? '', ACCESS_TOKEN_TTL: '3600' };

const setup = await createApp(loadConfig({ ...serverEnv, PORT: '0' }));
const product = await setup.products.defaultProduct();
const organization = await setup.db.organization.create({
  data: { name: 'Bench', slug: `bench-${Date.now()}`, productId: product.id },
});
const users = Array.from({ length: target + WARM_UP }, (_, i) => ({
  email: `user-${i}@bench.test`,
  name: `User ${i}`,
  // Nobody logs in: the tokens below are signed with the server's key.
  passwordHash: 'unused',
}));
for (let from = 0; from < users.length; from += 5000) {
  await setup.db.user.createMany({ data: users.slice(from, from + 5000) });
}
const ids = (await setup.db.user.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((user) => user.id);
for (let from = 0; from < ids.length; from += 5000) {
  await setup.db.membership.createMany({
    data: ids.slice(from, from + 5000).map((userId) => ({ userId, organizationId: organization.id, role: 'MEMBER' })),
  });
}
const tokens = await Promise.all(
  ids.map(
    async (sub) =>
      (
        await signAccessToken(
          setup.jwt,
          { sub, org: organization.id, product: product.slug, scopes: ROLE_SCOPES.MEMBER },
          3600,
        )
      ).token,
  ),
);
await setup.close();

/** Opens `count` subscribed sockets (after a warm-up) and answers the server's growth per socket. */
async function measure(pid: number, url: (token: string) => string, query: string) {
  const open = (token: string) => openSubscriber(url(token), query);
  // Warm up the code paths (and the server's heap) before the baseline.
  for (const socket of await Promise.all(tokens.slice(target).map(open))) socket.close();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const before = await residentMiB(pid);
  const sockets: WebSocket[] = [];
  const started = performance.now();
  let failed = 0;
  for (let from = 0; from < target; from += 500) {
    const results = await Promise.allSettled(tokens.slice(from, Math.min(target, from + 500)).map(open));
    for (const result of results) {
      if (result.status === 'fulfilled') sockets.push(result.value);
      else failed++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = await residentMiB(pid);
  for (const socket of sockets) socket.terminate();
  return { before, after, opened: sockets.length, failed, seconds, kib: ((after - before) * 1024) / sockets.length };
}

const port = await freePort();
const herald = await startProcess('dist/main.js', { ...serverEnv, PORT: String(port), LOG_LEVEL: 'info' }, (out) =>
  out.includes('Herald listening'),
);
const baseline = async (kind: 'graphql-ws' | 'ws') => {
  const bare = await startProcess('scripts/bench/bare-graphql-ws.ts', { ...process.env, BARE: kind }, (out) =>
    /port \d+/.test(out),
  );
  return { child: bare.child, port: Number(/port (\d+)/.exec(bare.output())?.[1]) };
};
const bare = await baseline('graphql-ws');
const plain = await baseline('ws');

try {
  const measured = await measure(
    herald.child.pid as number,
    (token) => `ws://127.0.0.1:${port}/graphql?token=${token}`,
    'subscription { notificationAdded { notification { id title } unreadCount } }',
  );
  console.log(
    `database: ${database ? 'postgres' : 'pglite'}, pub/sub: ${process.env.REDIS_URL ? 'redis' : 'in-process'}; ${measured.opened} sockets of as many users (failed: ${measured.failed}), opened in ${measured.seconds.toFixed(1)} s`,
  );
  console.log(
    `  server RSS ${measured.before.toFixed(0)} MiB before, ${measured.after.toFixed(0)} MiB after: ${measured.kib.toFixed(1)} KiB per socket`,
  );
  // The same sockets (same URLs, one subscription each) on the baselines.
  for (const [name, server] of [
    ['bare graphql-ws', bare],
    ['plain ws', plain],
  ] as const) {
    const floor = await measure(
      server.child.pid as number,
      (token) => `ws://127.0.0.1:${server.port}/graphql?token=${token}`,
      'subscription { tick }',
    );
    console.log(
      `  ${name}: ${floor.kib.toFixed(1)} KiB per socket (${floor.opened} sockets, failed: ${floor.failed}); Herald / ${name} ${(measured.kib / floor.kib).toFixed(2)}`,
    );
    server.child.kill('SIGTERM');
  }
} finally {
  bare.child.kill('SIGTERM');
  plain.child.kill('SIGTERM');
  herald.child.kill('SIGTERM');
  await new Promise((resolve) => herald.child.once('exit', resolve));
  await database?.drop().catch(() => {});
  await rm(env.DATA_DIR, { recursive: true, force: true });
}
