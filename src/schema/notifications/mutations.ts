import { builder } from '../../graphql/builder.ts';
import { archiveAllRead, changeNotification, type FeedChange, markAllRead } from '../../notifications/feed.ts';
import { updateNotificationPreferences } from '../../notifications/preferences.ts';
import { publishCustomNotification } from '../../notifications/publish.ts';
import { NotificationChannel, NotificationPreferenceRef, NotificationRef, NotificationType } from './types.ts';

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

const UpdateNotificationPreferencesInput = builder.inputType('UpdateNotificationPreferencesInput', {
  fields: (t) => ({
    type: t.field({ type: NotificationType, required: true }),
    channel: t.field({ type: NotificationChannel, required: true }),
    enabled: t.boolean({ required: true }),
    organizationDefault: t.boolean({
      defaultValue: false,
      description:
        'Set the organization’s default instead of your own choice (needs write:notifications: owners and admins). WEBHOOK is set this way only.',
    }),
  }),
});

// One input type per mutation (`<Mutation>Input`), each `{ id }`: the schema's convention.
const byId: [name: string, change: FeedChange, description: string][] = [
  ['markNotificationRead', 'read', 'Marks one of your notifications read.'],
  ['markNotificationUnread', 'unread', 'Marks one of your notifications unread again.'],
  ['archiveNotification', 'archive', 'Moves one of your notifications to the archive (out of the list and the count).'],
  ['unarchiveNotification', 'unarchive', 'Brings one of your notifications back from the archive.'],
];

builder.mutationFields((t) =>
  Object.fromEntries(
    byId.map(([name, change, description]) => {
      const Input = builder.inputType(`${name[0]?.toUpperCase()}${name.slice(1)}Input`, {
        fields: (f) => ({ id: f.id({ required: true }) }),
      });
      return [
        name,
        t.withAuth({ user: true }).field({
          type: NotificationRef,
          description,
          args: { input: t.arg({ type: Input, required: true }) },
          resolve: (_root, { input }, { app, principal }) => changeNotification(app, principal, input.id, change),
        }),
      ];
    }),
  ),
);

builder.mutationFields((t) => ({
  markAllNotificationsRead: t.withAuth({ user: true }).int({
    description: 'Marks every unread notification outside the archive read; answers how many were unread.',
    resolve: (_root, _args, { app, principal }) => markAllRead(app, principal),
  }),
  archiveAllRead: t.withAuth({ user: true }).int({
    description: 'Archives every read notification; answers how many.',
    resolve: (_root, _args, { app, principal }) => archiveAllRead(app, principal),
  }),
  updateNotificationPreferences: t.withAuth({ user: true }).field({
    type: [NotificationPreferenceRef],
    description:
      'Turns one notification type on or off on one channel, for yourself or (organizationDefault) for the organization; answers every preference after.',
    args: { input: t.arg({ type: UpdateNotificationPreferencesInput, required: true }) },
    resolve: (_root, { input }, context) => updateNotificationPreferences(context, input),
  }),
  publishNotification: t.withAuth({ $all: { serviceAccount: true, scope: 'write:notifications' } }).field({
    type: NotificationRef,
    description:
      'A CUSTOM notification from an integration (service accounts with write:notifications). CONFLICT (reason RECIPIENT_MUTED) when the recipient turned CUSTOM off in the app.',
    args: { input: t.arg({ type: PublishNotificationInput, required: true }) },
    resolve: (_root, { input }, context) => publishCustomNotification(context, input),
  }),
}));
