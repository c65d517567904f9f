import { builder } from '../../builder.ts';
import { pendingInvitations } from '../../members/invitations.ts';
import { connectionById, idPage } from '../../pagination.ts';
import { MembershipRef } from '../accounts/types.ts';
import { InvitationRef } from './types.ts';

builder.queryFields((t) => ({
  members: t.withAuth({ scope: 'read:members' }).connection({
    type: MembershipRef,
    description: 'Members of the caller’s organization, in the order they joined.',
    resolve: (_root, args, { app, principal }) =>
      connectionById(args, (page) => {
        const { where, ...rest } = idPage(page, 'asc');
        return app.db.membership.findMany({
          where: { organizationId: principal.organizationId, ...where },
          ...rest,
          include: { user: true, organization: true },
        });
      }),
  }),
  invitations: t.withAuth({ scope: 'read:members' }).field({
    type: [InvitationRef],
    description: 'Invitations not yet accepted, revoked or expired.',
    resolve: (_root, _args, { app, principal }) => pendingInvitations(app, principal.organizationId),
  }),
}));
