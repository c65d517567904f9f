import { builder } from '../../graphql/builder.ts';
import { connectionById, idPage } from '../../platform/pagination.ts';
import { webhookEndpointOrFail } from '../../webhooks/endpoints.ts';
import { WebhookDeliveryRef, WebhookDeliveryStatus, WebhookEndpointRef } from './types.ts';

builder.queryFields((t) => ({
  webhookEndpoints: t.withAuth({ scope: 'read:organization' }).connection(
    {
      type: WebhookEndpointRef,
      description: 'The organization’s webhook endpoints, oldest first.',
      resolve: (_root, args, { app, principal }) => {
        const matching = { organizationId: principal.organizationId };
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'asc');
            return app.db.webhookEndpoint.findMany({ where: { ...matching, ...where }, ...rest });
          },
          () => app.db.webhookEndpoint.count({ where: matching }),
        );
      },
    },
    { name: 'WebhookEndpointConnection' },
    { name: 'WebhookEndpointEdge' },
  ),
  webhookEndpoint: t.withAuth({ scope: 'read:organization' }).field({
    type: WebhookEndpointRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app, principal }) => webhookEndpointOrFail(app, principal.organizationId, id),
  }),
  webhookDeliveries: t.withAuth({ scope: 'read:organization' }).connection(
    {
      type: WebhookDeliveryRef,
      description: 'The delivery log of one endpoint, newest first.',
      args: {
        endpointId: t.arg.id({ required: true }),
        status: t.arg({ type: WebhookDeliveryStatus }),
      },
      resolve: async (_root, args, { app, principal }) => {
        const endpoint = await webhookEndpointOrFail(app, principal.organizationId, args.endpointId, 'endpointId');
        const matching = { endpointId: endpoint.id, ...(args.status ? { status: args.status } : {}) };
        return connectionById(
          args,
          (page) => {
            const { where, ...rest } = idPage(page, 'desc');
            return app.db.webhookDelivery.findMany({ where: { ...matching, ...where }, ...rest });
          },
          () => app.db.webhookDelivery.count({ where: matching }),
        );
      },
    },
    { name: 'WebhookDeliveryConnection' },
    { name: 'WebhookDeliveryEdge' },
  ),
}));
