// The outbox: an event's deliveries are inserted in the transaction that writes the event, so
// a committed event always has its deliveries and a rolled-back one never does. One
// INSERT … SELECT over the organization's enabled, subscribed endpoints (an index lookup on
// organizationId): an organization without endpoints writes nothing.

import type { Notification } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { messageBody, newMessageId, type WebhookEvent } from './events.ts';

type Writer = Pick<Prisma.TransactionClient, '$executeRaw'>;

/**
 * A UUIDv7 made by the database (PostgreSQL 15 has no uuidv7()): the millisecond clock over
 * the first 48 bits of a random UUID, and version bits 0111. Delivery ids sort by time, as
 * every other id here, for keyset pagination.
 */
export const uuidV7Sql = Prisma.sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
  52, 1), 53, 1), 'hex')::uuid`;

/**
 * The statement storing a delivery of each event to each of its organization's subscribed
 * endpoints, for callers that fold it into a statement of their own (saving a round trip).
 */
export function webhookDeliveriesInsert(events: WebhookEvent[], at: Date): Prisma.Sql {
  const when = at.toISOString();
  return Prisma.sql`
    INSERT INTO "WebhookDelivery"
      (id, "organizationId", "endpointId", "messageId", "eventType", payload, "nextAttemptAt", "createdAt", "updatedAt")
    SELECT ${uuidV7Sql}, endpoint."organizationId", endpoint.id, m.message_id, m.type, m.payload,
      ${when}::timestamp, ${when}::timestamp, ${when}::timestamp
    FROM unnest(
      ${events.map((e) => e.organizationId)}::uuid[], ${events.map((e) => e.type)}::text[],
      ${events.map(() => newMessageId())}::text[], ${events.map((e) => messageBody(e.type, at, e.data))}::text[]
    ) AS m(organization_id, type, message_id, payload)
    JOIN "WebhookEndpoint" AS endpoint
      ON endpoint."organizationId" = m.organization_id AND endpoint."disabledAt" IS NULL AND m.type = ANY(endpoint.events)`;
}

/**
 * Which of `types` the organizations' enabled endpoints are subscribed to, as a test of an
 * event, for a caller that stores many events at once: it then builds and sends the messages
 * of those only (most organizations have no endpoints). Read in the caller's transaction, just
 * before the write, so an endpoint is subscribed from the instant its creation commits, as
 * with the INSERT … SELECT that stores deliveries.
 */
export async function subscribedEvents(
  tx: Pick<Prisma.TransactionClient, '$queryRaw'>,
  organizationIds: string[],
  types: string[],
): Promise<(event: WebhookEvent) => boolean> {
  if (organizationIds.length === 0) return () => false;
  const rows = await tx.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT endpoint."organizationId"::text || ' ' || type AS key
    FROM "WebhookEndpoint" AS endpoint CROSS JOIN LATERAL unnest(endpoint.events) AS type
    WHERE endpoint."organizationId" = ANY(${[...new Set(organizationIds)]}::uuid[]) AND endpoint."disabledAt" IS NULL
      AND type = ANY(${types}::text[])`;
  const keys = new Set(rows.map((row) => row.key));
  return (event) => keys.has(`${event.organizationId} ${event.type}`);
}

/** Stores a delivery of each event to each of its organization's subscribed endpoints. */
export async function enqueueWebhookEvents(tx: Writer, events: WebhookEvent[], at: Date = new Date()): Promise<number> {
  if (events.length === 0) return 0;
  return tx.$executeRaw(webhookDeliveriesInsert(events, at));
}

export const enqueueWebhookEvent = (tx: Writer, event: WebhookEvent, at?: Date) =>
  enqueueWebhookEvents(tx, [event], at);

/** What a notification.created message says about the notification. */
export const notificationData = (n: Notification) => ({
  id: n.id,
  recipientId: n.recipientId,
  type: n.type,
  title: n.title,
  message: n.message,
  url: n.url,
  workItemId: n.workItemId,
  createdAt: n.createdAt.toISOString(),
});

export const notificationEvents = (list: Notification[]): WebhookEvent[] =>
  list.map((n) => ({ organizationId: n.organizationId, type: 'notification.created', data: notificationData(n) }));
