// The one map of events that travel between instances: in-process by default, over Redis
// when REDIS_URL is set. Topics are keyed by their recipient where there is one.
import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { createPubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { NotificationAddedEvent, UnreadCountEvent } from './notifications/events.ts';

// Each module adds the events it publishes.
export type PubSubEvents = {
  /** API tokens revoked or changed: every instance drops them from its verification cache. */
  'apiTokens:invalidated': [{ tokenIds: string[] }];
  /** OAuth clients revoked or changed: see machine/oauth-client-revocations.ts. */
  'oauthClients:changed': [{ clientIds: string[] }];
  /** A user's sessions ended (in one organization, or in all when null): see auth/session-revocations.ts. */
  'sessions:revoked': [{ userId: string; organizationId: string | null }];
  notificationAdded: [recipientId: string, event: NotificationAddedEvent];
  unreadCountChanged: [recipientId: string, event: UnreadCountEvent];
};

/**
 * Prefixes every channel, so that deployments (or test runs) sharing one Redis never hear
 * each other's events.
 */
function namespaced(target: EventTarget, namespace: string): EventTarget {
  const channel = (type: string) => `${namespace}:${type}`;
  return {
    addEventListener: (type, listener, options) => target.addEventListener(channel(type), listener, options),
    removeEventListener: (type, listener, options) => target.removeEventListener(channel(type), listener, options),
    dispatchEvent: (event) =>
      target.dispatchEvent(new CustomEvent(channel(event.type), { detail: (event as CustomEvent).detail })),
  };
}

export function createEventBus(redis?: { publish: Redis; subscribe: Redis; namespace: string }) {
  if (!redis) {
    // One listener per open subscription: a user with many tabs is no leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return createPubSub<PubSubEvents>({ eventTarget });
  }
  const eventTarget = createRedisEventTarget({ publishClient: redis.publish, subscribeClient: redis.subscribe });
  return createPubSub<PubSubEvents>({ eventTarget: namespaced(eventTarget, redis.namespace) });
}

export type EventBus = ReturnType<typeof createEventBus>;

/**
 * Reads a subscription eagerly and keeps at most `size` events for a consumer that lags,
 * dropping the oldest. A subscriber that cannot keep up (a socket whose client stopped
 * reading) then holds bounded memory, and the publisher never waits on it. Dropped
 * notifications stay in the database, and unread counts are absolute, so the next event
 * repairs what was skipped.
 */
export function slidingWindow<T>(source: AsyncIterableIterator<T>, size = 64): AsyncIterableIterator<T> {
  return new Repeater<T>(async (push, stop) => {
    stop.then(() => source.return?.());
    for await (const value of source) await push(value);
    stop();
  }, new SlidingBuffer(size));
}
