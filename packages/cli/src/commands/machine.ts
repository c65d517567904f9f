// herald service-accounts, tokens, oauth-clients.
import type { Command } from 'commander';
import { act, collectList, examples } from '../command.ts';
import {
  type ApiTokenRowFragment,
  ApiTokensDocument,
  CreateApiTokenDocument,
  CreateOAuthClientDocument,
  CreateServiceAccountDocument,
  DeleteServiceAccountDocument,
  type OAuthClientRowFragment,
  OAuthClientsDocument,
  RevokeApiTokenDocument,
  RevokeOAuthClientDocument,
  RotateApiTokenDocument,
  RotateOAuthClientSecretDocument,
  type ServiceAccountRowFragment,
  ServiceAccountsDocument,
  UpdateServiceAccountDocument,
} from '../generated/graphql.ts';
import { type Column, note, printJson, printLine, printTable, when } from '../output.ts';
import { collect } from '../paging.ts';

const accountColumns: Column<ServiceAccountRowFragment>[] = [
  { header: 'slug', value: (a) => a.slug },
  { header: 'name', value: (a) => a.name },
  {
    header: 'state',
    value: (a) => (a.disabledAt ? 'disabled' : 'active'),
    style: (t) => (t === 'disabled' ? 'yellow' : 'green'),
  },
  { header: 'created', value: (a) => when(a.createdAt) },
  { header: 'description', value: (a) => a.description },
];

const state = (row: { revokedAt?: string | null; expiresAt?: string | null }) =>
  row.revokedAt ? 'revoked' : row.expiresAt && Date.parse(row.expiresAt) <= Date.now() ? 'expired' : 'active';

const tokenColumns: Column<ApiTokenRowFragment>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name },
  { header: 'prefix', value: (t) => t.prefix },
  { header: 'service account', value: (t) => t.serviceAccount.slug },
  { header: 'state', value: state, style: (t) => (t === 'active' ? 'green' : 'red') },
  { header: 'last used', value: (t) => when(t.lastUsedAt) },
  { header: 'expires', value: (t) => when(t.expiresAt) },
  { header: 'scopes', value: (t) => t.scopes.join(' ') },
];

const clientColumns: Column<OAuthClientRowFragment>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'client id', value: (c) => c.clientId },
  { header: 'name', value: (c) => c.name },
  { header: 'service account', value: (c) => c.serviceAccount.slug },
  { header: 'state', value: state, style: (t) => (t === 'active' ? 'green' : 'red') },
  { header: 'last used', value: (c) => when(c.lastUsedAt) },
  { header: 'scopes', value: (c) => c.scopes.join(' ') },
];

interface ListOptions {
  serviceAccount?: string;
  all?: boolean;
}

export function registerMachine(program: Command) {
  const accounts = program
    .command('service-accounts')
    .alias('sa')
    .description('Service accounts: the machine users that API tokens and OAuth clients act as');

  accounts
    .command('list')
    .description('List the organization’s service accounts')
    .addHelpText(
      'after',
      examples('herald service-accounts list', 'herald service-accounts list --json | jq -r .[].slug'),
    )
    .action(
      act(async ({ herald, json }) => {
        const { nodes } = await collect(
          async (first, after) => (await herald.request(ServiceAccountsDocument, { first, after })).serviceAccounts,
          { what: 'service accounts' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, accountColumns, 'No service accounts.');
      }),
    );

  accounts
    .command('create <name>')
    .description('Create a service account')
    .option('--slug <slug>', 'its slug (default: from the name)')
    .option('--description <text>', 'what it is for')
    .addHelpText(
      'after',
      examples('herald service-accounts create "CI deploys" --slug ci --description "GitHub Actions"'),
    )
    .action(
      act<{ slug?: string; description?: string }>(async ({ herald, json, args: [name], options }) => {
        const { createServiceAccount } = await herald.request(CreateServiceAccountDocument, {
          input: { name: name as string, slug: options.slug, description: options.description },
        });
        if (json) printJson(createServiceAccount);
        else printTable([createServiceAccount], accountColumns, '');
      }),
    );

  for (const [verb, disabled, text] of [
    ['disable', true, 'Disable a service account: its tokens and OAuth clients stop working until it is enabled'],
    ['enable', false, 'Enable a disabled service account again'],
  ] as const) {
    accounts
      .command(`${verb} <slug>`)
      .description(text)
      .addHelpText('after', examples(`herald service-accounts ${verb} ci`))
      .action(
        act(async ({ herald, json, args: [slug] }) => {
          const { updateServiceAccount } = await herald.request(UpdateServiceAccountDocument, {
            input: { slug: slug as string, disabled },
          });
          if (json) printJson(updateServiceAccount);
          else printTable([updateServiceAccount], accountColumns, '');
        }),
      );
  }

  accounts
    .command('delete <slug>')
    .description('Delete a service account and revoke its tokens and OAuth clients')
    .addHelpText('after', examples('herald service-accounts delete ci'))
    .action(
      act(async ({ herald, json, args: [slug] }) => {
        const { deleteServiceAccount } = await herald.request(DeleteServiceAccountDocument, {
          input: { slug: slug as string },
        });
        if (json) printJson(deleteServiceAccount);
        else note(`Deleted service account ${deleteServiceAccount.slug}.`);
      }),
    );

  const tokens = program.command('tokens').description('API tokens (hld_…) of service accounts');

  tokens
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--service-account <slug>', 'only this service account’s')
    .option('--all', 'include revoked tokens')
    .addHelpText('after', examples('herald tokens list', 'herald tokens list --service-account ci --all --json'))
    .action(
      act<ListOptions>(async ({ herald, json, options }) => {
        const { nodes } = await collect(
          async (first, after) =>
            (
              await herald.request(ApiTokensDocument, {
                serviceAccountSlug: options.serviceAccount,
                includeRevoked: options.all === true,
                first,
                after,
              })
            ).apiTokens,
          { what: 'tokens' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, tokenColumns, 'No API tokens.');
      }),
    );

  tokens
    .command('create')
    .description('Create an API token; the token alone is printed on stdout, once')
    .requiredOption('--service-account <slug>', 'the service account it acts as')
    .requiredOption('--name <name>', 'what it is for')
    .requiredOption('--scope <scopes>', 'a scope, e.g. read:work_items (repeat, or separate with commas)', collectList)
    .option('--expires-at <iso-date>', 'when it stops working, e.g. 2027-01-31T00:00:00Z')
    .addHelpText(
      'after',
      examples(
        'herald tokens create --service-account ci --name deploys --scope read:work_items --scope write:notifications',
        'herald tokens create --service-account ci --name nightly --scope read:* | vault kv put secret/herald token=-',
        'herald tokens create --service-account ci --name x --scope read:audit --json | jq -r .token',
      ),
    )
    .action(
      act<{ serviceAccount: string; name: string; scope: string[]; expiresAt?: string }>(
        async ({ herald, json, options }) => {
          const { createApiToken } = await herald.request(CreateApiTokenDocument, {
            input: {
              serviceAccountSlug: options.serviceAccount,
              name: options.name,
              scopes: options.scope,
              expiresAt: options.expiresAt,
            },
          });
          if (json) printJson(createApiToken);
          else {
            printLine(createApiToken.token);
            note(
              `Created token ${createApiToken.apiToken.name} (${createApiToken.apiToken.id}); it is shown this once.`,
            );
          }
        },
      ),
    );

  tokens
    .command('revoke <id>')
    .description('Revoke an API token: it stops working on every instance at once')
    .addHelpText('after', examples('herald tokens revoke 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { revokeApiToken } = await herald.request(RevokeApiTokenDocument, { input: { id: id as string } });
        if (json) printJson(revokeApiToken);
        else note(`Revoked token ${revokeApiToken.name} (${revokeApiToken.prefix}…).`);
      }),
    );

  tokens
    .command('rotate <id>')
    .description('Replace an API token’s secret (same name and scopes); the new token alone is printed on stdout, once')
    .addHelpText('after', examples('herald tokens rotate 0193a5c4-… > new-token.txt'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { rotateApiToken } = await herald.request(RotateApiTokenDocument, { input: { id: id as string } });
        if (json) printJson(rotateApiToken);
        else {
          printLine(rotateApiToken.token);
          note(
            `Rotated token ${rotateApiToken.apiToken.name}: the old secret no longer works; the new one is shown this once.`,
          );
        }
      }),
    );

  const clients = program
    .command('oauth-clients')
    .description('OAuth clients (client credentials grant) of service accounts');

  clients
    .command('list')
    .description('List OAuth clients (never their secrets)')
    .option('--service-account <slug>', 'only this service account’s')
    .option('--all', 'include revoked clients')
    .addHelpText('after', examples('herald oauth-clients list', 'herald oauth-clients list --json'))
    .action(
      act<ListOptions>(async ({ herald, json, options }) => {
        const { nodes } = await collect(
          async (first, after) =>
            (
              await herald.request(OAuthClientsDocument, {
                serviceAccountSlug: options.serviceAccount,
                includeRevoked: options.all === true,
                first,
                after,
              })
            ).oauthClients,
          { what: 'clients' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, clientColumns, 'No OAuth clients.');
      }),
    );

  const printSecret = (
    payload: { clientId: string; clientSecret: string; oauthClient: OAuthClientRowFragment },
    json: boolean,
    what: string,
  ) => {
    if (json) printJson(payload);
    else {
      printLine(`client_id=${payload.clientId}`);
      printLine(`client_secret=${payload.clientSecret}`);
      note(`${what} ${payload.oauthClient.name}: the secret is shown this once.`);
    }
  };

  clients
    .command('create')
    .description('Create an OAuth client; prints client_id and client_secret (once) on stdout')
    .requiredOption('--service-account <slug>', 'the service account it acts as')
    .requiredOption('--name <name>', 'what it is for')
    .requiredOption('--scope <scopes>', 'a scope (repeat, or separate with commas)', collectList)
    .addHelpText(
      'after',
      examples('herald oauth-clients create --service-account ci --name gateway --scope read:work_items'),
    )
    .action(
      act<{ serviceAccount: string; name: string; scope: string[] }>(async ({ herald, json, options }) => {
        const { createOAuthClient } = await herald.request(CreateOAuthClientDocument, {
          input: { serviceAccountSlug: options.serviceAccount, name: options.name, scopes: options.scope },
        });
        printSecret(createOAuthClient, json, 'Created OAuth client');
      }),
    );

  clients
    .command('rotate-secret <id>')
    .description('Replace an OAuth client’s secret; prints the new one (once) on stdout')
    .addHelpText('after', examples('herald oauth-clients rotate-secret 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { rotateOAuthClientSecret } = await herald.request(RotateOAuthClientSecretDocument, {
          input: { id: id as string },
        });
        printSecret(rotateOAuthClientSecret, json, 'Rotated the secret of');
      }),
    );

  clients
    .command('revoke <id>')
    .description('Revoke an OAuth client: its secret and the access tokens it obtained stop working')
    .addHelpText('after', examples('herald oauth-clients revoke 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        const { revokeOAuthClient } = await herald.request(RevokeOAuthClientDocument, { input: { id: id as string } });
        if (json) printJson(revokeOAuthClient);
        else note(`Revoked OAuth client ${revokeOAuthClient.name} (${revokeOAuthClient.clientId}).`);
      }),
    );
}
