// Deliveries to a real receiver on port 0, checked with the standardwebhooks library: every
// event type from the real mutations and the SLA sweep, retries, a receiver that never
// answers, replay, test messages, rotation, concurrent workers and the outbox's atomicity.
// The worker is driven with an explicit clock; signatures carry the real time of sending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks } from '../src/webhooks/delivery.ts';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/events.ts';
import { sweepSla } from '../src/work/sla.ts';
import {
  AssignWorkItemDocument,
  AuditEventsDocument,
  CreateSlaPolicyDocument,
  CreateWebhookEndpointDocument,
  CreateWorkItemDocument,
  DeleteWebhookEndpointDocument,
  NotificationsDocument,
  RemoveMemberDocument,
  ReplayWebhookDeliveryDocument,
  RevokeApiTokenDocument,
  RotateWebhookEndpointSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  UpdateWorkItemDocument,
  UpdateWorkItemStatusDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointDocument,
  WorkItemsDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { startReceiver } from './helpers/receiver.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

const MINUTE = 60_000;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      SLA_SWEEP_INTERVAL_MS: '0',
      WEBHOOK_DELIVERY_INTERVAL_MS: '0',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_TIMEOUT_MS: '300',
      WEBHOOK_DISABLE_AFTER_HOURS: '24',
    },
  });
});
afterAll(() => server?.close());

async function endpointFor(owner: Account, url: string, events: string[] = [...WEBHOOK_EVENT_TYPES]) {
  const { createWebhookEndpoint } = ok(
    await server.gql(CreateWebhookEndpointDocument, { input: { url, events } }, { token: owner.accessToken }),
  );
  return { id: createWebhookEndpoint.webhookEndpoint.id, secret: createWebhookEndpoint.secret };
}

const deliveries = async (owner: Account, endpointId: string) =>
  ok(
    await server.gql(WebhookDeliveriesDocument, { endpointId, first: 100 }, { token: owner.accessToken }),
  ).webhookDeliveries.edges.map((e) => e.node);

const createItem = async (owner: Account, input: { title: string; assigneeId?: string; slaPolicyId?: string }) =>
  ok(await server.gql(CreateWorkItemDocument, { input }, { token: owner.accessToken })).createWorkItem;

/** Deletes the endpoint, so that later passes of the worker (at later clocks) leave it alone. */
const remove = async (owner: Account, id: string) =>
  ok(await server.gql(DeleteWebhookEndpointDocument, { input: { id } }, { token: owner.accessToken }));

describe('webhook deliveries', () => {
  it('from one sweep over several organizations, sends each only what its endpoint subscribed to', async () => {
    const receiverA = await startReceiver();
    const receiverB = await startReceiver();
    const [ownerA, ownerB, ownerC] = [await createOwner(server), await createOwner(server), await createOwner(server)];
    const endpointA = await endpointFor(ownerA, receiverA.url, ['sla.warning']);
    const endpointB = await endpointFor(ownerB, receiverB.url, ['notification.created']);
    const dueAt = new Date(Date.now() + 10 * 24 * 60 * MINUTE);
    const items = [];
    for (const owner of [ownerA, ownerB, ownerC]) {
      const { createSlaPolicy } = ok(
        await server.gql(
          CreateSlaPolicyDocument,
          { input: { name: 'p', targetMinutes: 60, warnBeforeMinutes: 15 } },
          { token: owner.accessToken },
        ),
      );
      const item = await createItem(owner, { title: 'Due', assigneeId: owner.userId, slaPolicyId: createSlaPolicy.id });
      ok(
        await server.gql(
          UpdateWorkItemDocument,
          { input: { workItemId: item.id, dueAt: dueAt.toISOString() } },
          { token: owner.accessToken },
        ),
      );
      items.push(item);
    }
    // All three fall due in one batch of the sweep; only A and B have endpoints.
    const swept = await sweepSla(server.app, new Date(dueAt.getTime() - 10 * MINUTE));
    expect(swept.warnings).toBeGreaterThanOrEqual(3);
    await deliverDueWebhooks(server.app, new Date(dueAt.getTime() - 9 * MINUTE));

    const a = receiverA.verified(endpointA.secret);
    expect(a.map((m) => m.type)).toEqual(['sla.warning']);
    expect(a[0]?.data).toMatchObject({ workItem: { id: items[0]?.id } });
    const b = receiverB.verified(endpointB.secret);
    expect(b.map((m) => m.type)).toEqual(['notification.created']);
    expect(b[0]?.data).toMatchObject({ type: 'SLA_WARNING', workItemId: items[1]?.id, recipientId: ownerB.userId });
    await remove(ownerA, endpointA.id);
    await remove(ownerB, endpointB.id);
  });

  it('sends every event type, from the real mutations and the sweep, signed per Standard Webhooks', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const endpoint = await endpointFor(owner, receiver.url);
    const member = await addMember(server, owner);
    const other = await addMember(server, owner);
    const { createSlaPolicy } = ok(
      await server.gql(
        CreateSlaPolicyDocument,
        { input: { name: 'p', targetMinutes: 60, warnBeforeMinutes: 15 } },
        { token: owner.accessToken },
      ),
    );
    const item = await createItem(owner, {
      title: 'Outage',
      assigneeId: member.userId,
      slaPolicyId: createSlaPolicy.id,
    });
    const token = await createMachineToken(server, owner, ['read:work_items']);
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: token.tokenId } }, { token: owner.accessToken }));
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: item.id, assigneeId: other.userId } },
        { token: owner.accessToken },
      ),
    );
    ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: item.id, title: 'Outage in EU' } },
        { token: owner.accessToken },
      ),
    );
    const due = Date.parse(item.dueAt as string);
    await sweepSla(server.app, new Date(due - 10 * MINUTE));
    await sweepSla(server.app, new Date(due + MINUTE));
    ok(
      await server.gql(
        UpdateWorkItemStatusDocument,
        { input: { workItemId: item.id, status: 'RESOLVED' } },
        { token: owner.accessToken },
      ),
    );
    ok(await server.gql(RemoveMemberDocument, { input: { userId: member.userId } }, { token: owner.accessToken }));

    await deliverDueWebhooks(server.app, new Date(due + 2 * MINUTE));
    const messages = receiver.verified(endpoint.secret);
    expect(new Set(messages.map((m) => m.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    // One webhook-id per message, and the body's shape the spec suggests.
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const message of messages) {
      expect(Object.keys(message).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(Number.isNaN(Date.parse(message.timestamp))).toBe(false);
    }
    const find = (type: string) => messages.filter((m) => m.type === type).map((m) => m.data);
    expect(find('work_item.created')).toEqual([expect.objectContaining({ id: item.id, assigneeId: member.userId })]);
    expect(find('work_item.assigned')).toEqual([
      expect.objectContaining({ id: item.id, assigneeId: other.userId, previousAssigneeId: member.userId }),
    ]);
    expect(find('work_item.status_changed')).toEqual([
      expect.objectContaining({ id: item.id, status: 'RESOLVED', previousStatus: 'OPEN' }),
    ]);
    expect(find('sla.warning')).toEqual([
      expect.objectContaining({ workItem: expect.objectContaining({ id: item.id }) }),
    ]);
    expect(find('sla.breach')).toHaveLength(1);
    expect(find('member.added').map((d) => d.userId)).toEqual([member.userId, other.userId]);
    expect(find('member.removed')).toEqual([expect.objectContaining({ userId: member.userId, role: 'MEMBER' })]);
    expect(find('api_token.created')).toEqual([expect.objectContaining({ id: token.tokenId })]);
    expect(find('api_token.revoked')).toEqual([expect.objectContaining({ id: token.tokenId })]);
    // ASSIGNMENT twice (creation, reassignment), then the sweep's warning and breach.
    expect(find('notification.created').map((d) => d.type)).toEqual([
      'ASSIGNMENT',
      'ASSIGNMENT',
      'SLA_WARNING',
      'SLA_BREACH',
    ]);
    expect(JSON.stringify(find('api_token.created'))).not.toContain(token.token);

    const log = await deliveries(owner, endpoint.id);
    expect(log).toHaveLength(messages.length);
    expect(log.every((d) => d.status === 'SUCCEEDED' && d.attempts === 1 && d.responseStatus === 204)).toBe(true);
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  it('retries after failures with the same webhook-id, then succeeds', async () => {
    const receiver = await startReceiver((index) => (index < 2 ? 500 : 200));
    const owner = await createOwner(server);
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
    await createItem(owner, { title: 'Flaky' });
    let clock = Date.now();
    expect(await deliverDueWebhooks(server.app, new Date(clock))).toBe(1);
    let [delivery] = await deliveries(owner, endpoint.id);
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: 500 });
    expect(delivery?.lastError).toContain('HTTP 500');
    // Not due before its backoff (5 s, plus jitter).
    expect(await deliverDueWebhooks(server.app, new Date(clock + 1000))).toBe(0);
    for (const _ of [1, 2]) {
      clock = Date.parse(delivery?.nextAttemptAt as string);
      expect(await deliverDueWebhooks(server.app, new Date(clock))).toBe(1);
      [delivery] = await deliveries(owner, endpoint.id);
    }
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 3, responseStatus: 200, nextAttemptAt: null });
    expect(delivery?.lastError).toBeNull();
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery?.messageId]));
    expect(receiver.verified(endpoint.secret)).toHaveLength(3);
    const { webhookEndpoint } = ok(
      await server.gql(WebhookEndpointDocument, { id: endpoint.id }, { token: owner.accessToken }),
    );
    expect(webhookEndpoint).toMatchObject({ enabled: true, failingSince: null });
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  it('times out a receiver that never answers, retries it for about a day, then disables the endpoint and tells its admins', async () => {
    const receiver = await startReceiver(() => 'never');
    const owner = await createOwner(server);
    const admin = await addMember(server, owner, 'ADMIN');
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
    await createItem(owner, { title: 'Into the void' });
    const started = Date.now();
    let clock = started;
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await deliverDueWebhooks(server.app, new Date(clock))).toBe(1);
      const [delivery] = await deliveries(owner, endpoint.id);
      expect(delivery).toMatchObject({ attempts: attempt, responseStatus: null });
      expect(delivery?.lastError).toContain('timed out');
      if (attempt < 8) clock = Date.parse(delivery?.nextAttemptAt as string);
      else expect(delivery).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
    }
    expect(receiver.received).toHaveLength(8);
    // Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each up to 20% later).
    expect(clock - started).toBeGreaterThanOrEqual(27.5 * 3600_000);
    expect(clock - started).toBeLessThan(34 * 3600_000);

    const { webhookEndpoint } = ok(
      await server.gql(WebhookEndpointDocument, { id: endpoint.id }, { token: owner.accessToken }),
    );
    expect(webhookEndpoint).toMatchObject({ enabled: false, disabledReason: 'failing' });
    for (const account of [owner, admin]) {
      const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: account.accessToken }));
      expect(notifications.edges.map((e) => e.node.type)).toContain('WEBHOOK_DISABLED');
    }
    const { auditEvents } = ok(
      await server.gql(
        AuditEventsDocument,
        { filter: { action: 'webhook_endpoint.disabled' } },
        { token: owner.accessToken },
      ),
    );
    expect(auditEvents.edges.map((e) => [e.node.actorType, e.node.targetId])).toEqual([['SYSTEM', endpoint.id]]);

    // Disabled: new events are not kept for it; enabled again, it forgets the failures.
    await createItem(owner, { title: 'Nobody listens' });
    expect(await deliveries(owner, endpoint.id)).toHaveLength(1);
    const { updateWebhookEndpoint } = ok(
      await server.gql(
        UpdateWebhookEndpointDocument,
        { input: { id: endpoint.id, enabled: true } },
        { token: owner.accessToken },
      ),
    );
    expect(updateWebhookEndpoint).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  it('replays a delivery as a new one with the same webhook-id and body', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
    await createItem(owner, { title: 'Again' });
    await deliverDueWebhooks(server.app);
    const [original] = await deliveries(owner, endpoint.id);
    const { replayWebhookDelivery } = ok(
      await server.gql(
        ReplayWebhookDeliveryDocument,
        { input: { id: original?.id as string } },
        { token: owner.accessToken },
      ),
    );
    expect(replayWebhookDelivery).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      messageId: original?.messageId,
      replayOfId: original?.id,
      payload: original?.payload,
    });
    await deliverDueWebhooks(server.app);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(original?.messageId);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
    expect(receiver.verified(endpoint.secret)).toHaveLength(2);
    const log = await deliveries(owner, endpoint.id);
    expect(log.map((d) => [d.id, d.status])).toEqual([
      [replayWebhookDelivery.id, 'SUCCEEDED'],
      [original?.id, 'SUCCEEDED'],
    ]);
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  it('sends a test message at once and answers how it went', async () => {
    const good = await startReceiver(() => 200);
    const bad = await startReceiver(() => 503);
    const owner = await createOwner(server);
    const endpoints = [await endpointFor(owner, good.url), await endpointFor(owner, bad.url)];
    const sent = await Promise.all(
      endpoints.map(
        async (endpoint) =>
          ok(
            await server.gql(
              SendTestWebhookDocument,
              { input: { endpointId: endpoint.id } },
              { token: owner.accessToken },
            ),
          ).sendTestWebhook,
      ),
    );
    expect(sent[0]).toMatchObject({ eventType: 'webhook.test', status: 'SUCCEEDED', attempts: 1, responseStatus: 200 });
    expect(sent[1]).toMatchObject({ eventType: 'webhook.test', status: 'PENDING', attempts: 1, responseStatus: 503 });
    expect(good.verified(endpoints[0]?.secret as string)).toEqual([
      expect.objectContaining({
        type: 'webhook.test',
        data: expect.objectContaining({ webhookEndpointId: endpoints[0]?.id }),
      }),
    ]);
    for (const endpoint of endpoints) await remove(owner, endpoint.id);
    await Promise.all([good.close(), bad.close()]);
  });

  it('signs with the new and the previous secret after a rotation', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
    const { rotateWebhookEndpointSecret } = ok(
      await server.gql(
        RotateWebhookEndpointSecretDocument,
        { input: { id: endpoint.id } },
        { token: owner.accessToken },
      ),
    );
    expect(rotateWebhookEndpointSecret.secret).not.toBe(endpoint.secret);
    expect(rotateWebhookEndpointSecret.webhookEndpoint.previousSecretExpiresAt).not.toBeNull();
    await createItem(owner, { title: 'Rotated' });
    await deliverDueWebhooks(server.app);
    expect(receiver.received[0]?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(receiver.verified(rotateWebhookEndpointSecret.secret)).toHaveLength(1);
    expect(receiver.verified(endpoint.secret)).toHaveLength(1);
    expect(() => receiver.verified(`whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toThrow(/signature/);
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  it('claims each attempt once when two workers run at once', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
    for (let i = 0; i < 12; i++) await createItem(owner, { title: `Item ${i}` });
    const at = new Date();
    const counts = await Promise.all([deliverDueWebhooks(server.app, at), deliverDueWebhooks(server.app, at)]);
    expect(counts[0] + counts[1]).toBe(12);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    await remove(owner, endpoint.id);
    await receiver.close();
  });

  const scaledOut = needing('claims each attempt once across two instances', 'DATABASE_URL');
  it.skipIf(scaledOut.skip)(scaledOut.title, async () => {
    const second = await startServer({
      reuse: server,
      env: { WEBHOOK_DELIVERY_INTERVAL_MS: '0', SLA_SWEEP_INTERVAL_MS: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    });
    try {
      const receiver = await startReceiver();
      const owner = await createOwner(server);
      const endpoint = await endpointFor(owner, receiver.url, ['work_item.created']);
      for (let i = 0; i < 60; i++) await createItem(owner, { title: `Item ${i}` });
      const at = new Date();
      const counts = await Promise.all([deliverDueWebhooks(server.app, at), deliverDueWebhooks(second.app, at)]);
      expect(counts[0] + counts[1]).toBe(60);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(60);
      expect(receiver.received).toHaveLength(60);
      await remove(owner, endpoint.id);
      await receiver.close();
    } finally {
      await second.stop();
    }
  });

  it('keeps no delivery of an event whose write fails (the outbox shares its transaction)', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const endpoint = await endpointFor(owner, receiver.url, ['work_item.created', 'notification.created']);
    // A fault after the work item and its delivery are written: the assignment's notification fails.
    await server.app.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_notification() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql`);
    await server.app.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_notification BEFORE INSERT ON "Notification"
      FOR EACH ROW WHEN (NEW.message = 'Doomed') EXECUTE FUNCTION refuse_notification()`);
    try {
      const response = await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Doomed', assigneeId: member.userId } },
        { token: owner.accessToken },
      );
      expect(failure(response).extensions?.code).toBe('INTERNAL');
    } finally {
      await server.app.db.$executeRawUnsafe('DROP TRIGGER refuse_notification ON "Notification"');
    }
    const { workItems } = ok(await server.gql(WorkItemsDocument, {}, { token: owner.accessToken }));
    expect(workItems.edges).toHaveLength(0);
    expect(await deliveries(owner, endpoint.id)).toHaveLength(0);
    await createItem(owner, { title: 'Fine', assigneeId: member.userId });
    expect((await deliveries(owner, endpoint.id)).map((d) => d.eventType).sort()).toEqual([
      'notification.created',
      'work_item.created',
    ]);
    await remove(owner, endpoint.id);
    await receiver.close();
  });
});
