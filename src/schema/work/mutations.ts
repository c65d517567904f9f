import { builder } from '../../graphql/builder.ts';
import { updateWorkItem } from '../../work/item-edits.ts';
import { assignWorkItem, createWorkItem, updateWorkItemStatus } from '../../work/items.ts';
import { createSlaPolicy, deleteSlaPolicy, updateSlaPolicy } from '../../work/policies.ts';
import { SlaPolicyRef, WorkItemPriority, WorkItemRef, WorkItemStatus } from './types.ts';

const CreateSlaPolicyInput = builder.inputType('CreateSlaPolicyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    targetMinutes: t.int({ required: true }),
    warnBeforeMinutes: t.int({ description: 'Defaults to 0: no warning before the breach.' }),
  }),
});

const UpdateSlaPolicyInput = builder.inputType('UpdateSlaPolicyInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    targetMinutes: t.int({ description: 'For items created from now on; existing items keep their dueAt.' }),
    warnBeforeMinutes: t.int({ description: 'Also moves the warnings not yet sent of the policy’s open items.' }),
  }),
});

const DeleteSlaPolicyInput = builder.inputType('DeleteSlaPolicyInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
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

const UpdateWorkItemInput = builder.inputType('UpdateWorkItemInput', {
  fields: (t) => ({
    workItemId: t.id({ required: true }),
    title: t.string({ description: 'Left out: unchanged.' }),
    description: t.string({ description: 'Null clears it.' }),
    priority: t.field({ type: WorkItemPriority }),
    dueAt: t.field({
      type: 'DateTime',
      description: 'A new due date re-arms the SLA warning and breach; null removes the due date.',
    }),
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
    resolve: (_root, { input }, caller) =>
      createSlaPolicy(caller, { ...input, warnBeforeMinutes: input.warnBeforeMinutes ?? undefined }),
  }),
  updateSlaPolicy: t.withAuth({ scope: 'write:sla_policies' }).field({
    type: SlaPolicyRef,
    description: 'Existing items keep their due dates.',
    args: { input: t.arg({ type: UpdateSlaPolicyInput, required: true }) },
    resolve: (_root, { input }, caller) => updateSlaPolicy(caller, input),
  }),
  deleteSlaPolicy: t.withAuth({ scope: 'write:sla_policies' }).field({
    type: SlaPolicyRef,
    description: 'Its items keep their due dates, and the SLA warnings and breaches still to come.',
    args: { input: t.arg({ type: DeleteSlaPolicyInput, required: true }) },
    resolve: (_root, { input }, caller) => deleteSlaPolicy(caller, input),
  }),
  createWorkItem: t.withAuth({ scope: 'write:work_items' }).field({
    type: WorkItemRef,
    description: 'Assigning someone other than yourself sends them an ASSIGNMENT notification.',
    args: { input: t.arg({ type: CreateWorkItemInput, required: true }) },
    resolve: (_root, { input }, context) => createWorkItem(context, input),
  }),
  updateWorkItem: t.withAuth({ scope: 'write:work_items' }).field({
    type: WorkItemRef,
    description: 'Changes the fields given; at least one.',
    args: { input: t.arg({ type: UpdateWorkItemInput, required: true }) },
    resolve: (_root, { input }, caller) => updateWorkItem(caller, input),
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
