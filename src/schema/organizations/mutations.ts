import { builder } from '../../graphql/builder.ts';
import { updateOrganization } from '../../organizations/settings.ts';
import { OrganizationRef } from '../accounts/types.ts';

const UpdateOrganizationInput = builder.inputType('UpdateOrganizationInput', {
  fields: (t) => ({
    name: t.string(),
    slug: t.string({ description: 'Unique across Herald: lowercase letters, digits and single dashes.' }),
  }),
});

builder.mutationFields((t) => ({
  updateOrganization: t.withAuth({ scope: 'write:organization' }).field({
    type: OrganizationRef,
    description: 'Renames the organization the caller acts in, or changes its slug; at least one.',
    args: { input: t.arg({ type: UpdateOrganizationInput, required: true }) },
    resolve: (_root, { input }, caller) => updateOrganization(caller, input),
  }),
}));
