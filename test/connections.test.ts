// Lists that grow are connections with totalCount; their filters narrow both the page and the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiTokensDocument,
  type ApiTokensQueryVariables,
  type AuditEventFilter,
  AuditEventsDocument,
  CreateWorkItemDocument,
  RevokeApiTokenDocument,
  ServiceAccountsDocument,
  WorkItemsDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

describe('apiTokens', () => {
  it('filters by service account, leaves revoked tokens out unless asked, and counts across pages', async () => {
    const owner = await createOwner(server);
    const a = await createMachineToken(server, owner, ['read:members']);
    const b = await createMachineToken(server, owner, ['read:members']);
    const c = await createMachineToken(server, owner, ['read:members']);
    ok(await server.gql(RevokeApiTokenDocument, { input: { id: c.tokenId } }, { token: owner.accessToken }));
    const list = async (variables: ApiTokensQueryVariables) =>
      ok(await server.gql(ApiTokensDocument, variables, { token: owner.accessToken })).apiTokens;

    const page = await list({ first: 1 });
    expect(page.edges.map((e) => e.node.id)).toEqual([a.tokenId]);
    expect(page.totalCount).toBe(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await list({ first: 5, after: page.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.id)).toEqual([b.tokenId]);

    const all = await list({ includeRevoked: true });
    expect(all.edges.map((e) => e.node.id)).toEqual([a.tokenId, b.tokenId, c.tokenId]);
    expect(all.totalCount).toBe(3);

    const onlyB = await list({ serviceAccountSlug: b.serviceAccountSlug });
    expect([onlyB.totalCount, onlyB.edges.map((e) => e.node.id)]).toEqual([1, [b.tokenId]]);
    expect((await list({ serviceAccountSlug: c.serviceAccountSlug })).totalCount).toBe(0);
    expect((await list({ serviceAccountSlug: c.serviceAccountSlug, includeRevoked: true })).totalCount).toBe(1);
  });

  it('answers NOT_FOUND naming serviceAccountSlug for an unknown slug or another organization’s', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const theirs = await createMachineToken(server, stranger, ['read:members']);
    for (const serviceAccountSlug of ['no-such-robot', theirs.serviceAccountSlug]) {
      const error = failure(await server.gql(ApiTokensDocument, { serviceAccountSlug }, { token: owner.accessToken }));
      expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'serviceAccountSlug' });
      expect(JSON.stringify(error)).not.toContain(theirs.tokenId);
    }
  });
});

describe('serviceAccounts and workItems', () => {
  it('count what the filter matches, not what the page shows', async () => {
    const owner = await createOwner(server);
    for (let i = 0; i < 3; i++) await createMachineToken(server, owner, ['read:members']);
    const accounts = ok(await server.gql(ServiceAccountsDocument, { first: 2 }, { token: owner.accessToken }));
    expect([accounts.serviceAccounts.edges.length, accounts.serviceAccounts.totalCount]).toEqual([2, 3]);

    for (const priority of ['HIGH', 'LOW', 'HIGH'] as const) {
      ok(await server.gql(CreateWorkItemDocument, { input: { title: 't', priority } }, { token: owner.accessToken }));
    }
    const high = ok(
      await server.gql(WorkItemsDocument, { first: 1, filter: { priority: ['HIGH'] } }, { token: owner.accessToken }),
    ).workItems;
    expect([high.edges.length, high.totalCount]).toEqual([1, 2]);
  });
});

describe('auditEvents', () => {
  it('filter by action, actor and time range', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:work_items']);
    const start = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'by robot' } }, { token: robot.token }));
    ok(await server.gql(CreateWorkItemDocument, { input: { title: 'by owner' } }, { token: owner.accessToken }));
    const events = async (filter: AuditEventFilter) =>
      ok(await server.gql(AuditEventsDocument, { filter }, { token: owner.accessToken })).auditEvents;

    const created = await events({ action: 'work_item.created' });
    expect(created.totalCount).toBe(2);
    expect(created.edges.map((e) => e.node.actorId)).toEqual([owner.userId, robot.serviceAccountId]);

    const byRobot = await events({ actorId: robot.serviceAccountId });
    expect(byRobot.edges.map((e) => e.node.action)).toEqual(['work_item.created']);
    const byMachines = await events({ actorType: 'SERVICE_ACCOUNT' });
    expect(byMachines.totalCount).toBe(1);

    const everything = await events({});
    const before = await events({ until: start.toISOString() });
    const since = await events({ since: start.toISOString() });
    expect(since.edges.map((e) => e.node.action)).toEqual(['work_item.created', 'work_item.created']);
    expect(before.totalCount + since.totalCount).toBe(everything.totalCount);
    expect(before.edges.map((e) => e.node.action)).not.toContain('work_item.created');
  });

  it.each([
    [{ actorId: 'someone' }, 'filter.actorId'],
    [{ since: '2030-01-02T00:00:00Z', until: '2030-01-01T00:00:00Z' }, 'filter.until'],
  ])('refuse %j naming %s', async (filter, field) => {
    const owner = await createOwner(server);
    const error = failure(await server.gql(AuditEventsDocument, { filter }, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
