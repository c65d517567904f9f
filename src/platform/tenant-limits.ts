// An organization's limits (DESIGN § Limits): requests per UTC minute and per UTC day,
// queries and mutations in flight, live connections. Null is unlimited. Three sources meet:
// the product's defaults, the operator's overrides for the organization (null: the default
// applies) and the organization's own lower values; the effective limit is the lowest that is set.
import { z } from 'zod';

export const LIMIT_FIELDS = ['requestsPerMinute', 'requestsPerDay', 'concurrentRequests', 'liveConnections'] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
export type Limits = Record<LimitField, number | null>;

export const NO_LIMITS: Limits = {
  requestsPerMinute: null,
  requestsPerDay: null,
  concurrentRequests: null,
  liveConnections: null,
};

/** One limit in an input: a positive whole number, or null for none. */
export const limitValue = z.number().int().min(1).max(1_000_000_000).nullable();

/** A set of limits in an input, each optional (left out: unchanged). */
export const limitsInput = z.object({
  requestsPerMinute: limitValue.optional(),
  requestsPerDay: limitValue.optional(),
  concurrentRequests: limitValue.optional(),
  liveConnections: limitValue.optional(),
});
export type LimitsInput = z.infer<typeof limitsInput>;

const capitalized = (field: LimitField) => `${field[0]?.toUpperCase()}${field.slice(1)}`;

/** The database column of a limit under a prefix: `default` + `RequestsPerMinute`. */
export const limitColumn = <P extends string>(prefix: P, field: LimitField) =>
  `${prefix}${capitalized(field)}` as `${P}${Capitalize<LimitField>}`;

/** The limits kept in a row's columns under `prefix`. */
export function limitsOf(row: Record<string, unknown>, prefix: string): Limits {
  const limits = { ...NO_LIMITS };
  for (const field of LIMIT_FIELDS) {
    const value = row[limitColumn(prefix, field)];
    limits[field] = typeof value === 'number' ? value : null;
  }
  return limits;
}

/** The columns under `prefix` that an input sets (fields left out are left out). */
export function limitColumns(prefix: string, input: LimitsInput | null | undefined): Record<string, number | null> {
  const columns: Record<string, number | null> = {};
  if (!input) return columns;
  for (const field of LIMIT_FIELDS) {
    const value = input[field];
    if (value !== undefined) columns[limitColumn(prefix, field)] = value;
  }
  return columns;
}

const lower = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** The limits that hold: the operator's override, else the product's default, lowered by the organization's own. */
export function effectiveLimits(defaults: Limits, overrides: Limits, own: Limits): Limits {
  const limits = { ...NO_LIMITS };
  for (const field of LIMIT_FIELDS) limits[field] = lower(overrides[field] ?? defaults[field], own[field]);
  return limits;
}

/** The plan's limits, before the organization's own: what its admins may only go below. */
export function planLimits(defaults: Limits, overrides: Limits): Limits {
  const limits = { ...NO_LIMITS };
  for (const field of LIMIT_FIELDS) limits[field] = overrides[field] ?? defaults[field];
  return limits;
}
