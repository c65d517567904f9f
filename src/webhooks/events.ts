// The event types an endpoint can subscribe to, and the message every delivery carries:
// `{ type, timestamp, data }` as Standard Webhooks suggests, identified by a `msg_` id that is
// the `webhook-id` header, the same on every retry and replay of the message.
import { v7 as uuidv7 } from 'uuid';

export const WEBHOOK_EVENT_TYPES = [
  'notification.created',
  'work_item.created',
  'work_item.updated',
  'work_item.assigned',
  'work_item.status_changed',
  'sla.warning',
  'sla.breach',
  'member.added',
  'member.removed',
  'api_token.created',
  'api_token.revoked',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What `sendTestWebhook` sends; no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

export interface WebhookEvent {
  organizationId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

export const newMessageId = () => `msg_${uuidv7()}`;

/** The body as it is signed and sent, byte for byte the same on every attempt. */
export const messageBody = (type: string, timestamp: Date, data: Record<string, unknown>) =>
  JSON.stringify({ type, timestamp: timestamp.toISOString(), data });

/** What work_item.* messages say about the item. */
export const workItemData = (item: {
  id: string;
  key: string;
  title: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  dueAt: Date | null;
}) => ({
  id: item.id,
  key: item.key,
  title: item.title,
  status: item.status,
  priority: item.priority,
  assigneeId: item.assigneeId,
  dueAt: item.dueAt?.toISOString() ?? null,
});
