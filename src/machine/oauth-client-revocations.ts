// Access tokens issued to OAuth clients are stateless JWTs, but revoking a client (or
// rotating its secret, or disabling or deleting its service account) must stop them at
// once on every instance. Each client keeps a "not before" instant, as users' sessions do
// (see auth/session-revocations.ts): a token signed before it no longer holds, and a revoked
// client, or one whose service account is disabled or gone, holds nothing. The instants are
// cached per client so a request costs a map lookup; a change evicts the entry everywhere
// through the pub/sub, and bumps the shared epoch before it is answered so that no instance
// serves an entry read before it.
import {
  CREDENTIAL_LIMIT_SELECT,
  type CredentialLimits,
  credentialLimitsOf,
  NO_CREDENTIAL_LIMITS,
} from '../platform/credential-limits.ts';
import type { Db } from '../platform/database/db.ts';
import { keyedListeners } from '../platform/keyed-listeners.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { Metrics } from '../platform/observability/metrics.ts';
import type { EventBus } from '../platform/pubsub.ts';
import type { SharedEpoch } from '../platform/shared-epoch.ts';

const CHANGED = 'oauthClients:changed';
/** A safety net: even if an invalidation were lost, an entry is re-read this often. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

interface Entry {
  /** Milliseconds since the epoch; Infinity when the client no longer issues valid tokens. */
  notBefore: number;
  /** The client's own rate limit and budget. */
  limits: CredentialLimits;
  cachedAt: number;
  epoch: string | null;
}

export interface OAuthClientRevocations {
  /** Whether a token issued to the client (its public client id) at `issuedAtMs` still holds. */
  holds(clientId: string, issuedAtMs: number): Promise<boolean>;
  /** The same, with the client's own limits, from the same cached entry. */
  check(clientId: string, issuedAtMs: number): Promise<{ holds: boolean; limits: CredentialLimits }>;
  /** Call once a change to the clients is committed: every instance reads them again. */
  changed(clientIds: readonly string[]): Promise<void>;
  /** Calls `listener` on this instance when any instance changes the client. */
  watch(clientId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export function createOAuthClientRevocations(options: {
  db: Db;
  pubsub: EventBus;
  logger: Logger;
  epoch: SharedEpoch;
  metrics?: Pick<Metrics, 'credentialCache'>;
}): OAuthClientRevocations {
  const { db, pubsub, logger, epoch: shared, metrics } = options;
  const entries = new Map<string, Entry>();
  const watchers = keyedListeners();
  // Bumped by every eviction: a lookup that started before one must not cache what it read.
  let generation = 0;

  const evict = (clientIds: readonly string[]) => {
    generation++;
    for (const id of clientIds) entries.delete(id);
  };

  const lookup = async (clientId: string): Promise<Pick<Entry, 'notBefore' | 'limits'>> => {
    const client = await db.oAuthClient.findUnique({
      where: { clientId },
      select: {
        revokedAt: true,
        tokensNotBefore: true,
        serviceAccount: { select: { disabledAt: true } },
        ...CREDENTIAL_LIMIT_SELECT,
      },
    });
    if (!client || client.revokedAt || client.serviceAccount.disabledAt) {
      return { notBefore: Number.POSITIVE_INFINITY, limits: NO_CREDENTIAL_LIMITS };
    }
    return { notBefore: client.tokensNotBefore?.getTime() ?? 0, limits: credentialLimitsOf(client) };
  };

  const events = pubsub.subscribe(CHANGED);
  const listening = (async () => {
    for await (const { clientIds } of events) {
      evict(clientIds);
      for (const id of clientIds) watchers.notify(id);
    }
  })().catch((error) => logger.error({ err: error }, 'OAuth client revocation listener stopped'));

  const revocations: OAuthClientRevocations = {
    holds: async (clientId, issuedAtMs) => (await revocations.check(clientId, issuedAtMs)).holds,
    async check(clientId, issuedAtMs) {
      const epoch = await shared.read(clientId);
      let entry = entries.get(clientId);
      if (entry && (Date.now() - entry.cachedAt > CACHE_TTL_MS || epoch === undefined || entry.epoch !== epoch)) {
        entries.delete(clientId);
        entry = undefined;
      }
      metrics?.credentialCache.inc({ cache: 'oauth_clients', result: entry ? 'hit' : 'miss' });
      if (!entry) {
        const startedAt = generation;
        entry = { ...(await lookup(clientId)), cachedAt: Date.now(), epoch: epoch ?? null };
        if (generation === startedAt && epoch !== undefined) {
          if (entries.size >= CACHE_MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
          entries.set(clientId, entry);
        }
      }
      return { holds: issuedAtMs >= entry.notBefore, limits: entry.limits };
    },
    async changed(clientIds) {
      if (clientIds.length === 0) return;
      evict(clientIds);
      const event = { clientIds: [...clientIds] };
      await shared.bump(clientIds, () => pubsub.publish(CHANGED, event), event.clientIds.join());
    },
    watch: watchers.add,
    async close() {
      shared.close();
      await events.return();
      await listening;
    },
  };
  return revocations;
}

declare module '../platform/app.ts' {
  interface App {
    /** Whether access tokens issued to OAuth clients still hold. */
    oauthClients: OAuthClientRevocations;
  }
}

declare module '../platform/pubsub.ts' {
  interface PubSubEvents {
    /** OAuth clients revoked or changed: every instance forgets what it knew of them. */
    'oauthClients:changed': [{ clientIds: string[] }];
  }
}
