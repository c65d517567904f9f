// Where an organization's security alerts go besides its owners' and admins' feeds and
// inboxes: a Slack incoming-webhook URL. The URL is a secret (whoever holds it can post to
// the channel), so it is only ever shown masked and never written to the audit log.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { App } from '../platform/app.ts';
import { badInput } from '../platform/errors.ts';
import { parseInput } from '../platform/validation.ts';
import { isAcceptableWebhookUrl, maskWebhookUrl } from './slack.ts';

export interface SecurityAlertSettings {
  /** Masked: scheme, host and the last characters. */
  slackWebhookUrl: string | null;
}

const present = (url: string | null): SecurityAlertSettings => ({
  slackWebhookUrl: url ? maskWebhookUrl(url) : null,
});

export async function securityAlertSettings(app: App, organizationId: string): Promise<SecurityAlertSettings> {
  const organization = await app.db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { securityAlertSlackWebhookUrl: true },
  });
  return present(organization.securityAlertSlackWebhookUrl);
}

const updateInput = z.object({ slackWebhookUrl: z.string().trim().nullable() });

/** Sets the Slack URL, or removes it with null (or an empty string). */
export async function updateSecurityAlertSettings(
  caller: Caller,
  input: { slackWebhookUrl?: string | null },
): Promise<SecurityAlertSettings> {
  const { app, principal } = caller;
  if (input.slackWebhookUrl === undefined) throw badInput('slackWebhookUrl', 'required');
  const { slackWebhookUrl } = parseInput(updateInput, input);
  const url = slackWebhookUrl || null;
  if (url !== null && !isAcceptableWebhookUrl(url, app.config.WEBHOOK_ALLOW_PRIVATE_TARGETS)) {
    throw badInput('slackWebhookUrl', 'invalidSlackWebhookUrl');
  }
  const id = principal.organizationId;
  await app.db.$transaction(async (tx) => {
    await tx.organization.update({ where: { id }, data: { securityAlertSlackWebhookUrl: url } });
    await auditAs(
      caller,
      tx,
      'organization.security_alerts_updated',
      { type: 'Organization', id },
      { slackWebhook: url ? maskWebhookUrl(url) : null },
    );
  });
  return present(url);
}
