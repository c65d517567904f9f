// The one map of events that travel between instances: in-process by default, over Redis
// when REDIS_URL is set. Topics are keyed by their recipient where there is one.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { NotificationAddedEvent, UnreadCountEvent } from './notifications/events.ts';

// Each module adds the events it publishes.
export type PubSubEvents = {
  /** API tokens revoked or changed: every instance drops them from its verification cache. */
  'apiTokens:invalidated': [{ tokenIds: string[] }];
  notificationAdded: [recipientId: string, event: NotificationAddedEvent];
  unreadCountChanged: [recipientId: string, event: UnreadCountEvent];
};

export function createEventBus(redis?: { publish: Redis; subscribe: Redis }) {
  return createPubSub<PubSubEvents>(
    redis
      ? { eventTarget: createRedisEventTarget({ publishClient: redis.publish, subscribeClient: redis.subscribe }) }
      : {},
  );
}

export type EventBus = ReturnType<typeof createEventBus>;
