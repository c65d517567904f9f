// The limit fields of machine credentials' create and update inputs (API tokens, OAuth clients).
import { builder } from '../../graphql/builder.ts';

export const RateLimitInput = builder.inputType('RateLimitInput', {
  fields: (t) => ({
    limit: t.int({ required: true }),
    windowSeconds: t.int({ required: true, description: 'At most 366 days.' }),
  }),
});

export const RefillInput = builder.inputType('RefillInput', {
  fields: (t) => ({
    amount: t.int({ required: true }),
    intervalSeconds: t.int({ required: true, description: 'At most 366 days.' }),
  }),
});

type InputFields = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** The limit fields of a credential's create and update inputs (a field left out stays, null removes it). */
export const credentialLimitFields = (t: InputFields) => ({
  rateLimit: t.field({ type: RateLimitInput, description: 'Its own rate limit; null removes it.' }),
  remaining: t.int({
    description:
      'A budget of requests, each authenticated request spends one; setting it resets the live budget, null removes it.',
  }),
  refill: t.field({ type: RefillInput, description: 'Refills the budget; null stops refilling.' }),
});
