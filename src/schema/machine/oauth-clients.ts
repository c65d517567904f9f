// OAuth clients of service accounts (client credentials grant): types, queries, mutations.

import type { OAuthClient } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import {
  createOAuthClient,
  type OAuthClientCredentials,
  oauthClientOrFail,
  revokeOAuthClient,
  rotateOAuthClientSecret,
} from '../../machine/oauth-clients.ts';
import { credentialsWhere } from '../../machine/service-accounts.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { ActorRef, actorFrom } from '../audit/actor.ts';
import { credentialLimitFields } from '../limits/inputs.ts';
import { ServiceAccountRef } from './types.ts';

export const OAuthClientRef = builder.objectRef<OAuthClient>('OAuthClient').implement({
  description:
    'An OAuth 2.0 client of a service account, for the client credentials grant at POST /oauth/token. ' +
    'Its secret is shown only when created or rotated.',
  fields: (t) => ({
    id: t.exposeID('id'),
    clientId: t.exposeString('clientId', { description: 'The public `client_id`: `hldci_` and 22 characters.' }),
    name: t.exposeString('name'),
    secretPrefix: t.exposeString('secretPrefix', {
      description: '`hldcs_` and the first characters of the current secret.',
    }),
    scopes: t.exposeStringList('scopes', { description: 'The most an access token issued to the client may hold.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the client last received an access token (within a minute).',
    }),
    secretRotatedAt: t.expose('secretRotatedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The user or service account that created it.',
      resolve: (client) => actorFrom(client.createdByType, client.createdById, client.organizationId),
    }),
    revokedBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The user or service account that revoked it; null while it is not revoked.',
      resolve: (client) => actorFrom(client.revokedByType, client.revokedById, client.organizationId),
    }),
    serviceAccount: t.field({
      type: ServiceAccountRef,
      resolve: (client, _args, { app }) =>
        app.db.serviceAccount.findUniqueOrThrow({ where: { id: client.serviceAccountId } }),
    }),
  }),
});

export const CreateOAuthClientPayload = builder
  .objectRef<OAuthClientCredentials>('CreateOAuthClientPayload')
  .implement({
    fields: (t) => ({
      clientId: t.exposeString('clientId'),
      clientSecret: t.exposeString('clientSecret', { description: 'The secret. Shown this once; store it now.' }),
      oauthClient: t.field({ type: OAuthClientRef, resolve: (payload) => payload.oauthClient }),
    }),
  });

const CreateOAuthClientInput = builder.inputType('CreateOAuthClientInput', {
  fields: (t) => ({
    serviceAccountSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    scopes: t.stringList({ required: true, description: '`<read|write>:<module|*>`, at most what the caller holds.' }),
    ...credentialLimitFields(t),
  }),
});

const RevokeOAuthClientInput = builder.inputType('RevokeOAuthClientInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RotateOAuthClientSecretInput = builder.inputType('RotateOAuthClientSecretInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

builder.queryFields((t) => ({
  oauthClients: t.withAuth({ scope: 'read:tokens' }).connection(
    {
      type: OAuthClientRef,
      description: 'OAuth clients of the organization’s service accounts, oldest first.',
      args: {
        serviceAccountSlug: t.arg.string({ description: 'Only this service account’s clients.' }),
        includeRevoked: t.arg.boolean({ required: true, defaultValue: false }),
        unusedSince: t.arg({
          type: 'DateTime',
          description:
            'Only clients made before this instant and not used since (never used, or last used before it): those to prune.',
        }),
      },
      resolve: async (_root, args, { app, principal }) => {
        const matching = await credentialsWhere(app, principal.organizationId, args);
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.oAuthClient.findMany({ where: { AND: [matching, where] }, ...rest });
          },
          () => app.db.oAuthClient.count({ where: matching }),
        );
      },
    },
    { name: 'OAuthClientConnection' },
    { name: 'OAuthClientEdge' },
  ),
  oauthClient: t.withAuth({ scope: 'read:tokens' }).field({
    type: OAuthClientRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app, principal }) => oauthClientOrFail(app, principal.organizationId, id),
  }),
}));

builder.mutationFields((t) => ({
  createOAuthClient: t.withAuth({ scope: 'write:tokens' }).field({
    type: CreateOAuthClientPayload,
    description: 'Registers an OAuth client for a service account; the payload holds its secret once.',
    args: { input: t.arg({ type: CreateOAuthClientInput, required: true }) },
    resolve: (_root, { input }, caller) => createOAuthClient(caller, input),
  }),
  revokeOAuthClient: t.withAuth({ scope: 'write:tokens' }).field({
    type: OAuthClientRef,
    description: 'Stops the client and every access token issued to it, at once.',
    args: { input: t.arg({ type: RevokeOAuthClientInput, required: true }) },
    resolve: (_root, { input }, caller) => revokeOAuthClient(caller, input),
  }),
  rotateOAuthClientSecret: t.withAuth({ scope: 'write:tokens' }).field({
    type: CreateOAuthClientPayload,
    description:
      'A new secret for the same client id and scopes; the old secret and the access tokens issued before stop at once.',
    args: { input: t.arg({ type: RotateOAuthClientSecretInput, required: true }) },
    resolve: (_root, { input }, caller) => rotateOAuthClientSecret(caller, input),
  }),
}));
