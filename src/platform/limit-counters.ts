// The counters behind tenants' limits: fixed windows (requests per UTC minute, per UTC day,
// per token window) and leases (requests in flight). In Redis, shared by every instance, with
// one script per request, so that a check and its count are one atomic round trip; in memory
// on one instance without REDIS_URL.
//
// A limit must never make Herald refuse every tenant because Redis is away. While Redis does
// not answer, counts are admitted unchecked for at most `failOpenSeconds` (logged once per
// outage and counted in herald_rate_limit_fail_open_total); past that, each instance enforces
// the limits from its own memory until Redis answers again, which lets a tenant at most one
// allowance per instance.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from './observability/logger.ts';

export interface WindowRule {
  /** What is counted, e.g. `org:<id>:minute`; the window's start is added to it. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** How long a window's count is kept after it starts, when longer than the window (for history). */
  keepSeconds?: number;
}

/** How long a window's count lives, in ms. */
const keepMs = (rule: WindowRule) => Math.max(rule.windowSeconds + 60, rule.keepSeconds ?? 0) * 1000;

export interface WindowState {
  limit: number;
  /** What is left in the window after this request (0 when refused). */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
}

export interface CountAnswer {
  /** False when some rule was at its limit: then nothing was counted. */
  admitted: boolean;
  /** The index of the first rule at its limit. */
  refusedBy?: number;
  /** Each rule's state, in the order given. */
  states: WindowState[];
  /** True when the answer was not checked against shared counters (Redis away). */
  unchecked?: boolean;
}

export interface LeaseAnswer {
  admitted: boolean;
  /** Leases held after this one (or at the refusal). */
  inUse: number;
  /** Hand back to `release`; set when admitted. */
  lease?: string;
}

export interface LeaseRule {
  key: string;
  /** Leases that may be held at once. */
  max: number;
  /** A lease nobody releases (or renews) ends after this. */
  leaseMs: number;
}

export interface AdmitAnswer extends CountAnswer {
  /** Set when a lease was asked for and nothing refused (absent when admitted unchecked). */
  lease?: string;
  /** Leases held after this one (or at the refusal), when a lease was asked for. */
  inUse?: number;
  /** True when the lease rule refused (then `refusedBy` is unset and nothing was counted). */
  refusedByLease?: boolean;
}

export interface LimitCounters {
  /**
   * Counts one against every window rule and takes a lease, atomically and in one round trip:
   * all of it, or, when a window is at its limit or every lease is taken, none.
   */
  admit(rules: readonly WindowRule[], lease?: LeaseRule, nowMs?: number): Promise<AdmitAnswer>;
  /**
   * Counts one against every rule without checking anything (usage where no limit applies).
   * In Redis the counts of every request of this instance are added together, at most a
   * second later, off the request path; `peek` on this instance sees them at once.
   */
  tally(rules: readonly WindowRule[], nowMs?: number): void;
  /** Extends a lease held for a long-lived thing (a live connection) by `leaseMs` from now. */
  renew(key: string, lease: string, leaseMs: number, nowMs?: number): Promise<void>;
  /** Counts one against every rule, atomically: all or, when one is at its limit, none. */
  count(rules: readonly WindowRule[], nowMs?: number): Promise<CountAnswer>;
  /** Reads the counts without changing them (for usage). */
  peek(rules: readonly WindowRule[], nowMs?: number): Promise<number[]>;
  /** Takes one of at most `max` leases on `key`; a lease nobody releases ends after `leaseMs`. */
  acquire(key: string, max: number, leaseMs: number, nowMs?: number): Promise<LeaseAnswer>;
  release(key: string, lease: string): Promise<void>;
  /** Leases held on `key` now. */
  inUse(key: string, nowMs?: number): Promise<number>;
}

const windowStart = (nowMs: number, windowSeconds: number) => Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
const resetOf = (nowMs: number, windowSeconds: number) =>
  Math.max(1, windowStart(nowMs, windowSeconds) + windowSeconds - Math.floor(nowMs / 1000));
const stateOf = (rule: WindowRule, count: number, nowMs: number): WindowState => ({
  limit: rule.limit,
  remaining: Math.max(0, rule.limit - count),
  resetSeconds: resetOf(nowMs, rule.windowSeconds),
  windowSeconds: rule.windowSeconds,
});

let leaseSerial = 0;
const newLease = () => `${process.pid}.${Date.now().toString(36)}.${(leaseSerial++).toString(36)}`;

/** Counters in this process's memory. */
export function memoryCounters(): LimitCounters {
  // key@windowStart → count; entries of ended windows are dropped as they are passed.
  const windows = new Map<string, { count: number; endsAt: number }>();
  const leases = new Map<string, Map<string, number>>();
  const windowOf = (rule: WindowRule, nowMs: number) => {
    const start = windowStart(nowMs, rule.windowSeconds);
    const name = `${rule.key}@${start}`;
    let entry = windows.get(name);
    if (!entry) {
      entry = { count: 0, endsAt: start * 1000 + keepMs(rule) };
      windows.set(name, entry);
      // Sweep ended windows now and then, so that memory holds only live ones.
      if (windows.size % 1024 === 0) for (const [k, e] of windows) if (e.endsAt <= nowMs) windows.delete(k);
    }
    return entry;
  };
  const live = (key: string, nowMs: number) => {
    const held = leases.get(key);
    if (!held) return undefined;
    for (const [lease, until] of held) if (until <= nowMs) held.delete(lease);
    if (held.size === 0) leases.delete(key);
    return held.size === 0 ? undefined : held;
  };
  const counters: LimitCounters = {
    async admit(rules, leaseRule, nowMs = Date.now()) {
      const entries = rules.map((rule) => windowOf(rule, nowMs));
      const states = () => rules.map((r, i) => stateOf(r, entries[i]?.count ?? 0, nowMs));
      const refusedBy = entries.findIndex((entry, i) => entry.count >= (rules[i] as WindowRule).limit);
      const held = leaseRule ? (live(leaseRule.key, nowMs) ?? new Map<string, number>()) : undefined;
      if (refusedBy >= 0) return { admitted: false, refusedBy, states: states(), inUse: held?.size };
      if (leaseRule && held && held.size >= leaseRule.max) {
        return { admitted: false, refusedByLease: true, states: states(), inUse: held.size };
      }
      for (const entry of entries) entry.count++;
      if (!leaseRule || !held) return { admitted: true, states: states() };
      const lease = newLease();
      held.set(lease, nowMs + leaseRule.leaseMs);
      leases.set(leaseRule.key, held);
      return { admitted: true, states: states(), lease, inUse: held.size };
    },
    tally(rules, nowMs = Date.now()) {
      for (const rule of rules) windowOf(rule, nowMs).count++;
    },
    async renew(key, lease, leaseMs, nowMs = Date.now()) {
      const held = leases.get(key);
      if (held?.has(lease)) held.set(lease, nowMs + leaseMs);
    },
    async count(rules, nowMs = Date.now()) {
      const entries = rules.map((rule) => windowOf(rule, nowMs));
      const refusedBy = entries.findIndex((entry, i) => entry.count >= (rules[i] as WindowRule).limit);
      if (refusedBy >= 0) {
        return { admitted: false, refusedBy, states: rules.map((r, i) => stateOf(r, entries[i]?.count ?? 0, nowMs)) };
      }
      for (const entry of entries) entry.count++;
      return { admitted: true, states: rules.map((r, i) => stateOf(r, entries[i]?.count ?? 0, nowMs)) };
    },
    async peek(rules, nowMs = Date.now()) {
      return rules.map((rule) => windows.get(`${rule.key}@${windowStart(nowMs, rule.windowSeconds)}`)?.count ?? 0);
    },
    async acquire(key, max, leaseMs, nowMs = Date.now()) {
      const held = live(key, nowMs) ?? new Map<string, number>();
      if (held.size >= max) return { admitted: false, inUse: held.size };
      const lease = newLease();
      held.set(lease, nowMs + leaseMs);
      leases.set(key, held);
      return { admitted: true, inUse: held.size, lease };
    },
    async release(key, lease) {
      const held = leases.get(key);
      held?.delete(lease);
      if (held?.size === 0) leases.delete(key);
    },
    async inUse(key, nowMs = Date.now()) {
      return live(key, nowMs)?.size ?? 0;
    },
  };
  return counters;
}

// All rules are read first and counted only if none is at its limit: a refused request takes
// nothing from any budget. Answers the counts after the request (or at the refusal) and the
// 1-based index of the refusing rule (0 when admitted).
const COUNT_SCRIPT = `
local counts = {}
for i = 1, #KEYS do
  counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if counts[i] >= tonumber(ARGV[2 * i - 1]) then
    for j = i + 1, #KEYS do counts[j] = tonumber(redis.call('GET', KEYS[j]) or '0') end
    table.insert(counts, 1, i)
    return counts
  end
end
for i = 1, #KEYS do
  counts[i] = redis.call('INCR', KEYS[i])
  if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
table.insert(counts, 1, 0)
return counts
`;
// Expired leases are dropped before counting, so a crashed instance's leases end by themselves.
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[3]) then return {0, held} end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, held + 1}
`;

// COUNT_SCRIPT and ACQUIRE_SCRIPT in one: the windows (KEYS[1..n]) and, when ARGV[1] is 1, a
// lease on KEYS[n+1]. Answers the 1-based index of the refusing rule (n+1: the lease; 0 when
// admitted), the leases held, then the windows' counts.
const ADMIT_SCRIPT = `
local n = tonumber(ARGV[2])
local counts = {}
local refused = 0
for i = 1, n do
  counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if refused == 0 and counts[i] >= tonumber(ARGV[1 + 2 * i]) then refused = i end
end
local held = 0
local base = 2 + 2 * n
if ARGV[1] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[n + 1], '-inf', ARGV[base + 1])
  held = redis.call('ZCARD', KEYS[n + 1])
  if refused == 0 and held >= tonumber(ARGV[base + 3]) then refused = n + 1 end
end
if refused == 0 then
  for i = 1, n do
    counts[i] = redis.call('INCR', KEYS[i])
    if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 + 2 * i]) end
  end
  if ARGV[1] == '1' then
    redis.call('ZADD', KEYS[n + 1], ARGV[base + 2], ARGV[base + 4])
    redis.call('PEXPIRE', KEYS[n + 1], ARGV[base + 5])
    held = held + 1
  end
end
table.insert(counts, 1, held)
table.insert(counts, 1, refused)
return counts
`;
// Adds the counts of KEYS[i] (ARGV[2i-1]) and keeps each for ARGV[2i] ms.
const TALLY_SCRIPT = `
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
end
return 1
`;
const TALLY_FLUSH_MS = 1000;
const RENEW_SCRIPT = `
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`;

type CountersRedis = Pick<Redis, 'eval' | 'evalsha' | 'mget' | 'zrem' | 'zcount'>;

/**
 * A script run by its SHA-1 (EVALSHA), so that a request sends its arguments and not the
 * script's text; sent whole once when Redis does not know it yet (after a restart, too).
 */
function script(redis: CountersRedis, source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (numKeys: number, ...args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, numKeys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, numKeys, ...args);
    }
  };
}

export interface SharedCountersOptions {
  redis: CountersRedis;
  namespace: string;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** How long counts are admitted unchecked while Redis is away, before memory takes over. */
  failOpenSeconds: number;
  /** Counted once for every request admitted unchecked. */
  onFailOpen?: () => void;
  /** A Redis answer slower than this counts as Redis being away. */
  timeoutMs?: number;
  /** The clock of the outage bookkeeping (tests). */
  now?: () => number;
}

/** Counters in Redis, with the fail-open and memory fallback described above. */
export function sharedCounters(options: SharedCountersOptions): LimitCounters {
  const { redis, namespace, logger, failOpenSeconds } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 250;
  const fallback = memoryCounters();
  const admitScript = script(redis, ADMIT_SCRIPT);
  const countScript = script(redis, COUNT_SCRIPT);
  const acquireScript = script(redis, ACQUIRE_SCRIPT);
  const renewScript = script(redis, RENEW_SCRIPT);
  const tallyScript = script(redis, TALLY_SCRIPT);
  /** Tallied counts not yet added in Redis, by their Redis key. */
  const tallied = new Map<string, { count: number; keepMs: number }>();
  let flushing: NodeJS.Timeout | undefined;
  const flushTally = () => {
    flushing = undefined;
    const batch = [...tallied];
    tallied.clear();
    if (batch.length === 0) return;
    const args = batch.flatMap(([, entry]) => [entry.count, entry.keepMs]);
    // Usage only: a batch Redis refuses is dropped, not retried.
    withTimeout(tallyScript(batch.length, ...batch.map(([key]) => key), ...args)).catch((error) =>
      logger.warn({ err: error, keys: batch.length }, 'limits: usage counts not recorded'),
    );
  };
  let downSince: number | undefined;
  const keyOf = (rule: WindowRule, nowMs: number) =>
    `${namespace}:limits:${rule.key}:${windowStart(nowMs, rule.windowSeconds)}`;
  const leaseKey = (key: string) => `${namespace}:leases:${key}`;

  const withTimeout = <T>(promise: Promise<T>) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  const up = () => {
    if (downSince === undefined) return;
    logger.info({ downSeconds: Math.round((now() - downSince) / 1000) }, 'limits: Redis answers again');
    downSince = undefined;
  };
  /** Whether to admit unchecked (true) or fall back to memory (false). */
  const down = (error: unknown) => {
    if (downSince === undefined) {
      downSince = now();
      logger.warn(
        { err: error, failOpenSeconds },
        'limits: Redis unreachable; admitting unchecked, then enforcing per instance',
      );
    }
    return now() - downSince < failOpenSeconds * 1000;
  };

  return {
    async admit(rules, leaseRule, nowMs = Date.now()) {
      if (rules.length === 0 && !leaseRule) return { admitted: true, states: [] };
      const lease = newLease();
      try {
        const keys = rules.map((rule) => keyOf(rule, nowMs));
        const args: (string | number)[] = [leaseRule ? 1 : 0, rules.length];
        for (const rule of rules) args.push(rule.limit, keepMs(rule));
        if (leaseRule) {
          keys.push(leaseKey(leaseRule.key));
          args.push(nowMs, nowMs + leaseRule.leaseMs, leaseRule.max, lease, leaseRule.leaseMs);
        }
        const answer = (await withTimeout(admitScript(keys.length, ...keys, ...args))) as number[];
        up();
        const [refused = 0, held = 0, ...counts] = answer;
        const states = rules.map((rule, i) => stateOf(rule, counts[i] ?? 0, nowMs));
        const inUse = leaseRule ? held : undefined;
        if (refused === 0) return { admitted: true, states, ...(leaseRule ? { lease, inUse } : {}) };
        if (refused > rules.length) return { admitted: false, refusedByLease: true, states, inUse };
        return { admitted: false, refusedBy: refused - 1, states, inUse };
      } catch (error) {
        if (!down(error)) return fallback.admit(rules, leaseRule, nowMs);
        options.onFailOpen?.();
        return { admitted: true, unchecked: true, states: rules.map((rule) => stateOf(rule, 0, nowMs)) };
      }
    },
    tally(rules, nowMs = Date.now()) {
      for (const rule of rules) {
        const key = keyOf(rule, nowMs);
        const entry = tallied.get(key);
        if (entry) entry.count++;
        else tallied.set(key, { count: 1, keepMs: keepMs(rule) });
      }
      if (!flushing) {
        flushing = setTimeout(flushTally, TALLY_FLUSH_MS);
        flushing.unref();
      }
    },
    async renew(key, lease, leaseMs, nowMs = Date.now()) {
      await Promise.all([
        withTimeout(renewScript(1, leaseKey(key), nowMs + leaseMs, lease, leaseMs)).catch(() => {}),
        fallback.renew(key, lease, leaseMs, nowMs),
      ]);
    },
    async count(rules, nowMs = Date.now()) {
      if (rules.length === 0) return { admitted: true, states: [] };
      try {
        const args = rules.flatMap((rule) => [rule.limit, keepMs(rule)]);
        const answer = (await withTimeout(
          countScript(rules.length, ...rules.map((rule) => keyOf(rule, nowMs)), ...args),
        )) as number[];
        up();
        const [refused, ...counts] = answer;
        const states = rules.map((rule, i) => stateOf(rule, counts[i] ?? 0, nowMs));
        return refused ? { admitted: false, refusedBy: (refused as number) - 1, states } : { admitted: true, states };
      } catch (error) {
        if (!down(error)) return fallback.count(rules, nowMs);
        options.onFailOpen?.();
        return { admitted: true, unchecked: true, states: rules.map((rule) => stateOf(rule, 0, nowMs)) };
      }
    },
    async peek(rules, nowMs = Date.now()) {
      if (rules.length === 0) return [];
      try {
        const keys = rules.map((rule) => keyOf(rule, nowMs));
        const values = await withTimeout(redis.mget(keys));
        return values.map((value, i) => Number(value ?? 0) + (tallied.get(keys[i] as string)?.count ?? 0));
      } catch {
        return fallback.peek(rules, nowMs);
      }
    },
    async acquire(key, max, leaseMs, nowMs = Date.now()) {
      const lease = newLease();
      try {
        const [admitted, inUse] = (await withTimeout(
          acquireScript(1, leaseKey(key), nowMs, nowMs + leaseMs, max, lease, leaseMs),
        )) as [number, number];
        up();
        return admitted ? { admitted: true, inUse, lease } : { admitted: false, inUse };
      } catch (error) {
        if (!down(error)) return fallback.acquire(key, max, leaseMs, nowMs);
        options.onFailOpen?.();
        return { admitted: true, inUse: 0 };
      }
    },
    async release(key, lease) {
      await Promise.all([withTimeout(redis.zrem(leaseKey(key), lease)).catch(() => {}), fallback.release(key, lease)]);
    },
    async inUse(key, nowMs = Date.now()) {
      try {
        return await withTimeout(redis.zcount(leaseKey(key), `(${nowMs}`, '+inf'));
      } catch {
        return fallback.inUse(key, nowMs);
      }
    },
  };
}
