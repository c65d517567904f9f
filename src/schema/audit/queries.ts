import { builder } from '../../builder.ts';
import { connectionById, idPage } from '../../pagination.ts';
import { AuditEventRef } from './types.ts';

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ scope: 'read:audit' }).connection({
    type: AuditEventRef,
    description: 'What happened in the caller’s organization, newest first.',
    resolve: (_root, args, { app, principal }) =>
      connectionById(args, (page) => {
        const { where, ...rest } = idPage(page, 'desc');
        return app.db.auditEvent.findMany({ where: { organizationId: principal.organizationId, ...where }, ...rest });
      }),
  }),
}));
