import { builder } from '../../graphql/builder.ts';
import { apiTokenOrFail } from '../../machine/api-tokens.ts';
import { credentialsWhere, serviceAccountOrFail } from '../../machine/service-accounts.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { ApiTokenRef, ServiceAccountRef } from './types.ts';

builder.queryFields((t) => ({
  serviceAccounts: t.withAuth({ scope: 'read:service_accounts' }).connection(
    {
      type: ServiceAccountRef,
      description: 'The organization’s service accounts, oldest first.',
      resolve: (_root, args, { app, principal }) => {
        const matching = { organizationId: principal.organizationId };
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.serviceAccount.findMany({ where: { ...matching, ...where }, ...rest });
          },
          () => app.db.serviceAccount.count({ where: matching }),
        );
      },
    },
    { name: 'ServiceAccountConnection' },
    { name: 'ServiceAccountEdge' },
  ),
  serviceAccount: t.withAuth({ scope: 'read:service_accounts' }).field({
    type: ServiceAccountRef,
    description: 'NOT_FOUND when the organization has no service account with that slug.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { app, principal }) => serviceAccountOrFail(app, principal.organizationId, slug),
  }),
  apiTokens: t.withAuth({ scope: 'read:tokens' }).connection(
    {
      type: ApiTokenRef,
      description: 'Tokens of the organization’s service accounts, oldest first.',
      args: {
        serviceAccountSlug: t.arg.string({ description: 'Only this service account’s tokens.' }),
        includeRevoked: t.arg.boolean({ required: true, defaultValue: false }),
        unusedSince: t.arg({
          type: 'DateTime',
          description:
            'Only tokens made before this instant and not used since (never used, or last used before it): those to prune.',
        }),
      },
      resolve: async (_root, args, { app, principal }) => {
        const matching = await credentialsWhere(app, principal.organizationId, args);
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.apiToken.findMany({ where: { AND: [matching, where] }, ...rest });
          },
          () => app.db.apiToken.count({ where: matching }),
        );
      },
    },
    { name: 'ApiTokenConnection' },
    { name: 'ApiTokenEdge' },
  ),
  apiToken: t.withAuth({ scope: 'read:tokens' }).field({
    type: ApiTokenRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app, principal }) => apiTokenOrFail(app, principal.organizationId, id),
  }),
}));
