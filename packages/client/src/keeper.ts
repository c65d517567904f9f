// Keeps one session's tokens fresh. The access token lives here, in memory; the refresh token
// in the storage the page chose. Herald rotates the refresh token on every use and, after a
// grace window, takes a rotated one presented again as stolen and ends the whole family, so a
// refresh token must be spent exactly once: one renewal at a time in this tab (callers that
// come meanwhile wait for it), and across tabs, under a lock, only by the tab that finds it
// still current in storage. The others receive the new pair.
import { endedError, endsSession, HeraldError } from './errors.ts';
import { type Pair, type Session, sessionOf } from './session.ts';
import type { StorageAdapter } from './storage.ts';
import type { TabMessage, Tabs } from './tabs.ts';

export type SessionChangeType = 'signedIn' | 'refreshed' | 'switched' | 'signedOut';

export interface SessionChange {
  type: SessionChangeType;
  /** Why a session ended: SIGNED_OUT (here or in another tab), SESSION_ENDED, INVALID_CREDENTIAL, SUBSCRIPTION_INACTIVE… */
  reason?: string;
}

export type SessionListener = (session: Session | null, change: SessionChange) => void;

export interface KeeperOptions {
  storage: StorageAdapter;
  key: string;
  tabs: Tabs;
  /** Whether every tab reads the same storage (`local`, an adapter) or each tab its own (`session`). */
  shared: boolean;
  /** Exchanges a refresh token for a new pair (Herald's `refresh`). */
  rotate(refreshToken: string): Promise<Pair>;
  /** Ends the family of a refresh token (Herald's `logout`). */
  revoke(refreshToken: string): Promise<unknown>;
  locale?: string;
  now?: () => number;
}

/** How long a tab that finds a newer refresh token in storage waits for the tab that rotated it to hand over the pair. */
const HAND_OVER_MS = 1000;
/** Renewal starts this share of the token's lifetime before it ends (at most a minute before). */
const RENEW_SHARE = 0.25;
const MAX_RENEW_MARGIN_MS = 60_000;
const MAX_RETRY_MS = 30_000;

/** Keeps the last few: only the newest pairs can still be in storage. */
function remember(pairs: Map<string, Pair>, key: string, pair: Pair) {
  pairs.set(key, pair);
  if (pairs.size > 4) pairs.delete(pairs.keys().next().value as string);
}

export class SessionKeeper {
  readonly #options: KeeperOptions;
  readonly #now: () => number;
  #pair: Pair | null = null;
  #session: Session | null = null;
  /** The refresh token this tab takes to be current; set before its pair arrives when restoring. */
  #known: string | null = null;
  #renewAt = 0;
  #flight: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #retryPending = false;
  #closed = false;
  /** Pairs other tabs announced, by their refresh token, for a tab that finds that token in storage. */
  readonly #handed = new Map<string, Pair>();
  /** The same pairs by the refresh token they replaced, for a tab about to spend that one. */
  readonly #successors = new Map<string, Pair>();
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<SessionListener>();
  readonly #online = () => {
    if (this.#retryPending) this.#renewInBackground();
  };

  constructor(options: KeeperOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    options.tabs.listen((message) => this.#hear(message));
    globalThis.addEventListener?.('online', this.#online);
  }

  /** The same object until the session changes (what React's useSyncExternalStore needs). */
  get session(): Session | null {
    return this.#session;
  }

  /** The pair in hand, for callers that need the raw tokens. */
  get pair(): Pair | null {
    return this.#pair;
  }

  onChange(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Picks up the session a stored refresh token stands for (after a page reload). */
  async restore(): Promise<Session | null> {
    const stored = await this.#options.storage.get(this.#options.key);
    if (!stored || this.#known) return this.session;
    this.#known = stored;
    try {
      await this.#renew();
    } catch (error) {
      if (!endsSession(error)) this.#retryLater(error);
    }
    return this.session;
  }

  /** Takes a pair Herald just issued (sign-in, organization switch) in place of the one in hand. */
  async start(pair: Pair, type: SessionChangeType): Promise<Session> {
    const { storage, key, tabs } = this.#options;
    const previous = this.#known;
    await tabs.exclusive(async () => {
      await storage.set(key, pair.refreshToken);
    });
    this.#adopt(pair, type);
    tabs.post({ type: 'pair', from: previous, pair });
    // The pair replaced here would otherwise stay valid, unseen, until it expires.
    if (previous && previous !== pair.refreshToken) this.#options.revoke(previous).catch(() => {});
    return this.#session as Session;
  }

  /**
   * A fresh access token (null when signed out), renewed first when it is about to expire, or
   * when it is `stale`: the token Herald just refused as expired.
   */
  async accessToken(stale?: string): Promise<string | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.#known) return null;
      const pair = this.#pair;
      if (pair && pair.accessToken !== stale && this.#now() < this.#renewAt) return pair.accessToken;
      await this.#renew(stale);
      // A renewal that was already under way may have ended before `stale` was refused.
      if (this.#pair?.accessToken !== stale) break;
    }
    return this.#pair?.accessToken ?? null;
  }

  /** Ends the session here and in the other tabs that share it, and asks Herald to end its family. */
  async signOut(reason = 'SIGNED_OUT'): Promise<void> {
    const token = this.#known;
    await this.#end(reason, true);
    if (token) await this.#options.revoke(token).catch(() => {});
  }

  /** Ends the session here and in every tab signed in as the same person (after Herald's `logoutAll`). */
  async signedOutEverywhere(): Promise<void> {
    const userId = this.#pair?.user.id;
    await this.#end('SIGNED_OUT', false);
    this.#options.tabs.post({ type: 'signedOut', refreshToken: null, reason: 'SIGNED_OUT', everywhere: true, userId });
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#options.tabs.close();
    globalThis.removeEventListener?.('online', this.#online);
  }

  #renew(stale?: string): Promise<void> {
    this.#flight ??= this.#options.tabs
      .exclusive(() => this.#renewAlone(stale))
      .finally(() => {
        this.#flight = null;
      });
    return this.#flight;
  }

  /** Runs while no other tab renews: spends the stored refresh token, unless another tab already did. */
  async #renewAlone(stale?: string): Promise<void> {
    const { storage, key, tabs, locale } = this.#options;
    let stored = (await storage.get(key)) ?? null;
    if (stored === null) {
      // Another tab signed out (or the storage was cleared).
      if (this.#known) await this.#end('SIGNED_OUT', false);
      throw endedError(locale, 'SIGNED_OUT');
    }
    const successor = this.#successors.get(stored);
    if (successor) {
      // Already rotated by another tab (one copied from this one, with storage of its own).
      this.#adopt(successor, this.#changeTo(successor));
      if (!this.#options.shared) await storage.set(key, successor.refreshToken);
      if (successor.accessToken !== stale && this.#now() < this.#renewAt) return;
      stored = successor.refreshToken;
    } else if (stored !== this.#known) {
      // Another tab rotated it: take the pair it hands over rather than spend the token again.
      const handed = this.#handed.get(stored) ?? (tabs.connected ? await this.#handedOver(stored) : null);
      if (handed) {
        this.#adopt(handed, this.#changeTo(handed));
        if (handed.accessToken !== stale && this.#now() < this.#renewAt) return;
      }
      this.#known = stored;
    } else if (this.#pair && this.#pair.accessToken !== stale && this.#now() < this.#renewAt) {
      // Renewed by another tab while this one waited for the lock.
      return;
    }
    let next: Pair;
    try {
      next = await this.#options.rotate(stored);
    } catch (error) {
      if (endsSession(error)) await this.#end(error.reason ?? error.code, true);
      throw error;
    }
    await storage.set(key, next.refreshToken);
    this.#adopt(next, this.#changeTo(next));
    tabs.post({ type: 'pair', from: stored, pair: next });
  }

  #handedOver(refreshToken: string): Promise<Pair | null> {
    return new Promise((resolve) => {
      const check = () => {
        const pair = this.#handed.get(refreshToken);
        if (!pair && !this.#closed) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(pair ?? null);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        resolve(null);
      }, HAND_OVER_MS);
      this.#waiters.add(check);
    });
  }

  #hear(message: TabMessage) {
    if (message.type === 'pair') {
      const { pair, from } = message;
      remember(this.#handed, pair.refreshToken, pair);
      if (from !== null) remember(this.#successors, from, pair);
      const ours = this.#options.shared || (from !== null && from === this.#known);
      if (ours && (pair.refreshToken !== this.#known || !this.#pair)) {
        this.#adopt(pair, this.#changeTo(pair));
        // Each tab keeps its own copy in `session` storage.
        if (!this.#options.shared) Promise.resolve(this.#options.storage.set(this.#options.key, pair.refreshToken));
      }
      for (const waiter of [...this.#waiters]) waiter();
      return;
    }
    if (!this.#known) return;
    const ours = message.everywhere
      ? message.userId === this.#pair?.user.id
      : this.#options.shared || message.refreshToken === this.#known;
    if (ours) void this.#end(message.reason, false);
  }

  #changeTo(pair: Pair): SessionChangeType {
    const current = this.#pair;
    if (!current || current.user.id !== pair.user.id) return 'signedIn';
    return current.organization.id === pair.organization.id ? 'refreshed' : 'switched';
  }

  #adopt(pair: Pair, type: SessionChangeType) {
    this.#pair = pair;
    this.#session = sessionOf(pair);
    this.#known = pair.refreshToken;
    this.#failures = 0;
    this.#retryPending = false;
    const now = this.#now();
    const margin = Math.min(MAX_RENEW_MARGIN_MS, (pair.expiresAt - now) * RENEW_SHARE);
    // A little spread, so that tabs holding the same pair do not all wake at once.
    this.#renewAt = pair.expiresAt - margin * (1 + Math.random() * 0.2);
    this.#schedule(this.#renewAt - now);
    this.#emit({ type });
  }

  async #end(reason: string, tellTabs: boolean) {
    const token = this.#known;
    if (!token) return;
    this.#pair = null;
    this.#session = null;
    this.#known = null;
    this.#renewAt = 0;
    this.#retryPending = false;
    clearTimeout(this.#timer);
    const { storage, key, tabs } = this.#options;
    if (tellTabs) tabs.post({ type: 'signedOut', refreshToken: token, reason });
    this.#emit({ type: 'signedOut', reason });
    // Leave a session another tab has started meanwhile alone.
    if ((await storage.get(key)) === token) await storage.remove(key);
  }

  #emit(change: SessionChange) {
    const session = this.session;
    for (const listener of [...this.#listeners]) {
      try {
        listener(session, change);
      } catch (error) {
        // A listener's fault is the page's; it must not stop the others or the renewal.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #schedule(delay: number) {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    this.#timer = setTimeout(() => this.#renewInBackground(), Math.max(0, delay));
    // In Node, a pending renewal must not keep a finished program alive.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #renewInBackground() {
    this.#retryPending = false;
    this.#renew().catch((error: unknown) => this.#retryLater(error));
  }

  /** A renewal that failed for a passing reason (network, outage, rate limit) is tried again later. */
  #retryLater(error: unknown) {
    if (endsSession(error) || !this.#known || this.#closed) return;
    this.#failures++;
    const retryAfter = error instanceof HeraldError ? error.retryAfter : null;
    const backoff = Math.min(MAX_RETRY_MS, 1000 * 2 ** (this.#failures - 1)) * (0.5 + Math.random() / 2);
    this.#retryPending = true;
    this.#schedule(retryAfter ? retryAfter * 1000 : backoff);
  }
}
