import { builder } from '../../builder.ts';
import { apiTokenOrFail, listApiTokens } from '../../machine/api-tokens.ts';
import { listServiceAccounts, serviceAccountOrFail } from '../../machine/service-accounts.ts';
import { ApiTokenRef, ServiceAccountRef } from './types.ts';

builder.queryFields((t) => ({
  serviceAccounts: t.withAuth({ scope: 'read:service_accounts' }).field({
    type: [ServiceAccountRef],
    resolve: (_root, _args, { app, principal }) => listServiceAccounts(app, principal.organizationId),
  }),
  serviceAccount: t.withAuth({ scope: 'read:service_accounts' }).field({
    type: ServiceAccountRef,
    description: 'NOT_FOUND when the organization has no service account with that slug.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { app, principal }) => serviceAccountOrFail(app, principal.organizationId, slug),
  }),
  apiTokens: t.withAuth({ scope: 'read:tokens' }).field({
    type: [ApiTokenRef],
    description: 'Every token of the organization’s service accounts, revoked ones included.',
    resolve: (_root, _args, { app, principal }) => listApiTokens(app, principal.organizationId),
  }),
  apiToken: t.withAuth({ scope: 'read:tokens' }).field({
    type: ApiTokenRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app, principal }) => apiTokenOrFail(app, principal.organizationId, id),
  }),
}));
