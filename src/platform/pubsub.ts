// The one map of events that travel between instances: in-process by default, over Redis
// when REDIS_URL is set. Topics are keyed by their recipient where there is one.
import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
/**
 * The events that travel between instances. Each module adds the events it publishes, where
 * it defines them (`declare module '…/platform/pubsub.ts'`), so that this bus knows none of them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the modules that publish.
export interface PubSubEvents {}
/** The same map as a type literal, which yoga's pub/sub takes (an interface has no index signature). */
type EventMap = { [K in keyof PubSubEvents]: PubSubEvents[K] };

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

export function createEventBus(redis?: {
  publish: Redis;
  subscribe: Redis;
  namespace: string;
  /**
   * A command Redis refused or never got (an outage, or the instance shutting down): a
   * publish is lost, the caller goes on.
   */
  onCommandError?: (error: unknown) => void;
}) {
  let eventTarget: EventTarget;
  if (redis) {
    // The event target drops the promise of each PUBLISH, SUBSCRIBE and UNSUBSCRIBE: unhandled,
    // one refused in an outage (or sent as the instance shuts down) would end the process. It
    // calls nothing else on these clients but `on('message')`.
    const { publish, subscribe, onCommandError } = redis;
    const report = onCommandError ?? (() => {});
    const publishClient = {
      publish: (channel: string, message: string) => publish.publish(channel, message).catch(report),
    } as unknown as Redis;
    const subscribeClient = {
      on: (event: 'message', listener: (channel: string, message: string) => void) => subscribe.on(event, listener),
      subscribe: (channel: string) => subscribe.subscribe(channel).catch(report),
      unsubscribe: (channel: string) => subscribe.unsubscribe(channel).catch(report),
    } as unknown as Redis;
    const shared = createRedisEventTarget({ publishClient, subscribeClient });
    eventTarget = namespaced(shared, redis.namespace);
  } else {
    // One listener per open subscription: a user with many tabs is no leak.
    eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
  }
  const pubsub = createPubSub<EventMap>({ eventTarget });
  return {
    ...pubsub,
    /**
     * The events of one recipient's topic that `accept` lets through, for a subscription
     * resolver. Published as `publish(routingKey, recipientId, event)` names them.
     */
    listen<K extends RecipientTopic>(
      routingKey: K,
      recipientId: string,
      accept: (event: PubSubEvents[K][1]) => boolean,
      size?: number,
    ): AsyncIterableIterator<PubSubEvents[K][1]> {
      return new TopicStream(eventTarget, `${routingKey}:${recipientId}`, accept, size);
    },
  };
}

type RecipientTopic = {
  [K in keyof PubSubEvents]: PubSubEvents[K] extends [string, unknown] ? K : never;
}[keyof PubSubEvents];

export type EventBus = ReturnType<typeof createEventBus>;

/**
 * One subscriber's events: it listens while it is open and keeps at most `size` events for a
 * consumer that lags, dropping the oldest. A subscriber that cannot keep up (a socket whose
 * client stopped reading) then holds bounded memory, and the publisher never waits on it.
 * Dropped notifications stay in the database, and unread counts are absolute, so the next
 * event repairs what was skipped. One small object per open subscription, with one listener
 * function: tens of thousands are open at once, and a general-purpose stream (a Repeater
 * for the topic, another for the window, a third for the filter) costs several times more.
 */
export class TopicStream<T> implements AsyncIterableIterator<T> {
  #pending: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #open = true;
  readonly #listener = (event: Event) => this.#offer((event as CustomEvent<T>).detail);

  readonly #target: EventTarget;
  readonly #topic: string;
  readonly #accept: (event: T) => boolean;
  readonly #size: number;

  constructor(target: EventTarget, topic: string, accept: (event: T) => boolean, size = 64) {
    this.#target = target;
    this.#topic = topic;
    this.#accept = accept;
    this.#size = size;
    target.addEventListener(topic, this.#listener);
  }

  #offer(value: T) {
    if (!this.#open || !this.#accept(value)) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = null;
      waiting({ value, done: false });
      return;
    }
    this.#pending.push(value);
    if (this.#pending.length > this.#size) this.#pending.shift();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#pending.length > 0) return Promise.resolve({ value: this.#pending.shift() as T, done: false });
    if (!this.#open) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (this.#open) {
      this.#open = false;
      this.#pending = [];
      this.#target.removeEventListener(this.#topic, this.#listener);
      this.#waiting?.({ value: undefined, done: true });
      this.#waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
