import { builder } from '../../graphql/builder.ts';
import { defaultLimitsOf, organizationLimits } from '../../limits/organization-limits.ts';
import { HISTORY_MINUTES, organizationUsage, usageHistory } from '../../limits/request-limits.ts';
import type { Limits } from '../../platform/tenant-limits.ts';
import { OrganizationRef } from '../accounts/types.ts';
import { ProductRef } from '../products/types.ts';

const described = {
  requestsPerMinute: 'HTTP operations and WebSocket subscribe messages per UTC minute (pushed events do not count).',
  requestsPerDay: 'The same, per UTC day.',
  concurrentRequests:
    'Queries and mutations in flight at once, over HTTP and WebSocket together (never subscriptions).',
  liveConnections: 'WebSockets running at least one subscription, and Server-Sent Events streams, open at once.',
};

export const LimitsRef = builder.objectRef<Limits>('Limits').implement({
  description: 'An organization’s limits; null is unlimited.',
  fields: (t) => ({
    requestsPerMinute: t.exposeInt('requestsPerMinute', { nullable: true, description: described.requestsPerMinute }),
    requestsPerDay: t.exposeInt('requestsPerDay', { nullable: true, description: described.requestsPerDay }),
    concurrentRequests: t.exposeInt('concurrentRequests', {
      nullable: true,
      description: described.concurrentRequests,
    }),
    liveConnections: t.exposeInt('liveConnections', { nullable: true, description: described.liveConnections }),
  }),
});

export const LimitsInput = builder.inputType('LimitsInput', {
  description: 'Limits to set: a field left out is unchanged, null removes it.',
  fields: (t) => ({
    requestsPerMinute: t.int({ description: described.requestsPerMinute }),
    requestsPerDay: t.int({ description: described.requestsPerDay }),
    concurrentRequests: t.int({ description: described.concurrentRequests }),
    liveConnections: t.int({ description: described.liveConnections }),
  }),
});

interface Usage {
  requestsThisMinute: number;
  requestsToday: number;
  concurrentRequests: number | null;
  liveConnections: number | null;
}

const UsageRef = builder.objectRef<Usage>('OrganizationUsage').implement({
  description: 'What the organization uses now, against its limits.',
  fields: (t) => ({
    requestsThisMinute: t.exposeInt('requestsThisMinute', { description: 'Requests in this UTC minute.' }),
    requestsToday: t.exposeInt('requestsToday', { description: 'Requests in this UTC day.' }),
    concurrentRequests: t.exposeInt('concurrentRequests', {
      nullable: true,
      description: 'Queries and mutations in flight; counted while `limits.concurrentRequests` is set, null otherwise.',
    }),
    liveConnections: t.exposeInt('liveConnections', {
      nullable: true,
      description: 'Live connections open; counted while `limits.liveConnections` is set, null otherwise.',
    }),
  }),
});

const UsagePointRef = builder.objectRef<{ at: Date; requests: number; refused: number }>('UsagePoint').implement({
  description: 'One UTC minute of an organization’s requests.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'The start of the minute.' }),
    requests: t.exposeInt('requests', { description: 'Requests admitted.' }),
    refused: t.exposeInt('refused', { description: 'Requests refused by a limit.' }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  usage: t.field({
    type: UsageRef,
    resolve: async (organization, _args, { app }) =>
      organizationUsage(app, organization.id, await organizationLimits(app, organization)),
  }),
  usageHistory: t.field({
    type: [UsagePointRef],
    description: `Requests and refusals per UTC minute, the last \`minutes\` of them (at most ${HISTORY_MINUTES}), oldest first.`,
    args: { minutes: t.arg.int({ defaultValue: 60 }) },
    resolve: (organization, { minutes }, { app }) => usageHistory(app, organization.id, minutes ?? 60),
  }),
  limits: t.field({
    type: LimitsRef,
    description:
      'The limits that hold: the operators’ override, else the product’s default, lowered by the organization’s own.',
    resolve: (organization, _args, { app }) => organizationLimits(app, organization),
  }),
}));

builder.objectFields(ProductRef, (t) => ({
  defaultLimits: t.field({
    type: LimitsRef,
    description: 'The limits of its organizations that have no override of their own; a change applies at once.',
    resolve: (product) => defaultLimitsOf(product),
  }),
}));
