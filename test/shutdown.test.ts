// The real entry point: SIGTERM closes live sockets with 1001 and exits cleanly, and the
// token a socket connected with never reaches the log.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connect, within } from './helpers/live.ts';
import { PASSWORD, uniqueEmail } from './helpers/seed.ts';

let child: ChildProcess | undefined;
let dataDir = '';
afterAll(async () => {
  child?.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('SIGTERM closes sockets with 1001, exits 0, and never logs the socket token', async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'herald-main-'));
  // The embedded database whatever the suite runs on: this is about the process, not the data.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  const env = { ...inherited, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', SLA_SWEEP_INTERVAL_MS: '0' };
  const server = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/main.ts'], { env });
  child = server;
  let log = '';
  server.stdout.on('data', (chunk) => {
    log += chunk;
  });
  server.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  const port = await within(
    new Promise<number>((resolve) => {
      server.stdout.on('data', () => {
        const match = /"port":(\d+)/.exec(log);
        if (match) resolve(Number(match[1]));
      });
    }),
    60_000,
    'the server to listen',
  );

  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
      variables: { input: { email: uniqueEmail(), password: PASSWORD, name: 'Sig', organizationName: 'Term' } },
    }),
  });
  const { data } = (await response.json()) as { data: { register: { accessToken: string } } };
  const token = data.register.accessToken;
  const connection = connect(`ws://127.0.0.1:${port}/graphql?token=${token}`);
  await within(connection.connected, 5000, 'the connection');

  server.kill('SIGTERM');
  expect((await within(connection.closed, 10_000, 'the socket to close')).code).toBe(1001);
  expect(await within(exited, 20_000, 'the process to exit')).toBe(0);
  expect(log).toContain('draining');
  expect(log).toContain('token=[REDACTED]');
  expect(log).not.toContain(token);
  // The waits above budget their own steps (a first start creates the embedded database and
  // applies migrations, slow on a loaded machine); the test as a whole allows their sum.
}, 100_000);
