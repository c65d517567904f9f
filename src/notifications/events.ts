// What travels on the bus when a user's notifications change. Payloads are plain JSON
// (dates as ISO strings) because over Redis they are serialized between instances.
import type { Notification } from '../generated/prisma/client.ts';

export type NotificationMessage = Omit<Notification, 'createdAt' | 'readAt' | 'archivedAt'> & {
  createdAt: string;
  readAt: string | null;
  /** Absent in messages from instances that predate the archive. */
  archivedAt?: string | null;
};

export interface NotificationAddedEvent {
  notification: NotificationMessage;
  unreadCount: number;
}

export interface UnreadCountEvent {
  recipientId: string;
  organizationId: string;
  unreadCount: number;
}

export const toMessage = (n: Notification): NotificationMessage => ({
  ...n,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
  archivedAt: n.archivedAt?.toISOString() ?? null,
});

export const fromMessage = (n: NotificationMessage): Notification => ({
  ...n,
  createdAt: new Date(n.createdAt),
  readAt: n.readAt ? new Date(n.readAt) : null,
  archivedAt: n.archivedAt ? new Date(n.archivedAt) : null,
});

declare module '../platform/pubsub.ts' {
  interface PubSubEvents {
    notificationAdded: [recipientId: string, event: NotificationAddedEvent];
    unreadCountChanged: [recipientId: string, event: UnreadCountEvent];
    /** Read, unread again, archived or restored; the count after, as with notificationAdded. */
    notificationChanged: [recipientId: string, event: NotificationAddedEvent];
  }
}
