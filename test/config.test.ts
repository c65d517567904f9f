import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/platform/config.ts';
import { dataDirectory } from './helpers/process.ts';

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
    });
    expect(config.INVITATION_URL).toBeUndefined();
    expect(config.PASSWORD_RESET_URL).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    // Tokens of the client credentials grant live as long as other access tokens unless set.
    expect(config.OAUTH_ACCESS_TOKEN_TTL).toBeUndefined();
    expect(loadConfig({ OAUTH_ACCESS_TOKEN_TTL: '300' }).OAUTH_ACCESS_TOKEN_TTL).toBe(300);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'not a url'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['ACCESS_TOKEN_TTL', '1.5'],
    ['OAUTH_ACCESS_TOKEN_TTL', '0'],
    ['OAUTH_ACCESS_TOKEN_TTL', 'an hour'],
    ['SLA_SWEEP_INTERVAL_MS', 'often'],
    ['SMTP_URL', 'http://mail'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'maybe'],
    ['MAX_SUBSCRIPTIONS', '0'],
    ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'sometimes'],
    ['WEBHOOK_TIMEOUT_MS', '50'],
    ['WEBHOOK_DISABLE_AFTER_HOURS', '0'],
    ['WEBHOOK_DELIVERY_INTERVAL_MS', '-1'],
    ['INVITATION_URL', 'https://app.example.com/invite'],
    ['INVITATION_URL', 'https://app.example.com/invite?token=TOKEN'],
    ['INVITATION_URL', 'javascript:alert("{token}")'],
    ['INVITATION_URL', 'ftp://app.example.com/{token}'],
    ['PASSWORD_RESET_URL', '/reset?token={token}'],
    ['PASSWORD_RESET_URL', 'app.example.com/reset?token={token}'],
    ['PASSWORD_RESET_URL', 'https://app.example.com/re set?token={token}'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('takes the email link templates of the product’s frontend', () => {
    const config = loadConfig({
      INVITATION_URL: 'https://app.example.com/invite?token={token}',
      PASSWORD_RESET_URL: ' https://app.example.com/#/reset/{token} ',
    });
    expect(config.INVITATION_URL).toBe('https://app.example.com/invite?token={token}');
    expect(config.PASSWORD_RESET_URL).toBe('https://app.example.com/#/reset/{token}');
  });

  it('reads CORS_ORIGINS as the origins browsers send', () => {
    const config = loadConfig({
      CORS_ORIGINS: ' https://App.example.com , http://localhost:3000/,https://a.example:443',
    });
    expect(config.CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:3000', 'https://a.example']);
  });

  it.each(['*', 'null', 'https://app.example.com/path', 'app.example.com', 'https://app.example.com?', 'file:///x'])(
    'refuses CORS_ORIGINS=%s, naming the variable and the entry',
    (value) => {
      expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example,${value}` })).toThrow(
        /CORS_ORIGINS.*is not an origin/,
      );
    },
  );

  it.each([
    [{ HOST: '0.0.0.0', PORT: '8080' }, 'http://localhost:8080'],
    [{ HOST: '::1' }, 'http://[::1]:4000'],
    [{ PUBLIC_URL: 'https://herald.example.com' }, 'https://herald.example.com'],
  ])('reaches itself at the public URL (%o)', (env, publicUrl) => {
    expect(loadConfig(env).publicUrl).toBe(publicUrl);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(4000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ JWT_PRIVATE_KEY: 'not a key' }, 'JWT_PRIVATE_KEY'],
    [{ INVITATION_URL: 'https://app.example.com/invite' }, 'INVITATION_URL'],
  ])(
    'the server refuses to start on a bad value, naming it (%o)',
    async (env, name) => {
      // The ready-made embedded database: a fresh one takes most of the time limit on a busy machine.
      const { dir: dataDir, remove } = await dataDirectory();
      try {
        const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts'], {
          env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(name);
      } finally {
        await remove();
      }
      // As long as the child may take (a start on a loaded machine can pass 30 s).
    },
    70_000,
  );
});
