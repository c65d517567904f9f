// Delivery latency from the mutation to the subscriber: assignWorkItem sends the assignee
// an ASSIGNMENT notification; the time from sending the mutation to receiving the push is
// measured at a fixed rate. In one process, on the embedded database (or DATABASE_URL /
// REDIS_URL when set).
//   npm run bench:latency -- [per-second=50] [seconds=10]
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createHeraldServer } from '../../src/server.ts';
import { benchEnv, gql, openSubscriber, percentile, register } from './common.ts';

const rate = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 10);

const app = await createApp(loadConfig({ ...process.env, ...(await benchEnv()), PORT: '0' }));
const herald = createHeraldServer(app);
const port = await herald.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${port}`;

try {
  const owner = await register(base, 'owner');
  const assignee = await register(base, 'assignee');
  // A second member without invitations: the membership row, then a login into that organization.
  await app.db.membership.create({
    data: { userId: assignee.user.id, organizationId: owner.organization.id, role: 'MEMBER' },
  });
  const { login } = await gql<{ login: { accessToken: string } }>(
    base,
    'mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }',
    {
      i: {
        email: (await app.db.user.findUniqueOrThrow({ where: { id: assignee.user.id } })).email,
        password: 'correct horse battery staple',
        organizationId: owner.organization.id,
      },
    },
  );
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let settle: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const total = rate * seconds;
  await openSubscriber(
    `ws://127.0.0.1:${port}/graphql?token=${login.accessToken}`,
    'subscription { notificationAdded { notification { message } unreadCount } }',
    (data) => {
      const title = (data as { notificationAdded: { notification: { message: string } } }).notificationAdded
        .notification.message;
      const start = sentAt.get(title);
      if (start !== undefined) latencies.push(performance.now() - start);
      if (latencies.length === total) settle();
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));

  // One item per round, so that each push names the round it answers.
  const items: string[] = [];
  for (let i = 0; i < total; i++) {
    const { createWorkItem: item } = await gql<{ createWorkItem: { id: string } }>(
      base,
      'mutation($i: CreateWorkItemInput!) { createWorkItem(input: $i) { id } }',
      { i: { title: `round-${i}` } },
      owner.accessToken,
    );
    items.push(item.id);
  }
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.set(`round-${i}`, performance.now());
    void gql(
      base,
      'mutation($i: AssignWorkItemInput!) { assignWorkItem(input: $i) { id } }',
      { i: { workItemId: items[i], assigneeId: assignee.user.id } },
      owner.accessToken,
    );
  }
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  latencies.sort((a, b) => a - b);
  console.log(`database: ${app.database.kind}, pub/sub: ${app.redis ? 'redis' : 'in-process'}`);
  console.log(`rate: ${rate} mutations/s for ${seconds} s; delivered ${latencies.length} of ${total}`);
  console.log(
    `latency mutation → subscriber: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
  );
} finally {
  await herald.close();
}
