// Counters in Redis that a change bumps before it is answered. Pub/sub delivery is
// asynchronous, so an instance cannot wait for an invalidation message to arrive; instead
// each cached entry remembers the epoch it was read under, and an entry read under an older
// epoch is read again. Without Redis there is one instance and local eviction is enough.
//
// The epoch is split into buckets (a hash of the user, token or client id), so that one
// tenant's changes, however many (a logoutAll loop), empty only the few entries that share
// its bucket, not every tenant's cache on every instance.
//
// When Redis cannot be read or bumped, nothing cached may be trusted: this instance may have
// missed a change, or other instances may miss its own. Every such doubt (a failed read, a
// failed bump, a lost connection) moves a local counter that is part of every epoch this
// instance answers, so everything cached before it is read again. A failed bump is announced
// at once anyway and retried until Redis takes it, then announced again, for the instances
// that were cut off with it.
import type { Redis } from 'ioredis';

export const EPOCH_BUCKETS = 1024;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;
/** Announcements kept for a retried bump; beyond it the epoch alone still evicts everywhere. */
const MAX_PENDING_ANNOUNCEMENTS = 10_000;

export interface SharedEpoch {
  /**
   * The current epoch of `id`'s bucket: null without Redis (nothing shared to compare),
   * undefined when Redis cannot be read (then nothing may be served from a cache).
   */
  read(id: string): Promise<string | null | undefined>;
  /**
   * Bumps the buckets of `ids` and calls `announce` (which publishes the change to the other
   * instances), whether or not Redis took the bump. Never throws: a bump Redis refused is
   * retried in the background, and `announce` called again once it is taken. `key` names the
   * announcement, so that a change repeated during an outage is announced once.
   */
  bump(ids: readonly string[], announce: () => void, key: string): Promise<void>;
  close(): void;
}

/** FNV-1a: the same bucket for an id on every instance, for the price of a loop. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % EPOCH_BUCKETS;
}

type EpochRedis = Pick<Redis, 'mget' | 'incr'> & Partial<Pick<Redis, 'on' | 'off'>>;

export function sharedEpoch(shared?: {
  redis: EpochRedis;
  key: string;
  /** A bump Redis refused (it is retried). */
  onBumpFailed?: (error: unknown) => void;
}): SharedEpoch {
  if (!shared) {
    return {
      read: async () => null,
      bump: async (_ids, announce) => announce(),
      close: () => {},
    };
  }
  const { redis, key } = shared;
  const keyOf = (bucket: number) => `${key}:${bucket}`;
  let doubt = 0;
  const distrust = () => {
    doubt++;
  };
  // A connection that dropped may have lost announcements sent meanwhile.
  redis.on?.('close', distrust);

  // Reads that arrive together share one MGET, but never one that was sent before they
  // arrived: it may predate a bump answered since. A read that finds an MGET in flight waits
  // for the next one, sent when that one returns with every bucket asked for meanwhile, so
  // Redis sees at most one command per round trip however many requests there are, and each
  // request still sees every bump answered before it arrived.
  type Answer = Map<number, string> | undefined;
  let inFlight: Promise<Answer> | undefined;
  let queued: { buckets: Set<number>; answer: Promise<Answer> } | undefined;
  const send = (buckets: number[]): Promise<Answer> => {
    const doubtAtSend = doubt;
    const reading = redis.mget(buckets.map(keyOf)).then(
      (values) => new Map(buckets.map((bucket, i) => [bucket, `${doubtAtSend}:${values[i] ?? '0'}`])),
      () => {
        distrust();
        return undefined;
      },
    );
    inFlight = reading;
    void reading.finally(() => {
      if (inFlight === reading) inFlight = undefined;
    });
    return reading;
  };
  const read = async (id: string) => {
    const bucket = bucketOf(id);
    if (!inFlight) return (await send([bucket]))?.get(bucket);
    if (!queued) {
      const next: { buckets: Set<number>; answer?: Promise<Answer> } = { buckets: new Set() };
      next.answer = (inFlight as Promise<Answer>).then(() => {
        queued = undefined;
        return send([...next.buckets]);
      });
      queued = next as { buckets: Set<number>; answer: Promise<Answer> };
    }
    queued.buckets.add(bucket);
    return (await queued.answer)?.get(bucket);
  };

  const incr = (buckets: Iterable<number>) => Promise.all([...buckets].map((bucket) => redis.incr(keyOf(bucket))));

  // Bumps Redis refused, and the announcements to repeat once it takes them.
  const pendingBuckets = new Set<number>();
  const pendingAnnouncements = new Map<string, () => void>();
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = RETRY_FIRST_MS;
  let closed = false;
  const scheduleRetry = () => {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(retry, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  };
  const retry = async () => {
    retryTimer = undefined;
    const buckets = [...pendingBuckets];
    const announcements = [...pendingAnnouncements];
    pendingBuckets.clear();
    pendingAnnouncements.clear();
    try {
      await incr(buckets);
      retryDelay = RETRY_FIRST_MS;
      for (const [, announce] of announcements) announce();
    } catch {
      for (const bucket of buckets) pendingBuckets.add(bucket);
      for (const [name, announce] of announcements) pendingAnnouncements.set(name, announce);
      scheduleRetry();
    }
  };

  return {
    read,
    async bump(ids, announce, name) {
      const buckets = new Set(ids.map(bucketOf));
      try {
        await incr(buckets);
      } catch (error) {
        distrust();
        shared.onBumpFailed?.(error);
        for (const bucket of buckets) pendingBuckets.add(bucket);
        pendingAnnouncements.delete(name);
        if (pendingAnnouncements.size < MAX_PENDING_ANNOUNCEMENTS) pendingAnnouncements.set(name, announce);
        scheduleRetry();
      } finally {
        announce();
      }
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      redis.off?.('close', distrust);
    },
  };
}
