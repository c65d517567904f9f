import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 4000,
      DATA_DIR: './.data',
      ACCESS_TOKEN_TTL: 3600,
      REFRESH_TOKEN_TTL: 2592000,
      JWT_ISSUER: 'herald',
      LOG_LEVEL: 'info',
      publicUrl: 'http://127.0.0.1:4000',
      links: {
        invitation: 'http://127.0.0.1:4000/accept-invitation?token={token}',
        passwordReset: 'http://127.0.0.1:4000/reset-password?token={token}',
      },
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'not a url'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['ACCESS_TOKEN_TTL', '1.5'],
    ['SLA_SWEEP_INTERVAL_MS', 'often'],
    ['SMTP_URL', 'http://mail'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'maybe'],
    ['MAX_SUBSCRIPTIONS', '0'],
    ['INVITATION_URL', 'https://app.example/invite'],
    ['INVITATION_URL', 'javascript:alert("{token}")'],
    ['PASSWORD_RESET_URL', '/reset?token={token}'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(4000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ JWT_PRIVATE_KEY: 'not a key' }, 'JWT_PRIVATE_KEY'],
  ])('the server refuses to start on a bad value, naming it (%o)', async (env, name) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'herald-config-'));
    try {
      const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts'], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(name);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
