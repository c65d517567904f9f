import { builder } from '../../graphql/builder.ts';
import { defaultLimitsOf, organizationLimits } from '../../limits/organization-limits.ts';
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

builder.objectFields(OrganizationRef, (t) => ({
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
