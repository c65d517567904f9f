import { builder } from '../../builder.ts';
import { assignWorkItem, createWorkItem, updateWorkItemStatus } from '../../work/items.ts';
import { createSlaPolicy } from '../../work/policies.ts';
import { SlaPolicyRef, WorkItemPriority, WorkItemRef, WorkItemStatus } from './types.ts';

const CreateSlaPolicyInput = builder.inputType('CreateSlaPolicyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    targetMinutes: t.int({ required: true }),
    warnBeforeMinutes: t.int({ description: 'Defaults to 0: no warning before the breach.' }),
  }),
});

const CreateWorkItemInput = builder.inputType('CreateWorkItemInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    description: t.string(),
    priority: t.field({ type: WorkItemPriority }),
    assigneeId: t.id(),
    slaPolicyId: t.id(),
    dueAt: t.field({ type: 'DateTime', description: 'Overrides the due date the policy would give.' }),
  }),
});

const AssignWorkItemInput = builder.inputType('AssignWorkItemInput', {
  fields: (t) => ({
    workItemId: t.id({ required: true }),
    assigneeId: t.id({ description: 'Null unassigns.' }),
  }),
});

const UpdateWorkItemStatusInput = builder.inputType('UpdateWorkItemStatusInput', {
  fields: (t) => ({
    workItemId: t.id({ required: true }),
    status: t.field({ type: WorkItemStatus, required: true }),
  }),
});

builder.mutationFields((t) => ({
  createSlaPolicy: t.withAuth({ scope: 'write:sla_policies' }).field({
    type: SlaPolicyRef,
    args: { input: t.arg({ type: CreateSlaPolicyInput, required: true }) },
    resolve: (_root, { input }, { app, principal }) =>
      createSlaPolicy(app, principal, { ...input, warnBeforeMinutes: input.warnBeforeMinutes ?? undefined }),
  }),
  createWorkItem: t.withAuth({ scope: 'write:work_items' }).field({
    type: WorkItemRef,
    description: 'Assigning someone other than yourself sends them an ASSIGNMENT notification.',
    args: { input: t.arg({ type: CreateWorkItemInput, required: true }) },
    resolve: (_root, { input }, context) => createWorkItem(context, input),
  }),
  assignWorkItem: t.withAuth({ scope: 'write:work_items' }).field({
    type: WorkItemRef,
    args: { input: t.arg({ type: AssignWorkItemInput, required: true }) },
    resolve: (_root, { input }, context) => assignWorkItem(context, input),
  }),
  updateWorkItemStatus: t.withAuth({ scope: 'write:work_items' }).field({
    type: WorkItemRef,
    args: { input: t.arg({ type: UpdateWorkItemStatusInput, required: true }) },
    resolve: (_root, { input }, context) => updateWorkItemStatus(context, input),
  }),
}));
