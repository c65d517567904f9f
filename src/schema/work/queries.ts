import { resolveCursorConnection } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import type { WorkItem } from '../../generated/prisma/client.ts';
import { getWorkItem, listWorkItems } from '../../work/items.ts';
import { listSlaPolicies } from '../../work/policies.ts';
import { SlaPolicyRef, WorkItemPriority, WorkItemRef, WorkItemStatus } from './types.ts';

const WorkItemFilter = builder.inputType('WorkItemFilter', {
  fields: (t) => ({
    status: t.field({ type: [WorkItemStatus], description: 'Any of these statuses.' }),
    priority: t.field({ type: [WorkItemPriority], description: 'Any of these priorities.' }),
    assigneeId: t.id(),
    unassigned: t.boolean(),
    overdue: t.boolean({ description: 'Past due and neither resolved nor closed.' }),
  }),
});

builder.queryFields((t) => ({
  slaPolicies: t.withAuth({ scope: 'read:sla_policies' }).field({
    type: [SlaPolicyRef],
    resolve: (_root, _args, { app, principal }) => listSlaPolicies(app, principal),
  }),
  workItem: t.withAuth({ scope: 'read:work_items' }).field({
    type: WorkItemRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app, principal }) => getWorkItem(app, principal, id),
  }),
  workItems: t.withAuth({ scope: 'read:work_items' }).connection({
    type: WorkItemRef,
    description: 'Newest first.',
    args: { filter: t.arg({ type: WorkItemFilter }) },
    resolve: (_root, args, { app, principal }) =>
      resolveCursorConnection<Promise<WorkItem[]>>(
        { args, toCursor: (item: WorkItem) => item.id, maxSize: 100 },
        async (page) => listWorkItems(app, principal, args.filter ?? {}, page),
      ),
  }),
}));
