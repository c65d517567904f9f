import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssignWorkItemDocument,
  CreateSlaPolicyDocument,
  CreateWorkItemDocument,
  SlaPoliciesDocument,
  UpdateWorkItemStatusDocument,
  WorkItemDocument,
  WorkItemsDocument,
  type WorkItemsQueryVariables,
} from './generated/graphql.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

describe('SLA policies', () => {
  it('are created by admins and listed per organization', async () => {
    const owner = await createOwner(server);
    const other = await createOwner(server);
    const { createSlaPolicy } = ok(
      await server.gql(
        CreateSlaPolicyDocument,
        { input: { name: ' Gold ', targetMinutes: 240, warnBeforeMinutes: 30 } },
        { token: owner.accessToken },
      ),
    );
    expect(createSlaPolicy).toMatchObject({ name: 'Gold', targetMinutes: 240, warnBeforeMinutes: 30 });
    expect(ok(await server.gql(SlaPoliciesDocument, {}, { token: owner.accessToken })).slaPolicies).toEqual([
      createSlaPolicy,
    ]);
    expect(ok(await server.gql(SlaPoliciesDocument, {}, { token: other.accessToken })).slaPolicies).toEqual([]);
  });

  it.each([
    [{ name: '', targetMinutes: 60 }, 'name'],
    [{ name: 'x', targetMinutes: 0 }, 'targetMinutes'],
    [{ name: 'x', targetMinutes: 60, warnBeforeMinutes: -1 }, 'warnBeforeMinutes'],
    [{ name: 'x', targetMinutes: 60, warnBeforeMinutes: 60 }, 'warnBeforeMinutes'],
  ])('refuses %j naming %s', async (input, field) => {
    const owner = await createOwner(server);
    const error = failure(await server.gql(CreateSlaPolicyDocument, { input }, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(ok(await server.gql(SlaPoliciesDocument, {}, { token: owner.accessToken })).slaPolicies).toEqual([]);
  });

  it('refuses a duplicate name, and members cannot create policies', async () => {
    const owner = await createOwner(server);
    const input = { name: 'Gold', targetMinutes: 60 };
    ok(await server.gql(CreateSlaPolicyDocument, { input }, { token: owner.accessToken }));
    const duplicate = failure(await server.gql(CreateSlaPolicyDocument, { input }, { token: owner.accessToken }));
    expect(duplicate.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const member = await addMember(server, owner);
    const refused = failure(
      await server.gql(CreateSlaPolicyDocument, { input: { ...input, name: 'Silver' } }, { token: member.accessToken }),
    );
    expect(refused.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('work items', () => {
  it('get per-organization keys, also when created concurrently', async () => {
    const [a, b] = await Promise.all([createOwner(server), createOwner(server)]);
    const create = (token: string, title: string) =>
      server.gql(CreateWorkItemDocument, { input: { title } }, { token }).then((r) => ok(r).createWorkItem);
    const items = await Promise.all(Array.from({ length: 8 }, (_, i) => create(a.accessToken, `a${i}`)));
    expect(items.map((i) => i.number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(items.map((i) => i.key)).size).toBe(8);
    expect((await create(b.accessToken, 'b')).key).toBe('WI-1');
  });

  it('take dueAt from the policy, or from dueAt when given', async () => {
    const owner = await createOwner(server);
    const { createSlaPolicy: policy } = ok(
      await server.gql(
        CreateSlaPolicyDocument,
        { input: { name: 'P', targetMinutes: 90 } },
        { token: owner.accessToken },
      ),
    );
    const { createWorkItem: fromPolicy } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Printer', slaPolicyId: policy.id, priority: 'HIGH', description: 'on fire' } },
        { token: owner.accessToken },
      ),
    );
    expect(Date.parse(fromPolicy.dueAt as string) - Date.parse(fromPolicy.createdAt)).toBe(90 * 60_000);
    expect(fromPolicy).toMatchObject({
      status: 'OPEN',
      priority: 'HIGH',
      description: 'on fire',
      reporter: { id: owner.userId },
      slaPolicy: { id: policy.id },
    });

    const dueAt = '2031-01-02T03:04:05.000Z';
    const { createWorkItem: explicit } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Roof', slaPolicyId: policy.id, dueAt } },
        { token: owner.accessToken },
      ),
    );
    expect(explicit.dueAt).toBe(dueAt);
  });

  it.each([
    ['title', { title: '  ' }],
    ['assigneeId', { title: 'x', assigneeId: 'not-a-member' }],
    ['slaPolicyId', { title: 'x', slaPolicyId: '0190c3a4-0000-7000-8000-000000000000' }],
  ])('refuse a bad %s and write nothing', async (field, input) => {
    const owner = await createOwner(server);
    const error = failure(await server.gql(CreateWorkItemDocument, { input }, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const { createWorkItem } = ok(
      await server.gql(CreateWorkItemDocument, { input: { title: 'next' } }, { token: owner.accessToken }),
    );
    expect(createWorkItem.key).toBe('WI-1');
  });

  it('are assigned, audited and announced together; a repeat changes nothing, and racing assignments notify once', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const { createWorkItem: item } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'race', dueAt: '2030-01-01T12:00:00.000Z', priority: 'HIGH' } },
        { token: owner.accessToken },
      ),
    );
    const assign = (assigneeId: string | null) =>
      server.gql(AssignWorkItemDocument, { input: { workItemId: item.id, assigneeId } }, { token: owner.accessToken });

    const results = await Promise.all([assign(member.userId), assign(member.userId), assign(member.userId)]);
    for (const result of results) {
      // What the mutation answers is the item as stored, whichever of the three changed it.
      expect(ok(result).assignWorkItem).toEqual({ ...item, assignee: { id: member.userId } });
    }
    const db = server.app.db;
    expect(await db.notification.count({ where: { workItemId: item.id, recipientId: member.userId } })).toBe(1);
    const audits = await db.auditEvent.findMany({ where: { targetId: item.id, action: 'work_item.assigned' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      organizationId: owner.organizationId,
      actorType: 'USER',
      actorId: owner.userId,
      targetType: 'WorkItem',
      metadata: { from: null, to: member.userId },
    });
    const stored = await db.workItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored.assigneeId).toBe(member.userId);
    expect(stored.updatedAt.getTime()).toBeGreaterThan(stored.createdAt.getTime());

    // Unassigning is audited and tells nobody.
    expect(ok(await assign(null)).assignWorkItem.assignee).toBeNull();
    expect(await db.notification.count({ where: { workItemId: item.id } })).toBe(1);
    const unassigned = await db.auditEvent.findMany({
      where: { targetId: item.id, action: 'work_item.assigned' },
      orderBy: { id: 'asc' },
    });
    expect(unassigned.map((event) => event.metadata)).toEqual([
      { from: null, to: member.userId },
      { from: member.userId, to: null },
    ]);
  });

  it('cannot be assigned to someone outside the organization, nor seen from it', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const { createWorkItem: item } = ok(
      await server.gql(CreateWorkItemDocument, { input: { title: 'mine' } }, { token: owner.accessToken }),
    );
    const assign = failure(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: item.id, assigneeId: stranger.userId } },
        { token: owner.accessToken },
      ),
    );
    expect(assign.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assigneeId' });
    const peek = failure(await server.gql(WorkItemDocument, { id: item.id }, { token: stranger.accessToken }));
    expect(peek.extensions?.code).toBe('NOT_FOUND');
    const change = failure(
      await server.gql(
        UpdateWorkItemStatusDocument,
        { input: { workItemId: item.id, status: 'CLOSED' } },
        { token: stranger.accessToken },
      ),
    );
    expect(change.extensions?.code).toBe('NOT_FOUND');
  });

  it('move through statuses; resolving stamps resolvedAt and reopening clears it', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const { createWorkItem: item } = ok(
      await server.gql(CreateWorkItemDocument, { input: { title: 'x' } }, { token: member.accessToken }),
    );
    const set = async (status: 'RESOLVED' | 'OPEN') =>
      ok(
        await server.gql(
          UpdateWorkItemStatusDocument,
          { input: { workItemId: item.id, status } },
          { token: member.accessToken },
        ),
      ).updateWorkItemStatus;
    expect((await set('RESOLVED')).resolvedAt).not.toBeNull();
    expect((await set('OPEN')).resolvedAt).toBeNull();
  });

  it('are listed newest first, filtered and paginated', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const titles = ['a', 'b', 'c', 'd', 'e'];
    const items = [];
    for (const title of titles) {
      items.push(
        ok(await server.gql(CreateWorkItemDocument, { input: { title } }, { token: owner.accessToken })).createWorkItem,
      );
    }
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: items[1]?.id as string, assigneeId: member.userId } },
        { token: owner.accessToken },
      ),
    );
    ok(
      await server.gql(
        UpdateWorkItemStatusDocument,
        { input: { workItemId: items[2]?.id as string, status: 'CLOSED' } },
        { token: owner.accessToken },
      ),
    );
    const list = async (variables: WorkItemsQueryVariables) =>
      ok(await server.gql(WorkItemsDocument, variables, { token: member.accessToken })).workItems;

    const first = await list({ first: 2 });
    expect(first.edges.map((e) => e.node.key)).toEqual(['WI-5', 'WI-4']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list({ first: 10, after: first.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.key)).toEqual(['WI-3', 'WI-2', 'WI-1']);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    expect((await list({ filter: { assigneeId: member.userId } })).edges.map((e) => e.node.key)).toEqual(['WI-2']);
    expect((await list({ filter: { status: ['CLOSED'] } })).edges.map((e) => e.node.key)).toEqual(['WI-3']);
    expect((await list({ filter: { unassigned: true, status: ['OPEN'] } })).edges).toHaveLength(3);
    const bad = failure(await server.gql(WorkItemsDocument, { after: 'nonsense' }, { token: member.accessToken }));
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
