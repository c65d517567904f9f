// Rows that nearly every request reads and that change rarely (a product, an organization's
// subscription), cached per instance and invalidated on every instance at once: a change
// evicts the key everywhere through the pub/sub, and bumps the shared epoch before it is
// answered, so that no instance serves an entry read before it (see shared-epoch.ts). The
// same rule as the session and API token caches, for any key.
import { keyedListeners } from './keyed-listeners.ts';
import type { Logger } from './observability/logger.ts';
import type { EventBus } from './pubsub.ts';
import type { SharedEpoch } from './shared-epoch.ts';

const TOPIC = 'cache:invalidated';
/** A safety net: even if an invalidation were lost, an entry is re-read this often. */
const CACHE_TTL_MS = 60_000;

interface Entry<T> {
  value: T;
  cachedAt: number;
  epoch: string | null;
}

export interface SharedCache<T> {
  /** The value of `key`, from the cache while no instance changed it since it was read. */
  get(key: string): Promise<T>;
  /** Call once a change to `keys` is committed: every request after this resolves reads it anew. */
  changed(keys: readonly string[]): Promise<void>;
  /** Calls `listener` on this instance whenever any instance changes `key`. */
  watch(key: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export function sharedCache<T>(options: {
  /** Names the cache on the bus, shared by every instance. */
  name: string;
  load: (key: string) => Promise<T>;
  pubsub: EventBus;
  epoch: SharedEpoch;
  logger: Logger;
  maxEntries?: number;
}): SharedCache<T> {
  const { name, load, pubsub, epoch: shared, logger } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry<T>>();
  const watchers = keyedListeners();
  // Bumped by every eviction: a lookup that started before one must not cache what it read.
  let generation = 0;
  const evict = (keys: readonly string[]) => {
    generation++;
    for (const key of keys) entries.delete(key);
  };

  const events = pubsub.subscribe(TOPIC);
  const listening = (async () => {
    for await (const event of events) {
      if (event.cache !== name) continue;
      evict(event.keys);
      for (const key of event.keys) watchers.notify(key);
    }
  })().catch((error) => logger.error({ err: error, cache: name }, 'cache invalidation listener stopped'));

  return {
    async get(key) {
      const epoch = await shared.read(key);
      const entry = entries.get(key);
      if (entry && Date.now() - entry.cachedAt <= CACHE_TTL_MS && epoch !== undefined && entry.epoch === epoch) {
        return entry.value;
      }
      entries.delete(key);
      const startedAt = generation;
      const value = await load(key);
      if (generation === startedAt && epoch !== undefined) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(key, { value, cachedAt: Date.now(), epoch });
      }
      return value;
    },
    async changed(keys) {
      evict(keys);
      const event = { cache: name, keys: [...keys] };
      await shared.bump(keys, () => pubsub.publish(TOPIC, event), `${name}:${keys.join(',')}`);
    },
    watch: watchers.add,
    async close() {
      shared.close();
      await events.return();
      await listening;
    },
  };
}

declare module './pubsub.ts' {
  interface PubSubEvents {
    /** Entries of a shared cache changed on some instance. */
    'cache:invalidated': [{ cache: string; keys: string[] }];
  }
}
