// Work items: per-organization keys, assignment (which notifies the new assignee) and status.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { actorOf, auditAs, type Caller } from '../auth/caller.ts';
import type { Principal } from '../auth/principal.ts';
import { Prisma, type WorkItem, type WorkItemPriority, type WorkItemStatus } from '../generated/prisma/client.ts';
import { publishNotifications, rememberUnreadCount, storeNotifications } from '../notifications/service.ts';
import type { App } from '../platform/app.ts';
import { requestClient } from '../platform/audit.ts';
import { columnsOf } from '../platform/database/sql-columns.ts';
import { badInput, notFound } from '../platform/errors.ts';
import { idPage } from '../platform/pagination.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import { newMessageId, workItemData } from '../webhooks/events.ts';
import { enqueueWebhookEvent, uuidV7Sql } from '../webhooks/outbox.ts';
import { DONE, slaSchedule } from './schedule.ts';

type Tx = Prisma.TransactionClient;

const CURRENT_COLUMNS = columnsOf(Prisma.WorkItemScalarFieldEnum, 'current');

const id = z.string().trim();
const CreateInput = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(10_000).nullish(),
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']).nullish(),
  assigneeId: id.nullish(),
  slaPolicyId: id.nullish(),
  dueAt: z.date().nullish(),
});

/** The assignee must belong to the organization; anyone else reads as unknown. */
async function assertMember(tx: Tx, organizationId: string, userId: string) {
  const found =
    isUuid(userId) &&
    (await tx.membership.findUnique({ where: { userId_organizationId: { userId, organizationId } } }));
  if (!found) throw badInput('assigneeId', 'notAMember');
}

async function policyOf(tx: Tx, organizationId: string, slaPolicyId: string) {
  const policy = isUuid(slaPolicyId)
    ? await tx.slaPolicy.findFirst({ where: { id: slaPolicyId, organizationId } })
    : null;
  if (!policy) throw badInput('slaPolicyId', 'unknownReference');
  return policy;
}

function assignmentNotice(item: WorkItem, assigneeId: string, principal: Principal) {
  // Nobody needs to be told about work they gave themselves.
  if (principal.kind === 'user' && principal.id === assigneeId) return [];
  return [
    {
      recipientId: assigneeId,
      organizationId: item.organizationId,
      type: 'ASSIGNMENT' as const,
      title: `${item.key} was assigned to you`,
      message: item.title,
      workItemId: item.id,
    },
  ];
}

export async function createWorkItem(caller: Caller, input: z.input<typeof CreateInput>) {
  const { app, principal } = caller;
  const data = parseInput(CreateInput, input);
  const organizationId = principal.organizationId;
  const { item, notices } = await app.db.$transaction(async (tx) => {
    if (data.assigneeId) await assertMember(tx, organizationId, data.assigneeId);
    const policy = data.slaPolicyId ? await policyOf(tx, organizationId, data.slaPolicyId) : null;
    const createdAt = new Date();
    // The row lock on the organization serializes concurrent creations, so numbers never repeat.
    // The same statement tells whether any endpoint wants the event, so that an organization
    // without webhooks pays no extra round trip for them.
    const [counter] = await tx.$queryRaw<{ number: number; subscribed: boolean }[]>`
      UPDATE "Organization" SET "workItemSeq" = "workItemSeq" + 1, "updatedAt" = ${createdAt.toISOString()}::timestamp(3)
      WHERE id = ${organizationId}::uuid
      RETURNING "workItemSeq" AS number, EXISTS (
        SELECT 1 FROM "WebhookEndpoint" AS endpoint
        WHERE endpoint."organizationId" = ${organizationId}::uuid AND endpoint."disabledAt" IS NULL
          AND 'work_item.created' = ANY(endpoint.events)
      ) AS subscribed`;
    if (!counter) throw notFound('Organization');
    const { number, subscribed } = counter;
    const dueAt = data.dueAt ?? (policy ? new Date(createdAt.getTime() + policy.targetMinutes * 60_000) : null);
    const item = await tx.workItem.create({
      data: {
        organizationId,
        number,
        key: `WI-${number}`,
        title: data.title,
        description: data.description ?? null,
        priority: data.priority ?? 'MEDIUM',
        reporterId: principal.kind === 'user' ? principal.id : null,
        assigneeId: data.assigneeId ?? null,
        slaPolicyId: policy?.id ?? null,
        dueAt,
        ...slaSchedule(
          { dueAt, status: 'OPEN', slaWarnedAt: null, slaBreachedAt: null },
          policy?.warnBeforeMinutes ?? null,
        ),
        createdAt,
      },
    });
    await auditAs(caller, tx, 'work_item.created', { type: 'WorkItem', id: item.id });
    if (subscribed) {
      await enqueueWebhookEvent(tx, { organizationId, type: 'work_item.created', data: workItemData(item) }, createdAt);
    }
    const notices = await storeNotifications(
      tx,
      item.assigneeId ? assignmentNotice(item, item.assigneeId, principal) : [],
    );
    return { item, notices };
  });
  await publishNotifications(app, notices);
  return item;
}

export async function findItem(tx: Tx, principal: Principal, workItemId: string, field = 'workItemId') {
  const item = isUuid(workItemId)
    ? await tx.workItem.findFirst({ where: { id: workItemId, organizationId: principal.organizationId } })
    : null;
  if (!item) throw notFound('WorkItem', field);
  return item;
}

interface AssignmentRow extends WorkItem {
  isMember: boolean;
  changed: boolean;
  unreadCount: number | null;
  /** Endpoints want these events: the statement without the outbox changed nothing. */
  subscribed: boolean;
}

/**
 * Organizations seen with webhook endpoints for assignments, per instance. A hint only, for
 * which statement to try first: the statement without the outbox checks for itself that no
 * endpoint wants the events and changes nothing when one does, so a stale hint costs a round
 * trip, never a delivery.
 */
const subscribedOrganizations = new WeakMap<App, Set<string>>();

/**
 * One statement, one round trip: lock the item, check the assignee's membership, update,
 * audit and store the notification (and its webhook deliveries when the organization has
 * endpoints for them). An assignment is the hot write of a busy organization, and an
 * interactive transaction of the same steps costs eight round trips and holds the row lock
 * across all of them. The outbox's INSERT makes the statement dearer even when it inserts
 * nothing (most on the embedded database), so organizations without endpoints are served
 * the statement without it.
 */
export async function assignWorkItem(caller: Caller, input: { workItemId: string; assigneeId?: string | null }) {
  const { app, principal } = caller;
  if (!isUuid(input.workItemId)) throw notFound('WorkItem', 'workItemId');
  if (input.assigneeId && !isUuid(input.assigneeId)) throw badInput('assigneeId', 'notAMember');
  const known = subscribedOrganizations.get(app) ?? new Set<string>();
  subscribedOrganizations.set(app, known);
  if (!known.has(principal.organizationId)) {
    const item = await assign(caller, input, false);
    if (item) return item;
    known.add(principal.organizationId);
  }
  return (await assign(caller, input, true)) as WorkItem;
}

/** Null when, without the outbox, it found endpoints that want the events (and changed nothing). */
async function assign(
  caller: Caller,
  input: { workItemId: string; assigneeId?: string | null },
  withOutbox: boolean,
): Promise<WorkItem | null> {
  const { app, principal } = caller;
  const organizationId = principal.organizationId;
  const assigneeId = input.assigneeId || null;
  const { actorType, actorId } = actorOf(principal);
  const now = new Date();
  const auditId = uuidv7();
  const notificationId = uuidv7();
  const at = now.toISOString();
  // Nobody needs to be told about work they gave themselves.
  const notify = assigneeId !== null && !(principal.kind === 'user' && principal.id === assigneeId);
  const subscribed = Prisma.sql`EXISTS (
      SELECT 1 FROM "WebhookEndpoint" AS endpoint
      WHERE endpoint."organizationId" = ${organizationId}::uuid AND endpoint."disabledAt" IS NULL
        AND endpoint.events && ARRAY['work_item.assigned', 'notification.created']
    )`;
  const outbox = withOutbox
    ? Prisma.sql`, hooked AS (
      -- work_item.assigned and the notification's notification.created, for each enabled
      -- endpoint subscribed to them.
      INSERT INTO "WebhookDelivery"
        (id, "organizationId", "endpointId", "messageId", "eventType", payload, "nextAttemptAt", "createdAt", "updatedAt")
      SELECT ${uuidV7Sql}, endpoint."organizationId", endpoint.id, m.message_id, m.type, m.payload,
        ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
      FROM changed CROSS JOIN LATERAL (VALUES
        ('work_item.assigned', ${newMessageId()}::text, jsonb_build_object('type', 'work_item.assigned', 'timestamp', ${at}::text,
          'data', jsonb_build_object('id', changed.id, 'key', changed.key, 'title', changed.title, 'status', changed.status,
            'priority', changed.priority, 'assigneeId', ${assigneeId}::uuid, 'previousAssigneeId', changed."previousAssigneeId",
            'dueAt', to_char(changed."dueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))::text),
        ('notification.created', ${newMessageId()}::text, jsonb_build_object('type', 'notification.created', 'timestamp', ${at}::text,
          'data', jsonb_build_object('id', ${notificationId}::uuid, 'recipientId', ${assigneeId}::uuid, 'type', 'ASSIGNMENT',
            'title', changed.key || ' was assigned to you', 'message', changed.title, 'url', NULL, 'workItemId', changed.id,
            'createdAt', ${at}::text))::text)
      ) AS m(type, message_id, payload)
      JOIN "WebhookEndpoint" AS endpoint ON endpoint."organizationId" = ${organizationId}::uuid
        AND endpoint."disabledAt" IS NULL AND m.type = ANY(endpoint.events)
      WHERE m.type = 'work_item.assigned' OR ${notify}::boolean
    )`
    : Prisma.empty;
  const [row] = await app.db.$queryRaw<AssignmentRow[]>`
    WITH current AS (
      SELECT * FROM "WorkItem" WHERE id = ${input.workItemId}::uuid AND "organizationId" = ${organizationId}::uuid
      FOR UPDATE
    ), member AS (
      SELECT 1 FROM "Membership" WHERE "userId" = ${assigneeId}::uuid AND "organizationId" = ${organizationId}::uuid
    ), blocked AS (
      SELECT ${withOutbox ? Prisma.sql`false` : subscribed} AS subscribed
    ), changed AS (
      UPDATE "WorkItem" AS item SET "assigneeId" = ${assigneeId}::uuid, "updatedAt" = ${at}::timestamp(3)
      FROM current, blocked
      WHERE item.id = current.id AND current."assigneeId" IS DISTINCT FROM ${assigneeId}::uuid
        AND (${assigneeId}::uuid IS NULL OR EXISTS (SELECT 1 FROM member)) AND NOT blocked.subscribed
      RETURNING current.id, current."assigneeId" AS "previousAssigneeId", current.key, current.title,
        current.status, current.priority, current."dueAt"
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "organizationId", "actorType", "actorId", action, "targetType", "targetId", ip, client, metadata)
      SELECT ${auditId}::uuid, ${organizationId}::uuid, ${actorType}::text::"ActorType", ${actorId}::uuid,
        'work_item.assigned', 'WorkItem', changed.id::text, ${caller.ip ?? null}::text, ${requestClient()}::text,
        jsonb_build_object('from', changed."previousAssigneeId", 'to', ${assigneeId}::uuid)
      FROM changed
    ), notified AS (
      INSERT INTO "Notification" (id, "recipientId", "organizationId", type, title, message, "workItemId", "createdAt")
      SELECT ${notificationId}::uuid, ${assigneeId}::uuid, ${organizationId}::uuid, 'ASSIGNMENT',
        changed.key || ' was assigned to you', changed.title, changed.id, ${at}::timestamp(3)
      FROM changed WHERE ${notify}::boolean
      RETURNING "recipientId"
    ), counted AS (
      INSERT INTO "UnreadNotificationCount" AS c ("recipientId", "organizationId", count)
      SELECT "recipientId", ${organizationId}::uuid, 1 FROM notified
      ON CONFLICT ("recipientId", "organizationId") DO UPDATE SET count = c.count + 1
      RETURNING count
    )${outbox}
    SELECT ${CURRENT_COLUMNS}, EXISTS (SELECT 1 FROM member) AS "isMember", EXISTS (SELECT 1 FROM changed) AS changed,
      (SELECT count FROM counted) AS "unreadCount", (SELECT subscribed FROM blocked) AS subscribed
    FROM current`;
  if (!row) throw notFound('WorkItem', 'workItemId');
  const { isMember, changed, unreadCount, subscribed: wanted, ...current } = row;
  if (assigneeId && !isMember) throw badInput('assigneeId', 'notAMember');
  if (wanted && current.assigneeId !== assigneeId) return null;
  if (!changed) return current;
  const item: WorkItem = { ...current, assigneeId, updatedAt: now };
  if (notify) {
    const notice = assignmentNotice(item, assigneeId as string, principal).map((n) => ({
      ...n,
      id: notificationId,
      url: null,
      createdAt: now,
      readAt: null,
    }));
    for (const n of notice) if (unreadCount !== null) rememberUnreadCount(n, Number(unreadCount));
    await publishNotifications(app, notice);
  }
  return item;
}

export function updateWorkItemStatus(caller: Caller, input: { workItemId: string; status: WorkItemStatus }) {
  const { app, principal } = caller;
  return app.db.$transaction(async (tx) => {
    const current = await findItem(tx, principal, input.workItemId);
    if (current.status === input.status) return current;
    const done = DONE.includes(input.status);
    // Resolving cancels what the sweep had still to send; reopening re-arms it. Between two
    // open (or two done) statuses the pending instants stay as they are.
    const rearm = done !== DONE.includes(current.status);
    const policy =
      rearm && current.slaPolicyId
        ? await tx.slaPolicy.findUnique({ where: { id: current.slaPolicyId }, select: { warnBeforeMinutes: true } })
        : null;
    const item = await tx.workItem.update({
      where: { id: current.id },
      data: {
        status: input.status,
        resolvedAt: done ? (current.resolvedAt ?? new Date()) : null,
        ...(rearm ? slaSchedule({ ...current, status: input.status }, policy?.warnBeforeMinutes ?? null) : {}),
      },
    });
    await auditAs(
      caller,
      tx,
      'work_item.status_changed',
      { type: 'WorkItem', id: item.id },
      { from: current.status, to: input.status },
    );
    await enqueueWebhookEvent(tx, {
      organizationId: item.organizationId,
      type: 'work_item.status_changed',
      data: { ...workItemData(item), previousStatus: current.status },
    });
    return item;
  });
}

export function getWorkItem(app: App, principal: Principal, workItemId: string) {
  return app.db.$transaction((tx) => findItem(tx, principal, workItemId, 'id'));
}

export interface WorkItemFilter {
  status?: WorkItemStatus[] | null;
  priority?: WorkItemPriority[] | null;
  assigneeId?: string | null;
  unassigned?: boolean | null;
  overdue?: boolean | null;
}

/** The organization's items matching the filter; BAD_USER_INPUT for a malformed one. */
export function workItemsWhere(principal: Principal, filter: WorkItemFilter): Prisma.WorkItemWhereInput {
  if (filter.assigneeId && !isUuid(filter.assigneeId)) throw badInput('filter.assigneeId');
  const conditions: Prisma.WorkItemWhereInput[] = [{ organizationId: principal.organizationId }];
  if (filter.status?.length) conditions.push({ status: { in: filter.status } });
  if (filter.priority?.length) conditions.push({ priority: { in: filter.priority } });
  if (filter.assigneeId) conditions.push({ assigneeId: filter.assigneeId });
  if (filter.unassigned) conditions.push({ assigneeId: null });
  if (filter.overdue) conditions.push({ dueAt: { lte: new Date() }, status: { notIn: [...DONE] } });
  return { AND: conditions };
}

export function listWorkItems(app: App, matching: Prisma.WorkItemWhereInput, page: ResolveCursorConnectionArgs) {
  const { where, ...rest } = idPage(page, 'desc');
  return app.db.workItem.findMany({ where: { AND: [matching, where] }, ...rest });
}
