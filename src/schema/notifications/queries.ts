import { builder } from '../../graphql/builder.ts';
import { notificationPreferences } from '../../notifications/preferences.ts';
import { countPublishedNotifications, listPublishedNotifications } from '../../notifications/publish.ts';
import { countNotifications, countUnread, listNotifications } from '../../notifications/service.ts';
import { badInput } from '../../platform/errors.ts';
import { connectionById } from '../../platform/pagination.ts';
import { NotificationFilter, NotificationPreferenceRef, NotificationRef, PublishedNotificationRef } from './types.ts';

builder.queryFields((t) => ({
  notifications: t.withAuth({ user: true }).connection(
    {
      type: NotificationRef,
      description: 'The signed-in user’s notifications in the current organization, newest first.',
      args: {
        unreadOnly: t.arg.boolean({
          defaultValue: false,
          required: true,
          description: 'The same as `filter: { status: UNREAD }`; not both.',
        }),
        filter: t.arg({ type: NotificationFilter }),
      },
      resolve: (_root, args, { app, principal }) => {
        if (args.unreadOnly && args.filter?.status) throw badInput('unreadOnly', 'unreadOnlyWithStatus');
        const filter = {
          status: args.unreadOnly ? ('UNREAD' as const) : args.filter?.status,
          types: args.filter?.types,
        };
        return connectionById(
          args,
          (page) => listNotifications(app, principal, filter, page),
          () => countNotifications(app, principal, filter),
        );
      },
    },
    { name: 'NotificationConnection' },
    { name: 'NotificationEdge' },
  ),
  publishedNotifications: t.withAuth({ $all: { serviceAccount: true, scope: 'read:notifications' } }).connection(
    {
      type: PublishedNotificationRef,
      description:
        'The notifications the calling service account published, newest first: what an integration sent, and whether it was read.',
      resolve: (_root, args, context) =>
        connectionById(
          args,
          (page) => listPublishedNotifications(context, page),
          () => countPublishedNotifications(context),
        ),
    },
    { name: 'PublishedNotificationConnection' },
    { name: 'PublishedNotificationEdge' },
  ),
  unreadNotificationCount: t.withAuth({ user: true }).int({
    description: 'Unread notifications outside the archive.',
    resolve: (_root, _args, { app, principal }) => countUnread(app.db, principal.id, principal.organizationId),
  }),
  notificationPreferences: t.withAuth({ user: true }).field({
    type: [NotificationPreferenceRef],
    description: 'Every notification type × channel with what applies to the signed-in user.',
    resolve: (_root, _args, context) => notificationPreferences(context),
  }),
}));
