import { builder } from '../../graphql/builder.ts';
import { pendingInvitationsWhere } from '../../members/invitations.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { MembershipRef } from '../accounts/types.ts';
import { InvitationRef } from './types.ts';

builder.queryFields((t) => ({
  members: t.withAuth({ scope: 'read:members' }).connection(
    {
      type: MembershipRef,
      description: 'Members of the caller’s organization, in the order they joined.',
      resolve: (_root, args, { app, principal }) =>
        connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.membership.findMany({
              where: { organizationId: principal.organizationId, ...where },
              ...rest,
              include: { user: true, organization: true },
            });
          },
          () => app.db.membership.count({ where: { organizationId: principal.organizationId } }),
        ),
    },
    { name: 'MembershipConnection' },
    { name: 'MembershipEdge' },
  ),
  invitations: t.withAuth({ scope: 'read:members' }).connection(
    {
      type: InvitationRef,
      description: 'Invitations not yet accepted, revoked or expired, oldest first.',
      args: {
        includeExpired: t.arg.boolean({
          required: true,
          defaultValue: false,
          description: 'Expired ones too (never accepted or revoked), which `resendInvitation` can send again.',
        }),
      },
      resolve: (_root, args, { app, principal }) => {
        const { expiresAt: unexpired, ...open } = pendingInvitationsWhere(principal.organizationId);
        const pending = args.includeExpired ? open : { ...open, expiresAt: unexpired };
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.invitation.findMany({ where: { ...pending, ...where }, ...rest });
          },
          () => app.db.invitation.count({ where: pending }),
        );
      },
    },
    { name: 'InvitationConnection' },
    { name: 'InvitationEdge' },
  ),
}));
