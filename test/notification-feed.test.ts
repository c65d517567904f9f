// The feed a person keeps: read and unread again, the archive, filters, the changes reaching
// every tab (WebSocket and SSE), and preferences that decide what is stored at all.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseSecurityAlert } from '../src/security/alerts.ts';
import {
  ArchiveAllReadDocument,
  ArchiveNotificationDocument,
  AssignWorkItemDocument,
  CreateWebhookEndpointDocument,
  CreateWorkItemDocument,
  FeedDocument,
  type FeedQueryVariables,
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  MarkNotificationUnreadDocument,
  NotificationAddedDocument,
  NotificationChangedDocument,
  NotificationPreferencesDocument,
  PublishNotificationDocument,
  UnarchiveNotificationDocument,
  UpdateNotificationPreferencesDocument,
  type UpdateNotificationPreferencesInput,
  WebhookDeliveriesDocument,
} from './generated/graphql.ts';
import { connect, notificationChangedProbe, notificationProbe, subscribe, wsUrl } from './helpers/live.ts';
import { auditActions, createMachineToken, type MachineToken } from './helpers/machine.ts';
import { countEmails } from './helpers/mail.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { openLiveStream } from './helpers/sse.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  // Webhook deliveries stay stored and unsent: the tests read what was stored.
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0', WEBHOOK_DELIVERY_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

interface Team {
  owner: Account;
  member: Account;
  robot: MachineToken;
}

async function team(): Promise<Team> {
  const owner = await createOwner(server);
  const member = await addMember(server, owner);
  const robot = await createMachineToken(server, owner, ['write:notifications']);
  return { owner, member, robot };
}

/** Publishes `titles` to the member, oldest first; answers their ids in that order. */
async function publish({ member, robot }: Team, ...titles: string[]) {
  const ids: string[] = [];
  for (const title of titles) {
    const { publishNotification } = ok(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: member.userId, title } },
        { token: robot.token },
      ),
    );
    ids.push(publishNotification.id);
  }
  return ids;
}

const feed = async (account: Account, variables: FeedQueryVariables = {}) => {
  const { notifications, unreadNotificationCount } = ok(
    await server.gql(FeedDocument, variables, { token: account.accessToken }),
  );
  return {
    titles: notifications.edges.map((e) => e.node.title),
    total: notifications.totalCount,
    unread: unreadNotificationCount,
  };
};

const as = (account: Account) => ({ token: account.accessToken });

describe('the archive and unread again', () => {
  it('archives out of the list and the count, restores back into both', async () => {
    const t = await team();
    const [first, second] = await publish(t, 'first', 'second');
    const archived = ok(
      await server.gql(ArchiveNotificationDocument, { input: { id: first as string } }, as(t.member)),
    );
    expect(archived.archiveNotification.archivedAt).not.toBeNull();
    expect(archived.archiveNotification.readAt).toBeNull();
    expect(await feed(t.member)).toEqual({ titles: ['second'], total: 1, unread: 1 });
    expect(await feed(t.member, { filter: { status: 'ARCHIVED' } })).toMatchObject({ titles: ['first'], total: 1 });
    expect(await feed(t.member, { filter: { status: 'ALL' } })).toMatchObject({
      titles: ['second', 'first'],
      total: 2,
    });

    // Archiving twice changes nothing more.
    ok(await server.gql(ArchiveNotificationDocument, { input: { id: first as string } }, as(t.member)));
    expect((await feed(t.member)).unread).toBe(1);

    // A read notification archived leaves the count alone; restored, it stays read.
    ok(await server.gql(MarkNotificationReadDocument, { input: { id: second as string } }, as(t.member)));
    ok(await server.gql(ArchiveNotificationDocument, { input: { id: second as string } }, as(t.member)));
    expect(await feed(t.member)).toEqual({ titles: [], total: 0, unread: 0 });
    // Read while archived: the count does not move.
    ok(await server.gql(MarkNotificationReadDocument, { input: { id: first as string } }, as(t.member)));
    ok(await server.gql(MarkNotificationUnreadDocument, { input: { id: first as string } }, as(t.member)));
    expect((await feed(t.member)).unread).toBe(0);

    const restored = ok(
      await server.gql(UnarchiveNotificationDocument, { input: { id: first as string } }, as(t.member)),
    );
    expect(restored.unarchiveNotification.archivedAt).toBeNull();
    expect(await feed(t.member)).toEqual({ titles: ['first'], total: 1, unread: 1 });
  });

  it('marks unread again, once, and mark all read leaves the archive alone', async () => {
    const t = await team();
    const [a, b, c] = await publish(t, 'a', 'b', 'c');
    ok(await server.gql(ArchiveNotificationDocument, { input: { id: c as string } }, as(t.member)));
    expect(ok(await server.gql(MarkAllNotificationsReadDocument, {}, as(t.member))).markAllNotificationsRead).toBe(2);
    expect((await feed(t.member)).unread).toBe(0);
    const unread = ok(await server.gql(MarkNotificationUnreadDocument, { input: { id: a as string } }, as(t.member)));
    expect(unread.markNotificationUnread.readAt).toBeNull();
    ok(await server.gql(MarkNotificationUnreadDocument, { input: { id: a as string } }, as(t.member)));
    expect(await feed(t.member, { unreadOnly: true })).toEqual({ titles: ['a'], total: 1, unread: 1 });
    expect(await feed(t.member, { filter: { status: 'READ' } })).toMatchObject({ titles: ['b'], total: 1 });
    // The archived one is still unread, out of sight.
    expect(await feed(t.member, { filter: { status: 'ARCHIVED' } })).toMatchObject({ titles: ['c'] });
    expect(b).toBeDefined();
  });

  it('archives every read one with archiveAllRead', async () => {
    const t = await team();
    const [a, b] = await publish(t, 'a', 'b', 'c');
    for (const id of [a, b]) {
      ok(await server.gql(MarkNotificationReadDocument, { input: { id: id as string } }, as(t.member)));
    }
    expect(ok(await server.gql(ArchiveAllReadDocument, {}, as(t.member))).archiveAllRead).toBe(2);
    expect(await feed(t.member)).toEqual({ titles: ['c'], total: 1, unread: 1 });
    expect(await feed(t.member, { filter: { status: 'ARCHIVED' } })).toMatchObject({ titles: ['b', 'a'] });
    expect(ok(await server.gql(ArchiveAllReadDocument, {}, as(t.member))).archiveAllRead).toBe(0);
  });
});

describe('filters', () => {
  it('filters by type, with or without a status', async () => {
    const t = await team();
    await publish(t, 'custom');
    const { createWorkItem } = ok(await server.gql(CreateWorkItemDocument, { input: { title: 'Door' } }, as(t.owner)));
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: createWorkItem.id, assigneeId: t.member.userId } },
        as(t.owner),
      ),
    );
    expect(await feed(t.member, { filter: { types: ['ASSIGNMENT'] } })).toMatchObject({ total: 1 });
    expect(await feed(t.member, { filter: { types: ['CUSTOM'], status: 'UNREAD' } })).toMatchObject({
      titles: ['custom'],
    });
    expect(await feed(t.member, { filter: { types: ['SLA_BREACH'] } })).toMatchObject({ titles: [], total: 0 });
    expect(await feed(t.member, { filter: { types: [] } })).toMatchObject({ total: 2 });
  });

  it('refuses unreadOnly together with a status, naming unreadOnly', async () => {
    const t = await team();
    const error = failure(
      await server.gql(FeedDocument, { unreadOnly: true, filter: { status: 'READ' } }, as(t.member)),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'unreadOnly' });
    const czech = failure(
      await server.gql(
        FeedDocument,
        { unreadOnly: true, filter: { status: 'UNREAD' } },
        {
          ...as(t.member),
          headers: { 'accept-language': 'cs' },
        },
      ),
    );
    expect(czech.message).toContain('Uveďte buď unreadOnly');
  });
});

describe('whose notifications', () => {
  // Each sends `{ input: { id } }`; the answers differ only in their field name.
  type ById = TypedDocumentNode<unknown, { input: { id: string } }>;
  const changes: [string, ById][] = [
    ['markNotificationRead', MarkNotificationReadDocument],
    ['markNotificationUnread', MarkNotificationUnreadDocument],
    ['archiveNotification', ArchiveNotificationDocument],
    ['unarchiveNotification', UnarchiveNotificationDocument],
  ];

  it.each(changes)('%s: another user’s notification is NOT_FOUND and stays as it was', async (_name, document) => {
    const t = await team();
    const [id] = await publish(t, 'mine');
    const error = failure(await server.gql(document, { input: { id: id as string } }, as(t.owner)));
    expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await feed(t.member, { filter: { status: 'UNREAD' } })).toMatchObject({ titles: ['mine'], unread: 1 });
  });

  it.each(changes.slice(1))('%s: a malformed id is BAD_USER_INPUT naming id', async (_name, document) => {
    const t = await team();
    const error = failure(await server.gql(document, { input: { id: 'not-an-id' } }, as(t.member)));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('a service account has no feed to change', async () => {
    const t = await team();
    const [id] = await publish(t, 'x');
    const error = failure(
      await server.gql(ArchiveNotificationDocument, { input: { id: id as string } }, { token: t.robot.token }),
    );
    expect(error.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('notificationChanged', () => {
  it('tells another tab over WebSocket of each change, with the absolute count', async () => {
    const t = await team();
    const [a, b] = await publish(t, 'a', 'b');
    const tab = await subscribe(
      connect(wsUrl(server, t.member.accessToken)),
      NotificationChangedDocument,
      notificationChangedProbe(server, t.member),
    );
    const other = await team();
    await publish(other, 'someone else’s');
    ok(await server.gql(MarkNotificationReadDocument, { input: { id: a as string } }, as(t.member)));
    ok(await server.gql(MarkNotificationUnreadDocument, { input: { id: a as string } }, as(t.member)));
    ok(await server.gql(ArchiveNotificationDocument, { input: { id: b as string } }, as(t.member)));
    ok(await server.gql(UnarchiveNotificationDocument, { input: { id: b as string } }, as(t.member)));
    const events = [];
    for (let i = 0; i < 4; i++) events.push((await tab.next()).notificationChanged);
    expect(
      events.map((e) => [e.notification.id, !!e.notification.readAt, !!e.notification.archivedAt, e.unreadCount]),
    ).toEqual([
      [a, true, false, 1],
      [a, false, false, 2],
      [b, false, true, 1],
      [b, false, false, 2],
    ]);
    // A change that changes nothing is not announced.
    ok(await server.gql(UnarchiveNotificationDocument, { input: { id: b as string } }, as(t.member)));
    expect(tab.pending).toBe(0);
    await tab.dispose();
  });

  it('streams the same changes over SSE', async () => {
    const t = await team();
    const [a] = await publish(t, 'a');
    const stream = await openLiveStream(
      server,
      NotificationChangedDocument,
      t.member.accessToken,
      notificationChangedProbe(server, t.member),
    );
    ok(await server.gql(ArchiveNotificationDocument, { input: { id: a as string } }, as(t.member)));
    const { data } = await stream.next();
    expect(data?.notificationChanged).toMatchObject({ notification: { id: a }, unreadCount: 0 });
    expect(data?.notificationChanged.notification.archivedAt).not.toBeNull();
    stream.dispose();
  });
});

describe('preferences', () => {
  const update = (account: Account, input: UpdateNotificationPreferencesInput) =>
    server.gql(UpdateNotificationPreferencesDocument, { input }, as(account));

  it('start from the defaults: in-app on, email for security alerts and breaches, critical in-app locked', async () => {
    const t = await team();
    const { notificationPreferences: list } = ok(await server.gql(NotificationPreferencesDocument, {}, as(t.member)));
    const get = (type: string, channel: string) => list.find((p) => p.type === type && p.channel === channel);
    expect(list).toHaveLength(6 * 3);
    expect(list.filter((p) => p.channel === 'IN_APP').every((p) => p.enabled)).toBe(true);
    expect(
      list
        .filter((p) => p.channel === 'EMAIL' && p.enabled)
        .map((p) => p.type)
        .sort(),
    ).toEqual(['SECURITY_ALERT', 'SLA_BREACH']);
    expect(get('SECURITY_ALERT', 'IN_APP')?.locked).toBe(true);
    expect(get('SLA_BREACH', 'IN_APP')?.locked).toBe(true);
    expect(get('ASSIGNMENT', 'IN_APP')?.locked).toBe(false);
    expect(get('ASSIGNMENT', 'WEBHOOK')?.locked).toBe(true);
  });

  it.each(['SECURITY_ALERT', 'SLA_BREACH'] as const)('refuses to mute %s in the app, naming it', async (type) => {
    const t = await team();
    for (const account of [t.member, t.owner]) {
      for (const organizationDefault of [false, true]) {
        const error = failure(await update(account, { type, channel: 'IN_APP', enabled: false, organizationDefault }));
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'type' });
        expect(error.message).toContain(type);
      }
    }
    // Email for them can be turned off.
    const after = ok(await update(t.member, { type, channel: 'EMAIL', enabled: false }));
    expect(after.updateNotificationPreferences.find((p) => p.type === type && p.channel === 'EMAIL')).toMatchObject({
      enabled: false,
      overridden: true,
    });
  });

  it('sets WEBHOOK for the organization only, and only admins set organization defaults', async () => {
    const t = await team();
    const own = failure(await update(t.owner, { type: 'CUSTOM', channel: 'WEBHOOK', enabled: false }));
    expect(own.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organizationDefault' });
    const member = failure(
      await update(t.member, { type: 'CUSTOM', channel: 'WEBHOOK', enabled: false, organizationDefault: true }),
    );
    expect(member.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:notifications'] });
    const set = ok(
      await update(t.owner, { type: 'CUSTOM', channel: 'WEBHOOK', enabled: false, organizationDefault: true }),
    );
    expect(set.updateNotificationPreferences.find((p) => p.type === 'CUSTOM' && p.channel === 'WEBHOOK')).toMatchObject(
      {
        enabled: false,
        organizationEnabled: false,
      },
    );
    const { notificationPreferences } = ok(await server.gql(NotificationPreferencesDocument, {}, as(t.member)));
    expect(notificationPreferences.find((p) => p.type === 'CUSTOM' && p.channel === 'WEBHOOK')?.enabled).toBe(false);
    const actions = (await auditActions(server, t.owner.accessToken)).map((e) => e.action);
    expect(actions).toContain('notification_preference.organization_updated');
  });

  it('a muted assignment is neither stored nor pushed; what is not muted still arrives', async () => {
    const t = await team();
    ok(await update(t.member, { type: 'ASSIGNMENT', channel: 'IN_APP', enabled: false }));
    const live = await subscribe(
      connect(wsUrl(server, t.member.accessToken)),
      NotificationAddedDocument,
      notificationProbe(server, t.member),
    );
    const { createWorkItem } = ok(await server.gql(CreateWorkItemDocument, { input: { title: 'Door' } }, as(t.owner)));
    ok(
      await server.gql(
        AssignWorkItemDocument,
        { input: { workItemId: createWorkItem.id, assigneeId: t.member.userId } },
        as(t.owner),
      ),
    );
    // Created already assigned: the other path that stores assignments.
    ok(
      await server.gql(
        CreateWorkItemDocument,
        { input: { title: 'Window', assigneeId: t.member.userId } },
        as(t.owner),
      ),
    );
    await publish(t, 'still here');
    // Pushes arrive in order: an assignment pushed before would be the first.
    expect((await live.next()).notificationAdded.notification.title).toBe('still here');
    expect(await feed(t.member, { filter: { status: 'ALL' } })).toEqual({
      titles: ['still here'],
      total: 1,
      unread: 1,
    });
    await live.dispose();
  });

  it('publishing to someone who muted CUSTOM answers CONFLICT RECIPIENT_MUTED and stores nothing', async () => {
    const t = await team();
    ok(await update(t.owner, { type: 'CUSTOM', channel: 'IN_APP', enabled: false, organizationDefault: true }));
    const refused = failure(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: t.member.userId, title: 'muted' } },
        { token: t.robot.token },
      ),
    );
    expect(refused.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RECIPIENT_MUTED' });
    expect(await feed(t.member, { filter: { status: 'ALL' } })).toEqual({ titles: [], total: 0, unread: 0 });
    expect((await auditActions(server, t.owner.accessToken)).map((e) => e.action)).not.toContain(
      'notification.published',
    );

    // The member's own choice wins over the organization's default.
    const mine = ok(await update(t.member, { type: 'CUSTOM', channel: 'IN_APP', enabled: true }));
    expect(mine.updateNotificationPreferences.find((p) => p.type === 'CUSTOM' && p.channel === 'IN_APP')).toMatchObject(
      {
        enabled: true,
        organizationEnabled: false,
        overridden: true,
      },
    );
    await publish(t, 'wanted');
    expect((await feed(t.member)).titles).toEqual(['wanted']);
  });

  it('WEBHOOK off for a type keeps its notification.created from the organization’s endpoints', async () => {
    const t = await team();
    const { createWebhookEndpoint } = ok(
      await server.gql(
        CreateWebhookEndpointDocument,
        { input: { url: 'https://93.184.215.14/hooks/herald', events: ['notification.created'] } },
        as(t.owner),
      ),
    );
    const delivered = async () => {
      const { webhookDeliveries } = ok(
        await server.gql(
          WebhookDeliveriesDocument,
          { endpointId: createWebhookEndpoint.webhookEndpoint.id },
          as(t.owner),
        ),
      );
      return webhookDeliveries.edges.map((e) => JSON.parse(e.node.payload).data.title as string);
    };
    const assign = async (title: string) => {
      const { createWorkItem } = ok(await server.gql(CreateWorkItemDocument, { input: { title } }, as(t.owner)));
      ok(
        await server.gql(
          AssignWorkItemDocument,
          { input: { workItemId: createWorkItem.id, assigneeId: t.member.userId } },
          as(t.owner),
        ),
      );
      return createWorkItem.key;
    };
    ok(await update(t.owner, { type: 'CUSTOM', channel: 'WEBHOOK', enabled: false, organizationDefault: true }));
    await publish(t, 'kept inside');
    const first = await assign('Door');
    expect(await delivered()).toEqual([`${first} was assigned to you`]);
    ok(await update(t.owner, { type: 'ASSIGNMENT', channel: 'WEBHOOK', enabled: false, organizationDefault: true }));
    await assign('Window');
    expect(await delivered()).toEqual([`${first} was assigned to you`]);
    // Stored in the app all the same.
    expect((await feed(t.member)).total).toBe(3);
  });

  it('EMAIL off for security alerts spares that admin the email, never the in-app alert', async () => {
    const t = await team();
    const admin = await addMember(server, t.owner, 'ADMIN');
    ok(await update(t.owner, { type: 'SECURITY_ALERT', channel: 'EMAIL', enabled: false }));
    const raised = await raiseSecurityAlert(server.app, {
      organizationId: t.owner.organizationId,
      cause: 'account_locked',
      subject: t.owner.userId,
      text: 'account_locked',
      params: { user: t.owner.email, failures: 3, minutes: 15, ip: '192.0.2.1' },
    });
    expect(raised).not.toBeNull();
    // The admin's invitation, then the alert; the owner asked for none.
    expect(await countEmails(server.dataDir, admin.email)).toBe(2);
    expect(await countEmails(server.dataDir, t.owner.email)).toBe(0);
    for (const account of [t.owner, admin]) {
      expect(await feed(account, { filter: { types: ['SECURITY_ALERT'] } })).toMatchObject({ total: 1 });
    }
  });
});
