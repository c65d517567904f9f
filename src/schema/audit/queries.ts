import { builder } from '../../graphql/builder.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { auditEventsWhere } from './filter.ts';
import { ActorTypeEnum, AuditEventRef } from './types.ts';

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    action: t.string({ description: 'Exactly this action, e.g. `api_token.revoked`.' }),
    actorType: t.field({ type: ActorTypeEnum }),
    actorId: t.id({ description: 'The user or service account that acted.' }),
    client: t.string({ description: 'Exactly this client, e.g. `cli`.' }),
    since: t.field({ type: 'DateTime', description: 'At or after this instant.' }),
    until: t.field({ type: 'DateTime', description: 'Before this instant.' }),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ scope: 'read:audit' }).connection(
    {
      type: AuditEventRef,
      description: 'What happened in the caller’s organization, newest first.',
      args: { filter: t.arg({ type: AuditEventFilter }) },
      resolve: (_root, args, { app, principal }) => {
        const matching = auditEventsWhere(principal.organizationId, args.filter ?? {});
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'desc');
            return app.db.auditEvent.findMany({ where: { AND: [matching, where] }, ...rest });
          },
          () => app.db.auditEvent.count({ where: matching }),
        );
      },
    },
    { name: 'AuditEventConnection' },
    { name: 'AuditEventEdge' },
  ),
}));
