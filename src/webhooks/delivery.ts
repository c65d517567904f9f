// The delivery worker. Each attempt is claimed by one atomic UPDATE … RETURNING over rows
// locked with FOR UPDATE SKIP LOCKED, which moves the delivery's nextAttemptAt past the
// attempt's timeout (a lease): instances sending at once never claim the same attempt, and an
// instance that dies mid-attempt leaves it to be claimed again once the lease runs out. 2xx is
// success; anything else (3xx included: redirects are not followed), a refusal, a network error
// or a timeout is retried on Standard Webhooks' schedule with jitter, for about a day, then the
// delivery fails. An endpoint that has answered nothing but failures for
// WEBHOOK_DISABLE_AFTER_HOURS is disabled, and its organization's owners and admins are told.

import { Prisma } from '../generated/prisma/client.ts';
import { publishNotifications, storeNotifications } from '../notifications/service.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { startRepeating } from '../platform/repeating-task.ts';
import { postJson, UnsafeTargetError } from './safe-fetch.ts';
import { signatureHeaders } from './signing.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Waits after each failed attempt (the first attempt is immediate): 8 attempts over about 27 h. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Up to 20% later, never earlier, so that a receiver's outage does not end in a thundering herd. */
const withJitter = (ms: number) => ms + Math.floor(Math.random() * ms * 0.2);

/** Deliveries claimed per statement. */
const BATCH = 50;
/** Requests in flight at once per pass. */
const PARALLEL = 10;
const MAX_ERROR = 500;

interface Claimed {
  id: string;
  organizationId: string;
  endpointId: string;
  messageId: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

/**
 * Claims due attempts of enabled endpoints, or only the delivery given (a test message, sent
 * at once whatever its endpoint's state).
 */
function claim(app: App, now: Date, only?: string): Promise<Claimed[]> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + app.config.WEBHOOK_TIMEOUT_MS + MINUTE).toISOString();
  const which = only === undefined ? Prisma.sql`ep."disabledAt" IS NULL` : Prisma.sql`x.id = ${only}::uuid`;
  return app.db.$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" AS d
    SET attempts = d.attempts + 1, "lastAttemptAt" = ${at}::timestamp, "nextAttemptAt" = ${lease}::timestamp,
      "updatedAt" = ${at}::timestamp
    FROM "WebhookEndpoint" AS e
    WHERE d.id IN (
      SELECT x.id FROM "WebhookDelivery" AS x JOIN "WebhookEndpoint" AS ep ON ep.id = x."endpointId"
      WHERE x."nextAttemptAt" <= ${at}::timestamp AND x.status = 'PENDING' AND ${which}
      ORDER BY x."nextAttemptAt"
      LIMIT ${BATCH}
      FOR UPDATE OF x SKIP LOCKED
    )
    AND e.id = d."endpointId" AND d."nextAttemptAt" <= ${at}::timestamp AND d.status = 'PENDING'
    RETURNING d.id, d."organizationId", d."endpointId", d."messageId", d.payload, d.attempts,
      e.url, e.secret, e."previousSecret", e."previousSecretUntil"`;
}

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

async function attempt(app: App, delivery: Claimed, now: Date): Promise<Outcome> {
  const secrets = [delivery.secret];
  if (delivery.previousSecret && delivery.previousSecretUntil && delivery.previousSecretUntil > now) {
    secrets.push(delivery.previousSecret);
  }
  // The signature's timestamp is the real time of sending: receivers check it against their clock.
  const headers = signatureHeaders(secrets, delivery.messageId, delivery.payload, new Date());
  try {
    const response = await postJson(delivery.url, delivery.payload, {
      headers,
      timeoutMs: app.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: app.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    });
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status} ${response.body}`.trim() };
  } catch (error) {
    const message =
      error instanceof UnsafeTargetError
        ? `refused: ${error.message}`
        : error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? `timed out after ${app.config.WEBHOOK_TIMEOUT_MS} ms`
          : `${(error as Error).message ?? String(error)}`;
    return { ok: false, status: null, error: message };
  }
}

async function record(app: App, delivery: Claimed, outcome: Outcome, now: Date) {
  const at = now.toISOString();
  const lastError = outcome.error?.slice(0, MAX_ERROR) ?? null;
  if (outcome.ok) {
    await app.db.$transaction([
      app.db.webhookDelivery.updateMany({
        where: { id: delivery.id, attempts: delivery.attempts },
        data: { status: 'SUCCEEDED', nextAttemptAt: null, responseStatus: outcome.status, lastError: null },
      }),
      app.db.webhookEndpoint.updateMany({
        where: { id: delivery.endpointId, failingSince: { not: null } },
        data: { failingSince: null },
      }),
    ]);
    return;
  }
  const final = delivery.attempts >= MAX_ATTEMPTS;
  const next = final ? null : new Date(now.getTime() + withJitter(RETRY_DELAYS_MS[delivery.attempts - 1] as number));
  const disabled = await app.db.$transaction(async (tx) => {
    await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, attempts: delivery.attempts },
      data: { status: final ? 'FAILED' : 'PENDING', nextAttemptAt: next, responseStatus: outcome.status, lastError },
    });
    const [endpoint] = await tx.$queryRaw<{ failingSince: Date; disabledAt: Date | null }[]>`
      UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", ${at}::timestamp)
      WHERE id = ${delivery.endpointId}::uuid
      RETURNING "failingSince", "disabledAt"`;
    const limit = app.config.WEBHOOK_DISABLE_AFTER_HOURS * HOUR;
    if (!endpoint || endpoint.disabledAt || now.getTime() - endpoint.failingSince.getTime() < limit) return [];
    return disableFailing(tx, delivery, now);
  });
  if (disabled.length > 0) await publishNotifications(app, disabled);
}

/** Disables an endpoint that keeps failing, once, and tells the organization's owners and admins. */
async function disableFailing(tx: Prisma.TransactionClient, delivery: Claimed, now: Date) {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: delivery.endpointId, disabledAt: null },
    data: { disabledAt: now, disabledReason: 'failing' },
  });
  if (count === 0) return [];
  await audit(tx, {
    organizationId: delivery.organizationId,
    actorType: 'SYSTEM',
    actorId: null,
    action: 'webhook_endpoint.disabled',
    targetType: 'WebhookEndpoint',
    targetId: delivery.endpointId,
    metadata: { reason: 'failing', url: delivery.url },
  });
  const managers = await tx.membership.findMany({
    where: { organizationId: delivery.organizationId, role: { in: ['OWNER', 'ADMIN'] } },
    select: { userId: true },
  });
  return storeNotifications(
    tx,
    managers.map((m) => ({
      recipientId: m.userId,
      organizationId: delivery.organizationId,
      type: 'WEBHOOK_DISABLED' as const,
      title: 'A webhook endpoint was disabled after failing',
      message: `${delivery.url} has failed every delivery for too long; fix it and enable it again.`,
    })),
  );
}

async function run(app: App, claimed: Claimed[], now: Date) {
  for (let i = 0; i < claimed.length; i += PARALLEL) {
    await Promise.all(
      claimed.slice(i, i + PARALLEL).map(async (delivery) => {
        const outcome = await attempt(app, delivery, now);
        await record(app, delivery, outcome, now);
      }),
    );
  }
}

/** One pass at `now`: claims and sends every due attempt. Answers how many were attempted. */
export async function deliverDueWebhooks(app: App, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await claim(app, now);
    await run(app, claimed, now);
    total += claimed.length;
    if (claimed.length < BATCH) return total;
  }
}

/** Sends one delivery now if it is still due and nobody else holds it (test messages). */
export async function deliverNow(app: App, deliveryId: string, now: Date = new Date()): Promise<void> {
  await run(app, await claim(app, now, deliveryId), now);
}

/** Delivers every WEBHOOK_DELIVERY_INTERVAL_MS (0 disables); the returned function drains and stops it. */
export function startWebhookWorker(app: App): () => Promise<void> {
  // Stopping waits for attempts in flight (each within WEBHOOK_TIMEOUT_MS), so they are recorded.
  return startRepeating(app.config.WEBHOOK_DELIVERY_INTERVAL_MS, () =>
    deliverDueWebhooks(app).catch((error) => app.logger.error({ err: error }, 'webhook delivery failed')),
  );
}
