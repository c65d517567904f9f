// Notifications sent by integrations (service accounts), to members of their organization.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { Notification } from '../generated/prisma/client.ts';
import { notFound } from '../platform/errors.ts';
import { idPage } from '../platform/pagination.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import { notificationLink } from './link.ts';
import { publishNotifications, storeNotifications } from './service.ts';

const PublishInput = z.object({
  userId: z.string(),
  title: z.string().trim().min(1).max(200),
  message: z.string().trim().max(2000).nullish(),
  url: notificationLink.nullish(),
});

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
    const created = stored as Notification;
    // Kept beside the notification, so that the integration can list what it sent.
    await tx.notificationPublisher.create({
      data: { notificationId: created.id, serviceAccountId: principal.id, organizationId: principal.organizationId },
    });
    await auditAs(caller, tx, 'notification.published', { type: 'Notification', id: created.id });
    return created;
  });
  await publishNotifications(app, [notification]);
  return notification;
}

/** What the caller's service account published, newest first (one page of it). */
export function listPublishedNotifications({ app, principal }: Caller, page: ResolveCursorConnectionArgs) {
  const { where, ...rest } = idPage(page, 'desc');
  return app.db.notification.findMany({ where: { ...publishedBy(principal), ...where }, ...rest });
}

export const countPublishedNotifications = ({ app, principal }: Caller) =>
  app.db.notification.count({ where: publishedBy(principal) });

const publishedBy = (principal: Caller['principal']) => ({
  organizationId: principal.organizationId,
  publisher: { is: { serviceAccountId: principal.id, organizationId: principal.organizationId } },
});
