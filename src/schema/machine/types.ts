import type { ApiToken, ServiceAccount } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import type { CreatedApiToken } from '../../machine/api-tokens.ts';
import { ActorRef, actorFrom } from '../audit/actor.ts';

export const ServiceAccountRef = builder.objectRef<ServiceAccount>('ServiceAccount').implement({
  description: 'A machine user of the organization: no email, no password, acts through API tokens.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    description: t.exposeString('description', { nullable: true }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  description: 'An API token without its secret, which is shown only when created or rotated.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: '`hld_` and the first characters of the secret.' }),
    scopes: t.exposeStringList('scopes'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Recorded in batches: up to a minute behind.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The user or service account that created it (a rotation creates the new token).',
      resolve: (token) => actorFrom(token.createdByType, token.createdById, token.organizationId),
    }),
    revokedBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The user or service account that revoked it (or rotated it); null while it is not revoked.',
      resolve: (token) => actorFrom(token.revokedByType, token.revokedById, token.organizationId),
    }),
    serviceAccount: t.field({
      type: ServiceAccountRef,
      resolve: (token, _args, { app }) =>
        app.db.serviceAccount.findUniqueOrThrow({ where: { id: token.serviceAccountId } }),
    }),
  }),
});

export const CreateApiTokenPayload = builder.objectRef<CreatedApiToken>('CreateApiTokenPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret. Shown this once; store it now.' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (payload) => payload.apiToken }),
  }),
});
