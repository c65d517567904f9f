import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSla } from '../src/work/sla.ts';
import {
  AssignWorkItemDocument,
  CreateSlaPolicyDocument,
  CreateWorkItemDocument,
  NotificationAddedDocument,
  NotificationsDocument,
  UpdateWorkItemStatusDocument,
  WorkItemDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, wsUrl } from './helpers/live.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember, loginTo } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const MINUTE = 60_000;

/** An item due in 60 minutes with a warning 15 minutes before, optionally assigned. */
async function itemWithSla(owner: Account, assignee?: Account) {
  const { createSlaPolicy } = ok(
    await server.gql(
      CreateSlaPolicyDocument,
      { input: { name: `p-${Math.random()}`, targetMinutes: 60, warnBeforeMinutes: 15 } },
      { token: owner.accessToken },
    ),
  );
  const { createWorkItem } = ok(
    await server.gql(
      CreateWorkItemDocument,
      { input: { title: 'Outage', slaPolicyId: createSlaPolicy.id, assigneeId: assignee?.userId } },
      { token: owner.accessToken },
    ),
  );
  return { ...createWorkItem, due: Date.parse(createWorkItem.dueAt as string) };
}

const types = async (server: TestServer, account: Account) =>
  ok(await server.gql(NotificationsDocument, {}, { token: account.accessToken })).notifications.edges.map(
    (e) => e.node.type,
  );

describe('SLA sweep', () => {
  it('warns, then reports the breach, exactly once each, to the assignee', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const feed = await subscribe(
      connect(wsUrl(server, member.accessToken)),
      NotificationAddedDocument,
      notificationProbe(server, member),
    );
    const item = await itemWithSla(owner, member);
    expect((await feed.next()).notificationAdded.notification.type).toBe('ASSIGNMENT');

    await sweepSla(server.app, new Date(item.due - 16 * MINUTE));
    await sweepSla(server.app, new Date(item.due - 15 * MINUTE));
    const warning = (await feed.next()).notificationAdded;
    expect(warning.notification).toMatchObject({ type: 'SLA_WARNING', workItem: { id: item.id } });
    expect(warning.unreadCount).toBe(2);
    await sweepSla(server.app, new Date(item.due - MINUTE));

    await sweepSla(server.app, new Date(item.due));
    await sweepSla(server.app, new Date(item.due + 5 * MINUTE));
    const breach = (await feed.next()).notificationAdded;
    expect(breach.notification).toMatchObject({ type: 'SLA_BREACH', title: `${item.key} has breached its SLA` });

    // A later push proves no duplicate was queued before it.
    const { createWorkItem: other } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'x', assigneeId: member.userId } },
        { token: owner.accessToken },
      ),
    );
    expect((await feed.next()).notificationAdded.notification.workItem?.id).toBe(other.id);
    expect(await types(server, member)).toEqual(['ASSIGNMENT', 'SLA_BREACH', 'SLA_WARNING', 'ASSIGNMENT']);
    const { workItem } = ok(await server.gql(WorkItemDocument, { id: item.id }, { token: member.accessToken }));
    expect(workItem.slaWarnedAt).not.toBeNull();
    expect(workItem.slaBreachedAt).not.toBeNull();
    await feed.dispose();
  });

  it('tells the owners and admins, not plain members, when nobody is assigned', async () => {
    const owner = await createOwner(server);
    const [admin, member] = await Promise.all([addMember(server, owner, 'ADMIN'), addMember(server, owner)]);
    const item = await itemWithSla(owner);
    await sweepSla(server.app, new Date(item.due + MINUTE));
    expect(await types(server, owner)).toEqual(['SLA_BREACH']);
    expect(await types(server, admin)).toEqual(['SLA_BREACH']);
    expect(await types(server, member)).toEqual([]);
  });

  it.each(['RESOLVED', 'CLOSED'] as const)('never warns about %s items', async (status) => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const item = await itemWithSla(owner, member);
    ok(
      await server.gql(
        UpdateWorkItemStatusDocument,
        { input: { workItemId: item.id, status } },
        { token: member.accessToken },
      ),
    );
    await sweepSla(server.app, new Date(item.due - 10 * MINUTE));
    await sweepSla(server.app, new Date(item.due + 10 * MINUTE));
    expect(await types(server, member)).toEqual(['ASSIGNMENT']);
  });

  it('re-arms a reopened item: warned and breached as if it had never been resolved', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const item = await itemWithSla(owner, member);
    const setStatus = async (status: 'RESOLVED' | 'OPEN') =>
      ok(
        await server.gql(
          UpdateWorkItemStatusDocument,
          { input: { workItemId: item.id, status } },
          { token: member.accessToken },
        ),
      );
    await setStatus('RESOLVED');
    await sweepSla(server.app, new Date(item.due - 10 * MINUTE));
    await setStatus('OPEN');
    await sweepSla(server.app, new Date(item.due - 10 * MINUTE));
    await sweepSla(server.app, new Date(item.due + MINUTE));
    expect(await types(server, member)).toEqual(['SLA_BREACH', 'SLA_WARNING', 'ASSIGNMENT']);
  });

  it('reports only the breach of an item first seen past its deadline', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const item = await itemWithSla(owner, member);
    await sweepSla(server.app, new Date(item.due + MINUTE));
    await sweepSla(server.app, new Date(item.due + 2 * MINUTE));
    expect(await types(server, member)).toEqual(['SLA_BREACH', 'ASSIGNMENT']);
    const pending = await server.app.db.workItem.findUniqueOrThrow({
      where: { id: item.id },
      select: { pendingWarningAt: true, pendingBreachAt: true },
    });
    expect(pending).toEqual({ pendingWarningAt: null, pendingBreachAt: null });
  });

  it('follows a reassignment: the warning goes to whoever holds the item then', async () => {
    const owner = await createOwner(server);
    const [first, second] = await Promise.all([addMember(server, owner), addMember(server, owner)]);
    const item = await itemWithSla(owner, first);
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: item.id, assigneeId: second.userId } },
        { token: owner.accessToken },
      ),
    );
    await sweepSla(server.app, new Date(item.due - 5 * MINUTE));
    expect(await types(server, first)).toEqual(['ASSIGNMENT']);
    expect(await types(server, second)).toEqual(['SLA_WARNING', 'ASSIGNMENT']);
  });
});

const scaledOut = needing('on PostgreSQL and Redis, with two instances', 'DATABASE_URL', 'REDIS_URL');
describe.skipIf(scaledOut.skip)(scaledOut.title, () => {
  let second: TestServer;
  beforeAll(async () => {
    second = await startServer({ reuse: server, env: { SLA_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => second?.stop());

  it('delivers to a subscriber on one instance what happens on the other', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const onSecond = await loginTo(second, member, owner.organizationId);
    // The probe goes through Redis from the acting instance, so the feed is live across both.
    const feed = await subscribe(
      connect(wsUrl(server, member.accessToken)),
      NotificationAddedDocument,
      notificationProbe(second, onSecond),
    );
    const { createWorkItem } = ok(
      await second.gql(
        CreateWorkItemDocument,
        { input: { title: 'remote', assigneeId: member.userId } },
        { token: owner.accessToken },
      ),
    );
    expect((await feed.next()).notificationAdded.notification.workItem?.id).toBe(createWorkItem.id);
    await feed.dispose();
  });

  it('two sweepers at once send one warning and one breach per item', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const items = await Promise.all(Array.from({ length: 12 }, () => itemWithSla(owner, member)));
    const due = Math.max(...items.map((i) => i.due));
    const both = (at: number) => Promise.all([sweepSla(server.app, new Date(at)), sweepSla(second.app, new Date(at))]);
    await both(due - 10 * MINUTE);
    await both(due + MINUTE);
    await both(due + 2 * MINUTE);

    const notifications = await server.app.db.notification.groupBy({
      by: ['workItemId', 'type'],
      where: { recipientId: member.userId, type: { in: ['SLA_WARNING', 'SLA_BREACH'] } },
      _count: true,
    });
    // Every item has its warning and its breach, and none has two of either.
    expect(notifications).toHaveLength(24);
    expect(new Set(notifications.map((n) => n.workItemId))).toEqual(new Set(items.map((i) => i.id)));
    expect(notifications.every((n) => n._count === 1)).toBe(true);
  });

  it('two sweepers of several batches each (concurrent claimers too) send one warning per item', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const { workItemSeq } = await server.app.db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
    const due = new Date(Date.now() + 60 * MINUTE);
    // More items than two instances' claimers take in one batch each, written as
    // createWorkItem would with an SLA warning 15 minutes before.
    const count = 2500;
    await server.app.db.workItem.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        organizationId: owner.organizationId,
        number: workItemSeq + i + 1,
        key: `WI-${workItemSeq + i + 1}`,
        title: `bulk ${i}`,
        assigneeId: member.userId,
        dueAt: due,
        pendingWarningAt: new Date(due.getTime() - 15 * MINUTE),
        pendingBreachAt: due,
      })),
    });
    const at = new Date(due.getTime() - 10 * MINUTE);
    const [first, other] = await Promise.all([sweepSla(server.app, at), sweepSla(second.app, at)]);
    expect(first.warnings + other.warnings).toBe(count);
    const warnings = await server.app.db.notification.groupBy({
      by: ['workItemId'],
      where: { recipientId: member.userId, type: 'SLA_WARNING' },
      _count: true,
    });
    expect(warnings).toHaveLength(count);
    expect(warnings.every((n) => n._count === 1)).toBe(true);
  });
});
