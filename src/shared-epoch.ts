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

export function sharedEpoch(shared?: { redis: Redis; key: string }): SharedEpoch {
  if (!shared) return { read: async () => null, bump: async () => {} };
  const { redis, key } = shared;
  return {
    read: async () => (await redis.get(key).catch(() => undefined)) ?? '0',
    bump: async () => {
      await redis.incr(key);
    },
  };
}
