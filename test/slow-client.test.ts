// A client that stops reading is cut off instead of having the server buffer for it without
// bound; a client that keeps reading stays connected and ends up with the latest state.
import { randomUUID } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NotificationAddedEvent } from '../src/notifications/events.ts';
import { within, wsUrl } from './helpers/live.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0', WS_KEEPALIVE_MS: '1500' } });
});
afterAll(() => server?.close());

const EVENTS = 4000;
const big = 'x'.repeat(4000);

function event(account: Account, n: number): NotificationAddedEvent {
  return {
    unreadCount: n,
    notification: {
      id: randomUUID(),
      recipientId: account.userId,
      organizationId: account.organizationId,
      type: 'CUSTOM',
      title: `#${n}`,
      message: big,
      url: null,
      workItemId: null,
      createdAt: new Date().toISOString(),
      readAt: null,
    },
  };
}

/** A raw graphql-transport-ws subscriber that counts the events it reads. */
async function subscriber(account: Account) {
  const socket = new WebSocket(wsUrl(server, account.accessToken), 'graphql-transport-ws');
  let received = 0;
  let last = '';
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { data?: { notificationAdded?: { notification: { title: string } } } };
      };
      if (message.type === 'connection_ack') resolve();
      if (message.type === 'next') {
        received++;
        last = message.payload?.data?.notificationAdded?.notification.title ?? '';
      }
    });
    socket.on('error', reject);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await within(acked, 5000, 'connection_ack');
  socket.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { notificationAdded { notification { id title message } unreadCount } }' },
    }),
  );
  // The subscription is live once a published event comes back.
  for (let i = 0; received === 0 && i < 100; i++) {
    server.app.pubsub.publish('notificationAdded', account.userId, event(account, 0));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(received).toBeGreaterThan(0);
  return { socket, closed, received: () => received, last: () => last };
}

it('cuts off a subscriber that stops reading, and keeps one that reads', async () => {
  const [stalled, reading] = await Promise.all([createOwner(server), createOwner(server)]);
  const slow = await subscriber(stalled);
  const fast = await subscriber(reading);
  slow.socket.pause();

  // About 16 MB for each, far beyond what the socket buffers of both ends hold. Were the
  // stalled subscriber's queue unbounded, it would overflow here (an unhandled error).
  for (let n = 1; n <= EVENTS; n++) {
    server.app.pubsub.publish('notificationAdded', stalled.userId, event(stalled, n));
    server.app.pubsub.publish('notificationAdded', reading.userId, event(reading, n));
    if (n % 50 === 0) await turn();
  }
  // The stalled client misses a ping and is dropped; reading again it only learns of the close.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  slow.socket.resume();
  expect(await within(slow.closed, 10_000, 'the stalled socket to be cut off')).toBe(1006);
  expect(slow.received()).toBeLessThan(EVENTS);

  // The reader may skip events it lagged behind on, but always ends with the latest.
  const deadline = Date.now() + 15_000;
  while (fast.last() !== `#${EVENTS}` && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(fast.last()).toBe(`#${EVENTS}`);
  expect(fast.socket.readyState).toBe(WebSocket.OPEN);
  fast.socket.close();
});
