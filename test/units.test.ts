// Dense logic checked directly: the scope grammar, language negotiation, log redaction,
// notification links, email links, the signing instant of an access token, the shared epoch,
// the statements kept prepared.
import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { issuedAtMs } from '../src/auth/jwt.ts';
import { coversAll, grants, isScope, VALID_SCOPES } from '../src/auth/scopes.ts';
import { presentError } from '../src/http/present-errors.ts';
import { negotiateLocale } from '../src/i18n/messages.ts';
import { emailLink } from '../src/mail/links.ts';
import { isSafeLink } from '../src/notifications/link.ts';
import { loadConfig } from '../src/platform/config.ts';
import { preparesStatements, statementNames } from '../src/platform/database/prepared-statements.ts';
import { notFound } from '../src/platform/errors.ts';
import { createLogger, redactUrl } from '../src/platform/observability/logger.ts';
import { bucketOf, sharedEpoch } from '../src/platform/shared-epoch.ts';

describe('scopes', () => {
  it.each([
    [['write:*'], 'write:members', true],
    [['write:*'], 'read:audit', true],
    [['read:*'], 'read:tokens', true],
    [['read:*'], 'write:tokens', false],
    [['write:work_items'], 'read:work_items', true],
    [['write:work_items'], 'write:members', false],
    [['read:work_items'], 'write:work_items', false],
    [['read:members'], 'read:*', false],
    [['write:members'], 'write:*', false],
    [['read:*', 'write:work_items'], 'write:work_items', true],
    [[], 'read:organization', false],
  ] as const)('%j grants %s: %s', (granted, required, expected) => {
    expect(grants(granted, required)).toBe(expected);
  });

  it('knows exactly the grammar of the design', () => {
    // Ten modules (the operators' products and subscriptions among them) and `*`, read and write.
    expect(VALID_SCOPES).toHaveLength(22);
    expect(isScope('write:notifications')).toBe(true);
    expect(isScope('write:subscriptions')).toBe(true);
    expect(isScope('admin:*')).toBe(false);
    expect(isScope('read:everything')).toBe(false);
  });

  it('coversAll refuses any scope beyond the holder', () => {
    expect(coversAll(['read:*', 'write:work_items'], ['read:members', 'write:work_items'])).toBe(true);
    expect(coversAll(['read:*', 'write:work_items'], ['write:members'])).toBe(false);
  });
});

describe('Accept-Language', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['fr, cs;q=0.5, en;q=0.4', 'cs'],
    ['en;q=0, de;q=0.1', 'de'],
    ['*', undefined],
    ['', undefined],
    ['ja', undefined],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe('log redaction', () => {
  it.each([
    ['/graphql?token=eyJabc.def.ghi', '/graphql?token=[REDACTED]'],
    ['/graphql?locale=cs&token=abc&x=1', '/graphql?locale=cs&token=[REDACTED]&x=1'],
    ['/graphql?access_token=abc', '/graphql?access_token=[REDACTED]'],
    ['/graphql?tokens=2', '/graphql?tokens=2'],
    // Refused there, but a client that sends it must not get it written to the log.
    ['/oauth/token?client_secret=hldcs_abc', '/oauth/token?client_secret=[REDACTED]'],
    ['/graphql?query=mutation%20%7B%20x(token%3A%20%22s%22)%20%7D&x=1', '/graphql?query=[REDACTED]&x=1'],
    ['/graphql?variables=%7B%7D&queryPlan=1', '/graphql?variables=[REDACTED]&queryPlan=1'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('error presentation', () => {
  const logged: unknown[] = [];
  const logger = createLogger('error');
  logger.error = ((entry: unknown) => logged.push(entry)) as typeof logger.error;

  it('masks an unexpected error as INTERNAL with the request id, logging the details', () => {
    const raw = new GraphQLError('boom', { originalError: new Error('secret connection string in here') });
    const shown = presentError(raw, 'de', 'req-1', logger);
    expect(shown.message).toBe('Bei uns ist ein Fehler aufgetreten (Referenz req-1).');
    expect(shown.extensions).toEqual({ code: 'INTERNAL', requestId: 'req-1' });
    expect(JSON.stringify(logged)).toContain('req-1');
  });

  it('reports an unreachable database as UNAVAILABLE', () => {
    const raw = new GraphQLError('x', { originalError: new Error('connect ECONNREFUSED 127.0.0.1:5432') });
    expect(presentError(raw, 'en', 'r', logger).extensions.code).toBe('UNAVAILABLE');
  });

  it('translates an application error', () => {
    const shown = presentError(new GraphQLError('x', { originalError: notFound('Organization') }), 'cs', 'r', logger);
    expect(shown.message).toBe('Položka Organization nebyla nalezena.');
    expect(shown.extensions.code).toBe('NOT_FOUND');
  });
});

describe('issuedAtMs', () => {
  // 2025-11-25T10:00:00.123Z is 0x019ABA74AD7B ms; a UUIDv7 starts with those 48 bits.
  const ms = 1_764_064_800_123;
  const iat = Math.floor(ms / 1000);
  const v7 = `${ms
    .toString(16)
    .padStart(12, '0')
    .replace(/^(.{8})(.{4})$/, '$1-$2')}-7abc-8def-0123456789ab`;

  it.each([
    ['a UUIDv7 of the same second: its millisecond', v7, iat, ms],
    ['a UUIDv4: the start of the iat second', '0b0e7a2c-1d2e-4f30-8a1b-2c3d4e5f6a7b', iat, iat * 1000],
    ['a UUIDv7 of another second: the start of the iat second', v7, iat + 5, (iat + 5) * 1000],
    ['no UUID at all: the start of the iat second', 'not-a-uuid', iat, iat * 1000],
  ])('%s', (_name, jti, claimIat, expected) => {
    expect(issuedAtMs({ jti, iat: claimIat })).toBe(expected);
  });
});

describe('notification links', () => {
  it.each([
    ['/issues/456?tab=1#c2', true],
    // Percent-encoded, a backslash or a slash is part of the path, not a new host.
    ['/%5Cevil.example', true],
    ['/%2F%2Fevil.example', true],
    // Resolves to the path //evil.example on the product's own host.
    ['/..//evil.example', true],
    ['https://[::1]:8443/x', true],
    ['http:/evil.example', false],
    ['https:///evil.example', false],
    ['javascript://%0Aalert(1)', false],
    ['https://example.com:99999/', false],
    ['https://:secret@example.com/', false],
    ['/issues/\u200b456', false],
    ['/issues/\u00a0456', false],
    ['/issues/\u2028456', false],
    ['/issues/456\u0085', false],
    ['\u00a0/issues/456', false],
  ])('%j: %s', (url, expected) => {
    expect(isSafeLink(url)).toBe(expected);
  });
});

describe('email links', () => {
  it('put the token, URL-encoded, wherever the template says', () => {
    const config = loadConfig({ INVITATION_URL: 'https://app.example.com/i/{token}?again={token}' });
    expect(emailLink(config, 'invitation', 'a b/+?&=#')).toBe(
      'https://app.example.com/i/a%20b%2F%2B%3F%26%3D%23?again=a%20b%2F%2B%3F%26%3D%23',
    );
  });

  it('lead to Herald’s own pages at PUBLIC_URL when no template is set', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://herald.example.com/', PORT: '9999' });
    expect(emailLink(config, 'invitation', 'abc')).toBe('https://herald.example.com/accept-invitation?token=abc');
    expect(emailLink(config, 'passwordReset', 'a&b')).toBe('https://herald.example.com/reset-password?token=a%26b');
  });
});

describe('shared epoch', () => {
  /** A Redis whose MGETs answer only when the test says, with the values at the time they were sent. */
  function manualRedis() {
    const values = new Map<string, number>();
    const pending: (() => void)[] = [];
    const asked: string[][] = [];
    let refuseIncr = false;
    return {
      sent: () => pending.length,
      asked,
      answerNext: () => pending.shift()?.(),
      refuseIncr: (refuse: boolean) => {
        refuseIncr = refuse;
      },
      redis: {
        mget: (keys: string[]) => {
          asked.push(keys);
          const seen = keys.map((key) => String(values.get(key) ?? 0));
          return new Promise<string[]>((resolve) => pending.push(() => resolve(seen)));
        },
        incr: async (key: string) => {
          if (refuseIncr) throw new Error('refused');
          values.set(key, (values.get(key) ?? 0) + 1);
          return values.get(key);
        },
      },
    };
  }
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  /** Two ids in different buckets. */
  const [alice, bob] = (() => {
    for (let i = 1; ; i++) if (bucketOf(`user-${i}`) !== bucketOf('user-0')) return ['user-0', `user-${i}`];
  })();

  it('never answers a read with an MGET sent before the read began, and shares one MGET among the reads that wait', async () => {
    const fake = manualRedis();
    const epoch = sharedEpoch({ redis: fake.redis as never, key: 'k' });
    const early = epoch.read(alice);
    await epoch.bump([alice], () => {}, alice);
    // These arrive after the bump, while the first MGET (sent before it) is still out.
    const late = [epoch.read(alice), epoch.read(alice), epoch.read(bob)];
    expect(fake.sent()).toBe(1);
    fake.answerNext();
    expect(await early).toBe('0:0');
    await flush();
    expect(fake.sent()).toBe(1);
    // One MGET for both buckets asked for meanwhile.
    expect(fake.asked.at(-1)).toHaveLength(2);
    fake.answerNext();
    expect(await Promise.all(late)).toEqual(['0:1', '0:1', '0:0']);
    // Nothing in flight: the next read sends its own MGET.
    const next = epoch.read(bob);
    expect(fake.sent()).toBe(1);
    fake.answerNext();
    expect(await next).toBe('0:0');
  });

  it('keeps one tenant’s bumps to its own bucket', async () => {
    const fake = manualRedis();
    const epoch = sharedEpoch({ redis: fake.redis as never, key: 'k' });
    const read = async (id: string) => {
      const answer = epoch.read(id);
      fake.answerNext();
      return answer;
    };
    const [a, b] = [await read(alice), await read(bob)];
    for (let i = 0; i < 100; i++) await epoch.bump([alice], () => {}, alice);
    expect(await read(alice)).not.toBe(a);
    expect(await read(bob)).toBe(b);
  });

  it('answers undefined when Redis cannot be read, and distrusts every epoch it answered before', async () => {
    let down = false;
    const epoch = sharedEpoch({
      redis: {
        mget: async (keys: string[]) => {
          if (down) throw new Error('down');
          return keys.map(() => '7');
        },
        incr: async () => 1,
      } as never,
      key: 'k',
    });
    const before = await epoch.read(bob);
    down = true;
    expect(await epoch.read(alice)).toBeUndefined();
    down = false;
    // Nothing was bumped, but this instance may have missed a bump while it could not look.
    expect(await epoch.read(bob)).not.toBe(before);
  });

  it('announces a change whatever Redis does with the bump, retries the bump, and announces again once taken', async () => {
    const fake = manualRedis();
    const failures: unknown[] = [];
    const epoch = sharedEpoch({ redis: fake.redis as never, key: 'k', onBumpFailed: (e) => failures.push(e) });
    const read = async (id: string) => {
      const answer = epoch.read(id);
      fake.answerNext();
      return answer;
    };
    const before = await read(bob);
    let announced = 0;
    fake.refuseIncr(true);
    await epoch.bump([alice], () => announced++, alice);
    expect(announced).toBe(1);
    expect(failures).toHaveLength(1);
    // This instance's own cache is distrusted until the bump is taken.
    expect(await read(bob)).not.toBe(before);
    fake.refuseIncr(false);
    await vi.waitFor(() => expect(announced).toBe(2), { timeout: 5000 });
    expect(await read(alice)).toMatch(/:1$/);
    epoch.close();
  });
});

describe('prepared statement names', () => {
  it('names a statement from its third run on, the same name each time, one per text', () => {
    const name = statementNames({ max: 10, after: 3 });
    expect([name('SELECT 1'), name('SELECT 1')]).toEqual([undefined, undefined]);
    const first = name('SELECT 1');
    expect(first).toMatch(/^herald_\d+$/);
    expect(name('SELECT 1')).toBe(first);
    for (let i = 0; i < 3; i++) name('SELECT 2');
    expect(name('SELECT 2')).not.toBe(first);
    expect(name('SELECT 2')).toMatch(/^herald_\d+$/);
  });

  it('stops naming at its limit, and keeps the names it gave', () => {
    const name = statementNames({ max: 2, after: 1 });
    const given = ['a', 'b'].map((sql) => name(sql));
    expect(name('c')).toBeUndefined();
    expect(name('c')).toBeUndefined();
    expect(['a', 'b'].map((sql) => name(sql))).toEqual(given);
  });

  it('forgets candidates at its bound rather than counting every text it ever saw', () => {
    const name = statementNames({ max: 10, after: 2, candidates: 3 });
    name('x');
    for (const sql of ['p', 'q', 'r']) name(sql);
    // 'x' was forgotten with the others when the fourth candidate came.
    expect(name('x')).toBeUndefined();
    expect(name('x')).toMatch(/^herald_/);
  });

  it('keeps none behind a pooler in transaction mode', () => {
    expect(preparesStatements('postgresql://db.example/herald')).toBe(true);
    expect(preparesStatements('postgresql://db.example/herald?pgbouncer=true&sslmode=require')).toBe(false);
  });
});
