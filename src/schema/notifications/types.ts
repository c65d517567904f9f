import type { Notification } from '../../generated/prisma/client.ts';
import { NotificationType as Types } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import { WorkItemRef } from '../work/types.ts';

export const NotificationType = builder.enumType('NotificationType', { values: Object.values(Types) });

export const NotificationRef = builder.objectRef<Notification>('Notification').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Time-ordered; clients dedupe pushes by it.' }),
    type: t.expose('type', { type: NotificationType }),
    title: t.exposeString('title'),
    message: t.exposeString('message', { nullable: true }),
    url: t.exposeString('url', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    workItem: t.field({
      type: WorkItemRef,
      nullable: true,
      description: 'The work item it is about, if any.',
      resolve: (n, _args, { app }) =>
        n.workItemId
          ? app.db.workItem.findFirst({ where: { id: n.workItemId, organizationId: n.organizationId } })
          : null,
    }),
  }),
});

export interface NotificationEventShape {
  notification: Notification;
  unreadCount: number;
}

export const NotificationEventRef = builder.objectRef<NotificationEventShape>('NotificationEvent').implement({
  fields: (t) => ({
    notification: t.field({ type: NotificationRef, resolve: (e) => e.notification }),
    unreadCount: t.exposeInt('unreadCount', { description: 'Unread notifications after this one arrived.' }),
  }),
});

/** A notification as the integration that published it sees it: to whom, and whether it was read. */
export const PublishedNotificationRef = builder.objectRef<Notification>('PublishedNotification').implement({
  description: 'A notification a service account published (publishNotification).',
  fields: (t) => ({
    id: t.exposeID('id'),
    recipientId: t.exposeID('recipientId', { description: 'The member it was sent to.' }),
    title: t.exposeString('title'),
    message: t.exposeString('message', { nullable: true }),
    url: t.exposeString('url', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the recipient read it; null while unread.',
    }),
  }),
});
