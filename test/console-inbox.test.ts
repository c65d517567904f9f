// The notification inbox in the console's header, in Debian's Chromium: <herald-inbox> bundled
// with the console, fed the console's session, running under the console's strict
// Content-Security-Policy (Trusted Types, no inline style), and live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishNotificationDocument } from './generated/graphql.ts';
import { type ConsoleBrowser, launchConsoleBrowser } from './helpers/console-browser.ts';
import { createMachineToken } from './helpers/machine.ts';
import { needing } from './helpers/requirements.ts';
import { createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the console’s inbox in a browser', 'chromium');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: ConsoleBrowser;
  beforeAll(async () => {
    browser = await launchConsoleBrowser(server);
  }, 60_000);
  afterAll(() => browser?.close());

  it('shows a notification published through the API in the header’s badge and panel', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['write:notifications']);
    const publish = async (title: string, message: string) =>
      ok(
        await server.gql(
          PublishNotificationDocument,
          { input: { userId: owner.userId, title, message } },
          { token: robot.token },
        ),
      ).publishNotification;

    await publish('Welcome', 'Your workspace is ready');
    const { context, page } = await browser.open();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await browser.signIn(page, owner, '/console/service-accounts');
    await page.getByRole('heading', { name: 'Service accounts', level: 1 }).waitFor();

    const inbox = page.locator('header herald-inbox');
    const badge = inbox.locator('.badge');
    await expect.poll(() => badge.innerText(), { timeout: 10_000 }).toBe('1');
    await expect(inbox.locator('.bell').getAttribute('aria-label')).resolves.toBe('Notifications, 1 unread');

    // Live: published while the page is open, it arrives without a reload.
    await publish('Deploy finished', 'v2.3.0 is live');
    await expect.poll(() => badge.innerText(), { timeout: 5000 }).toBe('2');
    await inbox.locator('.bell').click();
    const items = inbox.locator('li.item');
    await items.filter({ hasText: 'Deploy finished' }).waitFor();
    expect(await items.locator('.title').allInnerTexts()).toEqual([
      expect.stringContaining('Deploy finished'),
      expect.stringContaining('Welcome'),
    ]);
    await expect(items.filter({ hasText: 'Deploy finished' }).innerText()).resolves.toContain('v2.3.0 is live');

    // Its words follow the console's language.
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await expect.poll(() => inbox.locator('.bell').getAttribute('aria-label')).toMatch(/^Benachrichtigungen/);

    // The socket went to the console's own origin, with the console's session.
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(new URL(url).host).toBe(new URL(server.url).host);
    browser.expectClean();
    await context.close();
  });
});
