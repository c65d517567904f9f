// publishedNotifications: what a service account published, for it alone, newest first, with
// whether each was read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MarkNotificationReadDocument,
  PublishedNotificationsDocument,
  PublishNotificationDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

describe('publishedNotifications', () => {
  it('lists what the calling service account published, newest first, and nothing of others', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const deploys = await createMachineToken(server, owner, ['write:notifications']);
    const billing = await createMachineToken(server, owner, ['write:notifications']);
    const publish = async (token: string, userId: string, title: string) =>
      ok(await server.gql(PublishNotificationDocument, { input: { userId, title } }, { token })).publishNotification;
    const first = await publish(deploys.token, owner.userId, 'Deploy 1');
    const second = await publish(deploys.token, member.userId, 'Deploy 2');
    await publish(billing.token, owner.userId, 'Invoice');
    ok(await server.gql(MarkNotificationReadDocument, { input: { id: first.id } }, { token: owner.accessToken }));

    const { publishedNotifications } = ok(
      await server.gql(PublishedNotificationsDocument, { first: 10 }, { token: deploys.token }),
    );
    expect(publishedNotifications.totalCount).toBe(2);
    expect(
      publishedNotifications.edges.map(({ node }) => [node.id, node.recipientId, node.title, !!node.readAt]),
    ).toEqual([
      [second.id, member.userId, 'Deploy 2', false],
      [first.id, owner.userId, 'Deploy 1', true],
    ]);
    const page = ok(await server.gql(PublishedNotificationsDocument, { first: 1 }, { token: deploys.token }));
    expect(page.publishedNotifications.pageInfo.hasNextPage).toBe(true);
    const { publishedNotifications: theirs } = ok(
      await server.gql(PublishedNotificationsDocument, {}, { token: billing.token }),
    );
    expect(theirs.edges.map(({ node }) => node.title)).toEqual(['Invoice']);

    // Another organization's service account sees none of them.
    const stranger = await createOwner(server);
    const outsider = await createMachineToken(server, stranger, ['read:notifications']);
    expect(
      ok(await server.gql(PublishedNotificationsDocument, {}, { token: outsider.token })).publishedNotifications
        .totalCount,
    ).toBe(0);
  });

  it('is for service accounts with read:notifications only', async () => {
    const owner = await createOwner(server);
    expect(
      failure(await server.gql(PublishedNotificationsDocument, {}, { token: owner.accessToken })).extensions?.code,
    ).toBe('FORBIDDEN');
    const reader = await createMachineToken(server, owner, ['read:work_items']);
    expect(
      failure(await server.gql(PublishedNotificationsDocument, {}, { token: reader.token })).extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
