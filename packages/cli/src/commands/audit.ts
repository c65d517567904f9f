// herald audit: the organization's audit log, newest first, a page at a time.
import { type Command, Option } from 'commander';
import { act, examples } from '../command.ts';
import { type ActorType, AuditEventsDocument, type AuditEventsQuery } from '../generated/graphql.ts';
import { type Column, note, printJson, printTable, when } from '../output.ts';
import { collect } from '../paging.ts';

type AuditEvent = AuditEventsQuery['auditEvents']['edges'][number]['node'];

const columns: Column<AuditEvent>[] = [
  { header: 'at', value: (e) => when(e.createdAt) },
  {
    header: 'action',
    value: (e) => e.action,
    style: (t) => (t.endsWith('denied') || t.endsWith('failed') ? 'red' : null),
  },
  {
    header: 'actor',
    value: (e) => (e.actorId ? `${e.actorType.toLowerCase()}:${e.actorId}` : e.actorType.toLowerCase()),
  },
  { header: 'target', value: (e) => (e.targetId ? `${e.targetType}:${e.targetId}` : '') },
  { header: 'ip', value: (e) => e.ip },
  { header: 'client', value: (e) => e.client },
];

interface AuditOptions {
  action?: string;
  actorType?: ActorType;
  actor?: string;
  client?: string;
  since?: string;
  until?: string;
  limit: number;
  all?: boolean;
  after?: string;
}

export function registerAudit(program: Command) {
  program
    .command('audit')
    .description('The organization’s audit log, newest first (a page of --limit; --after goes on)')
    .option('--action <action>', 'only this action, e.g. api_token.revoked')
    .addOption(
      new Option('--actor-type <type>', 'only this kind of actor').choices([
        'USER',
        'SERVICE_ACCOUNT',
        'SYSTEM',
        'ANONYMOUS',
      ]),
    )
    .option('--actor <id>', 'only this user or service account')
    .option('--client <name>', 'only requests from this client (cli, console, an MCP client)')
    .option('--since <iso-date>', 'at or after this instant')
    .option('--until <iso-date>', 'before this instant')
    .option('--limit <n>', 'events per page', (value) => Number.parseInt(value, 10), 50)
    .option('--after <cursor>', 'the page after this cursor (printed at the end of a page)')
    .option('--all', 'every page')
    .addHelpText(
      'after',
      examples(
        'herald audit',
        'herald audit --action api_token.created --since 2026-12-01',
        "herald audit --client cli --all --json | jq -r '.[] | [.createdAt, .action] | @tsv'",
      ),
    )
    .action(
      act<AuditOptions>(async ({ herald, json, options }) => {
        const filter = {
          action: options.action,
          actorType: options.actorType,
          actorId: options.actor,
          client: options.client,
          since: options.since,
          until: options.until,
        };
        const page = await collect(
          async (first, after) => (await herald.request(AuditEventsDocument, { first, after, filter })).auditEvents,
          { limit: options.all ? Number.POSITIVE_INFINITY : options.limit, after: options.after, what: 'events' },
        );
        if (json) printJson(page.nodes);
        else printTable(page.nodes, columns, 'No audit events.');
        if (page.hasNextPage && page.endCursor) note(`More: the same command with --after ${page.endCursor}`);
      }),
    );
}
