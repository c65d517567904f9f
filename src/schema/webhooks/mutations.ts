import { builder } from '../../graphql/builder.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  replayWebhookDelivery,
  rotateWebhookEndpointSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from '../../webhooks/endpoints.ts';
import { CreateWebhookEndpointPayload, WebhookDeliveryRef, WebhookEndpointRef } from './types.ts';

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'https; its host must resolve to public addresses only.' }),
    events: t.stringList({ required: true, description: 'Event types to send, e.g. `work_item.created`.' }),
    description: t.string(),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    events: t.stringList(),
    description: t.string(),
    enabled: t.boolean({
      description: 'false disables it (nothing is sent; new events are not kept for it); true enables it again.',
    }),
  }),
});

const DeleteWebhookEndpointInput = builder.inputType('DeleteWebhookEndpointInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RotateWebhookEndpointSecretInput = builder.inputType('RotateWebhookEndpointSecretInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const ReplayWebhookDeliveryInput = builder.inputType('ReplayWebhookDeliveryInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const SendTestWebhookInput = builder.inputType('SendTestWebhookInput', {
  fields: (t) => ({ endpointId: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.withAuth({ scope: 'write:organization' }).field({
    type: CreateWebhookEndpointPayload,
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, caller) => createWebhookEndpoint(caller, input),
  }),
  updateWebhookEndpoint: t.withAuth({ scope: 'write:organization' }).field({
    type: WebhookEndpointRef,
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, caller) => updateWebhookEndpoint(caller, input),
  }),
  deleteWebhookEndpoint: t.withAuth({ scope: 'write:organization' }).field({
    type: WebhookEndpointRef,
    description: 'Deletes the endpoint and its delivery log.',
    args: { input: t.arg({ type: DeleteWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, caller) => deleteWebhookEndpoint(caller, input),
  }),
  rotateWebhookEndpointSecret: t.withAuth({ scope: 'write:organization' }).field({
    type: CreateWebhookEndpointPayload,
    description: 'A new secret, shown once; the previous one also signs messages for 24 hours.',
    args: { input: t.arg({ type: RotateWebhookEndpointSecretInput, required: true }) },
    resolve: (_root, { input }, caller) => rotateWebhookEndpointSecret(caller, input),
  }),
  replayWebhookDelivery: t.withAuth({ scope: 'write:organization' }).field({
    type: WebhookDeliveryRef,
    description: 'Sends a message again (same webhook-id and body) as a new delivery.',
    args: { input: t.arg({ type: ReplayWebhookDeliveryInput, required: true }) },
    resolve: (_root, { input }, caller) => replayWebhookDelivery(caller, input),
  }),
  sendTestWebhook: t.withAuth({ scope: 'write:organization' }).field({
    type: WebhookDeliveryRef,
    description: 'Sends a `webhook.test` message now and answers its delivery after the first attempt.',
    args: { input: t.arg({ type: SendTestWebhookInput, required: true }) },
    resolve: (_root, { input }, caller) => sendTestWebhook(caller, input),
  }),
}));
