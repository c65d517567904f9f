// Notifications are written first and published after the write commits: the database is
// the truth and a push is only a hint, so a lost push is repaired by the next query.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.ts';
import type { Notification, NotificationType, Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import type { Db } from '../platform/database/db.ts';
import { notFound } from '../platform/errors.ts';
import { idPage } from '../platform/pagination.ts';
import { isUuid } from '../platform/validation.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { enqueueWebhookEvents, notificationEvents, webhookDeliveriesInsert } from '../webhooks/outbox.ts';
import { toMessage } from './events.ts';

export interface NewNotification {
  recipientId: string;
  organizationId: string;
  type: NotificationType;
  title: string;
  message?: string | null;
  url?: string | null;
  workItemId?: string | null;
}

type Writer = Prisma.TransactionClient | Db;

/**
 * Each recipient's unread count right after a stored notification, known from the statement
 * that stored it; publishing then needs no query. Kept beside the rows rather than on them,
 * so that they stay plain Notifications wherever they travel.
 */
const unreadAfter = new WeakMap<Notification, number>();

export function rememberUnreadCount(notification: Notification, unreadCount: number) {
  unreadAfter.set(notification, unreadCount);
}

/**
 * Writes notifications, in the caller's transaction when there is one; publish after commit.
 * The rows are built here (ids are UUIDv7, like the database's own) and inserted without
 * reading them back; the same statement adds them to their recipients' unread counts and
 * stores their notification.created webhook deliveries, and those of `events` (the caller's
 * own, e.g. the SLA sweep's).
 */
export async function storeNotifications(
  tx: Writer,
  list: NewNotification[],
  events: WebhookEvent[] = [],
  /** Which events to store deliveries for: all by default (see subscribedEvents in the outbox). */
  options: { wanted?: (event: WebhookEvent) => boolean } = {},
): Promise<Notification[]> {
  const { wanted = () => true } = options;
  if (list.length === 0) {
    await enqueueWebhookEvents(tx, events.filter(wanted));
    return [];
  }
  const createdAt = new Date();
  const rows: Notification[] = list.map((n) => ({
    id: uuidv7(),
    recipientId: n.recipientId,
    organizationId: n.organizationId,
    type: n.type,
    title: n.title,
    message: n.message ?? null,
    url: n.url ?? null,
    workItemId: n.workItemId ?? null,
    createdAt,
    readAt: null,
  }));
  const column = <K extends keyof Notification>(key: K) => rows.map((row) => row[key]);
  // One statement over arrays: a Prisma createMany of a thousand rows binds ten thousand
  // parameters and costs several times more. The enum travels as text[]: PGlite's driver
  // cannot serialize an array of a type it does not know. Counts are upserted in key order,
  // so that two statements counting for the same recipients never wait on each other in a cycle.
  // The notification.created webhook deliveries (the outbox) go in without another round trip.
  const counts = await tx.$queryRaw<{ recipientId: string; organizationId: string; count: number }[]>`
    WITH inserted AS (
      INSERT INTO "Notification" (id, "recipientId", "organizationId", type, title, message, url, "workItemId", "createdAt")
      SELECT * FROM unnest(
        ${column('id')}::uuid[], ${column('recipientId')}::uuid[], ${column('organizationId')}::uuid[],
        ${column('type')}::text[]::"NotificationType"[], ${column('title')}::text[], ${column('message')}::text[],
        ${column('url')}::text[], ${column('workItemId')}::uuid[], ${rows.map(() => createdAt.toISOString())}::timestamp[]
      )
      RETURNING "recipientId", "organizationId"
    ), counted AS (
      INSERT INTO "UnreadNotificationCount" AS c ("recipientId", "organizationId", count)
      SELECT "recipientId", "organizationId", COUNT(*)::int FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT ("recipientId", "organizationId") DO UPDATE SET count = c.count + EXCLUDED.count
      RETURNING "recipientId", "organizationId", count
    ), hooked AS (${webhookDeliveriesInsert([...events, ...notificationEvents(rows)].filter(wanted), createdAt)})
    SELECT "recipientId"::text, "organizationId"::text, count FROM counted`;
  const total = new Map(counts.map((c) => [`${c.recipientId}:${c.organizationId}`, Number(c.count)]));
  for (const group of Map.groupBy(rows, (n) => `${n.recipientId}:${n.organizationId}`).values()) {
    const after = total.get(`${group[0]?.recipientId}:${group[0]?.organizationId}`);
    // The count after each one, all of them new and unread.
    if (after === undefined) continue;
    group.forEach((row, index) => {
      rememberUnreadCount(row, after - (group.length - 1 - index));
    });
  }
  return rows;
}

export async function countUnread(db: Db, recipientId: string, organizationId: string) {
  const row = await db.unreadNotificationCount.findUnique({
    where: { recipientId_organizationId: { recipientId, organizationId } },
    select: { count: true },
  });
  return row?.count ?? 0;
}

function publishUnreadCount(app: App, recipientId: string, organizationId: string, unreadCount: number) {
  app.pubsub.publish('unreadCountChanged', recipientId, { recipientId, organizationId, unreadCount });
}

/**
 * Pushes stored notifications to their recipients with the unread count after each. Never
 * fails the caller: the rows are written.
 */
export async function publishNotifications(app: App, notifications: Notification[]): Promise<void> {
  for (const notification of notifications) app.metrics.notificationsPublished.inc({ type: notification.type });
  const byRecipient = Map.groupBy(notifications, (n) => `${n.recipientId}:${n.organizationId}`);
  for (const group of byRecipient.values()) {
    const { recipientId, organizationId } = group[0] as Notification;
    try {
      // Rows that did not come from storeNotifications carry no count: read it.
      const last = group.at(-1) as Notification;
      const unreadCount = unreadAfter.get(last) ?? (await countUnread(app.db, recipientId, organizationId));
      publishUnreadCount(app, recipientId, organizationId, unreadCount);
      group.forEach((notification, index) => {
        app.pubsub.publish('notificationAdded', recipientId, {
          notification: toMessage(notification),
          unreadCount: unreadAfter.get(notification) ?? unreadCount - (group.length - 1 - index),
        });
      });
    } catch (error) {
      app.logger.warn({ err: error, recipientId }, 'notification push failed');
    }
  }
}

/** Stores and then publishes notifications outside any other transaction. */
export async function notify(app: App, list: NewNotification[]): Promise<Notification[]> {
  const stored = await app.db.$transaction((tx) => storeNotifications(tx, list));
  await publishNotifications(app, stored);
  return stored;
}

const own = (principal: Principal) => ({ recipientId: principal.id, organizationId: principal.organizationId });

const listed = (principal: Principal, options: { unreadOnly: boolean }) => ({
  ...own(principal),
  ...(options.unreadOnly ? { readAt: null } : {}),
});

export function listNotifications(
  app: App,
  principal: Principal,
  options: { unreadOnly: boolean },
  page: ResolveCursorConnectionArgs,
) {
  const { where, ...rest } = idPage(page, 'desc');
  return app.db.notification.findMany({ where: { ...listed(principal, options), ...where }, ...rest });
}

export const countNotifications = (app: App, principal: Principal, options: { unreadOnly: boolean }) =>
  app.db.notification.count({ where: listed(principal, options) });

/**
 * Marks notifications read and takes them off the unread count in one statement; answers how
 * many changed and the count after.
 */
async function markRead(app: App, principal: Principal, id: string | null) {
  const [row] = await app.db.$queryRaw<{ marked: number; unreadCount: number | null }[]>`
    WITH marked AS (
      UPDATE "Notification" SET "readAt" = ${new Date().toISOString()}::timestamp(3)
      WHERE "recipientId" = ${principal.id}::uuid AND "organizationId" = ${principal.organizationId}::uuid
        AND "readAt" IS NULL AND (${id}::uuid IS NULL OR id = ${id}::uuid)
      RETURNING id
    ), counted AS (
      UPDATE "UnreadNotificationCount" SET count = count - (SELECT COUNT(*) FROM marked)::int
      WHERE "recipientId" = ${principal.id}::uuid AND "organizationId" = ${principal.organizationId}::uuid
        AND EXISTS (SELECT 1 FROM marked)
      RETURNING count
    )
    SELECT (SELECT COUNT(*) FROM marked)::int AS marked, (SELECT count FROM counted) AS "unreadCount"`;
  const marked = Number(row?.marked ?? 0);
  if (marked > 0 && row?.unreadCount != null) {
    publishUnreadCount(app, principal.id, principal.organizationId, Number(row.unreadCount));
  }
  return marked;
}

export async function markNotificationRead(app: App, principal: Principal, id: string): Promise<Notification> {
  const uuid = isUuid(id);
  if (uuid) await markRead(app, principal, id);
  const notification = uuid ? await app.db.notification.findFirst({ where: { id, ...own(principal) } }) : null;
  if (!notification) throw notFound('Notification');
  return notification;
}

/** Marks every unread notification read; answers how many changed. */
export function markAllNotificationsRead(app: App, principal: Principal): Promise<number> {
  return markRead(app, principal, null);
}
