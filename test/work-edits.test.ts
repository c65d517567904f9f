// Editing work items and SLA policies: a new due date re-arms the SLA; a changed or deleted
// policy leaves the due dates it gave; bad input writes nothing; another organization's ids
// read as unknown.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSla } from '../src/work/sla.ts';
import {
  CreateSlaPolicyDocument,
  CreateWorkItemDocument,
  DeleteSlaPolicyDocument,
  NotificationsDocument,
  SlaPoliciesDocument,
  UpdateSlaPolicyDocument,
  UpdateWorkItemDocument,
  UpdateWorkItemStatusDocument,
  WorkItemDocument,
} from './generated/graphql.ts';
import { auditActions } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const MINUTE = 60_000;

async function policy(owner: Account, targetMinutes = 60, warnBeforeMinutes = 15) {
  return ok(
    await server.gql(
      CreateSlaPolicyDocument,
      { input: { name: `p-${randomUUID().slice(0, 8)}`, targetMinutes, warnBeforeMinutes } },
      { token: owner.accessToken },
    ),
  ).createSlaPolicy;
}

async function item(owner: Account, slaPolicyId?: string) {
  const { createWorkItem } = ok(
    await server.gql(CreateWorkItemDocument, { input: { title: 'Outage', slaPolicyId } }, { token: owner.accessToken }),
  );
  return { ...createWorkItem, due: Date.parse(createWorkItem.dueAt ?? '') };
}

/** SLA notifications the owner received about one item, oldest first. */
async function slaNotices(owner: Account, workItemId: string) {
  const { notifications } = ok(await server.gql(NotificationsDocument, { first: 50 }, { token: owner.accessToken }));
  return notifications.edges
    .map((e) => e.node)
    .filter((n) => n.workItem?.id === workItemId)
    .map((n) => n.type)
    .reverse();
}

/** The rows an edit touches, to show that a refused one wrote nothing. */
async function snapshot(organizationId: string) {
  const db = server.app.db;
  const [items, policies, auditEvents] = await Promise.all([
    db.workItem.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    db.slaPolicy.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    db.auditEvent.count({ where: { organizationId } }),
  ]);
  return { items, policies, auditEvents };
}

describe('updateWorkItem', () => {
  it('changes the fields given and audits which', async () => {
    const owner = await createOwner(server);
    const created = await item(owner);
    const { updateWorkItem } = ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: created.id, title: ' Printer ', description: 'on fire', priority: 'URGENT' } },
        { token: owner.accessToken },
      ),
    );
    expect(updateWorkItem).toMatchObject({ title: 'Printer', description: 'on fire', priority: 'URGENT', dueAt: null });
    const cleared = ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: created.id, description: null } },
        { token: owner.accessToken },
      ),
    ).updateWorkItem;
    expect(cleared).toMatchObject({ title: 'Printer', description: null, priority: 'URGENT' });
    const updates = (await auditActions(server, owner.accessToken)).filter((e) => e.action === 'work_item.updated');
    expect(updates.map((e) => e.targetId)).toEqual([created.id, created.id]);
  });

  it('a new dueAt re-arms the SLA warning and breach; the same dueAt does not', async () => {
    const owner = await createOwner(server);
    const created = await item(owner, (await policy(owner)).id);
    await sweepSla(server.app, new Date(created.due - 15 * MINUTE));
    await sweepSla(server.app, new Date(created.due));
    const breached = ok(await server.gql(WorkItemDocument, { id: created.id }, { token: owner.accessToken })).workItem;
    expect(breached.slaBreachedAt).not.toBeNull();
    expect(await slaNotices(owner, created.id)).toEqual(['SLA_WARNING', 'SLA_BREACH']);

    const same = ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: created.id, dueAt: breached.dueAt } },
        { token: owner.accessToken },
      ),
    ).updateWorkItem;
    expect([same.slaWarnedAt, same.slaBreachedAt]).toEqual([breached.slaWarnedAt, breached.slaBreachedAt]);

    const due = created.due + 120 * MINUTE;
    const moved = ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: created.id, dueAt: new Date(due).toISOString() } },
        { token: owner.accessToken },
      ),
    ).updateWorkItem;
    expect(moved).toMatchObject({ dueAt: new Date(due).toISOString(), slaWarnedAt: null, slaBreachedAt: null });
    await sweepSla(server.app, new Date(due - 16 * MINUTE));
    expect(await slaNotices(owner, created.id)).toEqual(['SLA_WARNING', 'SLA_BREACH']);
    await sweepSla(server.app, new Date(due - 15 * MINUTE));
    await sweepSla(server.app, new Date(due));
    expect(await slaNotices(owner, created.id)).toEqual(['SLA_WARNING', 'SLA_BREACH', 'SLA_WARNING', 'SLA_BREACH']);
  });

  it('a removed dueAt sends nothing more, and a resolved item is not re-armed', async () => {
    const owner = await createOwner(server);
    const created = await item(owner, (await policy(owner)).id);
    ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: created.id, dueAt: null } },
        { token: owner.accessToken },
      ),
    );
    const resolved = await item(owner, (await policy(owner)).id);
    ok(
      await server.gql(
        UpdateWorkItemStatusDocument,
        { input: { workItemId: resolved.id, status: 'RESOLVED' } },
        { token: owner.accessToken },
      ),
    );
    ok(
      await server.gql(
        UpdateWorkItemDocument,
        { input: { workItemId: resolved.id, dueAt: new Date(resolved.due + MINUTE).toISOString() } },
        { token: owner.accessToken },
      ),
    );
    await sweepSla(server.app, new Date(resolved.due + 10 * MINUTE));
    expect(await slaNotices(owner, created.id)).toEqual([]);
    expect(await slaNotices(owner, resolved.id)).toEqual([]);
  });

  it.each([
    ['a blank title', { title: '  ' }, 'BAD_USER_INPUT', 'title'],
    ['a null title', { title: null }, 'BAD_USER_INPUT', 'title'],
    ['a null priority', { priority: null }, 'BAD_USER_INPUT', 'priority'],
    ['an unknown priority', { priority: 'high' }, 'BAD_USER_INPUT', 'priority'],
    ['a dueAt that is no date-time', { dueAt: 'tomorrow' }, 'BAD_USER_INPUT', 'dueAt'],
    ['nothing to change', {}, 'BAD_USER_INPUT', 'input'],
    ['a malformed id', { workItemId: 'WI-1', title: 'x' }, 'NOT_FOUND', 'workItemId'],
    ['another organization’s item', { workItemId: 'FOREIGN', title: 'mine now' }, 'NOT_FOUND', 'workItemId'],
  ])('refuses %s and writes nothing', async (_case, change, code, field) => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const mine = await item(owner, (await policy(owner)).id);
    const theirs = await item(stranger);
    const before = [await snapshot(owner.organizationId), await snapshot(stranger.organizationId)];
    const input = { workItemId: mine.id, ...change };
    if (input.workItemId === 'FOREIGN') input.workItemId = theirs.id;
    const error = failure(await server.gql(UpdateWorkItemDocument, { input } as never, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code, field });
    expect(JSON.stringify(error)).not.toContain(theirs.id);
    expect([await snapshot(owner.organizationId), await snapshot(stranger.organizationId)]).toEqual(before);
  });
});

describe('updateSlaPolicy', () => {
  it('changes the policy for new items; existing ones keep their dueAt, and unsent warnings follow the new lead', async () => {
    const owner = await createOwner(server);
    const gold = await policy(owner, 60, 15);
    const before = await item(owner, gold.id);
    const { updateSlaPolicy } = ok(
      await server.gql(
        UpdateSlaPolicyDocument,
        { input: { id: gold.id, name: 'Gold', targetMinutes: 240, warnBeforeMinutes: 30 } },
        { token: owner.accessToken },
      ),
    );
    expect(updateSlaPolicy).toEqual({ id: gold.id, name: 'Gold', targetMinutes: 240, warnBeforeMinutes: 30 });
    const kept = ok(await server.gql(WorkItemDocument, { id: before.id }, { token: owner.accessToken })).workItem;
    expect(kept.dueAt).toBe(before.dueAt);
    const after = await item(owner, gold.id);
    expect(Date.parse(after.dueAt ?? '') - Date.parse(after.createdAt)).toBe(240 * MINUTE);

    // The old lead (15 minutes) would not have warned yet; the new one (30) does.
    await sweepSla(server.app, new Date(before.due - 30 * MINUTE));
    expect(await slaNotices(owner, before.id)).toEqual(['SLA_WARNING']);
    const updated = (await auditActions(server, owner.accessToken)).find((e) => e.action === 'sla_policy.updated');
    expect(updated).toMatchObject({ targetType: 'SlaPolicy', targetId: gold.id });
  });

  it.each([
    ['a warning not before the target', { warnBeforeMinutes: 60 }, 'BAD_USER_INPUT', 'warnBeforeMinutes'],
    ['a target under the current warning', { targetMinutes: 15 }, 'BAD_USER_INPUT', 'warnBeforeMinutes'],
    ['a zero target', { targetMinutes: 0 }, 'BAD_USER_INPUT', 'targetMinutes'],
    ['a blank name', { name: ' ' }, 'BAD_USER_INPUT', 'name'],
    ['a null name', { name: null }, 'BAD_USER_INPUT', 'name'],
    ['nothing to change', {}, 'BAD_USER_INPUT', 'input'],
    ['the name of another policy', { name: 'TAKEN' }, 'CONFLICT', 'name'],
    ['a malformed id', { id: 'gold', name: 'x' }, 'NOT_FOUND', 'id'],
    ['another organization’s policy', { id: 'FOREIGN', name: 'mine now' }, 'NOT_FOUND', 'id'],
  ])('refuses %s and writes nothing', async (_case, change, code, field) => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const mine = await policy(owner, 60, 15);
    const other = await policy(owner);
    const theirs = await policy(stranger);
    await item(owner, mine.id);
    const before = [await snapshot(owner.organizationId), await snapshot(stranger.organizationId)];
    const input: Record<string, unknown> = { id: mine.id, ...change };
    if (input.id === 'FOREIGN') input.id = theirs.id;
    if (input.name === 'TAKEN') input.name = other.name;
    const error = failure(await server.gql(UpdateSlaPolicyDocument, { input } as never, { token: owner.accessToken }));
    expect(error.extensions).toMatchObject({ code, field });
    expect([await snapshot(owner.organizationId), await snapshot(stranger.organizationId)]).toEqual(before);
  });
});

describe('deleteSlaPolicy', () => {
  it('deletes the policy; its items keep their dueAt and are still warned and breached', async () => {
    const owner = await createOwner(server);
    const doomed = await policy(owner);
    const created = await item(owner, doomed.id);
    const { deleteSlaPolicy } = ok(
      await server.gql(DeleteSlaPolicyDocument, { input: { id: doomed.id } }, { token: owner.accessToken }),
    );
    expect(deleteSlaPolicy).toEqual({ id: doomed.id, name: doomed.name });
    expect(ok(await server.gql(SlaPoliciesDocument, {}, { token: owner.accessToken })).slaPolicies).toEqual([]);
    const kept = ok(await server.gql(WorkItemDocument, { id: created.id }, { token: owner.accessToken })).workItem;
    expect(kept).toMatchObject({ dueAt: created.dueAt, slaPolicy: null });
    await sweepSla(server.app, new Date(created.due - 15 * MINUTE));
    await sweepSla(server.app, new Date(created.due));
    expect(await slaNotices(owner, created.id)).toEqual(['SLA_WARNING', 'SLA_BREACH']);
    const deleted = (await auditActions(server, owner.accessToken)).find((e) => e.action === 'sla_policy.deleted');
    expect(deleted).toMatchObject({ targetType: 'SlaPolicy', targetId: doomed.id });
  });

  it.each([
    ['another organization’s policy', 'FOREIGN'],
    ['an unknown id', randomUUID()],
    ['a malformed id', 'gold'],
  ])('%s answers NOT_FOUND and deletes nothing', async (_case, id) => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const theirs = await policy(stranger);
    const before = await snapshot(stranger.organizationId);
    const error = failure(
      await server.gql(
        DeleteSlaPolicyDocument,
        { input: { id: id === 'FOREIGN' ? theirs.id : id } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(JSON.stringify(error)).not.toContain(theirs.name);
    expect(await snapshot(stranger.organizationId)).toEqual(before);
  });
});
