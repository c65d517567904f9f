import type { Pair } from './session.ts';

/** What the tabs of one origin tell each other about the session they share. */
export type TabMessage =
  /** A pair issued from `from` (a rotation), or from a sign-in when `from` is null. */
  | { type: 'pair'; from: string | null; pair: Pair }
  /** The session of `refreshToken` ended; with `everywhere`, every session of `userId`. */
  | { type: 'signedOut'; refreshToken: string | null; reason: string; everywhere?: boolean; userId?: string };

/** How one client reaches the other tabs of its origin. */
export interface Tabs {
  /** Runs `task` while no other tab runs one for the same session (a Web Lock where there is one). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  listen(listener: (message: TabMessage) => void): void;
  /** Whether other tabs hear `post`; if not, a tab renews by itself instead of waiting for another's pair. */
  readonly connected: boolean;
  close(): void;
}

/** A tab on its own: the session is kept in memory, or in storage no other tab reads. */
export const aloneTabs = (): Tabs => ({
  exclusive: (task) => task(),
  post: () => {},
  listen: () => {},
  connected: false,
  close: () => {},
});

/**
 * The tabs of this origin through Web Locks and a BroadcastChannel named `name`. Where
 * BroadcastChannel is missing, `storage` events on `storageKey` still tell a tab that another
 * one signed out or renewed (without the new access token, so it renews by itself); where Web
 * Locks are missing, two tabs may renew at the same moment, which Herald's grace window for
 * concurrent tabs (REFRESH_REUSE_GRACE) absorbs.
 */
export function browserTabs(name: string, storageKey: string): Tabs {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const Channel = globalThis.BroadcastChannel;
  const channel = Channel ? new Channel(name) : null;
  // In Node an open channel would keep the process alive.
  (channel as { unref?: () => void } | null)?.unref?.();
  const listeners: ((message: TabMessage) => void)[] = [];
  const deliver = (message: TabMessage) => {
    for (const listener of listeners) listener(message);
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === storageKey && event.newValue === null) {
      deliver({ type: 'signedOut', refreshToken: null, reason: 'SIGNED_OUT' });
    }
  };
  if (channel) channel.onmessage = (event: MessageEvent<TabMessage>) => deliver(event.data);
  else globalThis.addEventListener?.('storage', onStorage);
  return {
    exclusive: <T>(task: () => Promise<T>) => (locks ? (locks.request(name, task) as Promise<T>) : task()),
    post: (message) => channel?.postMessage(message),
    listen: (listener) => void listeners.push(listener),
    connected: channel !== null,
    close() {
      channel?.close();
      globalThis.removeEventListener?.('storage', onStorage);
    },
  };
}
