import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssignWorkItemDocument,
  CreateWorkItemDocument,
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  NotificationAddedDocument,
  NotificationsDocument,
  PublishNotificationDocument,
  RegisterDocument,
  UnreadCountChangedDocument,
  UnreadNotificationCountDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, unreadCountProbe, within, wsUrl } from './helpers/live.ts';
import { auditActions, createMachineToken, type MachineToken } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember, loginTo } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const listen = async (account: Account) =>
  subscribe(connect(wsUrl(server, account.accessToken)), NotificationAddedDocument, notificationProbe(server, account));

const assignNew = async (by: Account, to: Account, title = 'Fix the door') => {
  const { createWorkItem } = ok(
    await server.gql(CreateWorkItemDocument, { input: { title } }, { token: by.accessToken }),
  );
  return ok(
    await server.gql(
      AssignWorkItemDocument,
      { input: { workItemId: createWorkItem.id, assigneeId: to.userId } },
      { token: by.accessToken },
    ),
  ).assignWorkItem;
};

describe('notificationAdded', () => {
  it('tells an assignee about work assigned by someone else, stored before it is pushed', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const feed = await listen(member);
    const item = await assignNew(owner, member);

    const { notificationAdded } = await feed.next();
    expect(notificationAdded.unreadCount).toBe(1);
    expect(notificationAdded.notification).toMatchObject({
      type: 'ASSIGNMENT',
      title: `${item.key} was assigned to you`,
      message: 'Fix the door',
      readAt: null,
      workItem: { id: item.id, key: item.key },
    });
    const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: member.accessToken }));
    expect(notifications.edges.map((e) => e.node)).toEqual([notificationAdded.notification]);
    await feed.dispose();
  });

  it('says nothing when you assign yourself, and the creator’s assignee hears at creation', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const ownFeed = await listen(owner);
    const memberFeed = await listen(member);
    await assignNew(owner, owner);
    const { createWorkItem } = ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Created assigned', assigneeId: member.userId } },
        { token: owner.accessToken },
      ),
    );
    expect((await memberFeed.next()).notificationAdded.notification.workItem?.id).toBe(createWorkItem.id);
    // The member's own push came after the owner's self-assignment: had that produced one, it would be here.
    expect(ownFeed.pending).toBe(0);
    expect(ok(await server.gql(UnreadNotificationCountDocument, {}, { token: owner.accessToken }))).toEqual({
      unreadNotificationCount: 0,
    });
    await Promise.all([ownFeed.dispose(), memberFeed.dispose()]);
  });

  it('reaches only its recipient in the recipient’s organization', async () => {
    const owner = await createOwner(server);
    const [alice, bob] = await Promise.all([addMember(server, owner), addMember(server, owner)]);
    // Alice also belongs to an organization of her own; a socket opened there hears nothing from this one.
    const aliceElsewhere = await loginTo(server, alice, await ownOrganizationFor(alice));
    const aliceFeed = await listen(alice);
    const bobFeed = await listen(bob);
    const elsewhereFeed = await listen(aliceElsewhere);
    const strangerFeed = await listen(await createOwner(server));

    await assignNew(owner, alice, 'for alice');
    await assignNew(owner, bob, 'for bob');
    expect((await aliceFeed.next()).notificationAdded.notification.message).toBe('for alice');
    expect((await bobFeed.next()).notificationAdded.notification.message).toBe('for bob');
    // Bob's push was published after Alice's: any leak to the others would have arrived by now.
    expect([aliceFeed.pending, bobFeed.pending, elsewhereFeed.pending, strangerFeed.pending]).toEqual([0, 0, 0, 0]);
    const elsewhere = ok(await server.gql(NotificationsDocument, {}, { token: aliceElsewhere.accessToken }));
    expect(elsewhere.notifications.edges).toEqual([]);
    await Promise.all([aliceFeed, bobFeed, elsewhereFeed, strangerFeed].map((f) => f.dispose()));
  });
});

/** The organization Alice registered with: her own, where she is the owner. */
/** Registers the account again with its password: a new organization it owns. */
async function ownOrganizationFor(account: Account) {
  const { register } = ok(
    await server.gql(RegisterDocument, {
      input: { email: account.email, password: account.password, name: 'Alice', organizationName: 'Her own' },
    }),
  );
  return register.organization.id;
}

describe('read state and the badge', () => {
  it('counts unread, marks one and all read, and pushes the absolute count to every tab', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const tabs = await Promise.all(
      [1, 2].map(() =>
        subscribe(
          connect(wsUrl(server, member.accessToken)),
          UnreadCountChangedDocument,
          unreadCountProbe(server, member),
        ),
      ),
    );
    for (const title of ['one', 'two', 'three']) await assignNew(owner, member, title);
    for (const tab of tabs) {
      expect([await tab.next(), await tab.next(), await tab.next()].map((e) => e.unreadCountChanged)).toEqual([
        1, 2, 3,
      ]);
    }
    const unread = ok(
      await server.gql(NotificationsDocument, { unreadOnly: true }, { token: member.accessToken }),
    ).notifications.edges.map((e) => e.node);
    expect(unread.map((n) => n.message)).toEqual(['three', 'two', 'one']);

    const { markNotificationRead } = ok(
      await server.gql(
        MarkNotificationReadDocument,
        { input: { id: unread[1]?.id as string } },
        { token: member.accessToken },
      ),
    );
    expect(markNotificationRead.readAt).not.toBeNull();
    for (const tab of tabs) expect((await tab.next()).unreadCountChanged).toBe(2);
    expect(ok(await server.gql(UnreadNotificationCountDocument, {}, { token: member.accessToken }))).toEqual({
      unreadNotificationCount: 2,
    });
    const stillUnread = ok(
      await server.gql(NotificationsDocument, { unreadOnly: true }, { token: member.accessToken }),
    );
    expect(stillUnread.notifications.edges.map((e) => e.node.message)).toEqual(['three', 'one']);

    expect(ok(await server.gql(MarkAllNotificationsReadDocument, {}, { token: member.accessToken }))).toEqual({
      markAllNotificationsRead: 2,
    });
    for (const tab of tabs) expect((await tab.next()).unreadCountChanged).toBe(0);
    expect(ok(await server.gql(MarkAllNotificationsReadDocument, {}, { token: member.accessToken }))).toEqual({
      markAllNotificationsRead: 0,
    });
    await Promise.all(tabs.map((tab) => tab.dispose()));
  });

  it('keeps the badge equal to the unread notifications under concurrent assignments and reads', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const as = { token: member.accessToken };
    const unread = async () => {
      const { notifications } = ok(await server.gql(NotificationsDocument, { unreadOnly: true, first: 100 }, as));
      const { unreadNotificationCount } = ok(await server.gql(UnreadNotificationCountDocument, {}, as));
      return { listed: notifications.totalCount, badge: unreadNotificationCount, ids: notifications.edges };
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => assignNew(owner, member, `first ${i}`)));
    const before = await unread();
    expect(before).toMatchObject({ listed: 12, badge: 12 });
    // The same notification read twice at once, others read while more work arrives.
    const [one, two] = before.ids.map((e) => e.node.id);
    await Promise.all([
      ...[one, one, two].map((id) =>
        server.gql(MarkNotificationReadDocument, { input: { id: id as string } }, as).then(ok),
      ),
      ...Array.from({ length: 6 }, (_, i) => assignNew(owner, member, `second ${i}`)),
    ]);
    expect(await unread()).toMatchObject({ listed: 16, badge: 16 });
    const [all] = await Promise.all([
      server.gql(MarkAllNotificationsReadDocument, {}, as).then(ok),
      ...Array.from({ length: 4 }, (_, i) => assignNew(owner, member, `third ${i}`)),
    ]);
    const after = await unread();
    expect(after.badge).toBe(after.listed);
    expect(after.listed + all.markAllNotificationsRead).toBe(20);
  });

  it('answers NOT_FOUND for someone else’s notification and leaves it unread', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    await assignNew(owner, member);
    const [mine] = ok(await server.gql(NotificationsDocument, {}, { token: member.accessToken })).notifications.edges;
    const error = failure(
      await server.gql(
        MarkNotificationReadDocument,
        { input: { id: mine?.node.id as string } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions?.code).toBe('NOT_FOUND');
    expect(ok(await server.gql(UnreadNotificationCountDocument, {}, { token: member.accessToken }))).toEqual({
      unreadNotificationCount: 1,
    });
  });

  it('pages with first/after', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    for (const title of ['1', '2', '3']) await assignNew(owner, member, title);
    const page = ok(await server.gql(NotificationsDocument, { first: 2 }, { token: member.accessToken })).notifications;
    expect(page.edges.map((e) => e.node.message)).toEqual(['3', '2']);
    const next = ok(
      await server.gql(
        NotificationsDocument,
        { first: 2, after: page.pageInfo.endCursor },
        { token: member.accessToken },
      ),
    ).notifications;
    expect(next.edges.map((e) => e.node.message)).toEqual(['1']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });
});

describe('publishNotification', () => {
  it('lets a service account with write:notifications notify a member, stored and pushed live', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const robot = await createMachineToken(server, owner, ['write:notifications']);
    const feed = await listen(member);

    const { publishNotification } = ok(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: member.userId, title: 'Deploy done', message: 'v2 is live', url: 'https://ci.example/42' } },
        { token: robot.token },
      ),
    );
    expect(publishNotification).toMatchObject({ type: 'CUSTOM', title: 'Deploy done', readAt: null });
    const { notificationAdded } = await feed.next();
    expect(notificationAdded.notification).toMatchObject({
      id: publishNotification.id,
      type: 'CUSTOM',
      title: 'Deploy done',
      message: 'v2 is live',
      url: 'https://ci.example/42',
    });
    expect(notificationAdded.unreadCount).toBe(1);
    const { unreadNotificationCount } = ok(
      await server.gql(UnreadNotificationCountDocument, {}, { token: member.accessToken }),
    );
    expect(unreadNotificationCount).toBe(1);
    await feed.dispose();
  });

  it('is refused to users, whatever their role, and to tokens without write:notifications', async () => {
    const owner = await createOwner(server);
    const readOnly = await createMachineToken(server, owner, ['read:*', 'write:work_items']);
    for (const token of [owner.accessToken, readOnly.token]) {
      const error = failure(
        await server.gql(PublishNotificationDocument, { input: { userId: owner.userId, title: 'hi' } }, { token }),
      );
      expect(error.extensions?.code).toBe('FORBIDDEN');
    }
    const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: owner.accessToken }));
    expect(notifications.edges).toEqual([]);
  });

  it('cannot reach a user of another organization: NOT_FOUND, nothing stored', async () => {
    const owner = await createOwner(server);
    const stranger = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:notifications']);
    const error = failure(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: stranger.userId, title: 'hi' } },
        { token: robot.token },
      ),
    );
    expect(error.extensions?.code).toBe('NOT_FOUND');
    const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: stranger.accessToken }));
    expect(notifications.edges).toEqual([]);
  });
});

describe('publishNotification links', () => {
  let owner: Account;
  let member: Account;
  let robot: MachineToken;
  beforeAll(async () => {
    owner = await createOwner(server);
    member = await addMember(server, owner);
    robot = await createMachineToken(server, owner, ['write:notifications']);
  });

  const publish = (url: string) =>
    server.gql(
      PublishNotificationDocument,
      { input: { userId: member.userId, title: 'Export ready', url } },
      { token: robot.token },
    );

  it.each([
    '/exports/1',
    '/issues/456?tab=1#c2',
    '/',
    'https://ci.example/42',
    'http://intranet.example:8080/a?b=c',
    'HTTPS://Example.com/Path',
  ])('stores and delivers %j as given', async (url) => {
    const feed = await listen(member);
    const { publishNotification } = ok(await publish(url));
    expect(publishNotification.url).toBe(url);
    expect((await feed.next()).notificationAdded.notification).toMatchObject({ id: publishNotification.id, url });
    const { notifications } = ok(await server.gql(NotificationsDocument, { first: 1 }, { token: member.accessToken }));
    expect(notifications.edges[0]?.node).toMatchObject({ id: publishNotification.id, url });
    await feed.dispose();
  });

  describe('refusals', () => {
    // A recipient and a service account of their own, so that "nothing written" means exactly that.
    let recipient: Account;
    let refused: MachineToken;
    beforeAll(async () => {
      recipient = await addMember(server, owner);
      refused = await createMachineToken(server, owner, ['write:notifications']);
    });

    it.each([
      ['javascript:', 'javascript:alert(1)'],
      ['javascript: in mixed case', 'JaVaScRiPt:alert(1)'],
      ['a leading space', ' javascript:alert(1)'],
      ['a tab inside the scheme', 'java\tscript:alert(1)'],
      ['a newline inside the scheme', 'java\nscript:alert(1)'],
      ['a leading NUL', '\u0000javascript:alert(1)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['vbscript:', 'vbscript:msgbox(1)'],
      ['file:', 'file:///etc/passwd'],
      ['ftp:', 'ftp://files.example/x'],
      ['a protocol-relative URL', '//evil.example/login'],
      ['a slash and a backslash', '/\\evil.example'],
      ['two backslashes', '\\\\evil.example'],
      ['a slash, a tab and a slash', '/\t/evil.example'],
      ['credentials before the host', 'https://ci.example@evil.example/'],
      ['a right-to-left override', '/issues/\u202e1'],
      ['a relative path without a slash', 'issues/456'],
      ['a scheme without slashes', 'https:evil.example'],
      ['no host', 'https://'],
      ['a trailing newline', '/issues/456\n'],
      ['an empty string', ''],
      ['more than 2000 characters', `/${'a'.repeat(2000)}`],
    ])('refuses %s with BAD_USER_INPUT naming url, writing nothing', async (_name, url) => {
      const error = failure(
        await server.gql(
          PublishNotificationDocument,
          { input: { userId: recipient.userId, title: 'Export ready', url } },
          { token: refused.token },
        ),
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
      // A NUL is refused before the URL is read, in any string argument, with a message of its own.
      expect(error.message).toBe(
        url.includes('\u0000')
          ? 'url must not contain a NUL character (U+0000).'
          : 'url must be a path in the app (starting with a single /) or an absolute http(s) URL.',
      );
      const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: recipient.accessToken }));
      expect(notifications.edges).toEqual([]);
      const audited = (await auditActions(server, owner.accessToken)).filter(
        (event) => event.actorId === refused.serviceAccountId,
      );
      expect(audited).toEqual([]);
    });
  });
});

describe('the socket', () => {
  it.each([
    ['no token', () => wsUrl(server), undefined],
    ['a malformed token', () => wsUrl(server, 'nonsense'), undefined],
    ['a refresh token in the query', async () => wsUrl(server, (await createOwner(server)).refreshToken), undefined],
    ['a bad connectionParams.authorization', () => wsUrl(server), { authorization: 'Bearer nonsense' }],
  ])('refuses %s with 4403 and the reason INVALID_CREDENTIAL', async (_name, url, params) => {
    const connection = connect(await url(), params);
    expect(await within(connection.closed, 5000, 'the close')).toEqual({ code: 4403, reason: 'INVALID_CREDENTIAL' });
  });

  it('accepts the token in connectionParams.authorization', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const connection = connect(wsUrl(server), { authorization: `Bearer ${member.accessToken}` });
    const feed = await subscribe(connection, NotificationAddedDocument, notificationProbe(server, member));
    await assignNew(owner, member);
    expect((await feed.next()).notificationAdded.notification.type).toBe('ASSIGNMENT');
    await feed.dispose();
  });

  it('subscriptions are for users: a service account token connects but may not subscribe', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:*']);
    const connection = connect(wsUrl(server, robot.token));
    await within(connection.connected, 5000, 'the connection');
    const errors = await within(
      new Promise<readonly { extensions?: { code?: string } }[]>((resolve, reject) => {
        connection.client.subscribe(
          { query: 'subscription { unreadCountChanged }' },
          {
            next: ({ errors }) => errors && resolve(errors),
            error: (error) => (Array.isArray(error) ? resolve(error) : reject(error)),
            complete: () => reject(new Error('completed without an error')),
          },
        );
      }),
      5000,
      'the refusal',
    );
    expect(errors[0]?.extensions?.code).toBe('FORBIDDEN');
    await connection.client.dispose();
  });

  it('refuses an expired token with 4403, and closes a connected socket with 4403 when its token expires', async () => {
    const shortLived = await startServer({ env: { ACCESS_TOKEN_TTL: '2', SLA_SWEEP_INTERVAL_MS: '0' } });
    try {
      const owner = await createOwner(shortLived);
      const connection = connect(wsUrl(shortLived, owner.accessToken));
      await within(connection.connected, 5000, 'the connection');
      const closed = await within(connection.closed, 5000, 'the close at expiry');
      // The reason tells the client that a fresh token is all it needs.
      expect(closed).toEqual({ code: 4403, reason: 'TOKEN_EXPIRED' });

      const late = connect(wsUrl(shortLived, owner.accessToken));
      expect(await within(late.closed, 5000, 'the refusal')).toEqual({ code: 4403, reason: 'TOKEN_EXPIRED' });
    } finally {
      await shortLived.close();
    }
  });

  it('runs queries over the socket with the connection’s principal', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    await assignNew(owner, member);
    const connection = connect(wsUrl(server, member.accessToken));
    const result = await within(
      new Promise<unknown>((resolve, reject) => {
        connection.client.subscribe(
          { query: '{ unreadNotificationCount }' },
          { next: resolve, error: reject, complete: () => {} },
        );
      }),
      5000,
      'the query result',
    );
    expect(result).toEqual({ data: { unreadNotificationCount: 1 } });
    await connection.client.dispose();
  });
});
