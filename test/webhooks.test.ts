// Managing webhook endpoints: secrets shown once, validation, other organizations' ids, audit,
// and the SSRF guard with WEBHOOK_ALLOW_PRIVATE_TARGETS unset (the default), at creation and
// again at send time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks } from '../src/webhooks/delivery.ts';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/events.ts';
import { postJson, UnsafeTargetError } from '../src/webhooks/safe-fetch.ts';
import {
  AuditEventsDocument,
  CreateWebhookEndpointDocument,
  CreateWorkItemDocument,
  DeleteWebhookEndpointDocument,
  ReplayWebhookDeliveryDocument,
  RotateWebhookEndpointSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
} from './generated/graphql.ts';
import { startReceiver } from './helpers/receiver.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

// A public address written as a literal: no DNS is needed, and nothing is sent to it here.
const PUBLIC_URL = 'https://93.184.215.14/hooks/herald';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_DELIVERY_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const create = (owner: Account, input: { url: string; events: string[]; description?: string }) =>
  server.gql(CreateWebhookEndpointDocument, { input }, { token: owner.accessToken });

const count = async (owner: Account) =>
  ok(await server.gql(WebhookEndpointsDocument, {}, { token: owner.accessToken })).webhookEndpoints.totalCount;

describe('webhook endpoints', () => {
  it('are created with a whsec_ secret shown once, listed, updated, disabled, rotated and deleted, all audited', async () => {
    const owner = await createOwner(server);
    const { createWebhookEndpoint } = ok(
      await create(owner, { url: PUBLIC_URL, events: ['work_item.created', 'sla.breach'], description: 'CRM' }),
    );
    const { secret, webhookEndpoint } = createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(webhookEndpoint).toMatchObject({
      url: PUBLIC_URL,
      events: ['work_item.created', 'sla.breach'],
      description: 'CRM',
      enabled: true,
      disabledAt: null,
    });
    const id = webhookEndpoint.id;
    const { webhookEndpoints } = ok(await server.gql(WebhookEndpointsDocument, {}, { token: owner.accessToken }));
    expect(webhookEndpoints.totalCount).toBe(1);
    expect(JSON.stringify(webhookEndpoints)).not.toContain(secret.slice(6));

    const update = async (input: Record<string, unknown>) =>
      ok(await server.gql(UpdateWebhookEndpointDocument, { input: { id, ...input } }, { token: owner.accessToken }))
        .updateWebhookEndpoint;
    expect(await update({ events: ['member.added'], description: 'CRM sync' })).toMatchObject({
      events: ['member.added'],
      description: 'CRM sync',
      url: PUBLIC_URL,
    });
    expect(await update({ enabled: false })).toMatchObject({ enabled: false, disabledReason: 'manual' });
    expect(await update({ enabled: true })).toMatchObject({ enabled: true, disabledReason: null });

    const { rotateWebhookEndpointSecret } = ok(
      await server.gql(RotateWebhookEndpointSecretDocument, { input: { id } }, { token: owner.accessToken }),
    );
    expect(rotateWebhookEndpointSecret.secret).toMatch(/^whsec_/);
    expect(rotateWebhookEndpointSecret.secret).not.toBe(secret);

    ok(await server.gql(DeleteWebhookEndpointDocument, { input: { id } }, { token: owner.accessToken }));
    expect(
      failure(await server.gql(WebhookEndpointDocument, { id }, { token: owner.accessToken })).extensions,
    ).toMatchObject({ code: 'NOT_FOUND' });
    const { auditEvents } = ok(await server.gql(AuditEventsDocument, { first: 20 }, { token: owner.accessToken }));
    expect(
      auditEvents.edges
        .map((e) => e.node.action)
        .filter((a) => a.startsWith('webhook_'))
        .reverse(),
    ).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.updated',
      'webhook_endpoint.disabled',
      'webhook_endpoint.enabled',
      'webhook_endpoint.secret_rotated',
      'webhook_endpoint.deleted',
    ]);
  });

  it('refuses unknown event types, naming the valid ones, and writes nothing', async () => {
    const owner = await createOwner(server);
    const error = failure(await create(owner, { url: PUBLIC_URL, events: ['work_item.created', 'work_item.deleted'] }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
    expect(error.message).toContain('work_item.deleted');
    for (const type of WEBHOOK_EVENT_TYPES) expect(error.message).toContain(type);
    expect(failure(await create(owner, { url: PUBLIC_URL, events: [] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'events',
    });
    expect(await count(owner)).toBe(0);
  });

  it.each([
    'ftp://hooks.example.com/x',
    'hooks.example.com/x',
    'http://93.184.215.14/x',
    'https://user:pass@93.184.215.14/x',
    'https://93.184.215.14/a b',
  ])('refuses the URL %s', async (url) => {
    const owner = await createOwner(server);
    expect(failure(await create(owner, { url, events: ['work_item.created'] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'url',
    });
    expect(await count(owner)).toBe(0);
  });

  it.each([
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://172.16.0.1/x',
    'https://192.168.1.1/x',
    'https://100.64.0.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/x',
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[fd00:ec2::254]/x',
    'https://[fe80::1]/x',
    'https://localhost/x',
  ])('refuses a target that is not public: %s', async (url) => {
    const owner = await createOwner(server);
    const error = failure(await create(owner, { url, events: ['work_item.created'] }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(error.message).toContain('non-public address');
    expect(await count(owner)).toBe(0);
  });

  it('checks the target again when sending, and refuses it if it became private', async () => {
    const receiver = await startReceiver();
    const owner = await createOwner(server);
    const { createWebhookEndpoint } = ok(await create(owner, { url: PUBLIC_URL, events: ['work_item.created'] }));
    const id = createWebhookEndpoint.webhookEndpoint.id;
    // As if its name now resolved to this machine (DNS rebinding): written behind the API's back.
    await server.app.db.webhookEndpoint.update({ where: { id }, data: { url: receiver.url } });
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'x' } }, { token: owner.accessToken }));
    expect(await deliverDueWebhooks(server.app)).toBe(1);
    const { webhookDeliveries } = ok(
      await server.gql(WebhookDeliveriesDocument, { endpointId: id }, { token: owner.accessToken }),
    );
    expect(webhookDeliveries.edges[0]?.node).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: null });
    expect(webhookDeliveries.edges[0]?.node.lastError).toMatch(/^refused/);
    expect(receiver.received).toHaveLength(0);
    await server.app.db.webhookEndpoint.delete({ where: { id } });
    await receiver.close();
  });

  it('the guarded sender refuses loopback by address and by name, and posts when allowed', async () => {
    const receiver = await startReceiver(() => 202);
    const byName = receiver.url.replace('127.0.0.1', 'localhost');
    for (const url of [receiver.url, byName]) {
      await expect(postJson(url, '{}', { timeoutMs: 1000, allowPrivate: false })).rejects.toBeInstanceOf(
        UnsafeTargetError,
      );
    }
    expect(receiver.received).toHaveLength(0);
    const answer = await postJson(byName, '{"a":1}', { timeoutMs: 1000, allowPrivate: true, headers: { 'x-a': 'b' } });
    expect(answer.status).toBe(202);
    expect(receiver.received[0]).toMatchObject({ body: '{"a":1}', headers: expect.objectContaining({ 'x-a': 'b' }) });
    await receiver.close();
  });

  it('answers NOT_FOUND for another organization’s endpoints and deliveries', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const { createWebhookEndpoint } = ok(await create(owner, { url: PUBLIC_URL, events: ['work_item.created'] }));
    const id = createWebhookEndpoint.webhookEndpoint.id;
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'x' } }, { token: owner.accessToken }));
    const { webhookDeliveries } = ok(
      await server.gql(WebhookDeliveriesDocument, { endpointId: id }, { token: owner.accessToken }),
    );
    const deliveryId = webhookDeliveries.edges[0]?.node.id as string;
    const as = { token: stranger.accessToken };
    const attempts = [
      server.gql(WebhookEndpointDocument, { id }, as),
      server.gql(WebhookDeliveriesDocument, { endpointId: id }, as),
      server.gql(UpdateWebhookEndpointDocument, { input: { id, enabled: false } }, as),
      server.gql(RotateWebhookEndpointSecretDocument, { input: { id } }, as),
      server.gql(DeleteWebhookEndpointDocument, { input: { id } }, as),
      server.gql(SendTestWebhookDocument, { input: { endpointId: id } }, as),
      server.gql(ReplayWebhookDeliveryDocument, { input: { id: deliveryId } }, as),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(failure(response).extensions?.code).toBe('NOT_FOUND');
    }
    const { webhookEndpoint } = ok(await server.gql(WebhookEndpointDocument, { id }, { token: owner.accessToken }));
    expect(webhookEndpoint).toMatchObject({ enabled: true });
    ok(await server.gql(DeleteWebhookEndpointDocument, { input: { id } }, { token: owner.accessToken }));
  });
});
