// <herald-inbox> refused a socket: with one socket allowed per user, a second tab's socket is
// closed with 4429 and a retryAfter; the element waits that long (graphql-ws would give up),
// connects once the first tab is gone, and catches up on what was sent meanwhile.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_RETRY_AFTER_SECONDS } from '../src/http/socket-caps.ts';
import { LoginDocument, PublishNotificationDocument } from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { chromiumPath, needing } from './helpers/requirements.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the inbox element refused a socket, in Chromium', 'chromium');

let server: TestServer;
let site: Server;
let siteUrl: string;
let account: Account;

beforeAll(async () => {
  server = await startServer({ env: { WS_MAX_SOCKETS_PER_USER: '1', SLA_SWEEP_INTERVAL_MS: '0' } });
  account = await createOwner(server);
  site = createServer(async (req, res) => {
    if (req.url === '/token') {
      const { login } = ok(
        await server.gql(LoginDocument, { input: { email: account.email, password: account.password } }),
      );
      res.end(login.__typename === 'AuthPayload' ? login.accessToken : '');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><body>
<herald-inbox url="${server.url}"></herald-inbox>
<script type="module">
  import '${server.url}/inbox.js';
  document.querySelector('herald-inbox').getToken = async () => (await fetch('/token')).text();
</script></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve));
  await server?.close();
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox'] });
  });
  afterAll(() => browser?.close());

  it(
    'waits out a 4429 for its retryAfter, then connects and catches up',
    async () => {
      const robot = await createMachineToken(server, account, ['write:notifications']);
      const publish = async (title: string) =>
        ok(
          await server.gql(
            PublishNotificationDocument,
            { input: { userId: account.userId, title } },
            { token: robot.token },
          ),
        );
      const context = await browser.newContext();
      const closes: { at: number; code?: number }[] = [];
      const first = await context.newPage();
      await first.goto(siteUrl);
      const badge = (tab: Page) => tab.locator('herald-inbox').locator('.badge');
      await publish('Before');
      await expect.poll(() => badge(first).innerText(), { timeout: 10_000 }).toBe('1');

      const second = await context.newPage();
      second.on('websocket', (socket) => {
        socket.on('close', () => closes.push({ at: Date.now() }));
      });
      await second.goto(siteUrl);
      await expect.poll(() => closes.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const refusedAt = closes[0]?.at as number;
      await first.close();
      await publish('While refused');
      await expect
        .poll(() => badge(second).innerText(), { timeout: (SOCKET_RETRY_AFTER_SECONDS + 15) * 1000, interval: 500 })
        .toBe('2');
      // The second tab's badge moved once its socket was let in, not before the retryAfter.
      expect(Date.now() - refusedAt).toBeGreaterThanOrEqual((SOCKET_RETRY_AFTER_SECONDS - 1) * 1000);
      // Only one retry: it waited rather than hammering the cap.
      expect(closes.length).toBe(1);
      await publish('Live again');
      await expect.poll(() => badge(second).innerText(), { timeout: 5000 }).toBe('3');
      await context.close();
    },
    (SOCKET_RETRY_AFTER_SECONDS + 40) * 1000,
  );
});
