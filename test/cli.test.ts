// The `herald` command line, run as a subprocess against a real server: every command, its
// --json output parsed, exit codes, saved credentials, a token revoked mid-session.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateWebhookEndpointDocument, PublishNotificationDocument, RegisterDocument } from './generated/graphql.ts';
import { type CliHome, cliHome } from './helpers/cli.ts';
import { createMachineToken } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_DELIVERY_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

/** A home for the command line with the owner signed in by email and password. */
async function signedIn(owner: Account): Promise<CliHome> {
  const home = await cliHome(server.url);
  const login = await home.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password });
  expect(login, login.stderr).toMatchObject({ code: 0 });
  return home;
}

const ESCAPE = '\u001b';

describe('herald login, whoami, logout', () => {
  it('signs in by email and password, saves the session in the profile with mode 0600, and ends it on logout', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);

    const file = path.join(home.dir, 'config', 'herald', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.profiles.default).toMatchObject({ url: server.url, refreshToken: expect.any(String) });
    expect(JSON.stringify(saved)).not.toContain(owner.password);

    const me = await home.json<{ kind: string; email: string; organization: { slug: string }; scopes: string[] }>([
      'whoami',
    ]);
    expect(me).toMatchObject({ kind: 'user', email: owner.email, organization: { slug: owner.organizationSlug } });
    expect(me.scopes).toContain('write:tokens');
    const table = await home.run(['whoami']);
    expect(table.stdout).toContain(owner.email);
    expect(table.stdout).not.toContain(ESCAPE);

    const refreshToken = saved.profiles.default.refreshToken as string;
    expect(await home.run(['logout'])).toMatchObject({ code: 0 });
    await expect(stat(file)).rejects.toThrow();
    const after = await home.run(['whoami']);
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/^herald: UNAUTHENTICATED: Not signed in/m);
    // The session ended on the server too, not only on this machine.
    const reuse = await server.post({
      query: 'mutation($input: RefreshInput!) { refresh(input: $input) { accessToken } }',
      variables: { input: { refreshToken } },
    });
    expect(((await reuse.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('asks for an organization when the person has several, and takes --organization', async () => {
    const owner = await createOwner(server);
    const { register } = ok(
      await server.gql(RegisterDocument, {
        input: {
          email: owner.email,
          password: owner.password,
          name: 'Owner',
          organizationName: `Second ${randomUUID().slice(0, 6)}`,
        },
      }),
    );
    const home = await cliHome(server.url);
    const ambiguous = await home.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(owner.organizationSlug);
    expect(ambiguous.stderr).toContain(register.organization.slug);

    const chosen = await home.run(
      ['login', '--email', owner.email, '--password-stdin', '--organization', register.organization.slug],
      { input: owner.password },
    );
    expect(chosen.code, chosen.stderr).toBe(0);
    expect((await home.json<{ organization: { id: string } }>(['whoami'])).organization.id).toBe(
      register.organization.id,
    );
  });

  it('refuses a wrong password with exit code 3 and the API’s code and message on one line', async () => {
    const owner = await createOwner(server);
    const home = await cliHome(server.url);
    const refused = await home.run(['login', '--email', owner.email, '--password-stdin'], {
      input: 'not the password',
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^herald: UNAUTHENTICATED( \(\w+\))?: \S/);
    const asJson = await home.run(['login', '--email', owner.email, '--password-stdin', '--json'], {
      input: 'not the password',
    });
    expect(JSON.parse(asJson.stderr)).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
    });
  });

  it('signs in with an API token (--token, or - from stdin) and with HERALD_TOKEN', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:work_items']);
    const home = await cliHome(server.url);
    expect(await home.run(['--profile', 'ci', 'login', '--token', '-'], { input: `${machine.token}\n` })).toMatchObject(
      {
        code: 0,
      },
    );
    const me = await home.json<{ kind: string; id: string; scopes: string[] }>(['--profile', 'ci', 'whoami']);
    expect(me).toMatchObject({ kind: 'serviceAccount', id: machine.serviceAccountId });
    expect(me.scopes).toContain('read:work_items');
    // The default profile has nothing saved; HERALD_TOKEN alone is enough.
    expect((await home.run(['whoami'])).code).toBe(3);
    const fromEnv = await home.json<{ id: string; credential: string }>(['whoami'], {
      env: { HERALD_TOKEN: machine.token },
    });
    expect(fromEnv).toMatchObject({ id: machine.serviceAccountId, credential: 'HERALD_TOKEN' });
    const bad = await home.run(['login', '--token', `${machine.token.slice(0, -1)}x`]);
    expect(bad.code).toBe(3);
  });
});

describe('herald service-accounts and tokens', () => {
  it('creates, lists, disables, enables and deletes service accounts', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);
    const created = await home.json<{ slug: string; name: string }>([
      'service-accounts',
      'create',
      'CI deploys',
      '--slug',
      'ci',
      '--description',
      'GitHub Actions',
    ]);
    expect(created).toMatchObject({ slug: 'ci', name: 'CI deploys' });
    const listed = await home.json<{ slug: string; disabledAt: string | null }[]>(['service-accounts', 'list']);
    expect(listed.map((a) => a.slug)).toEqual(['ci']);
    expect((await home.json<{ disabledAt: string | null }>(['sa', 'disable', 'ci'])).disabledAt).not.toBeNull();
    expect((await home.run(['service-accounts', 'list'])).stdout).toMatch(/^ci\s+CI deploys\s+disabled/m);
    expect((await home.json<{ disabledAt: string | null }>(['sa', 'enable', 'ci'])).disabledAt).toBeNull();
    expect(await home.run(['service-accounts', 'delete', 'ci'])).toMatchObject({ code: 0 });
    expect(await home.json(['service-accounts', 'list'])).toEqual([]);
  });

  it('prints a new token alone on stdout, lists tokens without secrets, rotates and revokes', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);
    await home.json(['service-accounts', 'create', 'Robot', '--slug', 'robot']);
    const created = await home.run([
      'tokens',
      'create',
      '--service-account',
      'robot',
      '--name',
      'deploys',
      '--scope',
      'read:work_items,write:work_items',
      '--scope',
      'read:audit',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^hld_[A-Za-z0-9]+\n$/);
    const token = created.stdout.trim();

    const listed = await home.json<{ id: string; name: string; scopes: string[]; prefix: string }[]>([
      'tokens',
      'list',
    ]);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'deploys', scopes: ['read:work_items', 'write:work_items', 'read:audit'] });
    expect(token.startsWith(listed[0]?.prefix as string)).toBe(true);
    const table = await home.run(['tokens', 'list']);
    expect(table.stdout).not.toContain(token);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+PREFIX\s+SERVICE ACCOUNT\s+STATE/m);

    const id = listed[0]?.id as string;
    const rotated = await home.run(['tokens', 'rotate', id]);
    expect(rotated.stdout).toMatch(/^hld_[A-Za-z0-9]+\n$/);
    const fresh = rotated.stdout.trim();
    expect((await home.run(['whoami'], { env: { HERALD_TOKEN: token } })).code).toBe(3);
    expect((await home.run(['work-items', 'list'], { env: { HERALD_TOKEN: fresh } })).code).toBe(0);

    const withJson = await home.json<{ token: string; apiToken: { id: string } }>([
      'tokens',
      'create',
      '--service-account',
      'robot',
      '--name',
      'second',
      '--scope',
      'read:audit',
    ]);
    expect(withJson.token).toMatch(/^hld_/);
    expect(
      (await home.json<{ revokedAt: string | null }>(['tokens', 'revoke', withJson.apiToken.id])).revokedAt,
    ).not.toBeNull();
    expect((await home.json<unknown[]>(['tokens', 'list'])).length).toBe(1);
    // The rotated secret and the revoked token are kept, as revoked.
    expect((await home.json<unknown[]>(['tokens', 'list', '--all'])).length).toBe(3);
  });

  it('stops a saved token that is revoked mid-session with exit code 3', async () => {
    const owner = await createOwner(server);
    const admin = await signedIn(owner);
    const machine = await createMachineToken(server, owner, ['read:work_items', 'write:work_items']);
    const robot = await cliHome(server.url);
    expect((await robot.run(['login', '--token', machine.token])).code).toBe(0);
    expect((await robot.run(['work-items', 'create', 'Before'])).code).toBe(0);

    expect((await admin.run(['tokens', 'revoke', machine.tokenId])).code).toBe(0);
    const after = await robot.run(['work-items', 'create', 'After']);
    expect(after.code).toBe(3);
    expect(after.stderr.trim()).toMatch(/^herald: UNAUTHENTICATED( \(\w+\))?: .+/);
    expect(after.stdout).toBe('');
  });

  it('answers a missing scope with exit code 4, a bad argument with 2', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:work_items']);
    const home = await cliHome(server.url);
    const env = { HERALD_TOKEN: machine.token };
    const refused = await home.run(['tokens', 'list'], { env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^herald: FORBIDDEN \(MISSING_SCOPE\): .+/m);
    expect((await home.run(['work-items', 'status', 'x', 'DONE'], { env })).code).toBe(2);
    expect((await home.run(['tokens', 'create', '--name', 'x'], { env })).code).toBe(2);
    expect((await home.run(['tokens', 'list', '--bogus'], { env })).code).toBe(2);
    expect((await home.run(['nonsense'], { env })).code).toBe(2);
    // An argument Herald refuses is an error of the request (1), naming the field.
    const badInput = await home.run(['work-items', 'get', 'not-an-id'], { env });
    expect(badInput.code).toBe(1);
    expect(badInput.stderr).toMatch(/^herald: (BAD_USER_INPUT|NOT_FOUND)/m);
  });
});

describe('herald oauth-clients, members, webhooks', () => {
  it('creates an OAuth client (secret once), lists, rotates and revokes it', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);
    await home.json(['sa', 'create', 'Gateway', '--slug', 'gateway']);
    const created = await home.run([
      'oauth-clients',
      'create',
      '--service-account',
      'gateway',
      '--name',
      'gw',
      '--scope',
      'read:work_items',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const [clientIdLine, secretLine] = created.stdout.trim().split('\n');
    expect(clientIdLine).toMatch(/^client_id=\S+$/);
    expect(secretLine).toMatch(/^client_secret=\S+$/);
    const [client] = await home.json<{ id: string; clientId: string }[]>(['oauth-clients', 'list']);
    expect(`client_id=${client?.clientId}`).toBe(clientIdLine);
    const rotated = await home.json<{ clientSecret: string }>(['oauth-clients', 'rotate-secret', client?.id as string]);
    expect(`client_secret=${rotated.clientSecret}`).not.toBe(secretLine);
    expect(
      (await home.json<{ revokedAt: string | null }>(['oauth-clients', 'revoke', client?.id as string])).revokedAt,
    ).not.toBeNull();
    expect(await home.json(['oauth-clients', 'list'])).toEqual([]);
  });

  it('lists members, invites, changes roles and removes', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner);
    const home = await signedIn(owner);
    const members = await home.json<{ role: string; user: { id: string; email: string } }[]>(['members', 'list']);
    expect(members.map((m) => [m.user.email, m.role])).toEqual([
      [owner.email, 'OWNER'],
      [member.email, 'MEMBER'],
    ]);
    const invited = await home.json<{ email: string; role: string }>([
      'members',
      'invite',
      'grace@example.test',
      '--role',
      'ADMIN',
    ]);
    expect(invited).toMatchObject({ email: 'grace@example.test', role: 'ADMIN' });
    expect((await home.json<{ email: string }[]>(['members', 'invitations'])).map((i) => i.email)).toContain(
      'grace@example.test',
    );
    expect((await home.json<{ role: string }>(['members', 'set-role', member.userId, '--role', 'ADMIN'])).role).toBe(
      'ADMIN',
    );
    expect((await home.run(['members', 'set-role', member.userId, '--role', 'KING'])).code).toBe(2);
    expect(await home.json(['members', 'remove', member.userId])).toEqual({ removed: true, userId: member.userId });
    expect((await home.json<unknown[]>(['members', 'list'])).length).toBe(1);
  });

  it('lists webhook endpoints, sends a test, lists deliveries and replays one', async () => {
    const owner = await createOwner(server);
    const { createWebhookEndpoint } = ok(
      await server.gql(
        CreateWebhookEndpointDocument,
        { input: { url: 'https://93.184.215.14/hooks/herald', events: ['work_item.created'] } },
        { token: owner.accessToken },
      ),
    );
    const endpointId = createWebhookEndpoint.webhookEndpoint.id;
    const home = await signedIn(owner);
    expect((await home.json<{ id: string }[]>(['webhooks', 'list'])).map((e) => e.id)).toEqual([endpointId]);
    const sent = await home.json<{ id: string; eventType: string; status: string }>(['webhooks', 'test', endpointId]);
    expect(sent).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    const replayed = await home.json<{ replayOfId: string }>(['webhooks', 'replay', sent.id]);
    expect(replayed.replayOfId).toBe(sent.id);
    const deliveries = await home.json<{ id: string }[]>(['webhooks', 'deliveries', endpointId]);
    expect(deliveries.map((d) => d.id).sort()).toEqual([sent.id, (replayed as unknown as { id: string }).id].sort());
    expect(await home.json(['webhooks', 'deliveries', endpointId, '--status', 'SUCCEEDED'])).toEqual([]);
  });
});

describe('herald work-items and audit', () => {
  it('creates, lists, gets, assigns, updates and changes the status of work items', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);
    const created = await home.json<{ id: string; key: string; status: string; priority: string }>([
      'work-items',
      'create',
      'Printer on fire',
      '--priority',
      'URGENT',
      '--description',
      'Third floor',
    ]);
    expect(created).toMatchObject({ status: 'OPEN', priority: 'URGENT' });
    expect(created.key).toMatch(/^[A-Z]+-\d+$/);
    await home.json(['wi', 'create', 'Second']);
    expect((await home.json<{ title: string }[]>(['work-items', 'list'])).map((w) => w.title)).toEqual([
      'Second',
      'Printer on fire',
    ]);
    expect((await home.json<unknown[]>(['work-items', 'list', '--priority', 'URGENT'])).length).toBe(1);
    expect(await home.json(['work-items', 'get', created.id])).toMatchObject({
      id: created.id,
      description: 'Third floor',
    });
    const assigned = await home.json<{ assignee: { id: string } }>(['work-items', 'assign', created.id, owner.userId]);
    expect(assigned.assignee.id).toBe(owner.userId);
    expect(await home.json(['work-items', 'assign', created.id, 'none'])).toMatchObject({ assignee: null });
    expect(await home.json(['work-items', 'status', created.id, 'in_progress'])).toMatchObject({
      status: 'IN_PROGRESS',
    });
    const updated = await home.json([
      'work-items',
      'update',
      created.id,
      '--title',
      'Printer out',
      '--due-at',
      '2030-01-01T00:00:00Z',
    ]);
    expect(updated).toMatchObject({ title: 'Printer out', dueAt: '2030-01-01T00:00:00.000Z' });
    expect(await home.json(['work-items', 'update', created.id, '--due-at', 'none'])).toMatchObject({ dueAt: null });
    const table = await home.run(['work-items', 'list']);
    expect(table.stdout).toMatch(/^KEY\s+ID\s+STATUS\s+PRIORITY\s+ASSIGNEE\s+DUE\s+TITLE$/m);
    expect(table.stdout).toMatch(
      new RegExp(`^${created.key}\\s+${created.id}\\s+IN_PROGRESS\\s+URGENT\\s+Printer out$`, 'm'),
    );
  });

  it('reads the audit log a page at a time, with the command line named as the client', async () => {
    const owner = await createOwner(server);
    const home = await signedIn(owner);
    for (const title of ['One', 'Two', 'Three']) await home.json(['work-items', 'create', title]);
    const all = await home.json<{ action: string; client: string | null }[]>(['audit', '--client', 'cli', '--all']);
    expect(all.map((e) => e.action)).toEqual([
      'work_item.created',
      'work_item.created',
      'work_item.created',
      'login.succeeded',
    ]);
    expect(all.every((e) => e.client === 'cli')).toBe(true);

    const first = await home.run(['audit', '--client', 'cli', '--limit', '2', '--json']);
    const page = JSON.parse(first.stdout) as { id: string }[];
    expect(page).toHaveLength(2);
    const cursor = /--after (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const rest = await home.json<{ id: string }[]>(['audit', '--client', 'cli', '--after', cursor as string]);
    expect([...page, ...rest].map((e) => e.id)).toEqual((all as unknown as { id: string }[]).map((e) => e.id));
    const table = await home.run(['audit', '--limit', '1']);
    expect(table.stdout).toMatch(/^AT\s+ACTION\s+ACTOR\s+TARGET\s+IP\s+CLIENT$/m);
  });
});

describe('herald notifications tail', () => {
  it('prints the signed-in person’s notifications as they arrive, one JSON document per line', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['write:notifications']);
    const home = await signedIn(owner);
    const tail = home.start(['notifications', 'tail', '--json']);
    try {
      // The subscription starts a moment after the process: publish until the first one is heard.
      const deadline = Date.now() + 15_000;
      let sent = 0;
      while (!tail.stdout().includes('\n')) {
        if (Date.now() > deadline) throw new Error(`nothing heard: ${tail.stderr()}`);
        ok(
          await server.gql(
            PublishNotificationDocument,
            { input: { userId: owner.userId, title: `Deploy ${++sent}` } },
            { token: machine.token },
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const [line] = tail.stdout().split('\n');
      const event = JSON.parse(line as string) as {
        notification: { title: string; type: string };
        unreadCount: number;
      };
      expect(event.notification).toMatchObject({ type: 'CUSTOM', title: expect.stringMatching(/^Deploy \d+$/) });
      expect(event.unreadCount).toBeGreaterThanOrEqual(1);
    } finally {
      tail.child.kill('SIGINT');
    }
    expect((await tail.done).code).toBe(0);
  });

  it('keeps listening across the expiry of its access token: the socket closes at exp and reconnects', {
    timeout: 60_000,
  }, async () => {
    const shortLived = await startServer({ env: { ACCESS_TOKEN_TTL: '3' } });
    try {
      const owner = await createOwner(shortLived);
      const machine = await createMachineToken(shortLived, owner, ['write:notifications']);
      const home = await cliHome(shortLived.url);
      const login = await home.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password });
      expect(login.code, login.stderr).toBe(0);
      const tail = home.start(['notifications', 'tail', '--json']);
      const heard = () => tail.stdout().split('\n').filter(Boolean).length;
      /** Publishes until the tail has printed `count` lines. */
      const publishUntil = async (count: number, label: string) => {
        const deadline = Date.now() + 15_000;
        let sent = 0;
        while (heard() < count) {
          if (Date.now() > deadline) throw new Error(`${label}: nothing heard: ${tail.stderr()}`);
          ok(
            await shortLived.gql(
              PublishNotificationDocument,
              { input: { userId: owner.userId, title: `${label} ${++sent}` } },
              { token: machine.token },
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      };
      try {
        await publishUntil(1, 'Before');
        // Well past the first access token's expiry (3 s): its socket was closed with 4403.
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const before = heard();
        await publishUntil(before + 1, 'After');
        const last = JSON.parse(tail.stdout().trim().split('\n').at(-1) as string);
        expect(last.notification.title).toMatch(/^After \d+$/);
      } finally {
        tail.child.kill('SIGINT');
      }
      expect((await tail.done).code).toBe(0);
    } finally {
      await shortLived.close();
    }
  });

  it('needs a person: with an API token it is a usage error', async () => {
    const owner = await createOwner(server);
    const machine = await createMachineToken(server, owner, ['read:notifications']);
    const home = await cliHome(server.url);
    const ran = await home.run(['notifications', 'tail'], { env: { HERALD_TOKEN: machine.token } });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/herald login/);
  });
});

describe('herald help and completion', () => {
  it('gives every command --help with examples, and completes commands from the shell', {
    timeout: 120_000,
  }, async () => {
    const home = await cliHome(server.url);
    const groups = (await home.run(['__complete'])).stdout.split('\n').filter((w) => w && !w.startsWith('-'));
    expect(groups).toEqual(
      expect.arrayContaining([
        'login',
        'whoami',
        'service-accounts',
        'tokens',
        'oauth-clients',
        'webhooks',
        'members',
        'audit',
        'notifications',
        'work-items',
        'completion',
      ]),
    );
    const paths: string[][] = [];
    for (const group of groups) {
      const subcommands = (await home.run(['__complete', group])).stdout
        .split('\n')
        .filter((w) => w && !w.startsWith('-') && w !== 'help');
      if (subcommands.length === 0) paths.push([group]);
      for (const sub of subcommands) paths.push([group, sub]);
    }
    expect(paths).toEqual(
      expect.arrayContaining([
        ['tokens', 'rotate'],
        ['webhooks', 'replay'],
        ['notifications', 'tail'],
      ]),
    );
    // A few at a time: the machine running the tests may be small.
    const helps: { words: string[]; ran: Awaited<ReturnType<typeof home.run>> }[] = [];
    for (let i = 0; i < paths.length; i += 4) {
      const batch = paths.slice(i, i + 4);
      helps.push(
        ...(await Promise.all(batch.map(async (words) => ({ words, ran: await home.run([...words, '--help']) })))),
      );
    }
    for (const { words, ran } of helps) {
      expect(ran.code, words.join(' ')).toBe(0);
      expect(ran.stdout, words.join(' ')).toMatch(new RegExp(`Examples:\\n  \\$ .*herald ${words.join(' ')}`));
    }
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = await home.run(['completion', shell]);
      expect(script.code).toBe(0);
      expect(script.stdout).toContain('herald __complete');
    }
    expect((await home.run(['completion', 'powershell'])).code).toBe(2);
  });
});

describe('exit code 5', () => {
  it('is what a rate-limited request answers', async () => {
    const limited = await startServer({ env: { RATE_LIMIT_IP_PER_MINUTE: '2' } });
    try {
      const home = await cliHome(limited.url);
      const codes: (number | null)[] = [];
      let last = '';
      for (let i = 0; i < 4; i++) {
        const ran = await home.run(['work-items', 'list'], { env: { HERALD_TOKEN: `hld_${'x'.repeat(49)}` } });
        codes.push(ran.code);
        last = ran.stderr;
      }
      expect(codes[0]).toBe(3);
      expect(codes.at(-1)).toBe(5);
      expect(last).toMatch(/^herald: RATE_LIMITED.*Retry after \d+ s\.$/m);
    } finally {
      await limited.close();
    }
  });
});
