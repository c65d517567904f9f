import { builder } from '../../graphql/builder.ts';
import { connectionById } from '../../platform/pagination.ts';
import { getWorkItem, listWorkItems, workItemsWhere } from '../../work/items.ts';
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
  workItems: t.withAuth({ scope: 'read:work_items' }).connection(
    {
      type: WorkItemRef,
      description: 'Newest first.',
      args: { filter: t.arg({ type: WorkItemFilter }) },
      resolve: (_root, args, { app, principal }) => {
        const matching = workItemsWhere(principal, args.filter ?? {});
        return connectionById(
          args,
          (page) => listWorkItems(app, matching, page),
          () => app.db.workItem.count({ where: matching }),
        );
      },
    },
    { name: 'WorkItemConnection' },
    { name: 'WorkItemEdge' },
  ),
}));
