// Editing a work item's title, description, priority and due date. A new due date is a new
// promise: the SLA warning and breach already sent for the old one are cleared and armed
// again for the new one.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { WorkItemPriority } from '../generated/prisma/client.ts';
import { badInput } from '../platform/errors.ts';
import { parseInput } from '../platform/validation.ts';
import { workItemData } from '../webhooks/events.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { findItem } from './items.ts';
import { slaSchedule } from './schedule.ts';

const UpdateInput = z.object({
  workItemId: z.string(),
  title: z.string().trim().min(1).max(200).nullish(),
  description: z.string().trim().max(10_000).nullish(),
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']).nullish(),
  dueAt: z.date().nullish(),
});

export interface WorkItemEdit {
  workItemId: string;
  title?: string | null;
  description?: string | null;
  priority?: WorkItemPriority | null;
  /** null removes the due date. */
  dueAt?: Date | null;
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export async function updateWorkItem(caller: Caller, input: WorkItemEdit) {
  const { app, principal } = caller;
  const data = parseInput(UpdateInput, input);
  // A title and a priority can be changed, not removed.
  for (const field of ['title', 'priority'] as const) if (input[field] === null) throw badInput(field, 'required');
  const given = (['title', 'description', 'priority', 'dueAt'] as const).filter((field) => input[field] !== undefined);
  if (given.length === 0) throw badInput('input');
  return app.db.$transaction(async (tx) => {
    const current = await findItem(tx, principal, data.workItemId);
    const next = {
      title: data.title ?? current.title,
      description: input.description === undefined ? current.description : (data.description ?? null),
      priority: data.priority ?? current.priority,
      dueAt: input.dueAt === undefined ? current.dueAt : (data.dueAt ?? null),
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((field) =>
      field === 'dueAt' ? !sameInstant(current.dueAt, next.dueAt) : current[field] !== next[field],
    );
    if (changed.length === 0) return current;
    const rearm = changed.includes('dueAt');
    const policy =
      rearm && current.slaPolicyId
        ? await tx.slaPolicy.findUnique({ where: { id: current.slaPolicyId }, select: { warnBeforeMinutes: true } })
        : null;
    const reset = { slaWarnedAt: null, slaBreachedAt: null };
    const item = await tx.workItem.update({
      where: { id: current.id },
      data: {
        ...next,
        ...(rearm
          ? { ...reset, ...slaSchedule({ ...current, ...reset, dueAt: next.dueAt }, policy?.warnBeforeMinutes ?? null) }
          : {}),
      },
    });
    await auditAs(
      caller,
      tx,
      'work_item.updated',
      { type: 'WorkItem', id: item.id },
      {
        fields: changed,
        ...(rearm
          ? { dueAt: { from: current.dueAt?.toISOString() ?? null, to: next.dueAt?.toISOString() ?? null } }
          : {}),
      },
    );
    await enqueueWebhookEvent(tx, {
      organizationId: item.organizationId,
      type: 'work_item.updated',
      data: { ...workItemData(item), changed },
    });
    return item;
  });
}
