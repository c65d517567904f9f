// The limits of a machine credential of its own (API tokens; OAuth clients take the same
// fields): a rate limit, a usage budget and its refill, and what is left of them now.
import type { ApiToken, OAuthClient } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { credentialUsage } from '../../limits/request-limits.ts';
import { updateOAuthClient } from '../../machine/oauth-clients.ts';
import { type CredentialLimitColumns, credentialLimitsOf } from '../../platform/credential-limits.ts';
import { OAuthClientRef } from '../machine/oauth-clients.ts';
import { ApiTokenRef } from '../machine/types.ts';
import { credentialLimitFields } from './inputs.ts';

export const RateLimitRef = builder.objectRef<{ limit: number; windowSeconds: number }>('RateLimit').implement({
  description: 'At most `limit` requests in each fixed window of `windowSeconds`.',
  fields: (t) => ({ limit: t.exposeInt('limit'), windowSeconds: t.exposeInt('windowSeconds') }),
});

export const RefillRef = builder.objectRef<{ amount: number; intervalSeconds: number }>('Refill').implement({
  description:
    'The budget is set back to `amount` at the start of every interval of `intervalSeconds` (intervals aligned on the Unix epoch: 86400 is the UTC day).',
  fields: (t) => ({ amount: t.exposeInt('amount'), intervalSeconds: t.exposeInt('intervalSeconds') }),
});

export const CredentialUsageRef = builder
  .objectRef<{ remaining: number | null; windowRemaining: number | null }>('CredentialUsage')
  .implement({
    description: 'What is left now; null where no limit is set.',
    fields: (t) => ({
      remaining: t.exposeInt('remaining', { nullable: true, description: 'Requests left in the budget.' }),
      windowRemaining: t.exposeInt('windowRemaining', {
        nullable: true,
        description: 'Requests left in the rate limit’s current window.',
      }),
    }),
  });

/** The limit fields of a credential type. */
const limitFields = <T extends CredentialLimitColumns>(key: (row: T) => string) =>
  ({
    rateLimit: (row: T) => credentialLimitsOf(row).rateLimit,
    refill: (row: T) => credentialLimitsOf(row).budget?.refill ?? null,
    usage: (row: T, app: Parameters<typeof credentialUsage>[0]) =>
      credentialUsage(app, key(row), credentialLimitsOf(row)),
  }) as const;

const tokens = limitFields<ApiToken>((token) => `token:${token.id}`);
const clients = limitFields<OAuthClient>((client) => `oauth:${client.clientId}`);

builder.objectFields(ApiTokenRef, (t) => ({
  rateLimit: t.field({ type: RateLimitRef, nullable: true, resolve: (token) => tokens.rateLimit(token) }),
  remaining: t.int({
    nullable: true,
    description: 'The live budget (as `usage.remaining`); null without one.',
    resolve: async (token, _args, { app }) => (await tokens.usage(token, app)).remaining,
  }),
  refill: t.field({ type: RefillRef, nullable: true, resolve: (token) => tokens.refill(token) }),
  usage: t.field({ type: CredentialUsageRef, resolve: (token, _args, { app }) => tokens.usage(token, app) }),
}));

builder.objectFields(OAuthClientRef, (t) => ({
  rateLimit: t.field({ type: RateLimitRef, nullable: true, resolve: (client) => clients.rateLimit(client) }),
  remaining: t.int({
    nullable: true,
    description: 'The live budget (as `usage.remaining`); null without one. Token requests and API requests spend it.',
    resolve: async (client, _args, { app }) => (await clients.usage(client, app)).remaining,
  }),
  refill: t.field({ type: RefillRef, nullable: true, resolve: (client) => clients.refill(client) }),
  usage: t.field({ type: CredentialUsageRef, resolve: (client, _args, { app }) => clients.usage(client, app) }),
}));

const UpdateOAuthClientInput = builder.inputType('UpdateOAuthClientInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), ...credentialLimitFields(t) }),
});

builder.mutationFields((t) => ({
  updateOAuthClient: t.withAuth({ scope: 'write:tokens' }).field({
    type: OAuthClientRef,
    description: 'Renames a client or changes its own limits (fields left out stay, null removes a limit).',
    args: { input: t.arg({ type: UpdateOAuthClientInput, required: true }) },
    resolve: (_root, { input }, caller) => updateOAuthClient(caller, input),
  }),
}));
