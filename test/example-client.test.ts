// The example client as a person runs it: signed in and waiting, or one line saying why not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closedPort, run } from './helpers/process.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Account;
beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server, { name: 'Ada' });
});
afterAll(() => server?.close());

const example = 'examples/live-notifications.ts';

it('signs in and waits for notifications', async () => {
  const result = await run(
    example,
    { HERALD_URL: server.url, HERALD_EMAIL: owner.email, HERALD_PASSWORD: owner.password },
    { until: /Waiting for notifications/ },
  );
  expect(result.stdout).toMatch(/^Signed in as Ada in Org .+\.\n0 unread\. Waiting for notifications/);
  expect(result.stderr).toBe('');
});

it.each([
  [
    'a wrong password',
    async () => ({ HERALD_URL: server.url, HERALD_EMAIL: owner.email, HERALD_PASSWORD: 'not the password' }),
    /^Sign-in failed: Invalid email or password\. \(UNAUTHENTICATED\) Check HERALD_EMAIL and HERALD_PASSWORD\.$/,
  ],
  [
    'a stopped server',
    async () => ({
      HERALD_URL: `http://127.0.0.1:${await closedPort()}`,
      HERALD_EMAIL: owner.email,
      HERALD_PASSWORD: owner.password,
    }),
    /^Cannot reach Herald at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with `npm start`, or set HERALD_URL to where it runs\.$/,
  ],
])('ends with one line on %s', async (_case, env, message) => {
  const result = await run(example, await env());
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
});
