// Verifies API token secrets for one instance. Verified tokens are cached by their hash so
// that a warm request costs one SHA-256 and a map lookup; revocations and changes reach
// every instance's cache through the pub/sub. Pub/sub delivery is asynchronous, so with
// several instances each cached entry also carries the shared invalidation epoch (a Redis
// counter bumped before a change is answered): a request that arrives anywhere after the
// change sees the new epoch and re-reads the token. Usage is collected in memory and
// written as lastUsedAt in one batch per interval, never on the request path.

import { sha256 } from '../auth/secrets.ts';
import { CREDENTIAL_LIMIT_SELECT, type CredentialLimits, credentialLimitsOf } from '../platform/credential-limits.ts';
import type { Db } from '../platform/database/db.ts';
import { keyedListeners } from '../platform/keyed-listeners.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { Metrics } from '../platform/observability/metrics.ts';
import type { EventBus } from '../platform/pubsub.ts';
import type { SharedEpoch } from '../platform/shared-epoch.ts';

const INVALIDATED = 'apiTokens:invalidated';
/** A safety net: even if an invalidation were lost, a cached entry is re-read this often. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface VerifiedToken {
  tokenId: string;
  serviceAccountId: string;
  organizationId: string;
  scopes: readonly string[];
  /** Milliseconds since the epoch, or null for a token that does not expire. */
  expiresAt: number | null;
  /** Its own rate limit and budget. */
  limits: CredentialLimits;
}

/** `invalid`: no such token; `revoked`: revoked, or its service account disabled. */
export type Verification =
  | { ok: true; token: VerifiedToken }
  | { ok: false; reason: 'invalid' | 'revoked' | 'expired' };

interface Entry {
  token: VerifiedToken;
  cachedAt: number;
  /** The shared epoch when the token was read; null without Redis. */
  epoch: string | null;
}

export interface ApiTokenVerifier {
  verify(secret: string): Promise<Verification>;
  /**
   * Drops tokens from every instance's cache (after a revocation or change is committed). The
   * hash names the epoch bucket, which a cache miss knows before it knows the token's id.
   */
  invalidate(tokens: readonly { id: string; tokenHash: string }[]): Promise<void>;
  /** Calls `listener` on this instance when any instance revokes or changes the token. */
  watch(tokenId: string, listener: () => void): () => void;
  /** Writes the collected lastUsedAt values now. */
  flushUsage(): Promise<void>;
  /** Empties this instance's cache (the benchmark measures cold verification with it). */
  forgetAll(): void;
  close(): Promise<void>;
}

export function createApiTokenVerifier(options: {
  db: Db;
  pubsub: EventBus;
  logger: Logger;
  usageFlushMs: number;
  epoch: SharedEpoch;
  metrics?: Pick<Metrics, 'credentialCache'>;
}): ApiTokenVerifier {
  const { db, pubsub, logger, epoch: shared, metrics } = options;
  const byHash = new Map<string, Entry>();
  const hashById = new Map<string, string>();
  const used = new Set<string>();
  const watchers = keyedListeners();
  // Bumped by every invalidation: a lookup that started before one must not cache what it read.
  let generation = 0;

  const evict = (tokenIds: readonly string[]) => {
    generation++;
    for (const id of tokenIds) {
      const hash = hashById.get(id);
      if (hash) byHash.delete(hash);
      hashById.delete(id);
    }
  };

  const remember = (hash: string, token: VerifiedToken, epoch: string | null) => {
    if (byHash.size >= CACHE_MAX_ENTRIES) {
      const oldest = byHash.keys().next().value as string;
      const entry = byHash.get(oldest);
      byHash.delete(oldest);
      if (entry) hashById.delete(entry.token.tokenId);
    }
    byHash.set(hash, { token, cachedAt: Date.now(), epoch });
    hashById.set(token.tokenId, hash);
  };

  const lookup = async (hash: string): Promise<VerifiedToken | 'invalid' | 'revoked'> => {
    const row = await db.apiToken.findUnique({
      where: { tokenHash: hash },
      select: {
        id: true,
        organizationId: true,
        serviceAccountId: true,
        scopes: true,
        expiresAt: true,
        revokedAt: true,
        serviceAccount: { select: { disabledAt: true } },
        ...CREDENTIAL_LIMIT_SELECT,
      },
    });
    if (!row) return 'invalid';
    if (row.revokedAt || row.serviceAccount.disabledAt) return 'revoked';
    return {
      tokenId: row.id,
      serviceAccountId: row.serviceAccountId,
      organizationId: row.organizationId,
      scopes: row.scopes,
      expiresAt: row.expiresAt?.getTime() ?? null,
      limits: credentialLimitsOf(row),
    };
  };

  const events = pubsub.subscribe(INVALIDATED);
  const listening = (async () => {
    for await (const event of events) {
      evict(event.tokenIds);
      for (const id of event.tokenIds) watchers.notify(id);
    }
  })().catch((error) => logger.error({ err: error }, 'API token invalidation listener stopped'));

  const flushUsage = async () => {
    if (used.size === 0) return;
    const ids = [...used];
    used.clear();
    await db.apiToken.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: new Date() } });
  };
  const timer = setInterval(() => {
    flushUsage().catch((error) => logger.warn({ err: error }, 'could not record API token usage'));
  }, options.usageFlushMs);
  timer.unref();

  return {
    async verify(secret) {
      const hash = sha256(secret);
      const now = Date.now();
      const epoch = await shared.read(hash);
      let entry = byHash.get(hash);
      if (entry && (now - entry.cachedAt > CACHE_TTL_MS || epoch === undefined || entry.epoch !== epoch)) {
        evict([entry.token.tokenId]);
        entry = undefined;
      }
      let token = entry?.token ?? null;
      metrics?.credentialCache.inc({ cache: 'api_tokens', result: token ? 'hit' : 'miss' });
      if (!token) {
        const startedAt = generation;
        const found = await lookup(hash);
        if (typeof found === 'string') return { ok: false, reason: found };
        token = found;
        if (generation === startedAt && epoch !== undefined) remember(hash, token, epoch);
      }
      if (token.expiresAt !== null && token.expiresAt <= now) return { ok: false, reason: 'expired' };
      used.add(token.tokenId);
      return { ok: true, token };
    },
    async invalidate(tokens) {
      if (tokens.length === 0) return;
      const event = { tokenIds: tokens.map((t) => t.id) };
      evict(event.tokenIds);
      await shared.bump(
        tokens.map((t) => t.tokenHash),
        () => pubsub.publish(INVALIDATED, event),
        event.tokenIds.join(),
      );
    },
    watch: watchers.add,
    flushUsage,
    forgetAll() {
      generation++;
      byHash.clear();
      hashById.clear();
    },
    async close() {
      clearInterval(timer);
      shared.close();
      await events.return();
      await listening;
      await flushUsage().catch((error) => logger.warn({ err: error }, 'could not record API token usage'));
    },
  };
}

declare module '../platform/app.ts' {
  interface App {
    apiTokens: ApiTokenVerifier;
  }
}

declare module '../platform/pubsub.ts' {
  interface PubSubEvents {
    /** API tokens revoked or changed: every instance drops them from its verification cache. */
    'apiTokens:invalidated': [{ tokenIds: string[] }];
  }
}
