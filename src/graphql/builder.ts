import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { recordRefusedMutation } from '../auth/caller.ts';
import { refusalFor } from '../auth/refusal.ts';
import { grants, type Scope } from '../auth/scopes.ts';
import { unauthenticated } from '../platform/errors.ts';
import type { Context, Principal } from './context.ts';
import { ScalarProblem } from './scalar-problem.ts';

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
      return context.principal ? refusalFor(context.principal, info) : unauthenticated();
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

// A date and a time with its offset: `2030-01-31T09:00:00Z`, `2030-01-31T10:00:00.000+01:00`.
// Anything looser (a bare date, `1`, `tomorrow`) would be read in some time zone or guessed.
// Date would roll 2030-02-30 over into March; the calendar fields are checked first.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (!match) return new Date(Number.NaN);
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth ? new Date(value as string) : new Date(Number.NaN);
}

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 date-time with an offset, e.g. `2030-01-31T09:00:00Z`; answered in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = parseInstant(value);
    if (Number.isNaN(date.getTime())) {
      throw new ScalarProblem('Expected an ISO 8601 date-time with an offset, such as 2030-01-31T09:00:00Z.', {
        messageKey: 'invalidDateTime',
        fieldMessageKey: 'invalidDateTimeField',
      });
    }
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
