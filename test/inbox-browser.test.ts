// <herald-inbox> as a person meets it: a product page on another origin loads Herald's
// /inbox.js, hands the element tokens through getToken, and is used in two tabs of Debian's
// Chromium, with the mouse and with the keyboard, through a token's expiry and a dropped network.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument, PublishNotificationDocument } from './generated/graphql.ts';
import { createMachineToken, type MachineToken } from './helpers/machine.ts';
import { chromiumPath, needing } from './helpers/requirements.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { startProxy } from './helpers/tcp-proxy.ts';

const inBrowser = needing('the inbox element in Chromium', 'chromium');
const TTL_SECONDS = 6;

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let site: Server;
let siteUrl: string;
/** Whose tokens the page's /token hands out. */
let account: Account;
/** Every access token the page was given. */
const issued: string[] = [];

/** The page a product would write: the element, and getToken asking the product's own backend. */
const page = (herald: string, attributes = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Product</title>
<style>body{font-family:sans-serif;margin:0;padding:16px;display:flex;justify-content:flex-end;height:600px}</style></head>
<body>
<herald-inbox id="inbox" url="${herald}" ${attributes}></herald-inbox>
<script type="module">
  import '${herald}/inbox.js';
  const inbox = document.querySelector('#inbox');
  window.events = [];
  window.tokenCalls = 0;
  for (const type of ['herald-notification', 'herald-read', 'herald-error']) {
    inbox.addEventListener(type, (event) => {
      const { error, ...detail } = event.detail;
      window.events.push({ type, detail });
    });
  }
  inbox.getToken = async () => {
    window.tokenCalls++;
    const response = await fetch('/token');
    return response.ok ? response.text() : null;
  };
</script>
</body></html>`;

beforeAll(async () => {
  server = await startServer({ env: { ACCESS_TOKEN_TTL: String(TTL_SECONDS), SLA_SWEEP_INTERVAL_MS: '0' } });
  const { port, hostname } = new URL(server.url);
  proxy = await startProxy({ host: hostname, port: Number(port) });
  const herald = `http://127.0.0.1:${proxy.port}`;
  site = createServer(async (req, res) => {
    if (req.url === '/token') {
      const { login } = ok(
        await server.gql(LoginDocument, { input: { email: account.email, password: account.password } }),
      );
      if (login.__typename !== 'AuthPayload') throw new Error('expected tokens');
      issued.push(login.accessToken);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(login.accessToken);
      return;
    }
    const lang = new URL(req.url ?? '/', 'http://site').searchParams.get('lang');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(herald, lang ? `lang="${lang}"` : ''));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  // Another origin than Herald's.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve));
  proxy?.close();
  await server?.close();
});

describe('/inbox.js', () => {
  it('is served as one module any origin may load, within its size budget', async () => {
    const response = await fetch(`${server.url}/inbox.js`, { headers: { origin: 'http://localhost:1234' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.toString()).toContain('herald-inbox');
    // One file: no chunk to import.
    expect(body.toString()).not.toMatch(/import\(["']\.\//);
    expect(gunzipSync(gzipSync(body, { level: 9 })).length).toBe(body.length);
    expect(gzipSync(body, { level: 9 }).length).toBeLessThanOrEqual(25 * 1024);
  });
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: Browser;
  let context: BrowserContext;
  let tabA: Page;
  let tabB: Page;
  let robot: MachineToken;
  /** Every URL the pages requested, WebSockets included. */
  const urls: string[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'en-US' });
    context.on('request', (request) => urls.push(request.url()));
    context.on('console', (message) => consoleLines.push(message.text()));
    account = await createOwner(server);
    robot = await createMachineToken(server, account, ['write:notifications']);
    tabA = await context.newPage();
    tabB = await context.newPage();
    for (const tab of [tabA, tabB]) tab.on('websocket', (socket) => urls.push(socket.url()));
  }, 60_000);
  afterAll(() => browser?.close());

  const publish = async (title: string, extra: { message?: string; url?: string } = {}) =>
    ok(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId: account.userId, title, ...extra } },
        { token: robot.token },
      ),
    ).publishNotification;
  const inbox = (tab: Page) => tab.locator('herald-inbox');
  const badge = (tab: Page) => inbox(tab).locator('.badge');
  const items = (tab: Page) => inbox(tab).locator('li.item');
  const item = (tab: Page, title: string) => items(tab).filter({ hasText: title });
  const events = (tab: Page) =>
    tab.evaluate(() => (window as unknown as { events: { type: string; detail: Record<string, unknown> }[] }).events);
  const announced = async (tab: Page) =>
    (await events(tab))
      .filter((event) => event.type === 'herald-notification')
      .map((event) => (event.detail.notification as { id: string }).id);

  it('shows the unread count, and a notification created through the API within a second', async () => {
    await publish('Welcome', { message: 'Your workspace is ready', url: '/welcome' });
    await tabA.goto(siteUrl);
    await expect.poll(() => badge(tabA).innerText(), { timeout: 10_000 }).toBe('1');
    await expect(inbox(tabA).locator('.bell').getAttribute('aria-label')).resolves.toBe('Notifications, 1 unread');
    await inbox(tabA).locator('.bell').click();
    await item(tabA, 'Welcome').waitFor();
    const created = await publish('Deploy finished', { message: 'v2.3.0 is live' });
    await item(tabA, 'Deploy finished').waitFor({ timeout: 1000 });
    await expect.poll(() => badge(tabA).innerText(), { timeout: 1000 }).toBe('2');
    expect(await item(tabA, 'Deploy finished').locator('time').innerText()).toMatch(/now|second/);
    // Newest first; the pushed one announced to the page once.
    expect(await items(tabA).locator('.title').allInnerTexts()).toEqual([
      expect.stringContaining('Deploy finished'),
      expect.stringContaining('Welcome'),
    ]);
    expect((await announced(tabA)).filter((id) => id === created.id)).toHaveLength(1);
  });

  it('follows only safe links: a path and https, never javascript:', async () => {
    // Herald refuses to store an unsafe link; the element checks again before rendering one.
    const hrefs = await item(tabA, 'Welcome')
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['/welcome']);
    expect(await item(tabA, 'Deploy finished').locator('a').count()).toBe(0);
  });

  it('marks read in one tab, and the other tab’s badge and item follow', async () => {
    await tabB.goto(siteUrl);
    await expect.poll(() => badge(tabB).innerText(), { timeout: 10_000 }).toBe('2');
    await inbox(tabB).locator('.bell').click();
    await item(tabB, 'Deploy finished').waitFor();
    await item(tabA, 'Deploy finished')
      .getByRole('button', { name: /^Mark as read/ })
      .click();
    await expect.poll(() => badge(tabB).innerText(), { timeout: 5000 }).toBe('1');
    await expect.poll(() => item(tabB, 'Deploy finished').getAttribute('class'), { timeout: 5000 }).toBe('item');
    expect((await events(tabA)).some((event) => event.type === 'herald-read')).toBe(true);
    // Unread again, from tab B.
    await item(tabB, 'Deploy finished')
      .getByRole('button', { name: /^Mark as unread/ })
      .click();
    await expect.poll(() => badge(tabA).innerText(), { timeout: 5000 }).toBe('2');
  });

  it('archives into the Archived tab and back', async () => {
    await item(tabA, 'Welcome')
      .getByRole('button', { name: /^Archive/ })
      .click();
    await expect.poll(() => item(tabA, 'Welcome').count()).toBe(0);
    await expect.poll(() => item(tabB, 'Welcome').count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => badge(tabA).innerText()).toBe('1');
    await inbox(tabA).getByRole('tab', { name: 'Archived' }).click();
    await item(tabA, 'Welcome').waitFor();
    await item(tabA, 'Welcome')
      .getByRole('button', { name: /^Move to inbox/ })
      .click();
    await expect.poll(() => item(tabA, 'Welcome').count()).toBe(0);
    await inbox(tabA).getByRole('tab', { name: 'Inbox' }).click();
    await item(tabA, 'Welcome').waitFor();
    await expect.poll(() => badge(tabB).innerText(), { timeout: 5000 }).toBe('2');
  });

  it('renews a token that expires mid-session through getToken, and loses nothing', async () => {
    const calls = () => tabA.evaluate(() => (window as unknown as { tokenCalls: number }).tokenCalls);
    const before = await calls();
    // Past the token's expiry: Herald closes the socket with 4403, the element asks for another.
    await tabA.waitForTimeout(TTL_SECONDS * 1000 + 1000);
    await expect.poll(calls, { timeout: 10_000 }).toBeGreaterThan(before);
    const after = await publish('After renewal');
    await item(tabA, 'After renewal').waitFor({ timeout: 5000 });
    await item(tabB, 'After renewal').waitFor({ timeout: 5000 });
    expect((await announced(tabA)).filter((id) => id === after.id)).toHaveLength(1);
    // Tokens travel in the WebSocket's ?token= and in Authorization headers, nowhere else.
    for (const url of urls) {
      const leaked = issued.filter((token) => url.includes(token));
      if (leaked.length > 0) expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/graphql\?token=/);
    }
    expect(urls.some((url) => url.startsWith('ws://') && url.includes('?token='))).toBe(true);
    for (const line of consoleLines) for (const token of issued) expect(line).not.toContain(token);
  }, 30_000);

  it('shows offline, then catches up once back, without duplicates', async () => {
    await context.setOffline(true);
    await proxy.cut();
    await inbox(tabA).locator('.banner').waitFor({ timeout: 10_000 });
    const missed = [await publish('While away 1'), await publish('While away 2')];
    await proxy.restore();
    await context.setOffline(false);
    for (const tab of [tabA, tabB]) {
      await item(tab, 'While away 2').waitFor({ timeout: 20_000 });
      await item(tab, 'While away 1').waitFor({ timeout: 5000 });
      const ids = await items(tab).evaluateAll((list) => list.map((li) => (li as HTMLElement).dataset.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (const { id } of missed) expect((await announced(tab)).filter((seen) => seen === id)).toHaveLength(1);
    }
    await expect.poll(() => inbox(tabA).locator('.banner').isHidden(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => badge(tabA).innerText(), { timeout: 5000 }).toBe('5');
  }, 60_000);

  it('is usable with the keyboard alone', async () => {
    const tab = await context.newPage();
    await tab.goto(siteUrl);
    await expect.poll(async () => badge(tab).innerText(), { timeout: 10_000 }).toBe(await badge(tabA).innerText());
    const focused = () =>
      tab.evaluate(() => {
        const active = document.querySelector('herald-inbox')?.shadowRoot?.activeElement as HTMLElement | null;
        return active ? `${active.tagName}.${active.className}:${active.textContent?.trim()}` : null;
      });
    await tab.keyboard.press('Tab');
    expect(await focused()).toMatch(/^BUTTON\.bell/);
    await tab.keyboard.press('Enter');
    await inbox(tab).locator('[role=dialog]').waitFor();
    expect(await focused()).toBe('BUTTON.:Inbox');
    await item(tab, 'While away 2').waitFor();
    // Focus stays in the dialog: Shift+Tab from its first control goes to its last.
    await tab.keyboard.press('Shift+Tab');
    expect(await focused()).not.toMatch(/bell/);
    expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('HERALD-INBOX');
    // To "Mark all as read", from the start of the dialog.
    for (let i = 0; i < 40 && !(await focused())?.includes('Mark all as read'); i++) await tab.keyboard.press('Tab');
    await tab.keyboard.press('Enter');
    await expect.poll(() => badge(tab).isHidden(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => badge(tabA).isHidden(), { timeout: 5000 }).toBe(true);
    await tab.keyboard.press('Escape');
    expect(await inbox(tab).locator('[role=dialog]').isHidden()).toBe(true);
    expect(await focused()).toMatch(/^BUTTON\.bell/);
    await tab.close();
  });

  it('speaks Czech and German from the lang attribute', async () => {
    const tab = await context.newPage();
    for (const [lang, label] of [
      ['cs', 'Archiv'],
      ['de', 'Posteingang'],
    ] as const) {
      await tab.goto(`${siteUrl}?lang=${lang}`);
      await inbox(tab).locator('.bell').click();
      await inbox(tab).getByRole('tab', { name: label }).waitFor({ timeout: 10_000 });
    }
    await tab.close();
  });
});
