import { builder } from '../../builder.ts';
import { pageById } from '../pagination.ts';
import { AuditEventRef } from './types.ts';

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ scope: 'read:audit' }).connection({
    type: AuditEventRef,
    description: 'What happened in the caller’s organization, newest first.',
    resolve: (_root, args, { app, principal }) =>
      pageById(args, 'desc', (page) =>
        app.db.auditEvent.findMany({
          where: { organizationId: principal.organizationId, id: page.id },
          take: page.take,
          orderBy: page.orderBy,
        }),
      ),
  }),
}));
