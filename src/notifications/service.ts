// Notifications are written first and published after the write commits: the database is
// the truth and a push is only a hint, so a lost push is repaired by the next query.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { v7 as uuidv7 } from 'uuid';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import type { Notification, NotificationType, Prisma } from '../generated/prisma/client.ts';
import { idPage } from '../pagination.ts';
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
 * Writes notifications, in the caller's transaction when there is one; publish after commit.
 * The rows are built here (ids are UUIDv7, like the database's own) and inserted without
 * reading them back. Their notification.created webhook deliveries, and those of `events`
 * (the caller's own, e.g. the SLA sweep's), go in with them.
 */
export async function storeNotifications(
  tx: Writer,
  list: NewNotification[],
  events: WebhookEvent[] = [],
): Promise<Notification[]> {
  if (list.length === 0) {
    await enqueueWebhookEvents(tx, events);
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
  // cannot serialize an array of a type it does not know. The same statement stores the
  // notification.created webhook deliveries (the outbox), without another round trip.
  await tx.$executeRaw`
    WITH stored AS (
    INSERT INTO "Notification" (id, "recipientId", "organizationId", type, title, message, url, "workItemId", "createdAt")
    SELECT * FROM unnest(
      ${column('id')}::uuid[], ${column('recipientId')}::uuid[], ${column('organizationId')}::uuid[],
      ${column('type')}::text[]::"NotificationType"[], ${column('title')}::text[], ${column('message')}::text[],
      ${column('url')}::text[], ${column('workItemId')}::uuid[], ${rows.map(() => createdAt.toISOString())}::timestamp[]
    )
    )
    ${webhookDeliveriesInsert([...events, ...notificationEvents(rows)], createdAt)}`;
  return rows;
}

export function countUnread(db: Db, recipientId: string, organizationId: string) {
  return db.notification.count({ where: { recipientId, organizationId, readAt: null } });
}

async function publishUnreadCount(app: App, recipientId: string, organizationId: string) {
  const unreadCount = await countUnread(app.db, recipientId, organizationId);
  app.pubsub.publish('unreadCountChanged', recipientId, { recipientId, organizationId, unreadCount });
  return unreadCount;
}

/**
 * Pushes stored notifications to their recipients, counting each recipient's unread ones
 * once however many arrive together (an SLA sweep stores hundreds at a time). Never fails
 * the caller: the rows are written.
 */
export async function publishNotifications(app: App, notifications: Notification[]): Promise<void> {
  for (const notification of notifications) app.metrics.notificationsPublished.inc({ type: notification.type });
  const byRecipient = Map.groupBy(notifications, (n) => `${n.recipientId}:${n.organizationId}`);
  for (const group of byRecipient.values()) {
    const { recipientId, organizationId } = group[0] as Notification;
    try {
      const unreadCount = await publishUnreadCount(app, recipientId, organizationId);
      // The count after each one, all of them new and unread.
      group.forEach((notification, index) => {
        app.pubsub.publish('notificationAdded', recipientId, {
          notification: toMessage(notification),
          unreadCount: unreadCount - (group.length - 1 - index),
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

export async function markNotificationRead(app: App, principal: Principal, id: string): Promise<Notification> {
  const { count } = await app.db.notification.updateMany({
    where: { id, ...own(principal), readAt: null },
    data: { readAt: new Date() },
  });
  const notification = await app.db.notification.findFirst({ where: { id, ...own(principal) } });
  if (!notification) throw notFound('Notification');
  if (count > 0) await publishUnreadCount(app, principal.id, principal.organizationId);
  return notification;
}

/** Marks every unread notification read; answers how many changed. */
export async function markAllNotificationsRead(app: App, principal: Principal): Promise<number> {
  const { count } = await app.db.notification.updateMany({
    where: { ...own(principal), readAt: null },
    data: { readAt: new Date() },
  });
  if (count > 0) await publishUnreadCount(app, principal.id, principal.organizationId);
  return count;
}
