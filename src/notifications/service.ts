// Notifications are written first and published after the write commits: the database is
// the truth and a push is only a hint, so a lost push is repaired by the next query.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.ts';
import type { Notification, NotificationType, Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import type { Db } from '../platform/database/db.ts';
import { idPage } from '../platform/pagination.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { enqueueWebhookEvents, notificationEvents, webhookDeliveriesInsert } from '../webhooks/outbox.ts';
import { toMessage } from './events.ts';
import { turnedOff } from './preferences.ts';

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
  requested: NewNotification[],
  events: WebhookEvent[] = [],
  /** Which events to store deliveries for: all by default (see subscribedEvents in the outbox). */
  options: { wanted?: (event: WebhookEvent) => boolean } = {},
): Promise<Notification[]> {
  const { wanted = () => true } = options;
  // What recipients muted in the app is not stored for them (nor pushed, nor sent on as
  // notification.created); types the organization keeps from its webhooks are stored only.
  const off = await turnedOff(tx, requested, ['IN_APP', 'WEBHOOK']);
  const list = requested.filter((n) => !off(n, 'IN_APP'));
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
    archivedAt: null,
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
    ), hooked AS (${webhookDeliveriesInsert([...events, ...notificationEvents(rows.filter((n) => !off(n, 'WEBHOOK')))].filter(wanted), createdAt)})
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

export type NotificationStatus = 'UNREAD' | 'READ' | 'ARCHIVED' | 'ALL';

export interface NotificationListFilter {
  /** No status: unread and read, archived ones left out. */
  status?: NotificationStatus | null;
  /** No types (or none listed): every type. */
  types?: readonly NotificationType[] | null;
}

const listed = (principal: Principal, filter: NotificationListFilter): Prisma.NotificationWhereInput => {
  const { status, types } = filter;
  return {
    recipientId: principal.id,
    organizationId: principal.organizationId,
    ...(status === 'ARCHIVED' ? { archivedAt: { not: null } } : status === 'ALL' ? {} : { archivedAt: null }),
    ...(status === 'UNREAD' ? { readAt: null } : status === 'READ' ? { readAt: { not: null } } : {}),
    ...(types?.length ? { type: { in: [...types] } } : {}),
  };
};

export function listNotifications(
  app: App,
  principal: Principal,
  filter: NotificationListFilter,
  page: ResolveCursorConnectionArgs,
) {
  const { where, ...rest } = idPage(page, 'desc');
  return app.db.notification.findMany({ where: { ...listed(principal, filter), ...where }, ...rest });
}

export const countNotifications = (app: App, principal: Principal, filter: NotificationListFilter) =>
  app.db.notification.count({ where: listed(principal, filter) });
