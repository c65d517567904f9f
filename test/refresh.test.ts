// Refresh token rotation: reuse detection, the grace window for concurrent tabs, and the
// checks refresh repeats (user enabled, still a member, role's current scopes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeDocument, RefreshDocument } from './generated/graphql.ts';
import { createOwner, MEMBER_SCOPES } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { REFRESH_REUSE_GRACE: '1' } });
});
afterAll(() => server?.close());

const refresh = (refreshToken: string) => server.gql(RefreshDocument, { input: { refreshToken } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refresh token reuse', () => {
  it('after the grace window revokes the whole family and is audited', async () => {
    const owner = await createOwner(server);
    const rotated = ok(await refresh(owner.refreshToken)).refresh;
    await sleep(1200);

    // SESSION_ENDED: a new token will not help, the person signs in again.
    const ended = { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' };
    expect(failure(await refresh(owner.refreshToken)).extensions).toMatchObject(ended);
    // The thief may hold either token; the legitimate successor dies with the family.
    expect(failure(await refresh(rotated.refreshToken)).extensions).toMatchObject(ended);

    const events = await server.app.db.auditEvent.findMany({
      where: { organizationId: owner.organizationId, action: 'refresh_token.reuse_detected' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: 'USER', actorId: owner.userId });
  });

  it('inside the grace window answers a working pair in the same family', async () => {
    const owner = await createOwner(server);
    const first = ok(await refresh(owner.refreshToken)).refresh;
    const second = ok(await refresh(owner.refreshToken)).refresh;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    ok(await server.gql(MeDocument, {}, { token: second.accessToken }));
    ok(await refresh(first.refreshToken));
    ok(await refresh(second.refreshToken));
  });

  it('concurrent refreshes with one token all succeed and leave the family alive', async () => {
    const owner = await createOwner(server);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(owner.refreshToken)));
    const pairs = results.map((result) => ok(result).refresh);
    expect(new Set(pairs.map((p) => p.refreshToken)).size).toBe(5);
    for (const pair of pairs) ok(await refresh(pair.refreshToken));
  });

  it('an unknown or garbage token is refused', async () => {
    expect(failure(await refresh('garbage')).extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'INVALID_CREDENTIAL',
    });
  });
});

describe('refresh re-checks', () => {
  it('recomputes scopes from the current role', async () => {
    const owner = await createOwner(server);
    await server.app.db.membership.update({
      where: { userId_organizationId: { userId: owner.userId, organizationId: owner.organizationId } },
      data: { role: 'MEMBER' },
    });
    const { refresh: pair } = ok(await refresh(owner.refreshToken));
    expect(pair.scopes).toEqual(MEMBER_SCOPES);
  });

  it('refuses a user who is no longer a member, and one who is disabled', async () => {
    const removed = await createOwner(server);
    await server.app.db.membership.deleteMany({ where: { userId: removed.userId } });
    const ended = { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' };
    expect(failure(await refresh(removed.refreshToken)).extensions).toMatchObject(ended);

    const disabled = await createOwner(server);
    await server.app.db.user.update({ where: { id: disabled.userId }, data: { disabledAt: new Date() } });
    expect(failure(await refresh(disabled.refreshToken)).extensions).toMatchObject(ended);
  });

  it('refuses an expired refresh token', async () => {
    const short = await startServer({ env: { REFRESH_TOKEN_TTL: '1' } });
    try {
      const owner = await createOwner(short);
      await sleep(1100);
      const error = failure(await short.gql(RefreshDocument, { input: { refreshToken: owner.refreshToken } }));
      expect(error).toMatchObject({
        message: 'The refresh token is invalid or has expired.',
        extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' },
      });
    } finally {
      await short.close();
    }
  });
});
