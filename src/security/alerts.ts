// Security alerts: suspicious usage told to the organization's owners and admins, as a
// SECURITY_ALERT notification (stored, then pushed live), an email each, and a post to the
// organization's Slack incoming webhook when one is set. One alert per dedupe key (a cause
// and what it is about) per clock hour, exact across instances: the SecurityAlert row is
// inserted with ON CONFLICT DO NOTHING on (organization, key, hour), in the transaction that
// stores the notifications and emails, so a raise that loses the race writes nothing.
// Triggers on the request path call these through app.background, never inline.
import { v7 as uuidv7 } from 'uuid';
import { type ActorType, Prisma } from '../generated/prisma/client.ts';
import type { Locale } from '../i18n/messages.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { publishNotifications, storeNotifications } from '../notifications/service.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { brandOf, languageFor } from '../products/white-label.ts';
import {
  type AlertParams,
  type AlertText,
  alertEmail,
  alertMessage,
  alertSlackMessage,
  alertTitle,
} from './messages.ts';
import { postWebhook } from './slack.ts';

export const ALERT_CAUSES = [
  'refresh_token_reuse',
  'new_ip',
  'account_locked',
  'privileged_token',
  'requests_refused',
] as const;
export type AlertCause = (typeof ALERT_CAUSES)[number];

const HOUR_MS = 3600_000;
const SLACK_MAX_ATTEMPTS = 5;
const SLACK_RETRY_BASE_SECONDS = 30;

export interface SecurityAlertInput {
  organizationId: string;
  cause: AlertCause;
  /** What the alert is about (a user, a token and an address...); the cause is added to it. */
  subject: string;
  /** Which text to use: the cause, or a variant of it (`new_ip:api_token`). */
  text: AlertText;
  /** Display values for the texts. Never a secret: a token's display prefix at most. */
  params: AlertParams;
  /** Who or what the alert is about, for the audit event. */
  actor?: { type: ActorType; id: string | null };
  ip?: string;
}

interface StoredParams extends AlertParams {
  organization: string;
  /** The name of the organization's product, which the alert is sent in the name of. */
  product: string;
}

/**
 * Raises an alert unless the same cause and subject was raised in this clock hour. Answers
 * the new alert's id, or null when it was a repeat (or the organization is gone).
 */
export async function raiseSecurityAlert(
  app: App,
  alert: SecurityAlertInput,
  now: Date = new Date(),
): Promise<string | null> {
  const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const dedupeKey = `${alert.cause}:${alert.subject}`;
  const outcome = await app.db.$transaction(async (tx) => {
    const organization = await tx.organization.findUnique({
      where: { id: alert.organizationId },
      select: { name: true, productId: true, securityAlertSlackWebhookUrl: true },
    });
    if (!organization) return null;
    const brand = brandOf(app, await app.products.byId(organization.productId));
    const params: StoredParams = {
      ...alert.params,
      organization: organization.name,
      product: brand.name,
      text: alert.text,
    };
    const id = uuidv7();
    const slackDueAt = organization.securityAlertSlackWebhookUrl ? now.toISOString() : null;
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "SecurityAlert" (id, "organizationId", cause, "dedupeKey", "hourStart", params, "slackDueAt", "createdAt")
      VALUES (${id}::uuid, ${alert.organizationId}::uuid, ${alert.cause}, ${dedupeKey},
        ${hourStart.toISOString()}::timestamp, ${JSON.stringify(params)}::jsonb,
        ${slackDueAt}::timestamp, ${now.toISOString()}::timestamp)
      ON CONFLICT ("organizationId", "dedupeKey", "hourStart") DO NOTHING
      RETURNING id`;
    if (inserted.length === 0) return null;

    const recipients = await tx.membership.findMany({
      where: { organizationId: alert.organizationId, role: { in: ['OWNER', 'ADMIN'] }, user: { disabledAt: null } },
      select: { user: { select: { id: true, email: true, name: true, locale: true } } },
    });
    const languageOf = (locale: string | null): Locale => languageFor(brand, locale);
    const notifications = await storeNotifications(
      tx,
      recipients.map(({ user }) => ({
        recipientId: user.id,
        organizationId: alert.organizationId,
        type: 'SECURITY_ALERT' as const,
        title: alertTitle(alert.text, languageOf(user.locale), params),
        message: alertMessage(alert.text, languageOf(user.locale), params),
      })),
    );
    const mailIds: string[] = [];
    for (const { user } of recipients) {
      const mail = alertEmail(alert.text, languageOf(user.locale), params, user, now);
      mailIds.push(
        (await enqueueEmail(tx, { from: brand.mailFrom, to: user.email, ...mail, template: 'security-alert' })).id,
      );
    }
    await audit(tx, {
      organizationId: alert.organizationId,
      actorType: alert.actor?.type ?? 'ANONYMOUS',
      actorId: alert.actor?.id ?? null,
      action: 'security_alert.raised',
      targetType: 'SecurityAlert',
      targetId: id,
      ip: alert.ip,
      metadata: { cause: alert.cause, recipients: recipients.length, product: brand.name },
    });
    return { id, notifications, mailIds, slack: slackDueAt !== null };
  });
  if (!outcome) return null;
  await publishNotifications(app, outcome.notifications);
  for (const mailId of outcome.mailIds) await app.mailer.deliver(mailId);
  if (outcome.slack) await deliverSlackAlerts(app, { id: outcome.id, now });
  return outcome.id;
}

/**
 * Posts owed Slack messages: the one alert given, or any that are due (the retry loop).
 * Each row is claimed by moving its due time ahead (with backoff) before the post, so two
 * instances never post the same alert at once; a failed post is tried again when that time
 * comes, up to a few attempts. Answers how many were posted.
 */
export async function deliverSlackAlerts(app: App, options: { id?: string; now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const only = options.id ? Prisma.sql`AND id = ${options.id}::uuid` : Prisma.empty;
  const claimed = await app.db.$queryRaw<
    { id: string; organizationId: string; params: StoredParams; slackAttempts: number }[]
  >`
    UPDATE "SecurityAlert"
    SET "slackAttempts" = "slackAttempts" + 1,
        "slackDueAt" = ${now.toISOString()}::timestamp
          + make_interval(secs => ${SLACK_RETRY_BASE_SECONDS} * power(2, "slackAttempts"))
    WHERE id IN (
      SELECT id FROM "SecurityAlert"
      WHERE "slackDueAt" <= ${now.toISOString()}::timestamp ${only}
      ORDER BY "slackDueAt" LIMIT 20 FOR UPDATE SKIP LOCKED)
    RETURNING id, "organizationId", params, "slackAttempts"`;
  let posted = 0;
  for (const row of claimed) {
    const organization = await app.db.organization.findUnique({
      where: { id: row.organizationId },
      select: { securityAlertSlackWebhookUrl: true },
    });
    // Read now rather than at raise time: a URL removed or replaced since is respected.
    const url = organization?.securityAlertSlackWebhookUrl;
    try {
      if (url) {
        await postWebhook(url, alertSlackMessage(row.params.text as AlertText, row.params), {
          allowPrivateTargets: app.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        });
      }
      await app.db.securityAlert.update({
        where: { id: row.id },
        data: { slackDueAt: null, slackSentAt: url ? new Date() : null },
      });
      if (url) posted++;
    } catch (error) {
      app.logger.warn({ err: error, alertId: row.id }, 'security alert Slack post failed; will retry');
      await app.db.securityAlert.update({
        where: { id: row.id },
        data: {
          slackLastError: String(error),
          ...(row.slackAttempts >= SLACK_MAX_ATTEMPTS ? { slackDueAt: null } : {}),
        },
      });
    }
  }
  return posted;
}
