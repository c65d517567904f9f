import type { Notification } from '../../generated/prisma/client.ts';
import { NotificationChannel as Channels, NotificationType as Types } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import type { NotificationPreferenceView } from '../../notifications/preferences.ts';
import { WorkItemRef } from '../work/types.ts';

export const NotificationType = builder.enumType('NotificationType', { values: Object.values(Types) });

export const NotificationChannel = builder.enumType('NotificationChannel', {
  values: Object.values(Channels),
  description: 'Where a notification reaches someone: in the app (the feed), by email, or to webhooks.',
});

export const NotificationStatus = builder.enumType('NotificationStatus', {
  values: {
    UNREAD: { description: 'Unread, outside the archive.' },
    READ: { description: 'Read, outside the archive.' },
    ARCHIVED: { description: 'Archived only, read or not.' },
    ALL: { description: 'Everything, archived included.' },
  } as const,
});

export const NotificationFilter = builder.inputType('NotificationFilter', {
  fields: (t) => ({
    status: t.field({
      type: NotificationStatus,
      description: 'Without one: unread and read, the archive left out.',
    }),
    types: t.field({ type: [NotificationType], description: 'Only these types (none listed: every type).' }),
  }),
});

export const NotificationRef = builder.objectRef<Notification>('Notification').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Time-ordered; clients dedupe pushes by it.' }),
    type: t.expose('type', { type: NotificationType }),
    title: t.exposeString('title'),
    message: t.exposeString('message', { nullable: true }),
    url: t.exposeString('url', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    archivedAt: t.expose('archivedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was archived: out of the default list and the unread count.',
    }),
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
    unreadCount: t.exposeInt('unreadCount', {
      description: 'Unread notifications (outside the archive) right after this event: an absolute count.',
    }),
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

export const NotificationPreferenceRef = builder
  .objectRef<NotificationPreferenceView>('NotificationPreference')
  .implement({
    description: 'Whether one type of notification reaches the signed-in user on one channel.',
    fields: (t) => ({
      type: t.expose('type', { type: NotificationType }),
      channel: t.expose('channel', { type: NotificationChannel }),
      enabled: t.exposeBoolean('enabled', { description: 'What applies to the signed-in user.' }),
      organizationEnabled: t.exposeBoolean('organizationEnabled', {
        description: 'The organization’s default, for members without a choice of their own.',
      }),
      overridden: t.exposeBoolean('overridden', {
        description: 'The user chose it themselves rather than following the organization.',
      }),
      locked: t.exposeBoolean('locked', {
        description:
          'The user cannot change it: critical types in the app (SECURITY_ALERT, SLA_BREACH) are always on, and WEBHOOK is set for the organization by its admins.',
      }),
    }),
  });
