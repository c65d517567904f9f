// A counter in Redis that a change bumps before it is answered. Pub/sub delivery is
// asynchronous, so an instance cannot wait for an invalidation message to arrive; instead
// each cached entry remembers the epoch it was read under, and an entry read under an older
// epoch is read again. Without Redis there is one instance and local eviction is enough.
import type { Redis } from 'ioredis';

export interface SharedEpoch {
  /**
   * The current epoch: null without Redis (nothing shared to compare), undefined when
   * Redis cannot be read (then nothing may be served from a cache).
   */
  read(): Promise<string | null | undefined>;
  bump(): Promise<void>;
}

export function sharedEpoch(shared?: { redis: Pick<Redis, 'get' | 'incr'>; key: string }): SharedEpoch {
  if (!shared) return { read: async () => null, bump: async () => {} };
  const { redis, key } = shared;
  // Requests that arrive together share one GET, but never one that was sent before they
  // arrived: it may predate a bump answered since. A caller that finds a GET in flight waits
  // for the next one, sent when that one returns, so Redis sees at most one GET per round
  // trip however many requests there are, and each request still sees every bump answered
  // before it arrived.
  let inFlight: Promise<string | undefined> | undefined;
  let queued: Promise<string | undefined> | undefined;
  const send = () => {
    const reading = redis.get(key).then(
      (value) => value ?? '0',
      () => undefined,
    );
    inFlight = reading;
    void reading.finally(() => {
      if (inFlight === reading) inFlight = undefined;
    });
    return reading;
  };
  return {
    read: () => {
      if (!inFlight) return send();
      queued ??= inFlight.then(() => {
        queued = undefined;
        return send();
      });
      return queued;
    },
    bump: async () => {
      await redis.incr(key);
    },
  };
}
