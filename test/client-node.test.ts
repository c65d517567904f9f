// @herald/client as a Node program (the CLI, a server-side frontend) meets it: the built package,
// against a real Herald, with the storage adapter such a program would write.
import { randomUUID } from 'node:crypto';
import { createHeraldClient, type HeraldClient, HeraldError, type Session, type StorageAdapter } from '@herald/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/auth/secrets.ts';
import {
  ClientCreateServiceAccountDocument,
  ClientInviteMemberDocument,
  ClientMeDocument,
  ClientNotificationAddedDocument,
  type ClientNotificationAddedSubscription,
  ClientOrganizationDocument,
} from './client/generated/graphql.ts';
import { PublishNotificationDocument, RegisterDocument } from './generated/graphql.ts';
import { createMachineToken, eventually } from './helpers/machine.ts';
import { tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

/** Short enough that a test sees several lifetimes, long enough for slow machines. */
const TTL_SECONDS = 3;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { ACCESS_TOKEN_TTL: String(TTL_SECONDS), SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const clients: HeraldClient[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});

/** An async adapter, as a CLI's over its config file would be. */
function fileLikeStorage(): StorageAdapter & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    remove: async (key) => void values.delete(key),
  };
}

/**
 * Every operation the client sent, in order, by name (the client's own are named Herald…),
 * with the reason when Herald refused it: `ClientMe:TOKEN_EXPIRED`. `rewrite` may change a
 * request's headers before it goes out.
 */
function recording(rewrite?: (name: string, headers: Record<string, string>) => void) {
  const operations: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { query?: string };
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? 'anonymous';
    const headers = { ...(init?.headers as Record<string, string>) };
    rewrite?.(name, headers);
    const response = await globalThis.fetch(input, { ...init, headers });
    const answer = (await response.clone().json()) as { errors?: { extensions?: { reason?: string } }[] };
    operations.push(answer.errors ? `${name}:${answer.errors[0]?.extensions?.reason}` : name);
    return response;
  };
  return { operations, fetch };
}

/**
 * A client of its own: clients of one process that share a storage key coordinate like tabs of
 * one origin (Web Locks, BroadcastChannel), so each gets a key of its own unless a test shares one.
 */
function client(options: Partial<Parameters<typeof createHeraldClient>[0]> = {}) {
  const created = createHeraldClient({
    url: server.url,
    storage: fileLikeStorage(),
    storageKey: `herald-test-${randomUUID()}`,
    ...options,
  });
  clients.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<HeraldError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeraldError);
  return error as HeraldError;
}

/** The refresh tokens of the family `refreshToken` belongs to, as Herald keeps them. */
const familyOf = async (refreshToken: string) => {
  const row = await server.app.db.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });
  return row ? server.app.db.refreshToken.findMany({ where: { familyId: row.familyId } }) : [];
};

describe('signing in', () => {
  it('signs up, answers typed requests as the new user, and tells listeners', async () => {
    const herald = client();
    const changes: string[] = [];
    herald.onSessionChange((session, change) => changes.push(`${change.type}:${session?.user.email ?? '-'}`));
    const email = uniqueEmail('client');
    const session = await herald.signUp({ email, password: PASSWORD, name: 'Ada', organizationName: 'Engines' });
    expect(session.user.email).toBe(email);
    expect(session.organization.name).toBe('Engines');
    // Scopes are listed expanded, as the product's features allow: an owner writes everything.
    expect(session.scopes).toEqual(expect.arrayContaining(['write:organization', 'write:members', 'write:tokens']));
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const { me } = await herald.request(ClientMeDocument);
    expect(me.id).toBe(session.user.id);
    expect(changes).toEqual([`signedIn:${email}`]);
  });

  it('answers the organizations to choose from, then signs in to the one selected', async () => {
    const owner = await createOwner(server);
    ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: PASSWORD, name: 'Owner', organizationName: 'Second' },
      }),
    );
    const herald = client();
    const result = await herald.signIn({ email: owner.email, password: PASSWORD });
    expect(result.session).toBeUndefined();
    expect(result.organizations?.map((organization) => organization.name)).toContain('Second');
    const second = result.organizations?.find((organization) => organization.name === 'Second');
    const session = await herald.selectOrganization({ organizationId: second?.id as string });
    expect(session.organization.id).toBe(second?.id);
    const { organization } = await herald.request(ClientOrganizationDocument);
    expect(organization.id).toBe(second?.id);

    // Switching issues a pair for the other organization and ends the one it replaces.
    const before = herald.session as Session;
    const storage = fileLikeStorage();
    const switching = client({ storage });
    await switching.signIn({ email: owner.email, password: PASSWORD, organizationId: before.organization.id });
    const replaced = [...storage.values.values()][0] as string;
    const switched = await switching.switchOrganization({ organizationId: owner.organizationId });
    expect(switched.organization.id).toBe(owner.organizationId);
    expect((await switching.request(ClientOrganizationDocument)).organization.id).toBe(owner.organizationId);
    await eventually(async () => {
      const family = await familyOf(replaced);
      expect(family.every((row) => row.revokedAt !== null)).toBe(true);
    });
  });

  it('restores the session from the stored refresh token after a restart', async () => {
    const storage = fileLikeStorage();
    const storageKey = `restart-${randomUUID()}`;
    const first = client({ storage, storageKey });
    const owner = await createOwner(server);
    await first.signIn({ email: owner.email, password: PASSWORD });
    first.close();

    const second = client({ storage, storageKey });
    expect(second.session).toBeNull();
    const restored = await second.ready;
    expect(restored?.user.id).toBe(owner.userId);
    expect((await second.request(ClientMeDocument)).me.id).toBe(owner.userId);
  });

  it('resets a password and accepts an invitation', async () => {
    const owner = await createOwner(server);
    const herald = client();
    await herald.requestPasswordReset({ email: owner.email });
    const token = tokenFromEmail(await waitForEmail(server.dataDir, owner.email));
    await herald.resetPassword({ token, password: 'a brand new passphrase 42' });
    const result = await herald.signIn({ email: owner.email, password: 'a brand new passphrase 42' });
    expect(result.session?.user.id).toBe(owner.userId);

    const invited = uniqueEmail('invited');
    await herald.request(ClientInviteMemberDocument, { input: { email: invited, role: 'MEMBER' } });
    const invitation = tokenFromEmail(await waitForEmail(server.dataDir, invited));
    const newcomer = client();
    const session = await newcomer.acceptInvitation({ token: invitation, name: 'Newcomer', password: PASSWORD });
    expect(session.organization.id).toBe(owner.organizationId);
    expect(session.user.email).toBe(invited);
  });
});

describe('errors', () => {
  it('are HeraldErrors with code, reason, field and a message in the client’s language', async () => {
    const owner = await createOwner(server);
    const wrong = await rejection(client().signIn({ email: owner.email, password: 'not the password at all' }));
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIAL' });
    expect(wrong.message).toBe('Invalid email or password.');

    const german = await rejection(
      client({ locale: 'de' }).signIn({ email: owner.email, password: 'not the password at all' }),
    );
    expect(german.message).toBe('E-Mail-Adresse oder Passwort ist falsch.');

    const input = await rejection(
      client().signUp({ email: uniqueEmail(), password: 'short', name: 'A', organizationName: 'B' }),
    );
    expect(input).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });

    // A member may not create service accounts: "you may not", not "sign in again".
    const invited = uniqueEmail('member');
    const admin = client();
    await admin.signIn({ email: owner.email, password: PASSWORD });
    await admin.request(ClientInviteMemberDocument, { input: { email: invited, role: 'MEMBER' } });
    const member = client();
    await member.acceptInvitation({
      token: tokenFromEmail(await waitForEmail(server.dataDir, invited)),
      name: 'Member',
      password: PASSWORD,
    });
    const forbidden = await rejection(member.request(ClientCreateServiceAccountDocument, { input: { name: 'Robot' } }));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
    expect(member.session).not.toBeNull();
  });

  it('has a code of its own, localized, when Herald cannot be reached', async () => {
    const unreachable = client({ url: 'http://127.0.0.1:9', locale: 'de' });
    const error = await rejection(unreachable.request(ClientMeDocument));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/nicht erreichbar/);
  });
});

describe('a session that looks after itself', () => {
  it('keeps answering across several token lifetimes, one rotation at a time', async () => {
    const { operations, fetch } = recording();
    const storage = fileLikeStorage();
    const herald = client({ fetch, storage });
    const owner = await createOwner(server);
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const end = Date.now() + TTL_SECONDS * 3 * 1000 + 500;
    while (Date.now() < end) {
      // Several callers at once: they wait for the same renewal.
      const answers = await Promise.all([1, 2, 3].map(() => herald.request(ClientMeDocument)));
      for (const { me } of answers) expect(me.id).toBe(owner.userId);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const refreshes = operations.filter((name) => name === 'HeraldRefresh').length;
    expect(refreshes).toBeGreaterThanOrEqual(3);
    // Renewal is scheduled ahead of expiry (the keeper's unit tests pin when, on a fake clock);
    // on a machine too busy to finish it in time a request may be refused TOKEN_EXPIRED, and is
    // then retried after the renewal: every caller got its answer above, whatever the timing.
    const family = await familyOf([...storage.values.values()][0] as string);
    expect(family).toHaveLength(refreshes + 1);
    expect(family.filter((row) => row.revokedAt !== null)).toEqual([]);
  });

  it('retries a request refused for an expired access token once, after a refresh', async () => {
    const owner = await createOwner(server);
    const expired = owner.accessToken;
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 100));
    let swapped = false;
    // The first request goes out with a token that has expired, as after a laptop's sleep.
    const { operations, fetch } = recording((name, headers) => {
      if (name !== 'ClientMe' || swapped) return;
      swapped = true;
      headers.authorization = `Bearer ${expired}`;
    });
    const herald = client({ fetch });
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const { me } = await herald.request(ClientMeDocument);
    expect(me.id).toBe(owner.userId);
    expect(operations).toEqual(['HeraldSignIn', 'ClientMe:TOKEN_EXPIRED', 'HeraldRefresh', 'ClientMe']);
  });

  it('ends the session with the reason when Herald refuses the refresh, and tells listeners', async () => {
    const owner = await createOwner(server);
    const herald = client();
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const ended = new Promise<string | undefined>((resolve) =>
      herald.onSessionChange((session, change) => {
        if (!session) resolve(change.reason);
      }),
    );
    // Another device signs the person out everywhere.
    const elsewhere = client();
    await elsewhere.signIn({ email: owner.email, password: PASSWORD });
    await elsewhere.signOutEverywhere();
    expect(elsewhere.session).toBeNull();

    const error = await rejection(herald.request(ClientMeDocument));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
    expect(await ended).toBe('SESSION_ENDED');
    expect(herald.session).toBeNull();
    expect(await herald.getAccessToken()).toBeNull();
  });

  it('signs out: the stored token is gone and its family revoked', async () => {
    const storage = fileLikeStorage();
    const herald = client({ storage });
    const owner = await createOwner(server);
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const stored = [...storage.values.values()][0] as string;
    await herald.signOut();
    expect(herald.session).toBeNull();
    expect(storage.values.size).toBe(0);
    const family = await familyOf(stored);
    expect(family.length).toBeGreaterThan(0);
    expect(family.every((row) => row.revokedAt !== null)).toBe(true);
  });
});

describe('two clients sharing one storage, as two tabs of one origin', () => {
  it('rotate each refresh token once, whichever renews, across several lifetimes', async () => {
    const storage = fileLikeStorage();
    const storageKey = `tabs-${randomUUID()}`;
    const first = recording();
    const second = recording();
    const tabA = client({ storage, storageKey, fetch: first.fetch });
    const owner = await createOwner(server);
    await tabA.signIn({ email: owner.email, password: PASSWORD });
    const tabB = client({ storage, storageKey, fetch: second.fetch });
    await tabB.ready;
    const end = Date.now() + TTL_SECONDS * 3 * 1000 + 500;
    while (Date.now() < end) {
      const [a, b] = await Promise.all([tabA.request(ClientMeDocument), tabB.request(ClientMeDocument)]);
      expect([a.me.id, b.me.id]).toEqual([owner.userId, owner.userId]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const stored = [...storage.values.values()][0] as string;
    const family = await familyOf(stored);
    const refreshes = [...first.operations, ...second.operations].filter((name) => name === 'HeraldRefresh').length;
    // One token per rotation: the login's and one per refresh, however many tabs.
    expect(family).toHaveLength(refreshes + 1);
    expect(refreshes).toBeGreaterThanOrEqual(3);
    expect(family.filter((row) => row.revokedAt !== null)).toEqual([]);
    expect(family.filter((row) => row.rotatedAt === null).map((row) => row.id)).toHaveLength(1);
    expect(tabA.session?.expiresAt.getTime()).toBe(tabB.session?.expiresAt.getTime());
    const reuse = await server.app.db.auditEvent.count({
      where: { action: 'refresh_token.reuse_detected', actorId: owner.userId },
    });
    expect(reuse).toBe(0);

    await tabB.signOut();
    await eventually(async () => expect(tabA.session).toBeNull());
  });
});

describe('subscriptions', () => {
  it('deliver notifications live, reconnecting with a fresh token when the socket’s expires', async () => {
    const herald = client();
    const owner = await createOwner(server);
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const bot = await createMachineToken(server, { accessToken: (await herald.getAccessToken()) as string }, [
      'write:notifications',
    ]);
    const received: ClientNotificationAddedSubscription[] = [];
    const errors: unknown[] = [];
    const stop = herald.subscribe(
      ClientNotificationAddedDocument,
      {},
      {
        next: (value) => received.push(value),
        error: (error) => errors.push(error),
      },
    );
    const publish = async (title: string) =>
      ok(
        await server.gql(PublishNotificationDocument, { input: { userId: owner.userId, title } }, { token: bot.token }),
      );
    // The first push may come before the socket is open: publish until one arrives.
    await eventually(async () => {
      await publish('first');
      expect(received.length).toBeGreaterThan(0);
    }, 10_000);
    // Past the socket's token: Herald closes it with 4403 TOKEN_EXPIRED, and the client comes back.
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 500));
    await eventually(async () => {
      await publish('after expiry');
      expect(received.map((event) => event.notificationAdded.notification.title)).toContain('after expiry');
    }, 10_000);
    expect(errors).toEqual([]);
    stop();
  });

  it('end with the reason when the session ends', async () => {
    const herald = client();
    const owner = await createOwner(server);
    await herald.signIn({ email: owner.email, password: PASSWORD });
    const failed = new Promise<HeraldError>((resolve) => {
      herald.subscribe(ClientNotificationAddedDocument, {}, { next: () => {}, error: resolve });
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await herald.signOutEverywhere();
    const error = await failed;
    expect(error).toBeInstanceOf(HeraldError);
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});
