// Events between instances over Redis: one deployment's namespace hears its own events and
// no one else's.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createEventBus } from '../src/pubsub.ts';
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
