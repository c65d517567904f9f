// herald webhooks list, deliveries, replay, test.
import { type Command, Option } from 'commander';
import { act, examples } from '../command.ts';
import {
  ReplayWebhookDeliveryDocument,
  SendTestWebhookDocument,
  WebhookDeliveriesDocument,
  type WebhookDeliveryRowFragment,
  type WebhookEndpointRowFragment,
  WebhookEndpointsDocument,
} from '../generated/graphql.ts';
import { type Column, note, printJson, printTable, when } from '../output.ts';
import { collect } from '../paging.ts';

const endpointColumns: Column<WebhookEndpointRowFragment>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'url', value: (e) => e.url },
  {
    header: 'state',
    value: (e) => (e.enabled ? (e.failingSince ? 'failing' : 'enabled') : 'disabled'),
    style: (t) => (t === 'enabled' ? 'green' : t === 'failing' ? 'yellow' : 'red'),
  },
  { header: 'events', value: (e) => e.events.join(' ') },
];

const deliveryColumns: Column<WebhookDeliveryRowFragment>[] = [
  { header: 'id', value: (d) => d.id },
  { header: 'event', value: (d) => d.eventType },
  {
    header: 'status',
    value: (d) => d.status,
    style: (t) => (t === 'SUCCEEDED' ? 'green' : t === 'FAILED' ? 'red' : 'yellow'),
  },
  { header: 'attempts', value: (d) => d.attempts },
  { header: 'http', value: (d) => d.responseStatus },
  { header: 'created', value: (d) => when(d.createdAt) },
  { header: 'error', value: (d) => d.lastError },
];

export function registerWebhooks(program: Command) {
  const webhooks = program.command('webhooks').description('Webhook endpoints and their deliveries');

  webhooks
    .command('list')
    .description('List the organization’s webhook endpoints')
    .addHelpText('after', examples('herald webhooks list'))
    .action(
      act(async ({ herald, json }) => {
        const { nodes } = await collect(
          async (first, after) => (await herald.request(WebhookEndpointsDocument, { first, after })).webhookEndpoints,
          { what: 'endpoints' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, endpointColumns, 'No webhook endpoints.');
      }),
    );

  webhooks
    .command('deliveries <endpoint-id>')
    .description('List an endpoint’s deliveries, newest first')
    .addOption(new Option('--status <status>', 'only these').choices(['PENDING', 'SUCCEEDED', 'FAILED']))
    .option('--limit <n>', 'at most this many', (value) => Number.parseInt(value, 10), 50)
    .addHelpText(
      'after',
      examples('herald webhooks deliveries 0193a5c4-… --status FAILED', 'herald webhooks deliveries 0193a5c4-… --json'),
    )
    .action(
      act<{ status?: 'PENDING' | 'SUCCEEDED' | 'FAILED'; limit: number }>(
        async ({ herald, json, args: [id], options }) => {
          const { nodes } = await collect(
            async (first, after) =>
              (
                await herald.request(WebhookDeliveriesDocument, {
                  endpointId: id as string,
                  status: options.status,
                  first,
                  after,
                })
              ).webhookDeliveries,
            { limit: options.limit, what: 'deliveries' },
          );
          if (json) printJson(nodes);
          else printTable(nodes, deliveryColumns, 'No deliveries.');
        },
      ),
    );

  webhooks
    .command('replay <delivery-id>')
    .description('Send a delivery’s message again (same webhook-id, so receivers can deduplicate)')
    .addHelpText('after', examples('herald webhooks replay 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { replayWebhookDelivery } = await herald.request(ReplayWebhookDeliveryDocument, {
          input: { id: id as string },
        });
        if (json) printJson(replayWebhookDelivery);
        else {
          printTable([replayWebhookDelivery], deliveryColumns, '');
          note('Queued; `herald webhooks deliveries` shows how it went.');
        }
      }),
    );

  webhooks
    .command('test <endpoint-id>')
    .description('Send a test event (webhook.test) to an endpoint')
    .addHelpText('after', examples('herald webhooks test 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { sendTestWebhook } = await herald.request(SendTestWebhookDocument, {
          input: { endpointId: id as string },
        });
        if (json) printJson(sendTestWebhook);
        else {
          printTable([sendTestWebhook], deliveryColumns, '');
          note('Queued; `herald webhooks deliveries` shows how it went.');
        }
      }),
    );
}
