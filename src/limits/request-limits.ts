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
import type { Product } from '../products/catalog.ts';
import type { Standing } from '../products/standing.ts';
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

export const orgKey = (organizationId: string, what: 'minute' | 'day' | 'inflight' | 'live') =>
  `org:${organizationId}:${what}`;

interface NamedWindow extends WindowRule {
  name: LimitName;
  /** Seconds to wait when it refuses, if not its window's reset. */
  retryAfter?: number;
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
  const windows: NamedWindow[] = credentialWindows(principal);
  if (limits.requestsPerMinute !== null) {
    windows.push({
      name: 'requestsPerMinute',
      key: orgKey(org, 'minute'),
      limit: limits.requestsPerMinute,
      windowSeconds: 60,
    });
  }
  if (limits.requestsPerDay !== null) {
    windows.push({
      name: 'requestsPerDay',
      key: orgKey(org, 'day'),
      limit: limits.requestsPerDay,
      windowSeconds: 86_400,
    });
  }
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
  if (windows.length === 0 && !slot) return NOTHING_HELD;

  const answer = await app.limitCounters.admit(windows, slot);
  const policies = policiesOf(windows, slot, answer);
  if (answer.admitted)
    return { policies, ...(slot && answer.lease ? { slot: { key: slot.key, lease: answer.lease } } : {}) };

  const window = answer.refusedByLease ? undefined : windows[answer.refusedBy ?? 0];
  const name = window?.name ?? slot?.name ?? 'requestsPerMinute';
  const retryAfter = window
    ? (window.retryAfter ?? answer.states[answer.refusedBy ?? 0]?.resetSeconds ?? 60)
    : name === 'liveConnections'
      ? LIVE_RETRY_AFTER_SECONDS
      : 1;
  const ofCredential = name.includes('.');
  app.metrics.rateLimitRefusals.inc({ limit: name, rule: ofCredential ? 'credential' : 'organization' });
  throw rateLimited(retryAfter, name, policies, ofCredential ? 'credentialLimitReached' : 'organizationLimitReached');
}

function policiesOf(
  windows: readonly NamedWindow[],
  slot: (LeaseRule & { name: LimitName }) | undefined,
  answer: AdmitAnswer,
) {
  const policies: LimitPolicy[] = windows.map((rule, i) => {
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
