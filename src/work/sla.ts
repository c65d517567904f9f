// The SLA sweep. Each warning and breach is claimed by one atomic UPDATE … WHERE … IS NULL
// RETURNING, in the same transaction that stores its notifications: when several instances
// sweep at once, PostgreSQL lets only one of them flip a row, and a crash before commit
// leaves the row unclaimed for the next sweep, so each is sent exactly once. What is still to
// be sent is kept as pending instants (schedule.ts) and read through their indexes up to
// now, so a sweep reads the items that are due and none of the others.

import type { Prisma } from '../generated/prisma/client.ts';
import { type NewNotification, publishNotifications, storeNotifications } from '../notifications/service.ts';
import type { App } from '../platform/app.ts';
import { startRepeating } from '../platform/repeating-task.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { subscribedEvents } from '../webhooks/outbox.ts';

type Tx = Prisma.TransactionClient;

interface Claimed {
  id: string;
  organizationId: string;
  assigneeId: string | null;
  key: string;
  title: string;
  dueAt: Date;
}

/** Items claimed per transaction, so that one sweep never holds a huge set of row locks. */
const BATCH = 1000;
/** Transactions claiming at once within one sweep. */
const CLAIMERS = 2;

// Timestamps are stored as UTC `timestamp(3)`; an ISO string cast to timestamp keeps that
// meaning whatever the session's time zone.
// An item already past due when its warning comes up gets only the breach, which clears the
// warning too (in the same sweep: breaches are claimed after warnings).
const claimWarnings = (tx: Tx, now: string) => tx.$queryRaw<Claimed[]>`
  UPDATE "WorkItem" AS w SET "slaWarnedAt" = ${now}::timestamp, "pendingWarningAt" = NULL
  WHERE w.id IN (
    SELECT i.id FROM "WorkItem" AS i
    WHERE i."pendingWarningAt" <= ${now}::timestamp AND i."dueAt" > ${now}::timestamp
    ORDER BY i."pendingWarningAt"
    LIMIT ${BATCH}
    FOR UPDATE OF i SKIP LOCKED
  )
  AND w."pendingWarningAt" IS NOT NULL
  RETURNING w.id, w."organizationId", w."assigneeId", w.key, w.title, w."dueAt"`;

const claimBreaches = (tx: Tx, now: string) => tx.$queryRaw<Claimed[]>`
  UPDATE "WorkItem" AS w
  SET "slaBreachedAt" = ${now}::timestamp, "pendingBreachAt" = NULL, "pendingWarningAt" = NULL
  WHERE w.id IN (
    SELECT i.id FROM "WorkItem" AS i
    WHERE i."pendingBreachAt" <= ${now}::timestamp
    ORDER BY i."pendingBreachAt"
    LIMIT ${BATCH}
    FOR UPDATE OF i SKIP LOCKED
  )
  AND w."pendingBreachAt" IS NOT NULL
  RETURNING w.id, w."organizationId", w."assigneeId", w.key, w.title, w."dueAt"`;

/** The assignee, or the organization's owners and admins when nobody is assigned. */
async function recipients(tx: Tx, items: Claimed[]): Promise<Map<string, string[]>> {
  const orphanOrgs = [...new Set(items.filter((i) => !i.assigneeId).map((i) => i.organizationId))];
  const managers = orphanOrgs.length
    ? await tx.membership.findMany({
        where: { organizationId: { in: orphanOrgs }, role: { in: ['OWNER', 'ADMIN'] } },
        select: { organizationId: true, userId: true },
      })
    : [];
  return new Map(
    items.map((item) => [
      item.id,
      item.assigneeId
        ? [item.assigneeId]
        : managers.filter((m) => m.organizationId === item.organizationId).map((m) => m.userId),
    ]),
  );
}

type Kind = 'SLA_WARNING' | 'SLA_BREACH';

const titles: Record<Kind, (key: string) => string> = {
  SLA_WARNING: (key) => `${key} is approaching its SLA deadline`,
  SLA_BREACH: (key) => `${key} has breached its SLA`,
};

async function sweepOne(app: App, kind: Kind, now: string): Promise<number> {
  // Batches are claimed by concurrent transactions, as separate instances would: SKIP LOCKED
  // hands each its own rows. On PostgreSQL this uses more than one connection (and core);
  // PGlite has one connection and runs them in turn.
  const counts = await Promise.all(Array.from({ length: CLAIMERS }, () => claimUntilDone(app, kind, now)));
  return counts.reduce((a, b) => a + b, 0);
}

async function claimUntilDone(app: App, kind: Kind, now: string): Promise<number> {
  const claim = kind === 'SLA_WARNING' ? claimWarnings : claimBreaches;
  const eventType = kind === 'SLA_WARNING' ? 'sla.warning' : 'sla.breach';
  let total = 0;
  for (;;) {
    const { count, stored } = await app.db.$transaction(async (tx) => {
      const items = await claim(tx, now);
      const to = await recipients(tx, items);
      const list: NewNotification[] = items.flatMap((item) =>
        (to.get(item.id) ?? []).map((recipientId) => ({
          recipientId,
          organizationId: item.organizationId,
          type: kind,
          title: titles[kind](item.key),
          message: item.title,
          workItemId: item.id,
        })),
      );
      // sla.warning / sla.breach in the claim's transaction: claimed once, enqueued once.
      const events: WebhookEvent[] = items.map((item) => ({
        organizationId: item.organizationId,
        type: eventType,
        data: {
          workItem: { id: item.id, key: item.key, title: item.title, assigneeId: item.assigneeId },
          dueAt: item.dueAt.toISOString(),
        },
      }));
      const wanted = await subscribedEvents(
        tx,
        items.map((item) => item.organizationId),
        [eventType, 'notification.created'],
      );
      return { count: items.length, stored: await storeNotifications(tx, list, events, { wanted }) };
    });
    await publishNotifications(app, stored);
    total += count;
    if (count < BATCH) return total;
  }
}

/** One sweep at `now`: warnings first, then breaches. Answers how many items it claimed. */
export async function sweepSla(app: App, now: Date = new Date()) {
  const at = now.toISOString();
  const timer = app.metrics.slaSweepSeconds.startTimer();
  const warnings = await sweepOne(app, 'SLA_WARNING', at);
  const breaches = await sweepOne(app, 'SLA_BREACH', at);
  timer();
  app.metrics.slaClaimed.inc({ kind: 'warning' }, warnings);
  app.metrics.slaClaimed.inc({ kind: 'breach' }, breaches);
  return { warnings, breaches };
}

/** Sweeps every SLA_SWEEP_INTERVAL_MS (0 disables); the returned function stops it. */
export function startSlaSweeper(app: App): () => Promise<void> {
  return startRepeating(app.config.SLA_SWEEP_INTERVAL_MS, () =>
    sweepSla(app)
      .then((result) => {
        if (result.warnings || result.breaches) app.logger.info(result, 'SLA sweep');
      })
      .catch((error) => app.logger.error({ err: error }, 'SLA sweep failed')),
  );
}
