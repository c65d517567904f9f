import { builder } from '../../graphql/builder.ts';
import { fromMessage } from '../../notifications/events.ts';
import { NotificationEventRef } from './types.ts';

// Topics are keyed by recipient; each event is still checked against the subscriber, so a
// notification for the same user in another organization never leaks into this one.
builder.subscriptionFields((t) => ({
  notificationAdded: t.withAuth({ user: true }).field({
    type: NotificationEventRef,
    description: 'Each new notification of the connected user, with the unread count after it.',
    subscribe: (_root, _args, { app, principal }) =>
      app.pubsub.listen(
        'notificationAdded',
        principal.id,
        ({ notification }) =>
          notification.recipientId === principal.id && notification.organizationId === principal.organizationId,
      ),
    resolve: (event) => ({ notification: fromMessage(event.notification), unreadCount: event.unreadCount }),
  }),
  notificationChanged: t.withAuth({ user: true }).field({
    type: NotificationEventRef,
    description:
      'Each of the connected user’s notifications read, unread again, archived or restored (in any tab), with the unread count after. Bulk changes of more than 100 send only unreadCountChanged.',
    subscribe: (_root, _args, { app, principal }) =>
      app.pubsub.listen(
        'notificationChanged',
        principal.id,
        ({ notification }) =>
          notification.recipientId === principal.id && notification.organizationId === principal.organizationId,
      ),
    resolve: (event) => ({ notification: fromMessage(event.notification), unreadCount: event.unreadCount }),
  }),
  unreadCountChanged: t.withAuth({ user: true }).int({
    description: 'The absolute unread count whenever it changes, so badges agree across tabs.',
    subscribe: (_root, _args, { app, principal }) =>
      app.pubsub.listen(
        'unreadCountChanged',
        principal.id,
        (event) => event.recipientId === principal.id && event.organizationId === principal.organizationId,
      ),
    resolve: (event) => event.unreadCount,
  }),
}));
