import type { SlaPolicy, WorkItem } from '../../generated/prisma/client.ts';
import { WorkItemPriority as Priorities, WorkItemStatus as Statuses } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import type { App } from '../../platform/app.ts';
import { UserRef } from '../accounts/types.ts';

export const WorkItemStatus = builder.enumType('WorkItemStatus', { values: Object.values(Statuses) });
export const WorkItemPriority = builder.enumType('WorkItemPriority', { values: Object.values(Priorities) });

export const SlaPolicyRef = builder.objectRef<SlaPolicy>('SlaPolicy').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    targetMinutes: t.exposeInt('targetMinutes', { description: 'A work item is due this long after creation.' }),
    warnBeforeMinutes: t.exposeInt('warnBeforeMinutes', { description: 'SLA_WARNING this long before it is due.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// Related rows are looked up within the item's organization, never by id alone.
const memberOf = (app: App, organizationId: string, userId: string | null) =>
  userId ? app.db.user.findFirst({ where: { id: userId, memberships: { some: { organizationId } } } }) : null;

export const WorkItemRef = builder.objectRef<WorkItem>('WorkItem').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    key: t.exposeString('key', { description: 'Per-organization key, e.g. WI-42.' }),
    number: t.exposeInt('number'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    status: t.expose('status', { type: WorkItemStatus }),
    priority: t.expose('priority', { type: WorkItemPriority }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    slaWarnedAt: t.expose('slaWarnedAt', { type: 'DateTime', nullable: true }),
    slaBreachedAt: t.expose('slaBreachedAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    assignee: t.field({
      type: UserRef,
      nullable: true,
      resolve: (item, _args, { app }) => memberOf(app, item.organizationId, item.assigneeId),
    }),
    reporter: t.field({
      type: UserRef,
      nullable: true,
      resolve: (item, _args, { app }) => memberOf(app, item.organizationId, item.reporterId),
    }),
    slaPolicy: t.field({
      type: SlaPolicyRef,
      nullable: true,
      resolve: (item, _args, { app }) =>
        item.slaPolicyId
          ? app.db.slaPolicy.findFirst({ where: { id: item.slaPolicyId, organizationId: item.organizationId } })
          : null,
    }),
  }),
});
