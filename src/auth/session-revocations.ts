// Access JWTs are stateless, but sessions must end at once: after logoutAll, a password
// change or reset, a removal, a role change or a disabled account. Each user and each
// membership keeps a "not before" instant; a token signed before it no longer holds. The
// instants are cached per (user, organization) so a request costs a map lookup, like the
// API token cache: a change evicts the entry everywhere through the pub/sub, and bumps the
// shared epoch before it is answered so that no instance serves an entry read before it.
import type { Db } from '../platform/database/db.ts';
import { keyedListeners } from '../platform/keyed-listeners.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { Metrics } from '../platform/observability/metrics.ts';
import type { EventBus } from '../platform/pubsub.ts';
import type { SharedEpoch } from '../platform/shared-epoch.ts';

const REVOKED = 'sessions:revoked';
/** A safety net: even if an invalidation were lost, an entry is re-read this often. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 100_000;

interface Entry {
  /** Milliseconds since the epoch; Infinity when the user is disabled or no longer a member. */
  notBefore: number;
  cachedAt: number;
  epoch: string | null;
}

export interface SessionRevocations {
  /** Whether an access token of the user for the organization, signed at `issuedAtMs`, still holds. */
  holds(userId: string, organizationId: string, issuedAtMs: number): Promise<boolean>;
  /**
   * Call once a change to the user's sessions is committed (a revocation, a new membership):
   * every instance forgets what it cached for the user (in one organization, or in all of
   * them) for every request that arrives after this resolves.
   */
  changed(userId: string, organizationId?: string): Promise<void>;
  /**
   * Calls `listener` on this instance whenever any instance revokes sessions of the user,
   * with the organization concerned (null: all of them). Answers a function that stops it.
   */
  watch(userId: string, listener: (organizationId: string | null) => void): () => void;
  close(): Promise<void>;
}

export function createSessionRevocations(options: {
  db: Db;
  pubsub: EventBus;
  logger: Logger;
  epoch: SharedEpoch;
  metrics?: Pick<Metrics, 'credentialCache'>;
}): SessionRevocations {
  const { db, pubsub, logger, epoch: shared, metrics } = options;
  const entries = new Map<string, Entry>();
  const organizationsOf = new Map<string, Set<string>>();
  const watchers = keyedListeners<[organizationId: string | null]>();
  // Bumped by every eviction: a lookup that started before one must not cache what it read.
  let generation = 0;

  const keyOf = (userId: string, organizationId: string) => `${userId}:${organizationId}`;

  const forget = (userId: string, organizationId: string) => {
    entries.delete(keyOf(userId, organizationId));
    const organizations = organizationsOf.get(userId);
    organizations?.delete(organizationId);
    if (organizations?.size === 0) organizationsOf.delete(userId);
  };

  const evict = (userId: string, organizationId: string | null) => {
    generation++;
    const organizations = organizationId ? [organizationId] : [...(organizationsOf.get(userId) ?? [])];
    for (const organization of organizations) forget(userId, organization);
  };

  const remember = (userId: string, organizationId: string, entry: Entry) => {
    if (entries.size >= CACHE_MAX_ENTRIES) {
      const oldest = entries.keys().next().value as string;
      const [user, organization] = oldest.split(':') as [string, string];
      forget(user, organization);
    }
    entries.set(keyOf(userId, organizationId), entry);
    const organizations = organizationsOf.get(userId) ?? new Set();
    organizationsOf.set(userId, organizations);
    organizations.add(organizationId);
  };

  const lookup = async (userId: string, organizationId: string): Promise<number> => {
    const membership = await db.membership.findUnique({
      where: { userId_organizationId: { userId, organizationId } },
      select: { sessionsNotBefore: true, user: { select: { disabledAt: true, sessionsNotBefore: true } } },
    });
    if (!membership || membership.user.disabledAt) return Number.POSITIVE_INFINITY;
    return Math.max(membership.sessionsNotBefore?.getTime() ?? 0, membership.user.sessionsNotBefore?.getTime() ?? 0);
  };

  const events = pubsub.subscribe(REVOKED);
  const listening = (async () => {
    for await (const { userId, organizationId } of events) {
      evict(userId, organizationId);
      watchers.notify(userId, organizationId);
    }
  })().catch((error) => logger.error({ err: error }, 'session revocation listener stopped'));

  return {
    async holds(userId, organizationId, issuedAtMs) {
      const epoch = await shared.read(userId);
      const key = keyOf(userId, organizationId);
      let entry = entries.get(key);
      if (entry && (Date.now() - entry.cachedAt > CACHE_TTL_MS || epoch === undefined || entry.epoch !== epoch)) {
        forget(userId, organizationId);
        entry = undefined;
      }
      metrics?.credentialCache.inc({ cache: 'sessions', result: entry ? 'hit' : 'miss' });
      if (!entry) {
        const startedAt = generation;
        entry = { notBefore: await lookup(userId, organizationId), cachedAt: Date.now(), epoch: epoch ?? null };
        if (generation === startedAt && epoch !== undefined) remember(userId, organizationId, entry);
      }
      return issuedAtMs >= entry.notBefore;
    },
    async changed(userId, organizationId) {
      evict(userId, organizationId ?? null);
      const event = { userId, organizationId: organizationId ?? null };
      await shared.bump([userId], () => pubsub.publish(REVOKED, event), `${userId}:${event.organizationId}`);
    },
    watch: watchers.add,
    async close() {
      shared.close();
      await events.return();
      await listening;
    },
  };
}

declare module '../platform/app.ts' {
  interface App {
    sessions: SessionRevocations;
  }
}

declare module '../platform/pubsub.ts' {
  interface PubSubEvents {
    /** A user's sessions ended (in one organization, or in all when null). */
    'sessions:revoked': [{ userId: string; organizationId: string | null }];
  }
}
