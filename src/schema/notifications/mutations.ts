import { builder } from '../../graphql/builder.ts';
import { publishCustomNotification } from '../../notifications/publish.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../notifications/service.ts';
import { NotificationRef } from './types.ts';

const MarkNotificationReadInput = builder.inputType('MarkNotificationReadInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const PublishNotificationInput = builder.inputType('PublishNotificationInput', {
  fields: (t) => ({
    userId: t.id({ required: true, description: 'A member of the service account’s organization.' }),
    title: t.string({ required: true }),
    message: t.string(),
    url: t.string({
      description:
        'Where the notification leads: a path in the product (`/issues/456`) or an absolute http(s) URL, stored as given.',
    }),
  }),
});

builder.mutationFields((t) => ({
  markNotificationRead: t.withAuth({ user: true }).field({
    type: NotificationRef,
    args: { input: t.arg({ type: MarkNotificationReadInput, required: true }) },
    resolve: (_root, { input }, { app, principal }) => markNotificationRead(app, principal, input.id),
  }),
  markAllNotificationsRead: t.withAuth({ user: true }).int({
    description: 'How many notifications were unread.',
    resolve: (_root, _args, { app, principal }) => markAllNotificationsRead(app, principal),
  }),
  publishNotification: t.withAuth({ $all: { serviceAccount: true, scope: 'write:notifications' } }).field({
    type: NotificationRef,
    description: 'A CUSTOM notification from an integration (service accounts with write:notifications).',
    args: { input: t.arg({ type: PublishNotificationInput, required: true }) },
    resolve: (_root, { input }, context) => publishCustomNotification(context, input),
  }),
}));
