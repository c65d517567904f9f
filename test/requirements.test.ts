// The skip helper: a test that needs a missing service is skipped on a developer's machine,
// and fails its file where the run says it must have that service, or in CI when the run
// says nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { needing, requiredServices } from './helpers/requirements.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** An environment with PostgreSQL configured and Redis not. */
function environment(variables: { CI?: string; HERALD_TEST_REQUIRE?: string }) {
  vi.stubEnv('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/postgres');
  vi.stubEnv('REDIS_URL', undefined);
  vi.stubEnv('CI', variables.CI);
  vi.stubEnv('HERALD_TEST_REQUIRE', variables.HERALD_TEST_REQUIRE);
  return vi.spyOn(console, 'warn').mockImplementation(() => undefined);
}

describe('needing', () => {
  it('runs a test whose services are there', () => {
    environment({ CI: 'true', HERALD_TEST_REQUIRE: 'postgres,redis' });
    expect(needing('outage', 'postgres')).toEqual({ skip: false, title: 'outage (needs PostgreSQL)' });
    expect(needing('outage', 'DATABASE_URL').skip).toBe(false);
  });

  it('skips with a warning naming the test and what is missing when nothing requires it', () => {
    const warn = environment({});
    expect(needing('fan-out', 'DATABASE_URL', 'REDIS_URL')).toEqual({
      skip: true,
      title: 'fan-out (needs PostgreSQL and Redis)',
    });
    expect(warn).toHaveBeenCalledWith('skipped: fan-out (needs PostgreSQL and Redis): missing Redis (set REDIS_URL)');
  });

  it.each([
    [
      'the run requires the missing service',
      { HERALD_TEST_REQUIRE: 'postgres,redis' },
      /HERALD_TEST_REQUIRE requires it: Redis/,
    ],
    [
      'the run requires it, in CI',
      { CI: 'true', HERALD_TEST_REQUIRE: 'redis' },
      /requires it: Redis \(set REDIS_URL\)/,
    ],
    ['CI runs without saying what it must have', { CI: 'true' }, /would be skipped in CI/],
  ])('fails when %s', (_case, variables, message) => {
    const warn = environment(variables);
    expect(() => needing('fan-out', 'redis')).toThrow(message);
    expect(warn).not.toHaveBeenCalled();
  });

  it('skips in CI what the run declares it may do without', () => {
    environment({ CI: 'true', HERALD_TEST_REQUIRE: 'chromium' });
    expect(needing('fan-out', 'redis').skip).toBe(true);
    environment({ CI: 'true', HERALD_TEST_REQUIRE: 'none' });
    expect(needing('fan-out', 'redis').skip).toBe(true);
  });
});

describe('HERALD_TEST_REQUIRE', () => {
  it.each([
    [undefined, null],
    ['', []],
    ['none', []],
    ['postgres, redis,chromium', ['postgres', 'redis', 'chromium']],
  ])('%j names %j', (value, services) => {
    const parsed = requiredServices(value);
    expect(parsed === null ? null : [...parsed]).toEqual(services);
  });

  it('refuses an unknown name, listing the valid ones', () => {
    expect(() => requiredServices('postgres,mysql')).toThrow(
      'HERALD_TEST_REQUIRE names mysql; valid names: postgres, redis, chromium, none',
    );
  });
});
