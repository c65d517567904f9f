// Subscriptions over Server-Sent Events keep the socket's rules: authentication at the
// start, the stream ended when the token expires, a bound on what one principal holds
// open, and each event only for its recipient. The WebSocket's own bound is here too, and a
// burst to one subscriber arriving whole and in order over either transport.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignWorkItemDocument, CreateWorkItemDocument, NotificationAddedDocument } from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, within, wsUrl } from './helpers/live.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { notificationStream, openLiveStream, openStream } from './helpers/sse.ts';
import { addMember, loginTo } from './helpers/work.ts';

const MAX = 2;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0', MAX_SUBSCRIPTIONS: String(MAX) } });
});
afterAll(() => server?.close());

const assignNew = async (on: TestServer, by: Account, to: Account, title: string) => {
  const { createWorkItem } = ok(await on.gql(CreateWorkItemDocument, { input: { title } }, { token: by.accessToken }));
  ok(
    await on.gql(
      AssignWorkItemDocument,
      { input: { workItemId: createWorkItem.id, assigneeId: to.userId } },
      { token: by.accessToken },
    ),
  );
};

describe('subscriptions over SSE', () => {
  it.each([
    ['no token', undefined, 200, 'Authentication required.'],
    ['a malformed token', 'nonsense', 401, 'The access token is invalid.'],
  ])('refuse %s at the start', async (_name, token, status, message) => {
    const stream = await openStream(server, NotificationAddedDocument, { token });
    expect(stream.status).toBe(status);
    expect((await stream.next()).errors?.[0]).toMatchObject({ message, extensions: { code: 'UNAUTHENTICATED' } });
    await within(stream.ended, 5000, 'the stream to end');
  });

  it('deliver each notification to its recipient only', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const colleague = await addMember(server, owner);
    const stream = await notificationStream(server, member);
    await assignNew(server, owner, colleague, 'For the colleague');
    await assignNew(server, owner, member, 'For the member');
    const { data } = await stream.next();
    expect(data?.notificationAdded.notification.message).toBe('For the member');
    stream.dispose();
  });

  it(`hold at most MAX_SUBSCRIPTIONS (${MAX}) streams per user at once`, async () => {
    const owner = await createOwner(server);
    const probe = notificationProbe(server, owner);
    const open = [];
    for (let i = 0; i < MAX; i++) {
      open.push(await openLiveStream(server, NotificationAddedDocument, owner.accessToken, probe));
    }
    const refused = await openStream(server, NotificationAddedDocument, { token: owner.accessToken });
    expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    await within(refused.ended, 5000, 'the refused stream to end');

    // Closing one frees its place once the server has seen the client go.
    open.pop()?.dispose();
    let again = await openStream(server, NotificationAddedDocument, { token: owner.accessToken });
    for (let attempt = 0; attempt < 50; attempt++) {
      const settled = await Promise.race([again.ended.then(() => 'ended' as const), sleep(100)]);
      if (settled !== 'ended') break;
      again = await openStream(server, NotificationAddedDocument, { token: owner.accessToken });
    }
    const ticker = setInterval(() => probe.publish(), 50);
    try {
      expect((await again.next()).data?.notificationAdded.notification.id).toBeDefined();
    } finally {
      clearInterval(ticker);
    }
    for (const stream of [...open, again]) stream.dispose();
  });

  it('end when the access token expires, with UNAUTHENTICATED, and deliver nothing after', async () => {
    const shortLived = await startServer({ env: { ACCESS_TOKEN_TTL: '3', SLA_SWEEP_INTERVAL_MS: '0' } });
    try {
      const owner = await createOwner(shortLived);
      const member = await addMember(shortLived, owner);
      const stream = await notificationStream(shortLived, member);
      const last = await stream.next(6000);
      expect(last.errors?.[0]).toMatchObject({
        message: 'The access token has expired.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      await within(stream.ended, 5000, 'the stream to end');
      // A fresh owner token makes the assignment; nothing reaches the ended stream.
      const fresh = await loginTo(shortLived, owner, owner.organizationId);
      await assignNew(shortLived, fresh, member, 'Too late');
      await expect(stream.next(500)).rejects.toThrow(/timed out/);
    } finally {
      await shortLived.close();
    }
  });
});

describe('subscriptions over a WebSocket', () => {
  it(`run at most MAX_SUBSCRIPTIONS (${MAX}) operations on one socket`, async () => {
    const owner = await createOwner(server);
    const connection = connect(wsUrl(server, owner.accessToken));
    await within(connection.connected, 5000, 'the connection');
    const outcomes: Promise<string>[] = [];
    for (let i = 0; i <= MAX; i++) {
      outcomes.push(
        new Promise((resolve) => {
          connection.client.subscribe(
            { query: 'subscription { unreadCountChanged }' },
            {
              next: ({ errors }) => resolve(errors?.[0]?.extensions?.code === undefined ? 'event' : 'error'),
              error: (error) =>
                resolve(Array.isArray(error) ? String(error[0]?.extensions?.code) : `failed: ${String(error)}`),
              complete: () => {},
            },
          );
        }),
      );
      // Let the server register each before the next arrives.
      await sleep(100);
    }
    const settled = await Promise.race([outcomes[MAX] as Promise<string>, sleep(5000).then(() => 'nothing')]);
    expect(settled).toBe('RATE_LIMITED');
    await connection.client.dispose();
  });
});

describe('a burst of events to one subscriber', () => {
  // Events are read and checked against the session ahead of the consumer, several at a time:
  // whatever arrives together must still go out whole, once each and in order.
  const burst = (account: Account, count: number) => {
    for (let i = 0; i < count; i++) {
      server.app.pubsub.publish('notificationAdded', account.userId, {
        notification: {
          id: `0193a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`,
          recipientId: account.userId,
          organizationId: account.organizationId,
          type: 'CUSTOM',
          title: `event ${i}`,
          message: null,
          url: null,
          workItemId: null,
          createdAt: new Date().toISOString(),
          readAt: null,
        },
        unreadCount: i + 1,
      });
    }
  };
  const COUNT = 40;
  const expected = Array.from({ length: COUNT }, (_, i) => `event ${i}`);

  it('arrives whole and in order over a WebSocket', async () => {
    const owner = await createOwner(server);
    const feed = await subscribe(
      connect(wsUrl(server, owner.accessToken)),
      NotificationAddedDocument,
      notificationProbe(server, owner),
    );
    burst(owner, COUNT);
    const titles: string[] = [];
    for (let i = 0; i < COUNT; i++) titles.push((await feed.next()).notificationAdded.notification.title);
    expect(titles).toEqual(expected);
    await sleep(200);
    expect(feed.pending).toBe(0);
    await feed.dispose();
  });

  it('arrives whole and in order over SSE', async () => {
    const owner = await createOwner(server);
    const stream = await notificationStream(server, owner);
    burst(owner, COUNT);
    const titles: string[] = [];
    for (let i = 0; i < COUNT; i++) titles.push((await stream.next()).data?.notificationAdded.notification.title ?? '');
    expect(titles).toEqual(expected);
    stream.dispose();
  });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
