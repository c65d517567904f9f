// Notifications sent by integrations (service accounts), to members of their organization.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { Notification } from '../generated/prisma/client.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import { notificationLink } from './link.ts';
import { publishNotifications, storeNotifications } from './service.ts';

const PublishInput = z.object({
  userId: z.string(),
  title: z.string().trim().min(1).max(200),
  message: z.string().trim().max(2000).nullish(),
  url: notificationLink.nullish(),
});

const recipientMuted = () =>
  new AppError('CONFLICT', 'recipientMuted', { extensions: { reason: 'RECIPIENT_MUTED', field: 'userId' } });

export async function publishCustomNotification(
  caller: Caller,
  input: z.input<typeof PublishInput>,
): Promise<Notification> {
  const { app, principal } = caller;
  const data = parseInput(PublishInput, input);
  const recipient = isUuid(data.userId)
    ? await app.db.membership.findUnique({
        where: { userId_organizationId: { userId: data.userId, organizationId: principal.organizationId } },
      })
    : null;
  // Someone outside the organization is indistinguishable from nobody.
  if (!recipient) throw notFound('User');
  const notification = await app.db.$transaction(async (tx) => {
    const [stored] = await storeNotifications(tx, [
      {
        recipientId: data.userId,
        organizationId: principal.organizationId,
        type: 'CUSTOM',
        title: data.title,
        message: data.message ?? null,
        url: data.url ?? null,
      },
    ]);
    // The recipient turned CUSTOM off in the app: nothing is stored (the transaction rolls back).
    if (!stored) throw recipientMuted();
    const created = stored;
    await auditAs(caller, tx, 'notification.published', { type: 'Notification', id: created.id });
    return created;
  });
  await publishNotifications(app, [notification]);
  return notification;
}
