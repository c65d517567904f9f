// Every root query and mutation, called by every kind of principal, answers what its
// authScopes say: allowed callers get past authorization (their answer may still be
// NOT_FOUND or BAD_USER_INPUT for the placeholder arguments), the others get FORBIDDEN
// when signed in and UNAUTHENTICATED when anonymous. Fields are read from the schema, so a
// new field is covered the day it is added.
import { randomUUID } from 'node:crypto';
import {
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grants, type Scope, VALID_SCOPES } from '../src/auth/scopes.ts';
import type { AuthScopes } from '../src/graphql/builder.ts';
import { OPERATOR_MODULES } from '../src/products/features.ts';
import { schema } from '../src/schema/index.ts';
import { addMember, createMachineToken } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { startServer, type TestServer } from './helpers/server.ts';

type Requirement = Partial<AuthScopes> & { $all?: Partial<AuthScopes> };

/** A placeholder value of an input type: enough to pass GraphQL validation. */
function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [placeholder(type.ofType)];
  if (isEnumType(type)) return type.getValues().at(-1)?.value; // the least privileged (MEMBER…)
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return false;
      case 'ID':
        return randomUUID();
      case 'DateTime':
        return new Date(Date.now() + 3600_000).toISOString();
      default:
        return 'placeholder';
    }
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const declarations = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    query: `${kind} Probe${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, placeholder(arg.type)])),
  };
}

const rootFields = (['query', 'mutation'] as const).flatMap((kind) => {
  const type = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(type?.getFields() ?? {}).map((field) => ({
    kind,
    field,
    requirement: (field.extensions.pothosOptions as { authScopes: Requirement }).authScopes,
  }));
});

interface Caller {
  label: string;
  kind: 'user' | 'serviceAccount' | 'anonymous';
  scopes: readonly string[];
  token?: string;
  /** A member, or a credential outside an operator organization: the operator modules are not held. */
  notOperator?: boolean;
}

function allowed(requirement: Requirement, caller: Caller): boolean {
  if (requirement.$all) {
    return Object.entries(requirement.$all).every(([name, value]) => allowed({ [name]: value }, caller));
  }
  if (requirement.public) return true;
  if (requirement.user && caller.kind === 'user') return true;
  if (requirement.serviceAccount && caller.kind === 'serviceAccount') return true;
  if (!requirement.scope || caller.kind === 'anonymous') return false;
  if (caller.notOperator && OPERATOR_MODULES.includes(requirement.scope.split(':')[1] as string)) return false;
  return grants(caller.scopes, requirement.scope);
}

let server: TestServer;
let people: Caller[];
/** Tokens holding exactly one scope, in our organization and in another one. */
let tokens: Map<string, string>;
let foreignTokens: Map<string, string>;

beforeAll(async () => {
  server = await startServer();
  const owner = await createOwner(server);
  const admin = await addMember(server, owner, 'ADMIN');
  const member = await addMember(server, owner, 'MEMBER');
  const other = await createOwner(server);
  // The owner's organization is the oldest, so it operates the default product: only there do
  // its owners, admins and tokens hold the operator modules, and its members never do.
  people = [
    { label: 'owner', kind: 'user', scopes: ['write:*'], token: owner.accessToken },
    { label: 'admin', kind: 'user', scopes: ['write:*'], token: admin.accessToken },
    {
      label: 'member',
      kind: 'user',
      scopes: ['read:*', 'write:work_items'],
      token: member.accessToken,
      notOperator: true,
    },
    { label: 'anonymous', kind: 'anonymous', scopes: [] },
  ];
  const mint = async (account: { accessToken: string }) =>
    new Map(
      await Promise.all(
        VALID_SCOPES.map(async (scope) => [scope, (await createMachineToken(server, account, [scope])).token] as const),
      ),
    );
  [tokens, foreignTokens] = [await mint(owner), await mint(other)];
});
afterAll(() => server?.close());

/** The callers for one field: the people, plus tokens with and without the scope it needs. */
function callersFor(requirement: Requirement): Caller[] {
  const needed: Scope = requirement.scope ?? requirement.$all?.scope ?? 'read:organization';
  const lacking = VALID_SCOPES.find((scope) => !grants([scope], needed)) as Scope;
  const token = (label: string, scope: Scope, from: Map<string, string>): Caller => ({
    label,
    kind: 'serviceAccount',
    scopes: [scope],
    token: from.get(scope),
  });
  return [
    ...people,
    token(`token with ${needed}`, needed, tokens),
    token(`token with only ${lacking}`, lacking, tokens),
    {
      ...token(`other organization's token with ${needed}`, needed, foreignTokens),
      // Outside an operator organization the operator scopes are not held, whatever a token lists.
      notOperator: true,
    },
  ];
}

describe('authorization matrix', () => {
  it('covers the root fields', () => {
    expect(rootFields.length).toBeGreaterThan(30);
  });

  // What the design asks of each root field, so that a loosened declaration fails here.
  const declared = {
    me: { user: true },
    organization: { scope: 'read:organization' },
    myOrganizations: { user: true },
    register: { public: true },
    login: { public: true },
    selectOrganization: { public: true },
    switchOrganization: { user: true },
    refresh: { public: true },
    logout: { public: true },
    logoutAll: { user: true },
    requestPasswordReset: { public: true },
    resetPassword: { public: true },
    changePassword: { user: true },
    updateProfile: { user: true },
    slaPolicies: { scope: 'read:sla_policies' },
    createSlaPolicy: { scope: 'write:sla_policies' },
    workItems: { scope: 'read:work_items' },
    workItem: { scope: 'read:work_items' },
    createWorkItem: { scope: 'write:work_items' },
    assignWorkItem: { scope: 'write:work_items' },
    updateWorkItemStatus: { scope: 'write:work_items' },
    updateWorkItem: { scope: 'write:work_items' },
    updateSlaPolicy: { scope: 'write:sla_policies' },
    deleteSlaPolicy: { scope: 'write:sla_policies' },
    updateOrganization: { scope: 'write:organization' },
    securityAlertSettings: { scope: 'read:organization' },
    updateSecurityAlertSettings: { scope: 'write:organization' },
    revokeInvitation: { scope: 'write:members' },
    resendInvitation: { scope: 'write:members' },
    leaveOrganization: { user: true },
    notifications: { user: true },
    unreadNotificationCount: { user: true },
    markNotificationRead: { user: true },
    markAllNotificationsRead: { user: true },
    markNotificationUnread: { user: true },
    archiveNotification: { user: true },
    unarchiveNotification: { user: true },
    archiveAllRead: { user: true },
    notificationPreferences: { user: true },
    updateNotificationPreferences: { user: true },
    publishNotification: { $all: { serviceAccount: true, scope: 'write:notifications' } },
    publishedNotifications: { $all: { serviceAccount: true, scope: 'read:notifications' } },
    members: { scope: 'read:members' },
    invitations: { scope: 'read:members' },
    inviteMember: { scope: 'write:members' },
    acceptInvitation: { public: true },
    updateMemberRole: { scope: 'write:members' },
    removeMember: { scope: 'write:members' },
    serviceAccounts: { scope: 'read:service_accounts' },
    serviceAccount: { scope: 'read:service_accounts' },
    createServiceAccount: { scope: 'write:service_accounts' },
    updateServiceAccount: { scope: 'write:service_accounts' },
    deleteServiceAccount: { scope: 'write:service_accounts' },
    apiTokens: { scope: 'read:tokens' },
    apiToken: { scope: 'read:tokens' },
    createApiToken: { scope: 'write:tokens' },
    updateApiToken: { scope: 'write:tokens' },
    revokeApiToken: { scope: 'write:tokens' },
    rotateApiToken: { scope: 'write:tokens' },
    oauthClients: { scope: 'read:tokens' },
    oauthClient: { scope: 'read:tokens' },
    createOAuthClient: { scope: 'write:tokens' },
    revokeOAuthClient: { scope: 'write:tokens' },
    rotateOAuthClientSecret: { scope: 'write:tokens' },
    auditEvents: { scope: 'read:audit' },
    webhookEndpoints: { scope: 'read:organization' },
    webhookEndpoint: { scope: 'read:organization' },
    webhookDeliveries: { scope: 'read:organization' },
    createWebhookEndpoint: { scope: 'write:organization' },
    updateWebhookEndpoint: { scope: 'write:organization' },
    deleteWebhookEndpoint: { scope: 'write:organization' },
    rotateWebhookEndpointSecret: { scope: 'write:organization' },
    replayWebhookDelivery: { scope: 'write:organization' },
    sendTestWebhook: { scope: 'write:organization' },
    product: { public: true },
    productOrganizations: { scope: 'read:products' },
    createProduct: { scope: 'write:products' },
    updateProduct: { scope: 'write:products' },
    updateOrganizationSubscription: { scope: 'write:subscriptions' },
    updateOrganizationLimits: { scope: 'write:organization' },
    updateOAuthClient: { scope: 'write:tokens' },
  };
  it.each(Object.entries(declared))('%s requires %o', (name, requirement) => {
    expect(rootFields.find((entry) => entry.field.name === name)?.requirement).toEqual(requirement);
  });

  it('pins every root query and mutation', () => {
    expect(rootFields.map((entry) => entry.field.name).sort()).toEqual(Object.keys(declared).sort());
  });

  // logoutAll really ends the signed-in callers' sessions, so it goes last; createProduct
  // really creates the placeholder product, which updateProduct must not find, so it comes
  // just before.
  const late = ['createProduct', 'logoutAll'];
  const ordered = [...rootFields].sort((a, b) => late.indexOf(a.field.name) - late.indexOf(b.field.name));
  it.each(ordered.map((entry) => [`${entry.kind} ${entry.field.name}`, entry] as const))(
    '%s',
    async (_name, { kind, field, requirement }) => {
      const { query, variables } = operationFor(kind, field);
      const callers = callersFor(requirement);
      const outcomes = await Promise.all(
        callers.map(async (caller) => {
          const response = await server.post({ query, variables }, { token: caller.token });
          const body = (await response.json()) as {
            errors?: { message: string; extensions?: { code?: string; reason?: string; requiredScopes?: string[] } }[];
          };
          const error = body.errors?.[0];
          // Past the scopes, an operator's field refuses whoever does not operate the product.
          if (error?.extensions?.reason === 'OPERATOR_ONLY') return [caller.label, 'OPERATOR_ONLY'] as const;
          if (error?.extensions?.code === 'FORBIDDEN') {
            return [caller.label, `FORBIDDEN ${error.extensions.requiredScopes?.join(' ')}`] as const;
          }
          const refused = error?.extensions?.code === 'UNAUTHENTICATED' && error.message === 'Authentication required.';
          return [caller.label, refused ? 'UNAUTHENTICATED' : 'allowed'] as const;
        }),
      );
      // A refusal names the scopes the field needs.
      const needed = requirement.scope ?? requirement.$all?.scope ?? '';
      const expected = callers.map((caller) => {
        if (allowed(requirement, caller)) {
          // createProduct names no target to be NOT_FOUND: the operators of the default
          // product (the oldest organization here, the owner's) are the only ones let through.
          const operator = caller.label !== 'member' && !caller.label.startsWith('other organization');
          if (field.name === 'createProduct' && !operator) return [caller.label, 'OPERATOR_ONLY'] as const;
          return [caller.label, 'allowed'] as const;
        }
        return [caller.label, caller.kind === 'anonymous' ? 'UNAUTHENTICATED' : `FORBIDDEN ${needed}`] as const;
      });
      expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(expected));
    },
  );
});
