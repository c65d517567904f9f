import { builder } from '../../graphql/builder.ts';
import { updateOrganizationLimits } from '../../limits/organization-limits.ts';
import { OrganizationRef } from '../accounts/types.ts';

const UpdateOrganizationLimitsInput = builder.inputType('UpdateOrganizationLimitsInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    requestsPerMinute: t.int(),
    requestsPerDay: t.int(),
    concurrentRequests: t.int(),
    liveConnections: t.int(),
  }),
});

builder.mutationFields((t) => ({
  updateOrganizationLimits: t.withAuth({ scope: 'write:organization' }).field({
    type: OrganizationRef,
    description:
      'Sets an organization’s limits (fields left out stay; null removes one). Its product’s operators set the plan’s; the organization’s own admins may only set lower values, kept apart: the lower holds.',
    args: { input: t.arg({ type: UpdateOrganizationLimitsInput, required: true }) },
    resolve: (_root, { input }, context) => updateOrganizationLimits(context, input),
  }),
}));
