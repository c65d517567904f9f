// The counters behind tenants' limits (src/platform/limit-counters.ts), in memory and in Redis:
// fixed UTC windows, all-or-nothing counting, leases that expire, two instances sharing one
// count, and what happens while Redis does not answer.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type LimitCounters, memoryCounters, sharedCounters } from '../src/platform/limit-counters.ts';
import { rateLimitHeaders } from '../src/platform/rate-limit-headers.ts';

const MINUTE = Date.UTC(2026, 11, 7, 12, 30, 0);
const quiet = { warn: vi.fn(), info: vi.fn() };
const redisUrl = process.env.REDIS_URL;
const clients: Redis[] = [];
afterAll(() => Promise.all(clients.map((client) => client.quit())));

/** Two instances' counters over one store: one memory (shared object), or two Redis clients. */
function instances(kind: 'memory' | 'redis'): [LimitCounters, LimitCounters] {
  if (kind === 'memory') {
    const one = memoryCounters();
    return [one, one];
  }
  const namespace = `test-${randomUUID()}`;
  const make = () => {
    const redis = new Redis(redisUrl as string);
    clients.push(redis);
    return sharedCounters({ redis, namespace, logger: quiet, failOpenSeconds: 30 });
  };
  return [make(), make()];
}

const kinds = [
  { kind: 'memory' as const, skip: false },
  { kind: 'redis' as const, skip: !redisUrl },
];

describe.each(kinds)('$kind counters', ({ kind, skip }) => {
  it.skipIf(skip)(
    'admit N per window across two instances, refuse N+1, and start again in the next UTC minute',
    async () => {
      const [a, b] = instances(kind);
      const rule = { key: `org:${randomUUID()}:minute`, limit: 5, windowSeconds: 60 };
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await (i % 2 ? b : a).count([rule], MINUTE + 1000 * i));
      expect(answers.map((answer) => answer.admitted)).toEqual([true, true, true, true, true, false]);
      expect(answers[4]?.states[0]).toMatchObject({ limit: 5, remaining: 0, resetSeconds: 56 });
      expect(answers[5]).toMatchObject({ refusedBy: 0, states: [{ remaining: 0, resetSeconds: 55 }] });
      // The last second of the minute is still in it; the next one is a new window.
      expect((await a.count([rule], MINUTE + 59_999)).admitted).toBe(false);
      const next = await b.count([rule], MINUTE + 60_000);
      expect(next).toMatchObject({ admitted: true, states: [{ remaining: 4, resetSeconds: 60 }] });
    },
  );

  it.skipIf(skip)('count all rules or none: a refusal by one takes nothing from the others', async () => {
    const [a] = instances(kind);
    const id = randomUUID();
    const minute = { key: `org:${id}:minute`, limit: 10, windowSeconds: 60 };
    const day = { key: `org:${id}:day`, limit: 2, windowSeconds: 86_400 };
    await a.count([minute, day], MINUTE);
    await a.count([minute, day], MINUTE);
    expect(await a.count([minute, day], MINUTE)).toMatchObject({ admitted: false, refusedBy: 1 });
    expect(await a.peek([minute, day], MINUTE)).toEqual([2, 2]);
    // The UTC day's window ends at midnight.
    expect((await a.count([day], Date.UTC(2026, 11, 7, 23, 59, 59))).admitted).toBe(false);
    expect((await a.count([day], Date.UTC(2026, 11, 8))).admitted).toBe(true);
  });

  it.skipIf(skip)('admit exactly N of many racing for the last slots, from two instances', async () => {
    const [a, b] = instances(kind);
    const rule = { key: `token:${randomUUID()}`, limit: 7, windowSeconds: 60 };
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).count([rule], MINUTE)));
    expect(answers.filter((answer) => answer.admitted)).toHaveLength(7);
  });

  it.skipIf(skip)('lend at most N leases at once, free one on release, and end those nobody releases', async () => {
    const [a, b] = instances(kind);
    const key = `org:${randomUUID()}:inflight`;
    const now = Date.now();
    const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire(key, 3, 5000, now)));
    expect(taken.filter((lease) => lease.admitted)).toHaveLength(3);
    expect(await a.inUse(key, now)).toBe(3);
    const first = taken.find((lease) => lease.admitted);
    await b.release(key, first?.lease as string);
    expect(await a.inUse(key, now)).toBe(2);
    expect((await a.acquire(key, 3, 5000, now)).admitted).toBe(true);
    expect((await b.acquire(key, 3, 5000, now)).admitted).toBe(false);
    // An instance that crashed never releases: its leases end by themselves.
    expect(await a.acquire(key, 3, 5000, now + 5001)).toMatchObject({ admitted: true, inUse: 1 });
  });

  it.skipIf(skip)('admit counts windows and takes a lease together, or neither', async () => {
    const [a, b] = instances(kind);
    const id = randomUUID();
    const minute = { key: `org:${id}:minute`, limit: 4, windowSeconds: 60 };
    const slots = { key: `org:${id}:inflight`, max: 2, leaseMs: 5000 };
    const now = Date.now();
    const first = await a.admit([minute], slots, now);
    const second = await b.admit([minute], slots, now);
    expect([first.admitted, second.admitted, first.inUse, second.inUse]).toEqual([true, true, 1, 2]);
    // Every slot taken: refused by the lease, and the minute's count is untouched.
    expect(await a.admit([minute], slots, now)).toMatchObject({ admitted: false, refusedByLease: true, inUse: 2 });
    expect(await a.peek([minute], now)).toEqual([2]);
    await a.release(slots.key, first.lease as string);
    expect(await b.admit([minute], slots, now)).toMatchObject({ admitted: true, inUse: 2 });
    // The window refuses before the lease is looked at; no lease is taken.
    expect((await a.admit([minute], undefined, now)).admitted).toBe(true);
    expect(await b.admit([minute], slots, now)).toMatchObject({ admitted: false, refusedBy: 0 });
    expect(await a.inUse(slots.key, now)).toBe(2);
  });

  it.skipIf(skip)(
    'tally counts without a check; this instance sees it at once, every instance within a second',
    async () => {
      const [a, b] = instances(kind);
      const rule = { key: `org:${randomUUID()}:minute`, limit: 1, windowSeconds: 60 };
      const now = Date.now();
      for (let i = 0; i < 3; i++) a.tally([rule], now);
      expect(await a.peek([rule], now)).toEqual([3]);
      await vi.waitFor(async () => expect(await b.peek([rule], now)).toEqual([3]), { timeout: 3000, interval: 100 });
    },
  );

  it.skipIf(skip)('a renewed lease outlives its first term; one not renewed ends', async () => {
    const [a, b] = instances(kind);
    const slots = { key: `org:${randomUUID()}:live`, max: 5, leaseMs: 1000 };
    const now = Date.now();
    const kept = await a.admit([], slots, now);
    await b.admit([], slots, now);
    await b.renew(slots.key, kept.lease as string, 1000, now + 800);
    expect(await a.inUse(slots.key, now + 1500)).toBe(1);
    expect(await a.inUse(slots.key, now + 1900)).toBe(0);
  });
});

describe('shared counters while Redis does not answer', () => {
  it('admit unchecked for the configured time, say so once, count it; then enforce per instance', async () => {
    let clock = MINUTE;
    const logger = { warn: vi.fn(), info: vi.fn() };
    const onFailOpen = vi.fn();
    const broken = {
      eval: () => Promise.reject(new Error('connect ECONNREFUSED')),
      evalsha: () => Promise.reject(new Error('connect ECONNREFUSED')),
      mget: () => Promise.reject(new Error('connect ECONNREFUSED')),
      zrem: () => Promise.reject(new Error('connect ECONNREFUSED')),
      zcount: () => Promise.reject(new Error('connect ECONNREFUSED')),
    };
    const counters = sharedCounters({
      redis: broken as never,
      namespace: 'test',
      logger,
      failOpenSeconds: 10,
      onFailOpen,
      now: () => clock,
    });
    const rule = { key: 'org:x:minute', limit: 2, windowSeconds: 60 };
    const during = await Promise.all(Array.from({ length: 5 }, () => counters.count([rule], clock)));
    expect(during.every((answer) => answer.admitted && answer.unchecked)).toBe(true);
    expect(onFailOpen).toHaveBeenCalledTimes(5);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    clock += 10_000;
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await counters.count([rule], clock)).admitted);
    expect(after).toEqual([true, true, false]);
    expect(onFailOpen).toHaveBeenCalledTimes(5);
  });

  it('send a script Redis does not know (after a restart) whole, once it says NOSCRIPT', async () => {
    const calls: string[] = [];
    const forgetful = {
      evalsha: () => {
        calls.push('evalsha');
        return Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.'));
      },
      eval: (source: string) => {
        calls.push(source.includes('ZADD') ? 'eval admit' : 'eval');
        return Promise.resolve([0, 0, 1]);
      },
    };
    const counters = sharedCounters({
      redis: forgetful as never,
      namespace: 'test',
      logger: quiet,
      failOpenSeconds: 10,
    });
    const answer = await counters.admit([{ key: 'k', limit: 5, windowSeconds: 60 }]);
    expect(answer).toMatchObject({ admitted: true, states: [{ remaining: 4 }] });
    expect(answer.unchecked).toBeUndefined();
    expect(calls).toEqual(['evalsha', 'eval admit']);
  });

  it('answer within the timeout when Redis hangs', async () => {
    const hanging = { eval: () => new Promise(() => {}), evalsha: () => new Promise(() => {}) };
    const counters = sharedCounters({
      redis: hanging as never,
      namespace: 'test',
      logger: quiet,
      failOpenSeconds: 10,
      timeoutMs: 20,
    });
    const answer = await counters.count([{ key: 'k', limit: 1, windowSeconds: 60 }]);
    expect(answer).toMatchObject({ admitted: true, unchecked: true });
  });
});

describe('RateLimit header fields', () => {
  it('are structured-field lists of draft-ietf-httpapi-ratelimit-headers, one member per limit', () => {
    expect(
      rateLimitHeaders([
        { name: 'requestsPerMinute', quota: 100, windowSeconds: 60, remaining: 42, resetSeconds: 17.2 },
        { name: 'concurrentRequests', quota: 5, remaining: 0, resetSeconds: 1 },
      ]),
    ).toEqual({
      'RateLimit-Policy': '"requestsPerMinute";q=100;w=60, "concurrentRequests";q=5',
      RateLimit: '"requestsPerMinute";r=42;t=18, "concurrentRequests";r=0;t=1',
    });
    expect(rateLimitHeaders([])).toEqual({});
  });
});
