// The client's session keeper on its own: renewals one at a time, tabs that share a session
// through a fake channel and lock, and what ends a session. A fake Herald counts the refresh
// tokens spent and refuses one spent twice, as reuse detection would.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeraldError } from '../packages/client/src/errors.ts';
import { type KeeperOptions, type SessionChange, SessionKeeper } from '../packages/client/src/keeper.ts';
import type { Pair } from '../packages/client/src/session.ts';
import { memoryStorage, type StorageAdapter } from '../packages/client/src/storage.ts';
import type { TabMessage, Tabs } from '../packages/client/src/tabs.ts';

const LIFETIME_MS = 60_000;

/** Herald's refresh, reduced to what the keeper relies on. */
class FakeHerald {
  issued = 0;
  readonly spent: string[] = [];
  failWith: HeraldError | null = null;
  clock = { now: 1_000_000 };
  /** The organization of the pairs it issues (a refresh keeps the pair's). */
  organization = { id: 'org-1', name: 'Engines', slug: 'engines' };

  pair(): Pair {
    this.issued++;
    return {
      accessToken: `access-${this.issued}`,
      refreshToken: `refresh-${this.issued}`,
      expiresAt: this.clock.now + LIFETIME_MS,
      user: { id: 'user-1', email: 'ada@example.test', name: 'Ada' },
      organization: this.organization,
      scopes: ['write:*'],
    };
  }

  rotate = async (refreshToken: string): Promise<Pair> => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failWith) throw this.failWith;
    if (this.spent.includes(refreshToken)) {
      throw new HeraldError({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED', message: `reused ${refreshToken}` });
    }
    this.spent.push(refreshToken);
    return this.pair();
  };
}

/** The tabs of one origin: a lock they queue on and a channel that delivers after `delayMs`. */
class FakeOrigin {
  readonly members: ((message: TabMessage) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly delayMs: number;
  private readonly connected: boolean;

  constructor(delayMs = 0, connected = true) {
    this.delayMs = delayMs;
    this.connected = connected;
  }

  tab(): Tabs {
    let listener: ((message: TabMessage) => void) | undefined;
    const origin = this;
    return {
      exclusive<T>(task: () => Promise<T>): Promise<T> {
        const run = origin.queue.then(task, task);
        origin.queue = run.catch(() => {});
        return run;
      },
      post(message) {
        if (!origin.connected) return;
        for (const member of origin.members) {
          if (member !== listener) setTimeout(() => member(structuredClone(message)), origin.delayMs);
        }
      },
      listen(heard) {
        listener = heard;
        origin.members.push(heard);
      },
      connected: this.connected,
      close() {},
    };
  }
}

const keepers: SessionKeeper[] = [];
afterEach(() => {
  for (const keeper of keepers.splice(0)) keeper.close();
});

function keeper(herald: FakeHerald, tabs: Tabs, options: Partial<KeeperOptions> = {}) {
  const created = new SessionKeeper({
    storage: memoryStorage(),
    key: 'session',
    tabs,
    shared: true,
    rotate: herald.rotate,
    revoke: async () => true,
    now: () => herald.clock.now,
    ...options,
  });
  keepers.push(created);
  return created;
}

const changes = (subject: SessionKeeper) => {
  const seen: SessionChange[] = [];
  subject.onChange((_session, change) => seen.push(change));
  return seen;
};

describe('one tab', () => {
  it('answers the token in hand while fresh, and renews once for callers that come together', async () => {
    const herald = new FakeHerald();
    const tab = keeper(herald, new FakeOrigin().tab());
    await tab.start(herald.pair(), 'signedIn');
    expect(await tab.accessToken()).toBe('access-1');
    expect(tab.session).toBe(tab.session);
    herald.clock.now += LIFETIME_MS;
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => tab.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(herald.spent).toEqual(['refresh-1']);
  });

  it('renews by itself ahead of expiry, with nobody asking, so that callers never hold an expired token', async () => {
    vi.useFakeTimers();
    try {
      const herald = new FakeHerald();
      const tab = keeper(herald, new FakeOrigin().tab());
      await tab.start(herald.pair(), 'signedIn');
      // Herald's clock and the timers move together.
      const pass = async (ms: number) => {
        herald.clock.now += ms;
        await vi.advanceTimersByTimeAsync(ms);
      };
      // A quarter of the lifetime ahead at most (plus a little jitter), never at the last moment.
      await pass(LIFETIME_MS / 2);
      expect(herald.spent).toEqual([]);
      await pass(LIFETIME_MS / 2 - 1);
      expect(herald.spent).toEqual(['refresh-1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('renews a token Herald refused as expired even while it looks fresh, and only that token', async () => {
    const herald = new FakeHerald();
    const tab = keeper(herald, new FakeOrigin().tab());
    await tab.start(herald.pair(), 'signedIn');
    expect(await tab.accessToken('access-1')).toBe('access-2');
    // A caller refused with the old token after the renewal gets the new one without another.
    expect(await tab.accessToken('access-1')).toBe('access-2');
    expect(herald.spent).toEqual(['refresh-1']);
  });

  it('keeps the session through a network failure, and ends it with Herald’s reason when refused', async () => {
    const herald = new FakeHerald();
    const storage = memoryStorage();
    const tab = keeper(herald, new FakeOrigin().tab(), { storage });
    const seen = changes(tab);
    await tab.start(herald.pair(), 'signedIn');
    herald.clock.now += LIFETIME_MS;
    herald.failWith = new HeraldError({ code: 'NETWORK', message: 'offline' });
    await expect(tab.accessToken()).rejects.toMatchObject({ code: 'NETWORK' });
    expect(tab.session).not.toBeNull();
    expect(await storage.get('session')).toBe('refresh-1');

    herald.failWith = new HeraldError({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED', message: 'ended' });
    await expect(tab.accessToken()).rejects.toMatchObject({ reason: 'SESSION_ENDED' });
    expect(tab.session).toBeNull();
    expect(await storage.get('session')).toBeNull();
    expect(seen.at(-1)).toEqual({ type: 'signedOut', reason: 'SESSION_ENDED' });
    expect(await tab.accessToken()).toBeNull();
  });

  it('restores a stored session, and tells a switch of organization from a renewal', async () => {
    const herald = new FakeHerald();
    const storage: StorageAdapter = memoryStorage();
    await storage.set('session', 'refresh-0');
    const tab = keeper(herald, new FakeOrigin().tab(), { storage });
    const seen = changes(tab);
    expect((await tab.restore())?.user.id).toBe('user-1');
    expect(herald.spent).toEqual(['refresh-0']);
    herald.organization = { id: 'org-2', name: 'Other', slug: 'other' };
    await tab.start(herald.pair(), 'switched');
    herald.clock.now += LIFETIME_MS;
    await tab.accessToken();
    expect(seen.map((change) => change.type)).toEqual(['signedIn', 'switched', 'refreshed']);
  });
});

describe('tabs sharing a session', () => {
  it.each([
    ['messages arrive at once', 0],
    ['messages arrive after the lock is released', 40],
  ])('spend each refresh token once: %s', async (_title, delayMs) => {
    const herald = new FakeHerald();
    const origin = new FakeOrigin(delayMs);
    const storage = memoryStorage();
    const tabs = [1, 2, 3].map(() => keeper(herald, origin.tab(), { storage }));
    await tabs[0]?.start(herald.pair(), 'signedIn');
    await new Promise((resolve) => setTimeout(resolve, delayMs + 10));
    for (let lifetime = 0; lifetime < 3; lifetime++) {
      herald.clock.now += LIFETIME_MS;
      const tokens = await Promise.all(tabs.map((tab) => tab.accessToken()));
      expect(new Set(tokens).size).toBe(1);
    }
    // One rotation per lifetime, whichever tab did it.
    expect(herald.spent).toEqual(['refresh-1', 'refresh-2', 'refresh-3']);
  });

  it('renew by themselves without a channel, spending only the token in storage', async () => {
    const herald = new FakeHerald();
    const origin = new FakeOrigin(0, false);
    const storage = memoryStorage();
    const [a, b] = [1, 2].map(() => keeper(herald, origin.tab(), { storage })) as [SessionKeeper, SessionKeeper];
    await a.start(herald.pair(), 'signedIn');
    await b.restore();
    for (let lifetime = 0; lifetime < 3; lifetime++) {
      herald.clock.now += LIFETIME_MS;
      await Promise.all([a.accessToken(), b.accessToken()]);
    }
    expect(new Set(herald.spent).size).toBe(herald.spent.length);
  });

  it('sign out together', async () => {
    const herald = new FakeHerald();
    const origin = new FakeOrigin();
    const storage = memoryStorage();
    const [a, b] = [1, 2].map(() => keeper(herald, origin.tab(), { storage })) as [SessionKeeper, SessionKeeper];
    const seen = changes(b);
    await a.start(herald.pair(), 'signedIn');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(b.session?.user.id).toBe('user-1');
    await a.signOut();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(b.session).toBeNull();
    expect(seen.at(-1)).toEqual({ type: 'signedOut', reason: 'SIGNED_OUT' });
  });

  it('in storage of their own (`session`), follow only the session they were copied from', async () => {
    const herald = new FakeHerald();
    const origin = new FakeOrigin();
    const mine = memoryStorage();
    await mine.set('session', 'refresh-0');
    const copied = memoryStorage();
    await copied.set('session', 'refresh-0');
    const tab = keeper(herald, origin.tab(), { storage: mine, shared: false });
    const duplicate = keeper(herald, origin.tab(), { storage: copied, shared: false });
    const stranger = keeper(herald, origin.tab(), { storage: memoryStorage(), shared: false });
    await stranger.start(herald.pair(), 'signedIn');
    await tab.restore();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await duplicate.restore();
    // The duplicate took the rotated pair instead of spending refresh-0 again; the stranger kept its own.
    expect(await copied.get('session')).toBe(await mine.get('session'));
    expect(await duplicate.accessToken()).toBe(await tab.accessToken());
    expect(stranger.pair?.refreshToken).toBe('refresh-1');
    expect(new Set(herald.spent).size).toBe(herald.spent.length);
  });
});
