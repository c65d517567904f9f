// AuditEvent.client: the client a request names in X-Herald-Client, on every audit event the
// request causes, whichever way the service writes it.
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  AssignWorkItemDocument,
  AuditEventsDocument,
  CreateServiceAccountDocument,
  CreateWorkItemDocument,
  LoginDocument,
} from './generated/graphql.ts';
import { within, wsUrl } from './helpers/live.ts';
import { eventually } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const as = (client: string) => ({ headers: { 'x-herald-client': client } });

async function events(token: string) {
  const { auditEvents } = ok(await server.gql(AuditEventsDocument, { first: 50 }, { token }));
  return auditEvents.edges.map((edge) => edge.node);
}

describe('AuditEvent.client', () => {
  it('records the client on sign-ins, failed sign-ins, service writes and raw-SQL assignments', async () => {
    const owner = await createOwner(server);
    const signedIn = ok(
      await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }, as('cli')),
    ).login;
    if (signedIn.__typename !== 'AuthPayload') throw new Error('expected tokens');
    failure(
      await server.gql(
        LoginDocument,
        { input: { email: owner.email, password: 'not the password at all' } },
        as('cli'),
      ),
    );
    const { createWorkItem } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Printer on fire' } },
        { token: owner.accessToken, ...as('console') },
      ),
    );
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: createWorkItem.id, assigneeId: owner.userId } },
        { token: owner.accessToken, ...as('Claude Desktop') },
      ),
    );

    const recorded = await events(owner.accessToken);
    expect(recorded.slice(0, 4).map(({ action, client }) => ({ action, client }))).toEqual([
      { action: 'work_item.assigned', client: 'Claude Desktop' },
      { action: 'work_item.created', client: 'console' },
      { action: 'login.failed', client: 'cli' },
      { action: 'login.succeeded', client: 'cli' },
    ]);
    // A request that names no client leaves it null.
    expect(recorded.find((e) => e.action === 'user.registered')?.client).toBeNull();
  });

  it('records it on an event written after the answer (a refused mutation)', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const refused = failure(
      await server.gql(
        CreateServiceAccountDocument,
        { input: { name: 'Sneaky', slug: 'sneaky' } },
        { token: member.accessToken, ...as('cli') },
      ),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    const denied = await eventually(async () => {
      const found = (await events(owner.accessToken)).find((e) => e.action === 'authorization.denied');
      if (!found) throw new Error('not audited yet');
      return found;
    });
    expect(denied).toMatchObject({ actorId: member.userId, client: 'cli' });
  });

  it('keeps a name printable and bounded: control characters and line breaks go, long names are cut', async () => {
    const owner = await createOwner(server);
    const sent = `  evil\u0085\tclient\u00ad name ${'x'.repeat(100)}`;
    ok(
      await server.gql(CreateWorkItemDocument, { input: { title: 'One' } }, { token: owner.accessToken, ...as(sent) }),
    );
    // Only a blank name is no name.
    ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Two' } },
        { token: owner.accessToken, ...as(' \t ') },
      ),
    );
    const [blank, long] = await events(owner.accessToken);
    expect(blank?.client).toBeNull();
    expect(long?.client).toBe(`evil client name ${'x'.repeat(47)}`);
    expect(long?.client).toHaveLength(64);
  });

  it('filters on the client', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'A' } }, { token: owner.accessToken, ...as('cli') }));
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'B' } }, { token: owner.accessToken }));
    const { auditEvents } = ok(
      await server.gql(AuditEventsDocument, { filter: { client: 'cli' } }, { token: owner.accessToken }),
    );
    expect(auditEvents.totalCount).toBe(1);
    expect(auditEvents.edges[0]?.node).toMatchObject({ action: 'work_item.created', client: 'cli' });
  });

  it('records the client its WebSocket upgrade named on a mutation sent over the socket', async () => {
    const owner = await createOwner(server);
    class NamedSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-herald-client': 'cli' } });
      }
    }
    const live = createClient({
      url: wsUrl(server, owner.accessToken),
      webSocketImpl: NamedSocket,
      retryAttempts: 0,
    });
    const result = await within(
      new Promise((resolve, reject) => {
        live.subscribe(
          { query: print(CreateWorkItemDocument), variables: { input: { title: 'Over the socket' } } },
          { next: resolve, error: reject, complete: () => {} },
        );
      }),
      5000,
      'the mutation over the socket',
    );
    expect(result).toMatchObject({ data: { createWorkItem: { title: 'Over the socket' } } });
    await live.dispose();
    expect((await events(owner.accessToken))[0]).toMatchObject({ action: 'work_item.created', client: 'cli' });
  });
});
