// publishNotification's url: frontends render it as a link, so a path inside the product
// and absolute http(s) URLs pass as given, and anything a browser could read as another
// scheme or host is BAD_USER_INPUT naming `url`, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationsDocument, PublishNotificationDocument } from './generated/graphql.ts';
import { createMachineToken, type MachineToken } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
let member: Account;
let robot: MachineToken;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
  const owner = await createOwner(server);
  member = await addMember(server, owner);
  robot = await createMachineToken(server, owner, ['write:notifications']);
});
afterAll(() => server?.close());

const publish = (url: string) =>
  server.gql(
    PublishNotificationDocument,
    { input: { userId: member.userId, title: 'Link', url } },
    { token: robot.token },
  );

describe('notification links', () => {
  it.each([
    '/exports/1',
    '/issues/456?tab=comments#c2',
    '/',
    'https://ci.example/42',
    'http://intranet.example:8080/a?b=c',
    'HTTPS://Example.com/Path',
  ])('stores and answers %j as given', async (url) => {
    const { publishNotification } = ok(await publish(url));
    expect(publishNotification.url).toBe(url);
    const { notifications } = ok(await server.gql(NotificationsDocument, {}, { token: member.accessToken }));
    expect(notifications.edges.find((e) => e.node.id === publishNotification.id)?.node.url).toBe(url);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)'],
    ['a leading space', ' javascript:alert(1)'],
    ['a tab inside the scheme', 'java\tscript:alert(1)'],
    ['a newline inside the scheme', 'java\nscript:alert(1)'],
    ['a NUL byte', '\u0000javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://files.example/x'],
    ['a protocol-relative URL', '//evil.example/login'],
    ['a slash and a backslash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['credentials before the host', 'https://ci.example@evil.example/'],
    ['a right-to-left override', '/issues/\u202e1'],
    ['a relative path without a slash', 'issues/456'],
    ['no host', 'https://'],
    ['an empty string', ''],
    ['more than 2000 characters', `/${'a'.repeat(2000)}`],
  ])('refuses %s with BAD_USER_INPUT naming url, writing nothing', async (_name, url) => {
    const before = await counts();
    const error = failure(await publish(url));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(error.message).toBe('url must be a path in the app (starting with /) or an http(s) URL.');
    expect(await counts()).toEqual(before);
  });
});

const counts = async () => ({
  notifications: await server.app.db.notification.count(),
  audit: await server.app.db.auditEvent.count({ where: { action: 'notification.published' } }),
});
