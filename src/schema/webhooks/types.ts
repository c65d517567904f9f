import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { WebhookDeliveryStatus as Statuses } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import type { WebhookEndpointWithSecret } from '../../webhooks/endpoints.ts';

export const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: Object.values(Statuses),
  description: 'PENDING until an attempt answers 2xx (SUCCEEDED) or the last retry fails (FAILED).',
});

export const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint').implement({
  description:
    'A receiver of the organization’s events, signed per Standard Webhooks. Its secret is never shown again.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    events: t.exposeStringList('events', { description: 'Event types it is sent, e.g. `work_item.created`.' }),
    enabled: t.boolean({ resolve: (endpoint) => endpoint.disabledAt === null }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: '`manual`, or `failing` when Herald disabled it after failing for WEBHOOK_DISABLE_AFTER_HOURS.',
    }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'First failed attempt since the last success.',
    }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until then, messages also carry a signature made with the secret before the last rotation.',
      resolve: (endpoint) =>
        endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date() ? endpoint.previousSecretUntil : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One message to one endpoint, and how sending it went.',
  fields: (t) => ({
    id: t.exposeID('id'),
    messageId: t.exposeString('messageId', {
      description: 'The `webhook-id` header: the same on every retry and replay of the message.',
    }),
    eventType: t.exposeString('eventType'),
    payload: t.exposeString('payload', { description: 'The JSON body as signed and sent.' }),
    status: t.expose('status', { type: WebhookDeliveryStatus }),
    attempts: t.exposeInt('attempts'),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, description: 'HTTP status of the last answer.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed (shortened).' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    replayOfId: t.exposeID('replayOfId', { nullable: true, description: 'The delivery this one replays.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    endpoint: t.field({
      type: WebhookEndpointRef,
      resolve: (delivery, _args, { app }) =>
        app.db.webhookEndpoint.findUniqueOrThrow({ where: { id: delivery.endpointId } }),
    }),
  }),
});

export const CreateWebhookEndpointPayload = builder
  .objectRef<WebhookEndpointWithSecret>('CreateWebhookEndpointPayload')
  .implement({
    fields: (t) => ({
      secret: t.exposeString('secret', {
        description: '`whsec_` + base64 key, for a Standard Webhooks library. Shown this once; store it now.',
      }),
      webhookEndpoint: t.field({ type: WebhookEndpointRef, resolve: (payload) => payload.webhookEndpoint }),
    }),
  });
