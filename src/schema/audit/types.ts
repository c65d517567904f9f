import type { AuditEvent } from '../../generated/prisma/client.ts';
import { ActorType } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';

export const ActorTypeEnum = builder.enumType('ActorType', { values: Object.values(ActorType) });

export const AuditEventRef = builder.objectRef<AuditEvent>('AuditEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action', { description: 'e.g. `member.invited`, `api_token.revoked`.' }),
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeID('actorId', { nullable: true }),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeID('targetId', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    client: t.exposeString('client', {
      nullable: true,
      description:
        'The client the request came from, as it named itself in the `X-Herald-Client` header: `cli`, `console`, an MCP client’s name. Null when it named none.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
