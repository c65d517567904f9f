// Security alerts, triggered as an attacker or a careless admin would trigger them: a replayed
// refresh token, an API token used from a new address, an account locked by failed logins,
// a token given write:*. Each reaches the organization's owners and admins live over the
// WebSocket, in their notifications and by email, and a Slack receiver on port 0; none of
// them carries the secret involved.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSlackAlerts, raiseSecurityAlert } from '../src/security/alerts.ts';
import { isAcceptableWebhookUrl, maskWebhookUrl, postWebhook } from '../src/security/slack.ts';
import {
  AcceptInvitationDocument,
  CreateApiTokenDocument,
  InviteMemberDocument,
  LoginDocument,
  NotificationAddedDocument,
  NotificationsDocument,
  RefreshDocument,
  RotateApiTokenDocument,
  SecurityAlertSettingsDocument,
  UpdateApiTokenDocument,
  UpdateSecurityAlertSettingsDocument,
} from './generated/graphql.ts';
import { connect, notificationProbe, subscribe, wsUrl } from './helpers/live.ts';
import { auditActions, createMachineToken, eventually } from './helpers/machine.ts';
import { countEmails, emailBody, tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createTestClient, type TestClient } from './helpers/oauth.ts';
import { type Account, createOwner, PASSWORD } from './helpers/seed.ts';
import { failure, needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

/** A Slack incoming webhook stand-in: records each POST per path; answers `status()` (200 by default). */
class SlackReceiver {
  readonly posts: { path: string; contentType?: string; body: { text: string; blocks?: unknown[] } }[] = [];
  status: (path: string) => number = () => 200;
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      this.posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(raw) });
      res.writeHead(this.status(req.url ?? '')).end('ok');
    });
  });
  url = '';
  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  postsTo(path: string) {
    return this.posts.filter((post) => post.path === path);
  }
  close() {
    this.server.close();
  }
}

const LOGIN_FAILURES = 3;
let server: TestServer;
const slack = new SlackReceiver();

beforeAll(async () => {
  await slack.start();
  server = await startServer({
    env: {
      SLA_SWEEP_INTERVAL_MS: '0',
      TRUST_PROXY: '1',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      REFRESH_REUSE_GRACE: '0',
      RATE_LIMIT_LOGIN_FAILURES: String(LOGIN_FAILURES),
      RATE_LIMIT_ACCOUNT_FAILURES: String(LOGIN_FAILURES),
    },
  });
});
afterAll(async () => {
  await server?.close();
  slack.close();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });
/** REFRESH_REUSE_GRACE is 0: a replay in the very millisecond of the rotation would still be inside it. */
const afterGraceWindow = () => new Promise((resolve) => setTimeout(resolve, 5));

/** An organization with an owner, an admin and a member, its alerts going to a Slack path of its own. */
async function organization() {
  const owner = await createOwner(server);
  const admin = await addMember(server, owner, 'ADMIN');
  const member = await addMember(server, owner, 'MEMBER');
  const hook = `/hook/${owner.organizationSlug}`;
  ok(
    await server.gql(
      UpdateSecurityAlertSettingsDocument,
      { input: { slackWebhookUrl: `${slack.url}${hook}` } },
      { token: owner.accessToken },
    ),
  );
  return { owner, admin, member, hook };
}

const listen = (account: Account) =>
  subscribe(connect(wsUrl(server, account.accessToken)), NotificationAddedDocument, notificationProbe(server, account));

async function securityAlerts(account: Account) {
  const { notifications } = ok(await server.gql(NotificationsDocument, { first: 50 }, { token: account.accessToken }));
  return notifications.edges.map((edge) => edge.node).filter((node) => node.type === 'SECURITY_ALERT');
}

/** Waits until the account has `count` security alerts (they are written off the request path). */
const alertsOf = (account: Account, count: number) =>
  eventually(async () => {
    const alerts = await securityAlerts(account);
    expect(alerts).toHaveLength(count);
    return alerts;
  });

/** Waits for the n-th Slack post to a path. */
const slackPosts = (hook: string, count: number) =>
  eventually(async () => {
    const posts = slack.postsTo(hook);
    expect(posts).toHaveLength(count);
    return posts;
  });

describe('refresh token reuse', () => {
  it('tells owners and admins live, by email and on Slack; members hear nothing; no token anywhere', async () => {
    const { owner, admin, member, hook } = await organization();
    const feed = await listen(owner);
    const replayed = owner.refreshToken;
    const successor = ok(await server.gql(RefreshDocument, { input: { refreshToken: replayed } })).refresh;
    await afterGraceWindow();
    const replay = await server.gql(
      RefreshDocument,
      { input: { refreshToken: replayed } },
      { headers: from('203.0.113.50') },
    );
    expect(failure(replay).extensions?.code).toBe('UNAUTHENTICATED');

    const { notificationAdded } = await feed.next();
    expect(notificationAdded.notification).toMatchObject({
      type: 'SECURITY_ALERT',
      title: `A refresh token of Owner <${owner.email}> was used twice`,
      readAt: null,
    });
    expect(notificationAdded.notification.message).toContain('203.0.113.50');
    await feed.dispose();
    const [adminAlert] = await alertsOf(admin, 1);
    expect(adminAlert?.title).toBe(notificationAdded.notification.title);
    // Stored in the same transaction as the owner's and the admin's: none for a member.
    expect(await securityAlerts(member)).toEqual([]);

    // The admin's first email was the invitation.
    const mails = await Promise.all([
      waitForEmail(server.dataDir, owner.email),
      waitForEmail(server.dataDir, admin.email, { after: 1 }),
    ]);
    for (const mail of mails) {
      expect(mail).toMatch(/^Subject: Security alert: A refresh token of Owner/m);
      expect(emailBody(mail)).toContain('203.0.113.50');
    }
    expect(await countEmails(server.dataDir, member.email)).toBe(1); // the invitation only
    const [post] = await slackPosts(hook, 1);
    expect(post?.contentType).toBe('application/json');
    expect(post?.body.text).toContain('A refresh token of Owner');

    const everything = [JSON.stringify(notificationAdded), JSON.stringify(adminAlert), ...mails, JSON.stringify(post)];
    for (const secret of [replayed, successor.refreshToken, successor.accessToken, PASSWORD]) {
      for (const text of everything) expect(text).not.toContain(secret);
    }
    expect((await auditActions(server, owner.accessToken)).map((event) => event.action)).toContain(
      'security_alert.raised',
    );
  });

  it('is one alert per user and hour however many families are replayed', async () => {
    const { owner, hook } = await organization();
    for (let i = 0; i < 2; i++) {
      const { login } = ok(
        await server.gql(LoginDocument, { input: { email: owner.email, password: owner.password } }),
      );
      if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
      ok(await server.gql(RefreshDocument, { input: { refreshToken: login.refreshToken } }));
      await afterGraceWindow();
      failure(await server.gql(RefreshDocument, { input: { refreshToken: login.refreshToken } }));
    }
    await alertsOf(owner, 1);
    // A later alert of another cause arrives on its own: the second replay added nothing.
    await createMachineToken(server, owner, ['write:*']);
    const alerts = await alertsOf(owner, 2);
    expect(alerts.map((alert) => alert.title)).toEqual([
      'API token with write:* created',
      `A refresh token of Owner <${owner.email}> was used twice`,
    ]);
    await slackPosts(hook, 2);
  });
});

describe('an API token used from a new address', () => {
  const use = (token: string, ip: string) =>
    server.post({ query: '{ __typename }' }, { token, headers: from(ip) }).then((response) => response.json());

  it('alerts from the second address on, once per address, through GraphQL and forward-auth alike', async () => {
    const { owner, admin, hook } = await organization();
    const machine = await createMachineToken(server, owner, ['read:organization']);
    const prefix = machine.token.slice(0, 12);

    // The first address a token is ever used from is where it lives: nothing to say.
    expect(await use(machine.token, '198.51.100.1')).toEqual({ data: { __typename: 'Query' } });
    await use(machine.token, '198.51.100.1');
    await use(machine.token, '198.51.100.2');
    const [second] = await alertsOf(owner, 1);
    expect(second).toMatchObject({ title: `API token "ci" (${prefix}…) used from a new address` });
    expect(second?.message).toContain('198.51.100.2');
    expect(second?.message).not.toContain('198.51.100.1');

    // Known addresses stay quiet; /api/tokens/validate is a use like any other.
    await use(machine.token, '198.51.100.2');
    await use(machine.token, '198.51.100.1');
    const validated = await fetch(`${server.url}/api/tokens/validate`, {
      headers: { authorization: `Bearer ${machine.token}`, ...from('198.51.100.3') },
    });
    expect(validated.status).toBe(200);
    const alerts = await alertsOf(owner, 2);
    expect(alerts[0]?.message).toContain('198.51.100.3');
    await alertsOf(admin, 2);

    const posts = await slackPosts(hook, 2);
    const mail = await waitForEmail(server.dataDir, owner.email, { after: 1 });
    for (const text of [JSON.stringify(alerts), JSON.stringify(posts), mail]) {
      expect(text).toContain(prefix);
      expect(text).not.toContain(machine.token);
    }
  });

  it('a WebSocket opened with the token counts as a use', async () => {
    const { owner } = await organization();
    const machine = await createMachineToken(server, owner, ['read:organization']);
    await use(machine.token, '198.51.100.10');
    // The socket's address is the server's view of it: loopback here, without a proxy header.
    const socket = connect(wsUrl(server, machine.token));
    await socket.connected;
    const [alert] = await alertsOf(owner, 1);
    expect(alert?.message).toContain('127.0.0.1');
    await socket.client.dispose();
  });
});

describe('an OAuth client used from a new address, or created with write:*', () => {
  const tokenFrom = (client: TestClient, ip: string) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...from(ip) },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });

  it('alerts from the second address the token endpoint sees, naming the client id, never the secret', async () => {
    const { owner, hook } = await organization();
    const client = await createTestClient(server, owner, ['read:organization']);
    expect((await tokenFrom(client, '198.51.100.20')).status).toBe(200);
    expect((await tokenFrom(client, '198.51.100.20')).status).toBe(200);
    expect((await tokenFrom(client, '198.51.100.21')).status).toBe(200);
    const [alert] = await alertsOf(owner, 1);
    expect(alert?.title).toBe(`OAuth client "sync" (${client.clientId}) used from a new address`);
    expect(alert?.message).toContain('198.51.100.21');
    const [post] = await slackPosts(hook, 1);
    for (const text of [JSON.stringify(alert), JSON.stringify(post)]) expect(text).not.toContain(client.clientSecret);
  });

  it('alerts when a client is created with write:*, and not for narrower ones', async () => {
    const { owner, admin } = await organization();
    await createTestClient(server, owner, ['read:*']);
    const privileged = await createTestClient(server, owner, ['write:*']);
    const [alert] = await alertsOf(admin, 1);
    expect(alert?.title).toBe('OAuth client with write:* created');
    expect(alert?.message).toContain(privileged.clientSecret.slice(0, 10));
    expect(alert?.message).not.toContain(privileged.clientSecret);
  });
});

describe('failed logins locking an account', () => {
  it('alerts every organization of the account; the one guessing gets the usual answers', async () => {
    const { owner: victim, admin, hook } = await organization();
    // The victim is also a member of another organization, whose owner hears of it too.
    const other = await createOwner(server);
    ok(
      await server.gql(
        InviteMemberDocument,
        { input: { email: victim.email, role: 'MEMBER' } },
        { token: other.accessToken },
      ),
    );
    const token = tokenFromEmail(await waitForEmail(server.dataDir, victim.email));
    ok(await server.gql(AcceptInvitationDocument, { input: { token, password: victim.password } }));

    const guess = (n: number) =>
      server.gql(
        LoginDocument,
        { input: { email: victim.email, password: `wrong guess ${n}` } },
        { headers: from('192.0.2.66') },
      );
    const answers = [];
    for (let n = 0; n < LOGIN_FAILURES; n++) answers.push(failure(await guess(n)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(failure(await guess(99)).extensions?.code).toBe('RATE_LIMITED');

    const title = `Sign-in to Owner <${victim.email}> locked after ${LOGIN_FAILURES} failed attempts`;
    for (const account of [victim, admin, other]) {
      const [alert] = await alertsOf(account, 1);
      expect(alert?.title).toBe(title);
      expect(alert?.message).toContain('192.0.2.66');
      expect(alert?.message).not.toContain('wrong guess');
    }
    const [post] = await slackPosts(hook, 1);
    expect(post?.body.text).toContain('locked');
    expect(JSON.stringify(post)).not.toContain('wrong guess');
  });
});

describe('a token with write:*', () => {
  it('alerts when created, when rotated and when raised to write:*, naming who and the prefix only', async () => {
    const { owner, admin, hook } = await organization();
    const account = await createMachineToken(server, owner, ['read:*']);
    // Tokens without write:* are no news.
    const { updateApiToken } = ok(
      await server.gql(
        UpdateApiTokenDocument,
        { input: { id: account.tokenId, scopes: ['write:*'] } },
        { token: admin.accessToken },
      ),
    );
    const [raised] = await alertsOf(owner, 1);
    expect(raised).toMatchObject({ title: 'API token raised to write:*' });
    expect(raised?.message).toContain(`ADMIN <${admin.email}>`);
    expect(raised?.message).toContain(`(${updateApiToken.prefix}…)`);

    const { createApiToken } = ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: account.serviceAccountSlug, name: 'deploy', scopes: ['write:*'] } },
        { token: owner.accessToken },
      ),
    );
    const created = (await alertsOf(owner, 2))[0];
    expect(created?.title).toBe('API token with write:* created');
    expect(created?.message).toContain(
      `Owner <${owner.email}> created the API token "deploy" (${createApiToken.apiToken.prefix}…)`,
    );

    const { rotateApiToken } = ok(
      await server.gql(
        RotateApiTokenDocument,
        { input: { id: createApiToken.apiToken.id } },
        { token: owner.accessToken },
      ),
    );
    const rotated = (await alertsOf(owner, 3))[0];
    expect(rotated?.title).toBe('API token with write:* rotated');
    await alertsOf(admin, 3);

    const posts = await slackPosts(hook, 3);
    const mails = await waitForEmail(server.dataDir, admin.email, { after: 3 }); // after the invitation and two alerts
    for (const text of [JSON.stringify(await securityAlerts(owner)), JSON.stringify(posts), mails]) {
      for (const secret of [account.token, createApiToken.token, rotateApiToken.token]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('speaks the recipient’s language', async () => {
    const owner = await createOwner(server);
    await server.app.db.user.update({ where: { id: owner.userId }, data: { locale: 'de' } });
    await createMachineToken(server, owner, ['write:*']);
    const [alert] = await alertsOf(owner, 1);
    expect(alert?.title).toBe('API-Token mit write:* erstellt');
    const mail = await waitForEmail(server.dataDir, owner.email);
    expect(mail).toMatch(/^Subject: Sicherheitswarnung: API-Token mit write:\* erstellt/m);
  });
});

describe('deduplication', () => {
  it('lets exactly one of two concurrent raises through, and the same again an hour later', async () => {
    const owner = await createOwner(server);
    const alert = {
      organizationId: owner.organizationId,
      cause: 'privileged_token' as const,
      subject: 'same-subject',
      text: 'privileged_token:created' as const,
      params: { actor: 'Someone', credential: '"x" (hld_abcdefgh…)', owner: 'Robot (robot)' },
    };
    const now = new Date();
    const ids = await Promise.all([
      raiseSecurityAlert(server.app, alert, now),
      raiseSecurityAlert(server.app, alert, now),
    ]);
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    expect(await securityAlerts(owner)).toHaveLength(1);
    expect(await raiseSecurityAlert(server.app, { ...alert, subject: 'another subject' }, now)).not.toBeNull();
    expect(await raiseSecurityAlert(server.app, alert, new Date(now.getTime() + 3600_000))).not.toBeNull();
    expect(await securityAlerts(owner)).toHaveLength(3);
  });
});

const scaledOut = needing('two instances raising the same alert at once store and send one', 'DATABASE_URL');
describe.skipIf(scaledOut.skip)(scaledOut.title, () => {
  it('one notification, one email, one Slack post', async () => {
    const second = await startServer({ reuse: server, env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
    try {
      const { owner, hook } = await organization();
      const alert = {
        organizationId: owner.organizationId,
        cause: 'account_locked' as const,
        subject: owner.userId,
        text: 'account_locked' as const,
        params: { user: owner.email, failures: 3, minutes: 15, ip: '192.0.2.1' },
      };
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, i) => raiseSecurityAlert((i % 2 ? second : server).app, alert)),
      );
      expect(ids.filter((id) => id !== null)).toHaveLength(1);
      expect(await securityAlerts(owner)).toHaveLength(1);
      expect(await countEmails(server.dataDir, owner.email)).toBe(1);
      expect(slack.postsTo(hook)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('Slack delivery', () => {
  it('is retried after a failure, never failing the request that caused the alert', async () => {
    const { owner, hook } = await organization();
    let calls = 0;
    slack.status = (path) => (path === hook && calls++ === 0 ? 500 : 200);
    try {
      ok(
        await server.gql(
          CreateApiTokenDocument,
          {
            input: {
              serviceAccountSlug: (await createMachineToken(server, owner, ['read:*'])).serviceAccountSlug,
              name: 'x',
              scopes: ['write:*'],
            },
          },
          { token: owner.accessToken },
        ),
      );
      await slackPosts(hook, 1);
      await alertsOf(owner, 1);
      // The retry loop's next turn, half a minute on.
      const delivered = await server.app.db.securityAlert.findFirstOrThrow({
        where: { organizationId: owner.organizationId },
      });
      expect(delivered).toMatchObject({ slackSentAt: null, slackAttempts: 1 });
      const later = new Date(Date.now() + 31_000);
      expect(await deliverSlackAlerts(server.app, { id: delivered.id, now: later })).toBe(1);
      const [failed, retried] = await slackPosts(hook, 2);
      expect(retried?.body).toEqual(failed?.body);
      expect(
        await server.app.db.securityAlert.findFirstOrThrow({ where: { organizationId: owner.organizationId } }),
      ).toMatchObject({ slackDueAt: null, slackAttempts: 2 });
    } finally {
      slack.status = () => 200;
    }
  });
});

describe('security alert settings', () => {
  it('shows the Slack URL masked, audits the change without it, and removes it with null', async () => {
    const owner = await createOwner(server);
    const url = 'https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstWXYZ';
    const { updateSecurityAlertSettings } = ok(
      await server.gql(
        UpdateSecurityAlertSettingsDocument,
        { input: { slackWebhookUrl: url } },
        { token: owner.accessToken },
      ),
    );
    expect(updateSecurityAlertSettings).toEqual({ slackWebhookUrl: 'https://hooks.slack.com/…WXYZ' });
    expect(ok(await server.gql(SecurityAlertSettingsDocument, {}, { token: owner.accessToken }))).toEqual({
      securityAlertSettings: { slackWebhookUrl: 'https://hooks.slack.com/…WXYZ' },
    });
    const events = await auditActions(server, owner.accessToken);
    expect(events[0]?.action).toBe('organization.security_alerts_updated');
    const stored = await server.app.db.auditEvent.findMany({ where: { organizationId: owner.organizationId } });
    expect(JSON.stringify(stored)).not.toContain('abcdefghijklmnopqrst');

    ok(
      await server.gql(
        UpdateSecurityAlertSettingsDocument,
        { input: { slackWebhookUrl: null } },
        { token: owner.accessToken },
      ),
    );
    expect(ok(await server.gql(SecurityAlertSettingsDocument, {}, { token: owner.accessToken }))).toEqual({
      securityAlertSettings: { slackWebhookUrl: null },
    });
  });

  it.each([
    'ftp://hooks.slack.com/x',
    'not a url',
    'https://user:secret@hooks.slack.com/x',
    'https://hooks .slack.com/x',
  ])('refuses %s with BAD_USER_INPUT and keeps the old value', async (value) => {
    const owner = await createOwner(server);
    const error = failure(
      await server.gql(
        UpdateSecurityAlertSettingsDocument,
        { input: { slackWebhookUrl: value } },
        { token: owner.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slackWebhookUrl' });
    expect(ok(await server.gql(SecurityAlertSettingsDocument, {}, { token: owner.accessToken }))).toEqual({
      securityAlertSettings: { slackWebhookUrl: null },
    });
  });

  it('is changed by owners and admins only', async () => {
    const { member } = await organization();
    const error = failure(
      await server.gql(
        UpdateSecurityAlertSettingsDocument,
        { input: { slackWebhookUrl: 'https://hooks.slack.com/services/x' } },
        { token: member.accessToken },
      ),
    );
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['write:organization'] });
  });
});

describe('where a webhook may lead (WEBHOOK_ALLOW_PRIVATE_TARGETS unset)', () => {
  it.each([
    ['https://hooks.slack.com/services/T/B/x', true],
    ['http://hooks.slack.com/services/T/B/x', false],
    ['https://127.0.0.1/x', false],
    ['https://10.1.2.3/x', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['https://[::1]/x', false],
    ['https://[::ffff:127.0.0.1]/x', false],
    ['https://[fd00::1]/x', false],
    ['https://93.184.216.34/x', true],
  ])('%s acceptable: %s', (url, acceptable) => {
    expect(isAcceptableWebhookUrl(url, false)).toBe(acceptable);
  });

  it('allows loopback and http only when the variable is set', () => {
    expect(isAcceptableWebhookUrl('http://127.0.0.1:9/x', true)).toBe(true);
  });

  it('refuses at connect time a host name that resolves to a private address', async () => {
    const port = new URL(slack.url).port;
    const before = slack.posts.length;
    await expect(
      postWebhook(`https://localhost:${port}/hook/private`, { text: 'x' }, { allowPrivateTargets: false }),
    ).rejects.toThrow(/not public/);
    expect(slack.posts.length).toBe(before);
  });

  it('masks every URL to its host', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/services/T/B/secretpart')).toBe('https://hooks.slack.com/…part');
    expect(maskWebhookUrl('https://example.com/a')).toBe('https://example.com/…');
  });
});
