import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { grants, type Scope } from './auth/scopes.ts';
import { recordRefusedMutation } from './caller.ts';
import type { Context, Principal } from './context.ts';
import { forbidden, unauthenticated } from './errors.ts';

export interface AuthScopes {
  /** Anyone, signed in or not. The explicit marker for fields meant to be public. */
  public: boolean;
  /** A signed-in user (access JWT). */
  user: boolean;
  /** A service account (API token). */
  serviceAccount: boolean;
  /** A scope of the `<action>:<module>` grammar. */
  scope: Scope;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  AuthContexts: {
    user: Context & { principal: Principal & { kind: 'user' } };
    serviceAccount: Context & { principal: Principal & { kind: 'serviceAccount' } };
    scope: Context & { principal: Principal };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  // Counted only when a client asks for it.
  Connection: { totalCount: () => Promise<number> };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      public: true,
      user: context.principal?.kind === 'user',
      serviceAccount: context.principal?.kind === 'serviceAccount',
      scope: (required) => !!context.principal && grants(context.principal.scopes, required),
    }),
    unauthorizedError: (_parent, context, info) => {
      if (info.parentType.name === 'Mutation') recordRefusedMutation(context, info.fieldName);
      return context.principal ? forbidden() : unauthenticated();
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO 8601 string');
    return date;
  },
});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many there are in all, with the same filter, across every page.',
    resolve: (connection) => connection.totalCount(),
  }),
);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
