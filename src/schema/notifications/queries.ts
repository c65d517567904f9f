import { builder } from '../../graphql/builder.ts';
import { countPublishedNotifications, listPublishedNotifications } from '../../notifications/publish.ts';
import { countNotifications, countUnread, listNotifications } from '../../notifications/service.ts';
import { connectionById } from '../../platform/pagination.ts';
import { NotificationRef, PublishedNotificationRef } from './types.ts';

builder.queryFields((t) => ({
  notifications: t.withAuth({ user: true }).connection(
    {
      type: NotificationRef,
      description: 'The signed-in user’s notifications in the current organization, newest first.',
      args: { unreadOnly: t.arg.boolean({ defaultValue: false, required: true }) },
      resolve: (_root, args, { app, principal }) => {
        const options = { unreadOnly: args.unreadOnly };
        return connectionById(
          args,
          (page) => listNotifications(app, principal, options, page),
          () => countNotifications(app, principal, options),
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
    resolve: (_root, _args, { app, principal }) => countUnread(app.db, principal.id, principal.organizationId),
  }),
}));
