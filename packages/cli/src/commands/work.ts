// herald work-items list, get, create, assign, status, update.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { act, examples } from '../command.ts';
import {
  AssignWorkItemDocument,
  CreateWorkItemDocument,
  UpdateWorkItemDocument,
  UpdateWorkItemStatusDocument,
  WorkItemDocument,
  type WorkItemPriority,
  type WorkItemRowFragment,
  type WorkItemStatus,
  WorkItemsDocument,
} from '../generated/graphql.ts';
import { type Column, printJson, printRecord, printTable, when } from '../output.ts';
import { collect } from '../paging.ts';

const STATUSES: WorkItemStatus[] = ['OPEN', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED'];
const PRIORITIES: WorkItemPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

const columns: Column<WorkItemRowFragment>[] = [
  { header: 'key', value: (w) => w.key },
  { header: 'id', value: (w) => w.id },
  {
    header: 'status',
    value: (w) => w.status,
    style: (t) => (t === 'OPEN' ? 'cyan' : t === 'RESOLVED' || t === 'CLOSED' ? 'dim' : null),
  },
  {
    header: 'priority',
    value: (w) => w.priority,
    style: (t) => (t === 'URGENT' ? 'red' : t === 'HIGH' ? 'yellow' : null),
  },
  { header: 'assignee', value: (w) => w.assignee?.email },
  { header: 'due', value: (w) => when(w.dueAt) },
  { header: 'title', value: (w) => w.title },
];

function printItem(item: WorkItemRowFragment, json: boolean) {
  if (json) {
    printJson(item);
    return;
  }
  printRecord([
    ['key', item.key],
    ['id', item.id],
    ['title', item.title],
    ['status', item.status],
    ['priority', item.priority],
    ['assignee', item.assignee ? `${item.assignee.name} <${item.assignee.email}>` : ''],
    ['sla policy', item.slaPolicy?.name],
    ['due', when(item.dueAt)],
    ['created', when(item.createdAt)],
    ['description', item.description],
  ]);
}

const priorityOption = () => new Option('--priority <priority>', 'LOW, MEDIUM, HIGH or URGENT').choices(PRIORITIES);

export function registerWork(program: Command) {
  const items = program.command('work-items').alias('wi').description('Work items and their SLAs');

  items
    .command('list')
    .description('List work items, newest first')
    .addOption(new Option('--status <status...>', 'only these statuses').choices(STATUSES))
    .addOption(new Option('--priority <priority...>', 'only these priorities').choices(PRIORITIES))
    .option('--assignee <user-id>', 'only those assigned to this user')
    .option('--unassigned', 'only those assigned to nobody')
    .option('--overdue', 'only those past their due date')
    .option('--limit <n>', 'at most this many', (value) => Number.parseInt(value, 10), 50)
    .addHelpText(
      'after',
      examples('herald work-items list --status OPEN IN_PROGRESS', 'herald work-items list --overdue --json'),
    )
    .action(
      act<{
        status?: WorkItemStatus[];
        priority?: WorkItemPriority[];
        assignee?: string;
        unassigned?: boolean;
        overdue?: boolean;
        limit: number;
      }>(async ({ herald, json, options }) => {
        const filter = {
          status: options.status,
          priority: options.priority,
          assigneeId: options.assignee,
          unassigned: options.unassigned,
          overdue: options.overdue,
        };
        const { nodes } = await collect(
          async (first, after) => (await herald.request(WorkItemsDocument, { first, after, filter })).workItems,
          { limit: options.limit, what: 'work items' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, columns, 'No work items.');
      }),
    );

  items
    .command('get <id>')
    .description('Show one work item')
    .addHelpText('after', examples('herald work-items get 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [id] }) => {
        printItem((await herald.request(WorkItemDocument, { id: id as string })).workItem, json);
      }),
    );

  items
    .command('create <title>')
    .description('Create a work item')
    .option('--description <text>', 'what it is about')
    .addOption(priorityOption())
    .option('--assignee <user-id>', 'who works on it (they are notified)')
    .option('--sla-policy <id>', 'the SLA policy that sets its due date')
    .option('--due-at <iso-date>', 'its due date (overrides the policy’s)')
    .addHelpText(
      'after',
      examples(
        'herald work-items create "Printer on fire" --priority URGENT',
        'herald work-items create "Renew cert" --due-at 2027-01-01T00:00:00Z --json',
      ),
    )
    .action(
      act<{ description?: string; priority?: WorkItemPriority; assignee?: string; slaPolicy?: string; dueAt?: string }>(
        async ({ herald, json, args: [title], options }) => {
          const { createWorkItem } = await herald.request(CreateWorkItemDocument, {
            input: {
              title: title as string,
              description: options.description,
              priority: options.priority,
              assigneeId: options.assignee,
              slaPolicyId: options.slaPolicy,
              dueAt: options.dueAt,
            },
          });
          printItem(createWorkItem, json);
        },
      ),
    );

  items
    .command('assign <id> <user-id>')
    .description('Assign a work item to a member ("none" unassigns)')
    .addHelpText(
      'after',
      examples('herald work-items assign 0193a5c4-… 0193a5c5-…', 'herald work-items assign 0193a5c4-… none'),
    )
    .action(
      act(async ({ herald, json, args: [id, userId] }) => {
        const { assignWorkItem } = await herald.request(AssignWorkItemDocument, {
          input: { workItemId: id as string, assigneeId: userId === 'none' ? null : userId },
        });
        printItem(assignWorkItem, json);
      }),
    );

  items
    .command('status')
    .argument('<id>')
    .argument('<status>', STATUSES.join(', '), (value: string) => {
      const status = value.toUpperCase() as WorkItemStatus;
      if (!STATUSES.includes(status)) throw new InvalidArgumentError(`Allowed: ${STATUSES.join(', ')}.`);
      return status;
    })
    .description('Change a work item’s status')
    .addHelpText('after', examples('herald work-items status 0193a5c4-… RESOLVED'))
    .action(
      act(async ({ herald, json, args: [id, status] }) => {
        const { updateWorkItemStatus } = await herald.request(UpdateWorkItemStatusDocument, {
          input: { workItemId: id as string, status: status as WorkItemStatus },
        });
        printItem(updateWorkItemStatus, json);
      }),
    );

  items
    .command('update <id>')
    .description('Change a work item’s title, description, priority or due date')
    .option('--title <title>', 'a new title')
    .option('--description <text>', 'a new description')
    .addOption(priorityOption())
    .option('--due-at <iso-date>', 'a new due date ("none" removes it)')
    .addHelpText('after', examples('herald work-items update 0193a5c4-… --priority HIGH --due-at none'))
    .action(
      act<{ title?: string; description?: string; priority?: WorkItemPriority; dueAt?: string }>(
        async ({ herald, json, args: [id], options }) => {
          const { updateWorkItem } = await herald.request(UpdateWorkItemDocument, {
            input: {
              workItemId: id as string,
              title: options.title,
              description: options.description,
              priority: options.priority,
              ...(options.dueAt === undefined ? {} : { dueAt: options.dueAt === 'none' ? null : options.dueAt }),
            },
          });
          printItem(updateWorkItem, json);
        },
      ),
    );
}
