// The limits every request meets, whatever carries it (HTTP, Server-Sent Events, WebSocket):
// the organization's requests per UTC minute and per UTC day, its queries and mutations in
// flight, its live connections. One call per request, checked and counted in one round trip
// to the shared counters (platform/limit-counters.ts); a refusal is RATE_LIMITED naming the
// limit, with the RateLimit header fields of every limit that applies.
import type { Principal } from '../auth/principal.ts';
import type { App } from '../platform/app.ts';
import { budgetRule, type CredentialLimits, rateRule } from '../platform/credential-limits.ts';
import { rateLimited } from '../platform/errors.ts';
import type { AdmitAnswer, LeaseRule, WindowRule } from '../platform/limit-counters.ts';
import type { LimitName, LimitPolicy } from '../platform/rate-limit-headers.ts';
import { type Limits, NO_LIMITS } from '../platform/tenant-limits.ts';
import type { Product } from '../products/catalog.ts';
import type { Standing } from '../products/standing.ts';
import { alertRequestsRefused } from '../security/causes.ts';
import { limitsFor } from './organization-limits.ts';

/** A request in flight holds its slot at most this long, should its instance die holding it. */
export const REQUEST_LEASE_MS = 60_000;
/** A live connection's slot lasts this long unless renewed (every third of it, while it is open). */
export const LIVE_LEASE_MS = 60_000;
/** When a refused live connection may try again: a slot frees when another closes, which nobody can foresee. */
export const LIVE_RETRY_AFTER_SECONDS = 30;

/** When a spent budget that never refills may be tried again: only a person setting it anew helps. */
export const SPENT_RETRY_AFTER_SECONDS = 3600;

/**
 * What a request is: an operation (query or mutation), a new live connection, a subscribe on a
 * connection already live, or a gateway's forward-auth check (counted, holding no slot).
 */
export type RequestKind = 'operation' | 'live' | 'subscribe' | 'check';

export interface RequestSubject {
  principal: Principal | null;
  product: Product;
  standing?: Standing;
}

export interface Admission {
  /** The limits that apply and where the request stands against each (for the RateLimit fields). */
  policies: LimitPolicy[];
  /** The slot taken (in flight or live), to hand back with `release`. */
  slot?: { key: string; lease: string };
}

export const NOTHING_HELD: Admission = { policies: [] };

export const orgKey = (
  organizationId: string,
  what: 'minute' | 'day' | 'inflight' | 'live' | 'refused' | 'refusedHour',
) => `org:${organizationId}:${what}`;

/** A count kept for usage only: never reached. */
const UNLIMITED = 2 ** 31 - 1;
/** The per-minute counts are kept this long, for the usage history. */
export const HISTORY_MINUTES = 1440;
const HISTORY_KEEP_SECONDS = HISTORY_MINUTES * 60 + 120;

interface NamedWindow extends WindowRule {
  name: LimitName;
  /** False for a count kept for usage only, which refuses nothing and goes in no header. */
  enforced?: boolean;
  /** Seconds to wait when it refuses, if not its window's reset. */
  retryAfter?: number;
}

/** The organization's request counts: per UTC minute (kept for the history) and per UTC day. */
function organizationWindows(org: string, limits: Limits): NamedWindow[] {
  return [
    {
      name: 'requestsPerMinute',
      key: orgKey(org, 'minute'),
      limit: limits.requestsPerMinute ?? UNLIMITED,
      enforced: limits.requestsPerMinute !== null,
      windowSeconds: 60,
      keepSeconds: HISTORY_KEEP_SECONDS,
    },
    {
      name: 'requestsPerDay',
      key: orgKey(org, 'day'),
      limit: limits.requestsPerDay ?? UNLIMITED,
      enforced: limits.requestsPerDay !== null,
      windowSeconds: 86_400,
    },
  ];
}

const refusedRules = (org: string): WindowRule[] => [
  { key: orgKey(org, 'refused'), limit: UNLIMITED, windowSeconds: 60, keepSeconds: HISTORY_KEEP_SECONDS },
  { key: orgKey(org, 'refusedHour'), limit: UNLIMITED, windowSeconds: 3600 },
];

/**
 * Counts a refusal for the organization's history, and raises one security alert when its
 * refusals in the clock hour pass LIMITS_REFUSAL_ALERT_THRESHOLD (the request that passes it
 * raises it; the alert itself is deduplicated per hour).
 */
async function recordRefusal(app: App, org: string) {
  const answer = await app.limitCounters.count(refusedRules(org));
  const threshold = app.config.LIMITS_REFUSAL_ALERT_THRESHOLD;
  const inHour = UNLIMITED - (answer.states[1]?.remaining ?? UNLIMITED);
  if (threshold > 0 && inHour === threshold + 1) await alertRequestsRefused(app, org, threshold);
}

/** What the organization uses now; counts of in-flight requests and live connections only while their limit is set. */
export async function organizationUsage(app: App, org: string, limits: Limits) {
  const [requestsThisMinute = 0, requestsToday = 0] = await app.limitCounters.peek(organizationWindows(org, limits));
  const [concurrentRequests, liveConnections] = await Promise.all([
    limits.concurrentRequests === null ? null : app.limitCounters.inUse(orgKey(org, 'inflight')),
    limits.liveConnections === null ? null : app.limitCounters.inUse(orgKey(org, 'live')),
  ]);
  return { requestsThisMinute, requestsToday, concurrentRequests, liveConnections };
}

/** Requests and refusals per UTC minute, the last `minutes` of them (at most a day), oldest first. */
export async function usageHistory(app: App, org: string, minutes: number) {
  const count = Math.max(1, Math.min(HISTORY_MINUTES, Math.floor(minutes)));
  const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const rules = [organizationWindows(org, NO_LIMITS)[0] as WindowRule, refusedRules(org)[0] as WindowRule];
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const at = thisMinute - (count - 1 - i) * 60_000;
      const [requests = 0, refused = 0] = await app.limitCounters.peek(rules, at);
      return { at: new Date(at), requests, refused };
    }),
  );
}

/** The credential's own counters and limits: an API token's, or an OAuth client's. */
export function credentialOf(principal: Principal) {
  if (!principal.credentialLimits) return null;
  if (principal.tokenId)
    return { kind: 'apiToken' as const, key: `token:${principal.tokenId}`, limits: principal.credentialLimits };
  if (principal.oauthClientId) {
    return {
      kind: 'oauthClient' as const,
      key: `oauth:${principal.oauthClientId}`,
      limits: principal.credentialLimits,
    };
  }
  return null;
}

/** The window rules of a credential's own limits. */
export function credentialWindows(principal: Principal, nowMs = Date.now()): NamedWindow[] {
  const credential = credentialOf(principal);
  if (!credential) return [];
  const windows: NamedWindow[] = [];
  const { rateLimit, budget } = credential.limits;
  if (rateLimit) windows.push({ name: `${credential.kind}.rateLimit`, ...rateRule(credential.key, rateLimit) });
  if (budget) {
    const { refills, ...rule } = budgetRule(credential.key, budget, nowMs);
    windows.push({
      name: `${credential.kind}.remaining`,
      ...rule,
      ...(refills ? {} : { retryAfter: SPENT_RETRY_AFTER_SECONDS }),
    });
  }
  return windows;
}

/**
 * Checks and counts a request against its organization's limits. Throws RATE_LIMITED when one
 * refuses (nothing is counted then); answers the policies and the slot it holds otherwise.
 */
export async function admitRequest(app: App, subject: RequestSubject, kind: RequestKind): Promise<Admission> {
  const { principal, standing } = subject;
  if (!principal || !standing) return NOTHING_HELD;
  const limits = limitsFor(subject.product, standing);
  const org = principal.organizationId;
  // The organization's requests are counted whether or not a limit is set, for its usage.
  const windows: NamedWindow[] = [...organizationWindows(org, limits), ...credentialWindows(principal)];
  let slot: (LeaseRule & { name: LimitName }) | undefined;
  if (kind === 'operation' && limits.concurrentRequests !== null) {
    slot = {
      name: 'concurrentRequests',
      key: orgKey(org, 'inflight'),
      max: limits.concurrentRequests,
      leaseMs: REQUEST_LEASE_MS,
    };
  } else if (kind === 'live' && limits.liveConnections !== null) {
    slot = { name: 'liveConnections', key: orgKey(org, 'live'), max: limits.liveConnections, leaseMs: LIVE_LEASE_MS };
  }
  // Counts kept for usage only need no answer: they are tallied off the request path.
  const counted = windows.filter((rule) => rule.enforced !== false);
  const tallied = windows.filter((rule) => rule.enforced === false);
  if (counted.length === 0 && !slot) {
    app.limitCounters.tally(tallied);
    return NOTHING_HELD;
  }
  const answer = await app.limitCounters.admit(counted, slot);
  if (answer.admitted) app.limitCounters.tally(tallied);
  const policies = policiesOf(counted, slot, answer);
  if (answer.admitted)
    return { policies, ...(slot && answer.lease ? { slot: { key: slot.key, lease: answer.lease } } : {}) };

  const window = answer.refusedByLease ? undefined : counted[answer.refusedBy ?? 0];
  const name = window?.name ?? slot?.name ?? 'requestsPerMinute';
  const retryAfter = window
    ? (window.retryAfter ?? answer.states[answer.refusedBy ?? 0]?.resetSeconds ?? 60)
    : name === 'liveConnections'
      ? LIVE_RETRY_AFTER_SECONDS
      : 1;
  const ofCredential = name.includes('.');
  app.metrics.rateLimitRefusals.inc({ limit: name, rule: ofCredential ? 'credential' : 'organization' });
  app.background(() => recordRefusal(app, org));
  throw rateLimited(retryAfter, name, policies, ofCredential ? 'credentialLimitReached' : 'organizationLimitReached');
}

function policiesOf(
  windows: readonly NamedWindow[],
  slot: (LeaseRule & { name: LimitName }) | undefined,
  answer: AdmitAnswer,
) {
  const policies: LimitPolicy[] = windows.flatMap((rule, i) => {
    if (rule.enforced === false) return [];
    const state = answer.states[i];
    return {
      name: rule.name,
      quota: rule.limit,
      // A budget that never refills has no window.
      ...(rule.retryAfter === undefined ? { windowSeconds: rule.windowSeconds } : {}),
      remaining: answer.unchecked ? rule.limit : (state?.remaining ?? 0),
      resetSeconds: rule.retryAfter ?? state?.resetSeconds ?? rule.windowSeconds,
    };
  });
  if (slot) {
    const inUse = answer.inUse ?? 0;
    policies.push({ name: slot.name, quota: slot.max, remaining: Math.max(0, slot.max - inUse), resetSeconds: 0 });
  }
  return policies;
}

/** Hands back the slot a request held (a lease nobody hands back ends by itself). */
export function releaseSlot(app: App, admission: Admission) {
  const { slot } = admission;
  if (slot) app.limitCounters.release(slot.key, slot.lease).catch(() => {});
}

/** What is left of a credential's own limits now: its budget and its rate limit's window. */
export async function credentialUsage(
  app: App,
  key: string,
  limits: CredentialLimits,
): Promise<{ remaining: number | null; windowRemaining: number | null }> {
  const now = Date.now();
  const rate = limits.rateLimit ? rateRule(key, limits.rateLimit) : null;
  const budget = limits.budget ? budgetRule(key, limits.budget, now) : null;
  const rules = [rate, budget].filter((rule) => rule !== null);
  const counts = await app.limitCounters.peek(rules, now);
  const left = (rule: WindowRule | null) => {
    if (!rule) return null;
    return Math.max(0, rule.limit - (counts[rules.indexOf(rule)] ?? 0));
  };
  return { remaining: left(budget), windowRemaining: left(rate) };
}
