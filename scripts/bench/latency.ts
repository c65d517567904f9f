// Delivery latency from the mutation to the subscriber: assignWorkItem sends the assignee an
// ASSIGNMENT notification; the time from sending the mutation to receiving the push over the
// WebSocket is measured at fixed rates, stepped up until the server saturates. Herald runs
// as `npm start` does (dist/main.js) in a child process, so that this client's work is not
// counted. Embedded database by default; with DATABASE_URL (a fresh database next to it,
// dropped after) and REDIS_URL, on PostgreSQL and Redis.
//   npm run bench:latency -- [seconds per rate=5] [rates=100,250,500,1000]
import { rm } from 'node:fs/promises';
import { createApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createDatabase } from '../../test/helpers/server.ts';
import { benchEnv, freePort, gql, openSubscriber, percentile, startProcess } from './common.ts';

const seconds = Number(process.argv[2] ?? 5);
const rates = (process.argv[3] ?? '100,250,500,1000').split(',').map(Number);
const PASSWORD = 'correct horse battery staple';

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const serverEnv = { ...process.env, ...env, DATABASE_URL: database?.url ?? '' };

// The data, written before the server starts: an owner, an assignee in the same
// organization, and one unassigned item per mutation to come.
const total = rates.reduce((sum, rate) => sum + rate * seconds, 0);
const WARM_UP = 1000;
const setup = await createApp(loadConfig({ ...serverEnv, PORT: '0' }));
const passwordHash = await hashPassword(PASSWORD);
const organization = await setup.db.organization.create({
  data: {
    name: 'Bench',
    slug: `bench-${Date.now()}`,
    workItemSeq: total + WARM_UP,
    productId: (await setup.products.defaultProduct()).id,
  },
});
const [owner, assignee] = await Promise.all(
  ['owner', 'assignee'].map((name) =>
    setup.db.user.create({
      data: {
        email: `${name}-${Date.now()}@bench.test`,
        name,
        passwordHash,
        memberships: { create: { organizationId: organization.id, role: name === 'owner' ? 'OWNER' : 'MEMBER' } },
      },
    }),
  ),
);
for (let from = 0; from < total + WARM_UP; from += 5000) {
  await setup.db.workItem.createMany({
    data: Array.from({ length: Math.min(5000, total + WARM_UP - from) }, (_, i) => ({
      organizationId: organization.id,
      number: from + i + 1,
      key: `WI-${from + i + 1}`,
      title: `round-${from + i}`,
    })),
  });
}
const items = (
  await setup.db.workItem.findMany({ where: { organizationId: organization.id }, orderBy: { number: 'asc' } })
).map((item) => item.id);
await setup.close();

const port = await freePort();
const herald = await startProcess('dist/main.js', { ...serverEnv, PORT: String(port), LOG_LEVEL: 'info' }, (out) =>
  out.includes('Herald listening'),
);
herald.child.stdout?.resume();
const base = `http://127.0.0.1:${port}`;
const login = async (email: string) =>
  (
    await gql<{ login: { accessToken: string } }>(
      base,
      'mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }',
      { i: { email, password: PASSWORD } },
    )
  ).login.accessToken;

try {
  const ownerToken = await login(owner?.email as string);
  const assigneeToken = await login(assignee?.email as string);
  const sentAt = new Map<string, number>();
  let latencies: number[] = [];
  let lastArrival = 0;
  let lastEvent = 0;
  await openSubscriber(
    `ws://127.0.0.1:${port}/graphql?token=${assigneeToken}`,
    'subscription { notificationAdded { notification { message } unreadCount } }',
    (data) => {
      lastEvent = performance.now();
      const title = (data as { notificationAdded: { notification: { message: string } } }).notificationAdded
        .notification.message;
      const start = sentAt.get(title);
      if (start !== undefined) {
        lastArrival = performance.now();
        latencies.push(lastArrival - start);
      }
    },
  );
  const assign = (workItemId: string) =>
    gql(
      base,
      'mutation($i: AssignWorkItemInput!) { assignWorkItem(input: $i) { id } }',
      { i: { workItemId, assigneeId: assignee?.id } },
      ownerToken,
    );
  // Warm-up: JIT, prepared plans, and as many connections (HTTP, and from the server's pool to
  // the database) as a burst needs. One at a time would open one of each, and the first rate
  // would pay for opening the rest.
  let warmed = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (warmed < WARM_UP) await assign(items[total + warmed++] as string);
    }),
  );
  // The burst's own deliveries must be out of the way before the first rate is timed.
  const warmedAt = performance.now();
  while (performance.now() - Math.max(lastEvent, warmedAt) < 1000 && performance.now() - warmedAt < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  console.log(
    `database: ${database ? 'postgres' : 'pglite'}, pub/sub: ${process.env.REDIS_URL ? 'redis' : 'in-process'}; assignWorkItem → subscriber, ${seconds} s per rate`,
  );
  let next = 0;
  let saturation = 0;
  for (const rate of rates) {
    latencies = [];
    const responses: number[] = [];
    const count = rate * seconds;
    const started = performance.now();
    let failures = 0;
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const index = next++;
      const sent = performance.now();
      sentAt.set(`round-${index}`, sent);
      assign(items[index] as string).then(
        () => responses.push(performance.now() - sent),
        () => failures++,
      );
    }
    const deadline = performance.now() + 30_000;
    while (latencies.length + failures < count && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const delivered = latencies.length;
    const throughput = delivered / ((lastArrival - started) / 1000);
    saturation = Math.max(saturation, Math.min(throughput, rate));
    latencies.sort((a, b) => a - b);
    responses.sort((a, b) => a - b);
    console.log(
      `  ${String(rate).padStart(5)}/s offered: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, delivered ${delivered} of ${count} (${throughput.toFixed(0)}/s)${failures ? `, ${failures} failed` : ''}; the mutation's own response p50 ${percentile(responses, 50).toFixed(1)} ms, p99 ${percentile(responses, 99).toFixed(1)} ms`,
    );
    if (percentile(latencies, 99) > 5000) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.log(`  saturation: ${saturation.toFixed(0)} deliveries/s at most`);
} finally {
  herald.child.kill('SIGTERM');
  await new Promise((resolve) => herald.child.once('exit', resolve));
  await database?.drop().catch(() => {});
  await rm(env.DATA_DIR, { recursive: true, force: true });
}
