// Notifications are written first and published after the write commits: the database is
// the truth and a push is only a hint, so a lost push is repaired by the next query.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import type { Notification, NotificationType, Prisma } from '../generated/prisma/client.ts';
import { idPage } from '../pagination.ts';
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

/** Writes notifications, in the caller's transaction when there is one; publish after commit. */
export function storeNotifications(tx: Writer, list: NewNotification[]): Promise<Notification[]> {
  if (list.length === 0) return Promise.resolve([]);
  return tx.notification.createManyAndReturn({ data: list });
}

export function countUnread(db: Db, recipientId: string, organizationId: string) {
  return db.notification.count({ where: { recipientId, organizationId, readAt: null } });
}

async function publishUnreadCount(app: App, recipientId: string, organizationId: string) {
  const unreadCount = await countUnread(app.db, recipientId, organizationId);
  app.pubsub.publish('unreadCountChanged', recipientId, { recipientId, organizationId, unreadCount });
  return unreadCount;
}

/** Pushes stored notifications to their recipients. Never fails the caller: the rows are written. */
export async function publishNotifications(app: App, notifications: Notification[]): Promise<void> {
  for (const notification of notifications) {
    try {
      const { recipientId, organizationId } = notification;
      const unreadCount = await publishUnreadCount(app, recipientId, organizationId);
      app.pubsub.publish('notificationAdded', recipientId, { notification: toMessage(notification), unreadCount });
    } catch (error) {
      app.logger.warn({ err: error, notificationId: notification.id }, 'notification push failed');
    }
  }
}

/** Stores and then publishes notifications outside any other transaction. */
export async function notify(app: App, list: NewNotification[]): Promise<Notification[]> {
  const stored = await storeNotifications(app.db, list);
  await publishNotifications(app, stored);
  return stored;
}

const own = (principal: Principal) => ({ recipientId: principal.id, organizationId: principal.organizationId });

export function listNotifications(
  app: App,
  principal: Principal,
  options: { unreadOnly: boolean },
  page: ResolveCursorConnectionArgs,
) {
  const { where, ...rest } = idPage(page, 'desc');
  return app.db.notification.findMany({
    where: { ...own(principal), ...(options.unreadOnly ? { readAt: null } : {}), ...where },
    ...rest,
  });
}

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
