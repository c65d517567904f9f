// What a person does with their feed: read, unread again, archive, restore. Each change is one
// statement that also moves the unread count (unread and not archived), then it is published
// to the recipient's other tabs with the absolute count.
import type { Principal } from '../auth/principal.ts';
import { type Notification, Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { columnsOf } from '../platform/database/sql-columns.ts';
import { badInput, notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/validation.ts';
import { toMessage } from './events.ts';

export type FeedChange = 'read' | 'unread' | 'archive' | 'unarchive';

const COLUMNS = columnsOf(Prisma.NotificationScalarFieldEnum);

/**
 * Per change: what it sets, which rows it changes, and which of the changed rows move the
 * unread count, in which direction.
 */
function statementParts(change: FeedChange, at: string) {
  switch (change) {
    case 'read':
      return {
        set: Prisma.sql`"readAt" = ${at}::timestamp(3)`,
        when: Prisma.sql`"readAt" IS NULL`,
        counts: Prisma.sql`"archivedAt" IS NULL`,
        sign: -1,
      };
    case 'unread':
      return {
        set: Prisma.sql`"readAt" = NULL`,
        when: Prisma.sql`"readAt" IS NOT NULL`,
        counts: Prisma.sql`"archivedAt" IS NULL`,
        sign: 1,
      };
    case 'archive':
      return {
        set: Prisma.sql`"archivedAt" = ${at}::timestamp(3)`,
        when: Prisma.sql`"archivedAt" IS NULL`,
        counts: Prisma.sql`"readAt" IS NULL`,
        sign: -1,
      };
    case 'unarchive':
      return {
        set: Prisma.sql`"archivedAt" = NULL`,
        when: Prisma.sql`"archivedAt" IS NOT NULL`,
        counts: Prisma.sql`"readAt" IS NULL`,
        sign: 1,
      };
  }
}

/** Beyond this many rows changed at once, only the count is published (clients reload). */
export const CHANGES_PUBLISHED = 100;

type Row = Notification & { unreadCount: number | null };

/**
 * Applies a change to one notification (`id`) or to all that `only` selects; answers the
 * changed rows and publishes them.
 */
async function applyChange(
  app: App,
  principal: Principal,
  change: FeedChange,
  target: { id: string } | { only: Prisma.Sql },
): Promise<Notification[]> {
  const { set, when, counts, sign } = statementParts(change, new Date().toISOString());
  const which = 'id' in target ? Prisma.sql`id = ${target.id}::uuid` : target.only;
  const recipientId = principal.id;
  const organizationId = principal.organizationId;
  const rows = await app.db.$queryRaw<Row[]>`
    WITH changed AS (
      UPDATE "Notification" SET ${set}
      WHERE "recipientId" = ${recipientId}::uuid AND "organizationId" = ${organizationId}::uuid AND ${when} AND ${which}
      RETURNING ${COLUMNS}
    ), delta AS (
      SELECT (${sign}::int * COUNT(*) FILTER (WHERE ${counts}))::int AS n FROM changed
    ), counted AS (
      INSERT INTO "UnreadNotificationCount" AS c ("recipientId", "organizationId", count)
      SELECT ${recipientId}::uuid, ${organizationId}::uuid, GREATEST(delta.n, 0) FROM delta WHERE EXISTS (SELECT 1 FROM changed)
      ON CONFLICT ("recipientId", "organizationId") DO UPDATE SET count = GREATEST(c.count + (SELECT n FROM delta), 0)
      RETURNING count
    )
    SELECT ${COLUMNS}, (SELECT count FROM counted) AS "unreadCount" FROM changed ORDER BY id DESC`;
  const changed = rows.map(({ unreadCount: _, ...row }) => row as Notification);
  const unreadCount = rows[0]?.unreadCount;
  if (unreadCount != null) publishChanges(app, principal, changed, Number(unreadCount));
  return changed;
}

function publishChanges(app: App, principal: Principal, changed: Notification[], unreadCount: number) {
  const { id: recipientId, organizationId } = principal;
  app.pubsub.publish('unreadCountChanged', recipientId, { recipientId, organizationId, unreadCount });
  if (changed.length > CHANGES_PUBLISHED) return;
  for (const notification of changed) {
    app.pubsub.publish('notificationChanged', recipientId, { notification: toMessage(notification), unreadCount });
  }
}

/** Changes one of the caller's notifications; answers it as it is after (changed or not). */
export async function changeNotification(
  app: App,
  principal: Principal,
  id: string,
  change: FeedChange,
): Promise<Notification> {
  if (!isUuid(id)) throw badInput('id');
  const [changed] = await applyChange(app, principal, change, { id });
  if (changed) return changed;
  const notification = await app.db.notification.findFirst({
    where: { id, recipientId: principal.id, organizationId: principal.organizationId },
  });
  if (!notification) throw notFound('Notification', 'id');
  return notification;
}

/** Marks every unread notification outside the archive read; answers how many changed. */
export async function markAllRead(app: App, principal: Principal): Promise<number> {
  return (await applyChange(app, principal, 'read', { only: Prisma.sql`"archivedAt" IS NULL` })).length;
}

/** Archives every read notification; answers how many. */
export async function archiveAllRead(app: App, principal: Principal): Promise<number> {
  return (await applyChange(app, principal, 'archive', { only: Prisma.sql`"readAt" IS NOT NULL` })).length;
}
