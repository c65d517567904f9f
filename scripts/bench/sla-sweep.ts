// What one SLA sweep costs: with many open and closed items and none due, the WorkItem rows
// PostgreSQL reads for it (its own statistics, so the figure does not depend on the machine's
// speed), beside what the earlier queries (a scan of open items computing dueAt - warnBefore
// per row) read over the same data; then the time to sweep a batch of items that all fall due.
// Embedded database by default; with DATABASE_URL, a fresh database next to it, dropped after.
//   npm run bench:sla -- [open=100000] [closed=200000] [due=10000]
import { rm } from 'node:fs/promises';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { sweepSla } from '../../src/work/sla.ts';
import { createDatabase } from '../../test/helpers/server.ts';
import { benchEnv } from './common.ts';

const [open, closed, due] = [100_000, 200_000, 10_000].map((fallback, i) =>
  Number(process.argv[2 + i] ?? fallback),
) as [number, number, number];

const env = await benchEnv();
const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const app = await createApp(loadConfig({ ...process.env, ...env, DATABASE_URL: database?.url, REDIS_URL: undefined }));
const { db } = app;

try {
  const user = await db.user.create({ data: { email: 'sweep@bench.test', name: 'Sweep', passwordHash: 'x' } });
  const organization = await db.organization.create({
    data: { name: 'Sweep', slug: 'sweep', productId: (await app.products.defaultProduct()).id },
  });
  await db.membership.create({ data: { userId: user.id, organizationId: organization.id, role: 'OWNER' } });
  const policy = await db.slaPolicy.create({
    data: { organizationId: organization.id, name: 'p', targetMinutes: 24 * 60, warnBeforeMinutes: 60 },
  });

  // Open items fall due over the next 30 days, closed ones fell due over the last 30: as
  // written by createWorkItem and updateWorkItemStatus.
  const seed = async (count: number, offset: number, status: 'OPEN' | 'CLOSED') =>
    db.$executeRawUnsafe(
      `INSERT INTO "WorkItem" (id, "organizationId", number, key, title, status, priority, "assigneeId",
         "slaPolicyId", "dueAt", "pendingWarningAt", "pendingBreachAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, $2 + n, 'WI-' || ($2 + n), 'item ' || n, $3::"WorkItemStatus", 'MEDIUM',
         $4::uuid, $5::uuid, d, CASE WHEN $3 = 'OPEN' THEN d - interval '60 minutes' END,
         CASE WHEN $3 = 'OPEN' THEN d END, now(), now()
       FROM generate_series(1, $6) AS n,
         LATERAL (SELECT now() + (CASE WHEN $3 = 'OPEN' THEN 1 ELSE -1 END) * (interval '1 day' + n * interval '25 seconds') AS d) AS t`,
      organization.id,
      offset,
      status,
      user.id,
      policy.id,
      count,
    );
  let started = performance.now();
  await seed(open, 0, 'OPEN');
  await seed(closed, open, 'CLOSED');
  await db.$executeRawUnsafe('ANALYZE "WorkItem"');
  console.log(
    `database: ${app.database.kind}; ${open} open and ${closed} closed items seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  /** WorkItem rows read (sequentially or through an index) while `work` runs. */
  const rowsRead = async (work: () => Promise<unknown>) => {
    const read = async () => {
      await db.$executeRawUnsafe('SELECT pg_stat_force_next_flush()');
      const [row] = await db.$queryRawUnsafe<{ rows: bigint }[]>(
        `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS rows
         FROM pg_stat_user_tables WHERE relname = 'WorkItem'`,
      );
      return Number(row?.rows ?? 0);
    };
    const before = await read();
    await work();
    return (await read()) - before;
  };

  // The queries the sweep ran before pending instants (their reading part).
  const previous = () =>
    db.$transaction([
      db.$queryRawUnsafe(`SELECT i.id FROM "WorkItem" AS i JOIN "SlaPolicy" AS p ON p.id = i."slaPolicyId"
        WHERE i."slaWarnedAt" IS NULL AND i."slaBreachedAt" IS NULL AND i.status NOT IN ('RESOLVED', 'CLOSED')
          AND p."warnBeforeMinutes" > 0 AND i."dueAt" > now()
          AND i."dueAt" - make_interval(mins => p."warnBeforeMinutes") <= now() LIMIT 200`),
      db.$queryRawUnsafe(`SELECT i.id FROM "WorkItem" AS i
        WHERE i."slaBreachedAt" IS NULL AND i."dueAt" <= now() AND i.status NOT IN ('RESOLVED', 'CLOSED') LIMIT 200`),
    ]);
  const stats = await db.$queryRawUnsafe<{ on: boolean }[]>("SELECT current_setting('track_counts')::boolean AS on");
  if (!stats[0]?.on) console.log('(this database does not track row counts: the rows figures read 0)');

  console.log('SLA sweep with nothing due              rows read   time');
  for (const [name, work] of [
    ['previous queries', previous],
    ['sweep now', () => sweepSla(app)],
  ] as const) {
    started = performance.now();
    const rows = await rowsRead(work);
    console.log(`  ${name.padEnd(36)} ${String(rows).padStart(9)}   ${(performance.now() - started).toFixed(1)} ms`);
  }

  // A batch of items all falling due at once: their warnings are claimed and stored.
  await db.$executeRawUnsafe(
    `UPDATE "WorkItem" SET "pendingWarningAt" = now() - interval '1 minute'
     WHERE id IN (SELECT id FROM "WorkItem" WHERE status = 'OPEN' ORDER BY "pendingWarningAt" LIMIT $1)`,
    due,
  );
  started = performance.now();
  const result = await sweepSla(app);
  console.log(
    `sweep of ${due} due items: ${result.warnings} warnings claimed and notified in ${(performance.now() - started).toFixed(0)} ms`,
  );
} finally {
  await app.close();
  await database?.drop();
  await rm(env.DATA_DIR, { recursive: true, force: true });
}
