// Herald's MCP tools, through the SDK's own client, over Streamable HTTP (/mcp on Herald) and
// stdio (`herald mcp` as a subprocess): tools listed per scope set, each tool called, refusals,
// arguments refused by the schema, and the MCP client's name in the audit log.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEventsDocument,
  CreateSlaPolicyDocument,
  CreateWebhookEndpointDocument,
  NotificationsDocument,
  SendTestWebhookDocument,
} from './generated/graphql.ts';
import { cliHome, HERALD_BIN } from './helpers/cli.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createTestClient } from './helpers/oauth.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { needing, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_DELIVERY_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const AGENT = 'herald-test-agent';
const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

type Transport = 'http' | 'stdio';

async function connect(transport: Transport, token: string): Promise<Client> {
  const client = new Client({ name: AGENT, version: '1.0.0' });
  open.push(client);
  if (transport === 'http') {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
  } else {
    const home = await cliHome(server.url);
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [HERALD_BIN, 'mcp'],
        env: { ...home.env, HERALD_TOKEN: token },
        stderr: 'pipe',
      }),
    );
  }
  return client;
}

const ALL_TOOLS = [
  'assign_work_item',
  'change_work_item_status',
  'create_api_token',
  'create_work_item',
  'get_work_item',
  'list_api_tokens',
  'list_members',
  'list_published_notifications',
  'list_sla_policies',
  'list_webhook_deliveries',
  'list_webhook_endpoints',
  'list_work_items',
  'publish_notification',
  'replay_webhook_delivery',
  'search_audit_events',
  'update_work_item',
];

/** A tool's answer as the structured content it carries (every Herald tool answers an object). */
async function call<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  expect(JSON.parse((result.content as { text: string }[])[0]?.text as string)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

async function refusal(promise: Promise<unknown>): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpError) return error;
    throw error;
  }
  throw new Error('expected an MCP error');
}

describe.each<Transport>(['http', 'stdio'])('MCP over %s', (transport) => {
  it('lists the tools a token’s scopes allow, with JSON schemas and descriptions', async () => {
    const owner = await createOwner(server);
    const cases: [string[], string[]][] = [
      [['read:work_items'], ['get_work_item', 'list_work_items']],
      [
        ['write:work_items', 'read:audit'],
        [
          'assign_work_item',
          'change_work_item_status',
          'create_work_item',
          'get_work_item',
          'list_work_items',
          'search_audit_events',
          'update_work_item',
        ],
      ],
      [
        ['write:notifications', 'read:members'],
        ['list_members', 'list_published_notifications', 'publish_notification'],
      ],
      [['read:notifications'], ['list_published_notifications']],
      [['write:*'], ALL_TOOLS],
    ];
    for (const [scopes, expected] of cases) {
      const { token } = await createMachineToken(server, owner, scopes);
      const client = await connect(transport, token);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort(), scopes.join(' ')).toEqual(expected);
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.description?.length).toBeGreaterThan(40);
      }
    }
  });

  it('calls every tool with a token that holds every scope, as the agent named in the audit log', async () => {
    const owner = await createOwner(server);
    const { token, serviceAccountSlug } = await createMachineToken(server, owner, ['write:*']);
    const { createSlaPolicy } = ok(
      await server.gql(
        CreateSlaPolicyDocument,
        { input: { name: 'Gold', targetMinutes: 60, warnBeforeMinutes: 15 } },
        { token: owner.accessToken },
      ),
    );
    const endpoint = await webhookWithDelivery(owner);
    const client = await connect(transport, token);

    const members = await call<{ items: { user: { id: string }; role: string }[] }>(client, 'list_members');
    expect(members.items.map((m) => [m.user.id, m.role])).toEqual([[owner.userId, 'OWNER']]);
    expect((await call<{ items: { id: string }[] }>(client, 'list_sla_policies')).items.map((p) => p.id)).toEqual([
      createSlaPolicy.id,
    ]);

    const created = await call<{ id: string; status: string; slaPolicy: { id: string }; dueAt: string }>(
      client,
      'create_work_item',
      { title: 'Printer on fire', priority: 'URGENT', slaPolicyId: createSlaPolicy.id },
    );
    expect(created).toMatchObject({ status: 'OPEN', slaPolicy: { id: createSlaPolicy.id } });
    expect(await call(client, 'get_work_item', { id: created.id })).toMatchObject({
      id: created.id,
      title: 'Printer on fire',
    });
    const listed = await call<{ items: { id: string }[]; totalCount: number }>(client, 'list_work_items', {
      priority: ['URGENT'],
    });
    expect(listed).toMatchObject({ totalCount: 1, hasNextPage: false });
    expect(await call(client, 'assign_work_item', { workItemId: created.id, assigneeId: owner.userId })).toMatchObject({
      assignee: { id: owner.userId },
    });
    expect(await call(client, 'change_work_item_status', { workItemId: created.id, status: 'RESOLVED' })).toMatchObject(
      {
        status: 'RESOLVED',
      },
    );
    expect(
      await call(client, 'update_work_item', { workItemId: created.id, title: 'Printer fixed', dueAt: null }),
    ).toMatchObject({
      title: 'Printer fixed',
      dueAt: null,
    });

    const published = await call<{ id: string; type: string }>(client, 'publish_notification', {
      userId: owner.userId,
      title: 'Deploy finished',
      message: 'v1.2.3 is live',
    });
    expect(published.type).toBe('CUSTOM');
    const { notifications } = ok(await server.gql(NotificationsDocument, { first: 10 }, { token: owner.accessToken }));
    expect(notifications.edges.map((e) => e.node.id)).toContain(published.id);
    const sent = await call<{ items: { id: string; recipientId: string; readAt: string | null }[] }>(
      client,
      'list_published_notifications',
    );
    expect(sent.items).toEqual([
      expect.objectContaining({ id: published.id, recipientId: owner.userId, readAt: null }),
    ]);

    const tokens = await call<{ items: { name: string; prefix: string }[] }>(client, 'list_api_tokens');
    expect(tokens.items.map((t) => t.name)).toEqual(['ci']);
    expect(JSON.stringify(tokens)).not.toContain(token);
    const fresh = await call<{ token: string; apiToken: { name: string; scopes: string[] } }>(
      client,
      'create_api_token',
      {
        serviceAccountSlug,
        name: 'made by an agent',
        scopes: ['read:work_items'],
      },
    );
    expect(fresh.token).toMatch(/^hld_[A-Za-z0-9]+$/);
    expect(fresh.apiToken).toMatchObject({ name: 'made by an agent', scopes: ['read:work_items'] });

    const endpoints = await call<{ items: { id: string }[] }>(client, 'list_webhook_endpoints');
    expect(endpoints.items.map((e) => e.id)).toEqual([endpoint.id]);
    const deliveries = await call<{ items: { id: string; eventType: string }[] }>(client, 'list_webhook_deliveries', {
      endpointId: endpoint.id,
    });
    // The test message, and the work item created above (the endpoint listens for work_item.created).
    expect(deliveries.items.map((d) => d.eventType)).toEqual(['work_item.created', 'webhook.test']);
    expect(deliveries.items[1]?.id).toBe(endpoint.deliveryId);
    expect(await call(client, 'replay_webhook_delivery', { id: endpoint.deliveryId })).toMatchObject({
      replayOfId: endpoint.deliveryId,
    });

    const audit = await call<{ items: { action: string; client: string | null }[] }>(client, 'search_audit_events', {
      client: AGENT,
      first: 100,
    });
    expect(audit.items.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'work_item.created',
        'work_item.assigned',
        'notification.published',
        'api_token.created',
        'webhook_delivery.replayed',
      ]),
    );
    // Seen from outside: the owner's audit log names the agent too.
    const { auditEvents } = ok(
      await server.gql(AuditEventsDocument, { filter: { action: 'work_item.created' } }, { token: owner.accessToken }),
    );
    expect(auditEvents.edges[0]?.node.client).toBe(AGENT);
  });

  it('answers a tool the scopes do not allow with an MCP error naming the scope', async () => {
    const owner = await createOwner(server);
    const { token } = await createMachineToken(server, owner, ['read:work_items']);
    const client = await connect(transport, token);
    const error = await refusal(
      client.callTool({
        name: 'create_api_token',
        arguments: { serviceAccountSlug: 'x', name: 'x', scopes: ['read:audit'] },
      }),
    );
    expect(error.code).toBe(ErrorCode.InvalidRequest);
    expect(error.message).toContain('write:tokens');
    expect(error.data).toMatchObject({ reason: 'MISSING_SCOPE', requiredScope: 'write:tokens' });
    expect((await refusal(client.callTool({ name: 'no_such_tool', arguments: {} }))).code).toBe(
      ErrorCode.InvalidParams,
    );
  });

  it('cannot hand out more than its own scopes through create_api_token', async () => {
    const owner = await createOwner(server);
    const { token, serviceAccountSlug } = await createMachineToken(server, owner, ['write:tokens', 'read:work_items']);
    const client = await connect(transport, token);
    const result = await client.callTool({
      name: 'create_api_token',
      arguments: { serviceAccountSlug, name: 'escalate', scopes: ['write:members'] },
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: 'FORBIDDEN', reason: 'MISSING_SCOPE' } });
    expect(JSON.stringify(result)).not.toMatch(/hld_[A-Za-z0-9]{20}/);
  });

  it('answers arguments its schema refuses with a schema error naming the argument', async () => {
    const owner = await createOwner(server);
    const { token } = await createMachineToken(server, owner, ['write:work_items']);
    const client = await connect(transport, token);
    const wrongType = await refusal(client.callTool({ name: 'create_work_item', arguments: { title: 5 } }));
    expect(wrongType.code).toBe(ErrorCode.InvalidParams);
    expect(wrongType.message).toMatch(/Invalid arguments for tool create_work_item: title: /);
    const missing = await refusal(client.callTool({ name: 'change_work_item_status', arguments: { workItemId: 'x' } }));
    expect(missing.message).toMatch(/status/);
    const unknown = await refusal(client.callTool({ name: 'list_work_items', arguments: { colour: 'red' } }));
    expect(unknown.code).toBe(ErrorCode.InvalidParams);
    expect(unknown.message).toContain('colour');
    // Herald's own refusal of a well-formed call comes back as a failed tool result, with its code.
    const result = await client.callTool({
      name: 'get_work_item',
      arguments: { id: '0193a5c4-0000-7000-8000-000000000000' },
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

async function webhookWithDelivery(owner: Account) {
  const { createWebhookEndpoint } = ok(
    await server.gql(
      CreateWebhookEndpointDocument,
      { input: { url: 'https://93.184.215.14/hooks/herald', events: ['work_item.created'] } },
      { token: owner.accessToken },
    ),
  );
  const id = createWebhookEndpoint.webhookEndpoint.id;
  const { sendTestWebhook } = ok(
    await server.gql(SendTestWebhookDocument, { input: { endpointId: id } }, { token: owner.accessToken }),
  );
  return { id, deliveryId: sendTestWebhook.id };
}

describe('an OAuth client-credentials access token', () => {
  it.each<Transport>(['http', 'stdio'])(
    'is a credential for MCP over %s, with its client’s scopes',
    async (transport) => {
      const owner = await createOwner(server);
      const oauthClient = await createTestClient(server, owner, ['read:work_items', 'read:members']);
      const response = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: oauthClient.clientId,
          client_secret: oauthClient.clientSecret,
        }),
      });
      const { access_token } = (await response.json()) as { access_token: string };
      const client = await connect(transport, access_token);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['get_work_item', 'list_members', 'list_work_items']);
      expect(await call(client, 'list_work_items')).toMatchObject({ items: [], totalCount: 0 });
    },
  );
});

describe('/mcp over HTTP', () => {
  it('refuses requests without a credential, and a person’s access token', async () => {
    const owner = await createOwner(server);
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: AGENT, version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/API token/);
    const person = await post({ authorization: `Bearer ${owner.accessToken}` });
    expect(person.status).toBe(401);
    expect(((await person.json()) as { error: { message: string } }).error.message).toMatch(/service account/);
    const revoked = await post({ authorization: 'Bearer hld_not_a_real_token' });
    expect(revoked.status).toBe(401);
    // The SDK's client gives up at the same refusal.
    const client = new Client({ name: AGENT, version: '1.0.0' });
    await expect(
      client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${owner.accessToken}` } },
        }),
      ),
    ).rejects.toThrow();
  });

  it('is stateless: a tool call on a fresh connection with only the session id still names the agent', async () => {
    const owner = await createOwner(server);
    const { token } = await createMachineToken(server, owner, ['write:work_items', 'read:audit']);
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      'mcp-protocol-version': '2025-06-18',
    };
    const initialized = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'Raw Agent', version: '1' } },
      }),
    });
    expect(initialized.status).toBe(200);
    const sessionId = initialized.headers.get('mcp-session-id') as string;
    expect(sessionId).toMatch(/^[\x21-\x7e]+$/);
    const callWith = (session: string) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': session },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'create_work_item', arguments: { title: 'Raw' } },
        }),
      });
    const called = await callWith(sessionId);
    expect(called.status).toBe(200);
    expect(((await called.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy();
    // A session id Herald did not sign names no one.
    const forged = `${sessionId.slice(0, -4)}AAAA`;
    expect((await callWith(forged)).status).toBe(200);
    const { auditEvents } = ok(
      await server.gql(AuditEventsDocument, { filter: { action: 'work_item.created' } }, { token: owner.accessToken }),
    );
    expect(auditEvents.edges.map((e) => e.node.client)).toEqual([null, 'Raw Agent']);
  });
});

describe('/mcp under limits', () => {
  it('counts guessed credentials against the address like any request, answering 429 with Retry-After', async () => {
    const limited = await startServer({ env: { RATE_LIMIT_IP_PER_MINUTE: '2' } });
    try {
      const statuses: number[] = [];
      let last = new Response();
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${limited.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer hld_${'x'.repeat(49)}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        statuses.push(last.status);
      }
      expect(statuses[0]).toBe(401);
      expect(statuses.at(-1)).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await last.json()) as { error: { data: { code: string } } }).error.data.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

const scaledOut = needing('MCP across instances', 'DATABASE_URL');
describe.skipIf(scaledOut.skip)(scaledOut.title, () => {
  it('answers a tool call on another instance than the one that initialized, still naming the agent', async () => {
    const second = await startServer({ reuse: server });
    try {
      const owner = await createOwner(server);
      const { token } = await createMachineToken(server, owner, ['write:work_items']);
      const client = new Client({ name: AGENT, version: '1.0.0' });
      // Every request after the first goes to the second instance, as a load balancer may send it.
      let requests = 0;
      const balanced: typeof fetch = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const target = requests++ === 0 ? server : second;
        return fetch(`${target.url}${url.pathname}`, init);
      };
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
          fetch: balanced,
        }),
      );
      open.push(client);
      expect(await call(client, 'create_work_item', { title: 'Across instances' })).toMatchObject({ status: 'OPEN' });
      expect(requests).toBeGreaterThan(1);
      const { auditEvents } = ok(
        await server.gql(
          AuditEventsDocument,
          { filter: { action: 'work_item.created' } },
          { token: owner.accessToken },
        ),
      );
      expect(auditEvents.edges[0]?.node.client).toBe(AGENT);
    } finally {
      await second.close();
    }
  });
});
