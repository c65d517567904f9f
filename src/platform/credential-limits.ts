// A machine credential's own limits (API tokens, OAuth clients), as the best API-key services
// give each key: a rate limit (`limit` requests per fixed window of `windowSeconds`), and a
// usage budget (`remaining` requests, each authenticated request spends one), refilled to
// `refill.amount` at the start of every `refill.intervalSeconds` (windows aligned on the Unix
// epoch, so a day is a UTC day) when set. Setting `remaining` resets the live budget.
import { z } from 'zod';
import type { WindowRule } from './limit-counters.ts';

export interface CredentialLimits {
  rateLimit: { limit: number; windowSeconds: number } | null;
  budget: {
    /** The budget as last set. */
    remaining: number;
    /** When it was set (ms): the budget counts from then. */
    setAtMs: number;
    refill: { amount: number; intervalSeconds: number } | null;
  } | null;
}

export const NO_CREDENTIAL_LIMITS: CredentialLimits = { rateLimit: null, budget: null };

const count = z.number().int().min(1).max(1_000_000_000);
const seconds = z
  .number()
  .int()
  .min(1)
  .max(366 * 86_400);

/** The fields of a create or update input: left out unchanged, null removes. */
export const credentialLimitsInput = {
  rateLimit: z.object({ limit: count, windowSeconds: seconds }).nullish(),
  remaining: z.number().int().min(0).max(1_000_000_000).nullish(),
  refill: z.object({ amount: count, intervalSeconds: seconds }).nullish(),
};
export type CredentialLimitsInput = {
  rateLimit?: { limit: number; windowSeconds: number } | null;
  remaining?: number | null;
  refill?: { amount: number; intervalSeconds: number } | null;
};

/** The columns a credential's limits are kept in. */
export interface CredentialLimitColumns {
  rateLimit: number | null;
  rateLimitWindowSeconds: number | null;
  remaining: number | null;
  remainingSetAt: Date | null;
  refillAmount: number | null;
  refillIntervalSeconds: number | null;
}

export const CREDENTIAL_LIMIT_SELECT = {
  rateLimit: true,
  rateLimitWindowSeconds: true,
  remaining: true,
  remainingSetAt: true,
  refillAmount: true,
  refillIntervalSeconds: true,
} as const;

export function credentialLimitsOf(row: CredentialLimitColumns): CredentialLimits {
  return {
    rateLimit:
      row.rateLimit !== null && row.rateLimitWindowSeconds !== null
        ? { limit: row.rateLimit, windowSeconds: row.rateLimitWindowSeconds }
        : null,
    budget:
      row.remaining !== null
        ? {
            remaining: row.remaining,
            setAtMs: row.remainingSetAt?.getTime() ?? 0,
            refill:
              row.refillAmount !== null && row.refillIntervalSeconds !== null
                ? { amount: row.refillAmount, intervalSeconds: row.refillIntervalSeconds }
                : null,
          }
        : null,
  };
}

/** The columns an input changes; setting `remaining` (or the refill) starts the budget anew. */
export function credentialLimitColumns(
  input: CredentialLimitsInput,
  now = new Date(),
): Partial<CredentialLimitColumns> {
  const columns: Partial<CredentialLimitColumns> = {};
  if (input.rateLimit !== undefined) {
    columns.rateLimit = input.rateLimit?.limit ?? null;
    columns.rateLimitWindowSeconds = input.rateLimit?.windowSeconds ?? null;
  }
  if (input.remaining !== undefined) {
    columns.remaining = input.remaining;
    columns.remainingSetAt = input.remaining === null ? null : now;
  }
  if (input.refill !== undefined) {
    columns.refillAmount = input.refill?.amount ?? null;
    columns.refillIntervalSeconds = input.refill?.intervalSeconds ?? null;
  }
  return columns;
}

/** Whether an input changes any limit. */
export const changesLimits = (input: CredentialLimitsInput) =>
  input.rateLimit !== undefined || input.remaining !== undefined || input.refill !== undefined;

/** A budget without refill never resets: one window that spans any credential's life. */
const NEVER_SECONDS = 100 * 366 * 86_400;

/** The counter rule of a credential's rate limit, under `key` (e.g. `token:<id>`). */
export const rateRule = (key: string, rateLimit: NonNullable<CredentialLimits['rateLimit']>): WindowRule => ({
  key: `${key}:rate:${rateLimit.windowSeconds}`,
  limit: rateLimit.limit,
  windowSeconds: rateLimit.windowSeconds,
});

/**
 * The counter rule of a credential's budget: the requests spent in the current refill interval
 * (or ever, without refill), since the budget was set. In the interval it was set in, the budget
 * is what was set; in every later one, the refill's amount.
 */
export function budgetRule(
  key: string,
  budget: NonNullable<CredentialLimits['budget']>,
  nowMs = Date.now(),
): WindowRule & { refills: boolean } {
  const windowSeconds = budget.refill?.intervalSeconds ?? NEVER_SECONDS;
  const windowStartMs = Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds * 1000;
  const limit = !budget.refill || windowStartMs <= budget.setAtMs ? budget.remaining : budget.refill.amount;
  return { key: `${key}:budget:${budget.setAtMs}`, limit, windowSeconds, refills: !!budget.refill };
}
