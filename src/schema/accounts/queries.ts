import { builder } from '../../graphql/builder.ts';
import { MembershipRef, OrganizationRef, UserRef } from './types.ts';

builder.queryFields((t) => ({
  me: t.withAuth({ user: true }).field({
    type: UserRef,
    description: 'The signed-in user.',
    resolve: (_root, _args, { app, principal }) => app.userById(principal.id),
  }),
  organization: t.withAuth({ scope: 'read:organization' }).field({
    type: OrganizationRef,
    description: 'The organization the caller acts in.',
    resolve: (_root, _args, { app, principal }) => app.organizationById(principal.organizationId),
  }),
  myOrganizations: t.withAuth({ user: true }).field({
    type: [MembershipRef],
    description: 'Every organization the signed-in user belongs to in this product, with the role there.',
    resolve: (_root, _args, { app, principal, product }) =>
      app.db.membership.findMany({
        where: { userId: principal.id, organization: { productId: product.id } },
        include: { user: true, organization: true },
        orderBy: { createdAt: 'asc' },
      }),
  }),
}));
