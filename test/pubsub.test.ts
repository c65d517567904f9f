// Events between instances over Redis: one deployment's namespace hears its own events and
// no one else's, and a publish Redis refuses is reported, never left to end the process.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../src/platform/pubsub.ts';
import { needing } from './helpers/server.ts';

const clients: Redis[] = [];
const bus = (namespace: string) => {
  const publish = new Redis(process.env.REDIS_URL as string);
  const subscribe = new Redis(process.env.REDIS_URL as string);
  clients.push(publish, subscribe);
  return createEventBus({ publish, subscribe, namespace });
};
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

const acrossInstances = needing('delivers across instances of one namespace only', 'REDIS_URL');
it.skipIf(acrossInstances.skip)(acrossInstances.title, async () => {
  const namespace = `ns-${randomUUID()}`;
  const [publisher, sameDeployment, otherDeployment] = [bus(namespace), bus(namespace), bus(`other-${randomUUID()}`)];
  const recipient = randomUUID();
  const heard = sameDeployment.subscribe('unreadCountChanged', recipient);
  const overheard = otherDeployment.subscribe('unreadCountChanged', recipient);
  const overheardNext = overheard.next();
  // Subscribing to a Redis channel completes asynchronously; publish until it is heard.
  const first = heard.next();
  let delivered: IteratorResult<unknown> | undefined;
  for (let attempt = 0; attempt < 50 && !delivered; attempt++) {
    publisher.publish('unreadCountChanged', recipient, { recipientId: recipient, organizationId: 'o', unreadCount: 3 });
    delivered = await Promise.race([first, new Promise<undefined>((resolve) => setTimeout(resolve, 50))]);
  }
  expect(delivered?.value).toMatchObject({ unreadCount: 3 });
  const leaked = await Promise.race([
    overheardNext,
    new Promise((resolve) => setTimeout(() => resolve('silence'), 300)),
  ]);
  expect(leaked).toBe('silence');
  await Promise.all([heard.return?.(), overheard.return?.()]);
});

describe('listen', () => {
  const event = (recipientId: string, unreadCount: number, organizationId = 'o') => ({
    recipientId,
    organizationId,
    unreadCount,
  });

  it('hands each accepted event of its recipient to a waiting reader', async () => {
    const local = createEventBus();
    const stream = local.listen('unreadCountChanged', 'r1', (e) => e.organizationId === 'o');
    const waiting = stream.next();
    local.publish('unreadCountChanged', 'r2', event('r2', 9));
    local.publish('unreadCountChanged', 'r1', event('r1', 8, 'elsewhere'));
    local.publish('unreadCountChanged', 'r1', event('r1', 1));
    expect(await waiting).toEqual({ value: event('r1', 1), done: false });
  });

  it('keeps only the newest events for a reader that lags, in order', async () => {
    const local = createEventBus();
    const stream = local.listen('unreadCountChanged', 'r1', () => true, 3);
    for (let count = 1; count <= 5; count++) local.publish('unreadCountChanged', 'r1', event('r1', count));
    const read = [await stream.next(), await stream.next(), await stream.next()].map((r) => r.value?.unreadCount);
    expect(read).toEqual([3, 4, 5]);
  });

  it('ends a waiting read when returned, and hears nothing after', async () => {
    const local = createEventBus();
    const stream = local.listen('unreadCountChanged', 'r1', () => true);
    const waiting = stream.next();
    await stream.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
    local.publish('unreadCountChanged', 'r1', event('r1', 1));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});

it('reports a publish that Redis refuses, and the publisher goes on', async () => {
  // Never connected, and told not to queue: every command is refused at once, as in an outage.
  const offline = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  offline.on('error', () => {});
  const refused: unknown[] = [];
  const events = createEventBus({
    publish: offline,
    subscribe: offline,
    namespace: `ns-${randomUUID()}`,
    onCommandError: (error) => refused.push(error),
  });
  expect(() =>
    events.publish('unreadCountChanged', randomUUID(), { recipientId: 'r', organizationId: 'o', unreadCount: 1 }),
  ).not.toThrow();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(refused).toHaveLength(1);
  expect(String(refused[0])).toMatch(/enableOfflineQueue/);
  offline.disconnect();
});
