// Herald's MCP tools, defined once: their names, descriptions, argument schemas, the scope
// each needs, and the GraphQL operation each sends with the caller's own credential. The stdio
// server of `herald mcp` and Herald's own /mcp endpoint both serve these.
import * as z from 'zod';
import {
  ToolApiTokensDocument,
  ToolAssignWorkItemDocument,
  ToolAuditEventsDocument,
  ToolCreateApiTokenDocument,
  ToolCreateWorkItemDocument,
  ToolMembersDocument,
  ToolPublishedNotificationsDocument,
  ToolPublishNotificationDocument,
  ToolReplayWebhookDeliveryDocument,
  ToolSlaPoliciesDocument,
  ToolUpdateWorkItemDocument,
  ToolUpdateWorkItemStatusDocument,
  ToolWebhookDeliveriesDocument,
  ToolWebhookEndpointsDocument,
  ToolWorkItemDocument,
  ToolWorkItemsDocument,
} from './generated/graphql.ts';

/** Sends one GraphQL operation to Herald as the caller; answers its data or throws its first error. */
export type Request = <TResult, TVariables>(
  document: { toString(): string; __apiType?: (variables: TVariables) => TResult },
  variables: TVariables,
) => Promise<TResult>;

export interface Tool {
  name: string;
  title: string;
  description: string;
  /** The scope a credential must hold for the tool to be listed and callable. */
  scope: string;
  /** Whether the tool only reads (an MCP annotation clients use to ask before writes). */
  readOnly: boolean;
  input: z.ZodObject;
  run(request: Request, args: Record<string, unknown>): Promise<unknown>;
}

const id = (what: string) => z.string().min(1).describe(what);
const page = {
  first: z.number().int().min(1).max(100).optional().describe('How many to return (at most 100; default 20).'),
  after: z.string().optional().describe('The endCursor of the previous page, to read the next one.'),
};
const STATUS = z.enum(['OPEN', 'IN_PROGRESS', 'WAITING', 'RESOLVED', 'CLOSED']);
const PRIORITY = z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
const isoDate = z.iso.datetime({ offset: true });

/** A connection as tools answer it: the nodes, the total and where the next page starts. */
const listOf = <TNode>(connection: {
  totalCount?: number;
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}) => ({
  items: connection.edges.map((edge) => edge.node),
  totalCount: connection.totalCount ?? null,
  hasNextPage: connection.pageInfo.hasNextPage,
  endCursor: connection.pageInfo.endCursor ?? null,
});

const tool = <TShape extends z.ZodRawShape>(definition: {
  name: string;
  title: string;
  description: string;
  scope: string;
  input: TShape;
  run(request: Request, args: z.infer<z.ZodObject<TShape>>): Promise<unknown>;
}): Tool => ({
  ...definition,
  readOnly: definition.scope.startsWith('read:'),
  input: z.object(definition.input).strict(),
  run: (request, args) => definition.run(request, args as z.infer<z.ZodObject<TShape>>),
});

export const TOOLS: readonly Tool[] = [
  tool({
    name: 'list_work_items',
    title: 'List work items',
    description:
      'Lists the organization’s work items (tickets with an SLA), newest first, optionally filtered by status, priority, assignee or overdue. Answers { items, totalCount, hasNextPage, endCursor }; pass endCursor as `after` for the next page.',
    scope: 'read:work_items',
    input: {
      status: z.array(STATUS).optional().describe('Only items in one of these statuses.'),
      priority: z.array(PRIORITY).optional().describe('Only items of one of these priorities.'),
      assigneeId: z.string().optional().describe('Only items assigned to this user id.'),
      unassigned: z.boolean().optional().describe('Only items assigned to nobody.'),
      overdue: z.boolean().optional().describe('Only items past their due date and not resolved.'),
      ...page,
    },
    run: async (request, { first, after, ...filter }) =>
      listOf((await request(ToolWorkItemsDocument, { first, after, filter })).workItems),
  }),
  tool({
    name: 'get_work_item',
    title: 'Get a work item',
    description: 'One work item by its id: title, description, status, priority, assignee, SLA policy and due date.',
    scope: 'read:work_items',
    input: { id: id('The work item’s id (a UUID, not its WI-42 key).') },
    run: async (request, { id }) => (await request(ToolWorkItemDocument, { id })).workItem,
  }),
  tool({
    name: 'create_work_item',
    title: 'Create a work item',
    description:
      'Creates a work item. With an SLA policy its due date follows the policy’s target unless dueAt is given; an assignee is notified.',
    scope: 'write:work_items',
    input: {
      title: z.string().min(1).max(200).describe('A short title.'),
      description: z.string().max(10_000).optional().describe('What it is about.'),
      priority: PRIORITY.optional().describe('Default MEDIUM.'),
      assigneeId: z.string().optional().describe('A member’s user id (see list_members).'),
      slaPolicyId: z.string().optional().describe('An SLA policy id (see list_sla_policies).'),
      dueAt: isoDate.optional().describe('Due date, ISO 8601; overrides the policy’s target.'),
    },
    run: async (request, input) => (await request(ToolCreateWorkItemDocument, { input })).createWorkItem,
  }),
  tool({
    name: 'assign_work_item',
    title: 'Assign a work item',
    description: 'Assigns a work item to a member (who is notified), or unassigns it with assigneeId null.',
    scope: 'write:work_items',
    input: {
      workItemId: id('The work item’s id.'),
      assigneeId: z.string().nullable().describe('A member’s user id, or null to unassign.'),
    },
    run: async (request, input) => (await request(ToolAssignWorkItemDocument, { input })).assignWorkItem,
  }),
  tool({
    name: 'change_work_item_status',
    title: 'Change a work item’s status',
    description:
      'Moves a work item to OPEN, IN_PROGRESS, WAITING, RESOLVED or CLOSED. Resolved and closed items are never SLA-warned.',
    scope: 'write:work_items',
    input: { workItemId: id('The work item’s id.'), status: STATUS },
    run: async (request, input) => (await request(ToolUpdateWorkItemStatusDocument, { input })).updateWorkItemStatus,
  }),
  tool({
    name: 'update_work_item',
    title: 'Update a work item',
    description:
      'Changes a work item’s title, description, priority or due date (null removes the due date); fields left out stay.',
    scope: 'write:work_items',
    input: {
      workItemId: id('The work item’s id.'),
      title: z.string().min(1).max(200).optional(),
      description: z.string().max(10_000).optional(),
      priority: PRIORITY.optional(),
      dueAt: isoDate.nullable().optional().describe('ISO 8601, or null to remove the due date.'),
    },
    run: async (request, input) => (await request(ToolUpdateWorkItemDocument, { input })).updateWorkItem,
  }),
  tool({
    name: 'list_sla_policies',
    title: 'List SLA policies',
    description:
      'The organization’s SLA policies: name, target (minutes to resolve) and how long before the target a warning goes out.',
    scope: 'read:sla_policies',
    input: {},
    run: async (request) => ({ items: (await request(ToolSlaPoliciesDocument, {})).slaPolicies }),
  }),
  tool({
    name: 'publish_notification',
    title: 'Notify a member',
    description:
      'Sends a notification (type CUSTOM) to one member of the organization: it appears in their inbox at once. Answers the notification.',
    scope: 'write:notifications',
    input: {
      userId: id('The member’s user id (see list_members).'),
      title: z.string().min(1).max(200).describe('The headline.'),
      message: z.string().max(2000).optional().describe('More text.'),
      url: z.url().optional().describe('Where the notification leads (https).'),
    },
    run: async (request, input) => (await request(ToolPublishNotificationDocument, { input })).publishNotification,
  }),
  tool({
    name: 'list_published_notifications',
    title: 'List notifications sent',
    description:
      'The notifications this service account published, newest first: recipient (user id), title, when, and readAt (null while unread).',
    scope: 'read:notifications',
    input: { ...page },
    run: async (request, { first, after }) =>
      listOf((await request(ToolPublishedNotificationsDocument, { first, after })).publishedNotifications),
  }),
  tool({
    name: 'list_members',
    title: 'List members',
    description: 'The organization’s members: user id, email, name and role (OWNER, ADMIN or MEMBER).',
    scope: 'read:members',
    input: { ...page },
    run: async (request, { first, after }) => listOf((await request(ToolMembersDocument, { first, after })).members),
  }),
  tool({
    name: 'search_audit_events',
    title: 'Search the audit log',
    description:
      'The organization’s audit events, newest first: who (actorType, actorId) did what (action, e.g. api_token.revoked) to what (targetType, targetId), from where (ip) and with which client. Filter by action, actor, client and time.',
    scope: 'read:audit',
    input: {
      action: z.string().optional().describe('Exactly this action, e.g. work_item.created.'),
      actorType: z.enum(['USER', 'SERVICE_ACCOUNT', 'SYSTEM', 'ANONYMOUS']).optional(),
      actorId: z.string().optional().describe('The user or service account that acted.'),
      client: z.string().optional().describe('The client the request came from, e.g. cli.'),
      since: isoDate.optional().describe('At or after this instant.'),
      until: isoDate.optional().describe('Before this instant.'),
      ...page,
    },
    run: async (request, { first, after, ...filter }) =>
      listOf((await request(ToolAuditEventsDocument, { first, after, filter })).auditEvents),
  }),
  tool({
    name: 'list_api_tokens',
    title: 'List API tokens',
    description:
      'API tokens of the organization’s service accounts: name, display prefix, scopes, expiry, last use. Never their secrets.',
    scope: 'read:tokens',
    input: {
      serviceAccountSlug: z.string().optional().describe('Only this service account’s tokens.'),
      includeRevoked: z.boolean().optional().describe('Include revoked tokens (default false).'),
      ...page,
    },
    run: async (request, { serviceAccountSlug, includeRevoked, first, after }) =>
      listOf(
        (
          await request(ToolApiTokensDocument, {
            serviceAccountSlug,
            includeRevoked: includeRevoked ?? false,
            first,
            after,
          })
        ).apiTokens,
      ),
  }),
  tool({
    name: 'create_api_token',
    title: 'Create an API token',
    description:
      'Creates an API token for a service account, with scopes the caller holds itself. Answers the secret (hld_…) once, in `token`: it cannot be read again.',
    scope: 'write:tokens',
    input: {
      serviceAccountSlug: z.string().min(1).describe('The service account it acts as.'),
      name: z.string().min(1).max(100).describe('What it is for.'),
      scopes: z.array(z.string()).min(1).describe('e.g. ["read:work_items"]; never more than the caller holds.'),
      expiresAt: isoDate.optional().describe('When it stops working, ISO 8601.'),
    },
    run: async (request, input) => (await request(ToolCreateApiTokenDocument, { input })).createApiToken,
  }),
  tool({
    name: 'list_webhook_endpoints',
    title: 'List webhook endpoints',
    description:
      'The organization’s webhook endpoints: id, url, events, whether enabled or failing. Their ids are what list_webhook_deliveries takes.',
    scope: 'read:organization',
    input: { ...page },
    run: async (request, { first, after }) =>
      listOf((await request(ToolWebhookEndpointsDocument, { first, after })).webhookEndpoints),
  }),
  tool({
    name: 'list_webhook_deliveries',
    title: 'List webhook deliveries',
    description:
      'An endpoint’s deliveries, newest first: event type, status (PENDING, SUCCEEDED, FAILED), attempts, the receiver’s HTTP status and last error.',
    scope: 'read:organization',
    input: {
      endpointId: id('The webhook endpoint’s id (see list_webhook_endpoints).'),
      status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']).optional(),
      ...page,
    },
    run: async (request, { endpointId, status, first, after }) =>
      listOf((await request(ToolWebhookDeliveriesDocument, { endpointId, status, first, after })).webhookDeliveries),
  }),
  tool({
    name: 'replay_webhook_delivery',
    title: 'Replay a webhook delivery',
    description:
      'Sends a delivery’s message again, as a new delivery with the same webhook-id (receivers deduplicate by it).',
    scope: 'write:organization',
    input: { id: id('The delivery’s id.') },
    run: async (request, { id }) =>
      (await request(ToolReplayWebhookDeliveryDocument, { input: { id } })).replayWebhookDelivery,
  }),
];
