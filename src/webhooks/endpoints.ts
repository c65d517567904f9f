// An organization's webhook endpoints, their secrets and their deliveries. The secret is
// returned once (at creation and rotation) and never again; it is kept, because every
// delivery is signed with it. Ids of other organizations read as unknown.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { Prisma, WebhookDelivery, WebhookEndpoint } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { badInput, notFound } from '../platform/errors.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import { deliverNow } from './delivery.ts';
import { isWebhookEventType, messageBody, newMessageId, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from './events.ts';
import { assertSafeTarget, UnsafeTargetError } from './safe-fetch.ts';
import { newWebhookSecret } from './signing.ts';

/** How long the previous secret still signs beside the new one after a rotation. */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

export interface WebhookEndpointWithSecret {
  /** `whsec_…`, shown this once. */
  secret: string;
  webhookEndpoint: WebhookEndpoint;
}

export async function webhookEndpointOrFail(app: App, organizationId: string, id: string, field = 'id') {
  const endpoint = isUuid(id) ? await app.db.webhookEndpoint.findFirst({ where: { id, organizationId } }) : null;
  if (!endpoint) throw notFound('WebhookEndpoint', field);
  return endpoint;
}

export async function webhookDeliveryOrFail(app: App, organizationId: string, id: string, field = 'id') {
  const delivery = isUuid(id) ? await app.db.webhookDelivery.findFirst({ where: { id, organizationId } }) : null;
  if (!delivery) throw notFound('WebhookDelivery', field);
  return delivery;
}

/** Subscribed event types; an unknown one is named with the list of valid ones. */
function parseEvents(values: readonly string[]): string[] {
  if (values.length === 0) throw badInput('events', 'required');
  const unknown = values.find((value) => !isWebhookEventType(value));
  if (unknown !== undefined) {
    throw badInput('events', 'unknownWebhookEvent', { event: unknown, allowed: WEBHOOK_EVENT_TYPES.join(', ') });
  }
  return [...new Set(values)];
}

/** An https URL (http too when private targets are allowed) whose host resolves to public addresses only. */
async function parseUrl(app: App, value: string): Promise<string> {
  const url = value.trim();
  if (url.length > 2000 || /\s/.test(url)) throw badInput('url', 'invalidWebhookUrl');
  try {
    return (await assertSafeTarget(url, { allowPrivate: app.config.WEBHOOK_ALLOW_PRIVATE_TARGETS })).toString();
  } catch (error) {
    if (!(error instanceof UnsafeTargetError)) throw error;
    if (error.problem === 'forbiddenAddress') throw badInput('url', 'webhookTargetForbidden');
    if (error.problem === 'unresolvable') throw badInput('url', 'webhookHostUnresolvable');
    throw badInput('url', 'invalidWebhookUrl');
  }
}

const description = z.string().trim().max(500).nullish();

const createInput = z.object({ url: z.string(), events: z.array(z.string()), description });

export async function createWebhookEndpoint(caller: Caller, input: unknown): Promise<WebhookEndpointWithSecret> {
  const { app, principal } = caller;
  const data = parseInput(createInput, input);
  const url = await parseUrl(app, data.url);
  const events = parseEvents(data.events);
  const secret = newWebhookSecret();
  const webhookEndpoint = await app.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { organizationId: principal.organizationId, url, events, description: data.description || null, secret },
    });
    await endpointAudit(caller, tx, 'webhook_endpoint.created', created);
    return created;
  });
  return { secret, webhookEndpoint };
}

const updateInput = z.object({
  id: z.string(),
  url: z.string().nullish(),
  events: z.array(z.string()).nullish(),
  description,
  enabled: z.boolean().nullish(),
});

/** Changes url, events, description, or enables and disables it; enabling forgets past failures. */
export async function updateWebhookEndpoint(caller: Caller, input: unknown): Promise<WebhookEndpoint> {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  const current = await webhookEndpointOrFail(app, principal.organizationId, data.id);
  const url = data.url == null ? undefined : await parseUrl(app, data.url);
  const events = data.events == null ? undefined : parseEvents(data.events);
  const enabling = data.enabled === true && current.disabledAt !== null;
  const disabling = data.enabled === false && current.disabledAt === null;
  return app.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        url,
        events,
        description: data.description === undefined ? undefined : data.description || null,
        ...(enabling ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(disabling ? { disabledAt: new Date(), disabledReason: 'manual' } : {}),
      },
    });
    const action = enabling
      ? 'webhook_endpoint.enabled'
      : disabling
        ? 'webhook_endpoint.disabled'
        : 'webhook_endpoint.updated';
    await endpointAudit(caller, tx, action, updated);
    return updated;
  });
}

/** Deletes the endpoint and its delivery log; deliveries not yet sent are dropped. */
export async function deleteWebhookEndpoint(caller: Caller, input: { id: string }): Promise<WebhookEndpoint> {
  const { app, principal } = caller;
  const current = await webhookEndpointOrFail(app, principal.organizationId, input.id);
  await app.db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await endpointAudit(caller, tx, 'webhook_endpoint.deleted', current);
  });
  return current;
}

/** A new secret, shown once; the previous one keeps signing beside it for ROTATION_GRACE_MS. */
export async function rotateWebhookEndpointSecret(
  caller: Caller,
  input: { id: string },
): Promise<WebhookEndpointWithSecret> {
  const { app, principal } = caller;
  const current = await webhookEndpointOrFail(app, principal.organizationId, input.id);
  const secret = newWebhookSecret();
  const webhookEndpoint = await app.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: { secret, previousSecret: current.secret, previousSecretUntil: new Date(Date.now() + ROTATION_GRACE_MS) },
    });
    await endpointAudit(caller, tx, 'webhook_endpoint.secret_rotated', updated);
    return updated;
  });
  return { secret, webhookEndpoint };
}

/**
 * Sends a message again as a new delivery with its own attempts, to the same endpoint, with
 * the same `webhook-id` and body: for the receiver it is the same message, which it may have
 * processed already and can recognise by that id.
 */
export async function replayWebhookDelivery(caller: Caller, input: { id: string }): Promise<WebhookDelivery> {
  const { app, principal } = caller;
  const original = await webhookDeliveryOrFail(app, principal.organizationId, input.id);
  return app.db.$transaction(async (tx) => {
    const now = new Date();
    const replay = await tx.webhookDelivery.create({
      data: {
        organizationId: original.organizationId,
        endpointId: original.endpointId,
        messageId: original.messageId,
        eventType: original.eventType,
        payload: original.payload,
        nextAttemptAt: now,
        replayOfId: original.id,
      },
    });
    await auditAs(
      caller,
      tx,
      'webhook_delivery.replayed',
      { type: 'WebhookDelivery', id: replay.id },
      { replays: original.id, endpointId: original.endpointId },
    );
    return replay;
  });
}

/**
 * Sends a `webhook.test` message to the endpoint now, enabled or not, and answers its delivery
 * after the first attempt (retried like any other when it fails).
 */
export async function sendTestWebhook(caller: Caller, input: { endpointId: string }): Promise<WebhookDelivery> {
  const { app, principal } = caller;
  const endpoint = await webhookEndpointOrFail(app, principal.organizationId, input.endpointId, 'endpointId');
  const now = new Date();
  const delivery = await app.db.$transaction(async (tx) => {
    const created = await tx.webhookDelivery.create({
      data: {
        organizationId: endpoint.organizationId,
        endpointId: endpoint.id,
        messageId: newMessageId(),
        eventType: TEST_EVENT_TYPE,
        payload: messageBody(TEST_EVENT_TYPE, now, {
          webhookEndpointId: endpoint.id,
          organizationId: endpoint.organizationId,
        }),
        nextAttemptAt: now,
      },
    });
    await auditAs(
      caller,
      tx,
      'webhook_endpoint.tested',
      { type: 'WebhookEndpoint', id: endpoint.id },
      {
        deliveryId: created.id,
      },
    );
    return created;
  });
  await deliverNow(app, delivery.id, now);
  return app.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
}

function endpointAudit(caller: Caller, tx: Prisma.TransactionClient, action: string, endpoint: WebhookEndpoint) {
  return auditAs(
    caller,
    tx,
    action,
    { type: 'WebhookEndpoint', id: endpoint.id },
    { url: endpoint.url, events: endpoint.events },
  );
}
