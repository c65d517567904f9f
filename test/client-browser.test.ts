// @herald/client as a product's page meets it: the plain HTML example of docs/client.md, served
// from another origin, loading Herald's /client.js, in two tabs of Debian's Chromium.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tokens } from 'marked';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/auth/secrets.ts';
import { PublishNotificationDocument } from './generated/graphql.ts';
import { addMember, createMachineToken, eventually } from './helpers/machine.ts';
import { lex } from './helpers/markdown.ts';
import { chromiumPath, needing } from './helpers/requirements.ts';
import { createOwner, PASSWORD } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the documented page, in two tabs of Chromium', 'chromium');
const TTL_SECONDS = 5;
/** Where the example in the docs expects Herald. */
const DOCUMENTED_URL = 'http://127.0.0.1:4000';

let server: TestServer;
let site: Server;
let pageUrl: string;

/** The page of docs/client.md's "A plain HTML page", as a reader copies it. */
async function documentedPage(): Promise<string> {
  const tokens = await lex('docs/client.md');
  const block = tokens.find((token): token is Tokens.Code => token.type === 'code' && token.lang === 'html');
  if (!block) throw new Error('docs/client.md has no html example');
  return block.text;
}

beforeAll(async () => {
  server = await startServer({ env: { ACCESS_TOKEN_TTL: String(TTL_SECONDS), SLA_SWEEP_INTERVAL_MS: '0' } });
  const html = (await documentedPage()).replaceAll(DOCUMENTED_URL, server.url);
  // Another origin: `localhost` and another port, while Herald is on 127.0.0.1.
  site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve));
  await server?.close();
});

describe('/client.js', () => {
  it('is served as a module any origin may load, with the WebSocket chunk it imports', async () => {
    const response = await fetch(`${server.url}/client.js`, { headers: { origin: 'http://localhost:1234' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = await response.text();
    expect(body).toContain('createHeraldClient');
    const chunk = /import\("\.\/(client-live-[\w-]+\.js)"\)/.exec(body)?.[1];
    expect(chunk).toBeDefined();
    const live = await fetch(`${server.url}/${chunk}`);
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toContain('immutable');
    const again = await fetch(`${server.url}/client.js`, {
      headers: { 'if-none-match': response.headers.get('etag') as string },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/client-nothing-here.js`)).status).toBe(404);
  });

  it('sends only headers a preflight lets through', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:1234',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,accept-language,x-product-slug',
      },
    });
    expect(response.status).toBeLessThan(300);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['content-type', 'authorization', 'accept-language', 'x-product-slug']) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:1234');
  });
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: Browser;
  let context: BrowserContext;
  let tabA: Page;
  let tabB: Page;
  /** Refresh requests the page sent, from either tab. */
  let refreshes = 0;
  const accessTokens: string[] = [];
  const faults: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext();
    // Requests answered by Herald (offline attempts never reach it).
    context.on('requestfinished', (request) => {
      if (request.method() !== 'POST' || !request.url().startsWith(`${server.url}/graphql`)) return;
      if (request.postData()?.includes('HeraldRefresh')) refreshes++;
      const authorization = request.headers().authorization;
      if (authorization) accessTokens.push(authorization.slice('Bearer '.length));
    });
    context.on('weberror', (error) => faults.push(String(error.error())));
    tabA = await context.newPage();
    tabB = await context.newPage();
  }, 60_000);
  afterAll(() => browser?.close());

  const status = (tab: Page) => tab.locator('#status').innerText();
  const whoAmI = async (tab: Page) => {
    await tab.evaluate(() => {
      (document.querySelector('#answer') as HTMLOutputElement).textContent = '';
    });
    await tab.locator('#me').click();
    await tab.locator('#answer').filter({ hasText: /./ }).waitFor({ timeout: 10_000 });
    return tab.locator('#answer').innerText();
  };
  const storedRefreshToken = (tab: Page) =>
    tab.evaluate(() => {
      const key = Object.keys(localStorage).find((name) => name.startsWith('herald:'));
      return key ? localStorage.getItem(key) : null;
    });
  const family = async (tab: Page) => {
    const token = await storedRefreshToken(tab);
    const row = token && (await server.app.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) } }));
    return row ? server.app.db.refreshToken.findMany({ where: { familyId: row.familyId } }) : [];
  };

  let owner: Awaited<ReturnType<typeof createOwner>>;

  it('signs in in one tab, and the other tab picks the session up', async () => {
    owner = await createOwner(server);
    await tabA.goto(pageUrl);
    await tabA.locator('input[name=email]').fill(owner.email);
    await tabA.locator('input[name=password]').fill(PASSWORD);
    await tabA.locator('#sign-in button').click();
    await expect.poll(() => status(tabA), { timeout: 10_000 }).toContain(`Signed in as ${owner.email}`);
    await tabB.goto(pageUrl);
    await expect.poll(() => status(tabB), { timeout: 10_000 }).toContain(`Signed in as ${owner.email}`);
  });

  it('keeps both tabs answering across three token lifetimes with one refresh per rotation', async () => {
    const end = Date.now() + TTL_SECONDS * 3 * 1000 + 1000;
    while (Date.now() < end) {
      expect(await whoAmI(tabA)).toBe(owner.userId);
      expect(await whoAmI(tabB)).toBe(owner.userId);
      await tabA.waitForTimeout(700);
    }
    const rows = await family(tabA);
    expect(refreshes).toBeGreaterThanOrEqual(3);
    // The sign-in's token and one per refresh: no tab spent a token another had spent.
    expect(rows).toHaveLength(refreshes + 1);
    expect(rows.filter((row) => row.revokedAt !== null)).toEqual([]);
    const reuse = await server.app.db.auditEvent.count({
      where: { action: 'refresh_token.reuse_detected', actorId: owner.userId },
    });
    expect(reuse).toBe(0);
  }, 60_000);

  it('shows the unread count live, through the socket', async () => {
    const bot = await createMachineToken(server, { accessToken: accessTokens.at(-1) as string }, [
      'write:notifications',
    ]);
    await eventually(async () => {
      ok(
        await server.gql(
          PublishNotificationDocument,
          { input: { userId: owner.userId, title: 'Deployed' } },
          { token: bot.token },
        ),
      );
      expect(Number(await tabB.locator('#unread').innerText())).toBeGreaterThan(0);
    }, 15_000);
  });

  it('retries a request sent with an expired access token after a refresh', async () => {
    // The first token seen is lifetimes old by now.
    const expired = accessTokens[0] as string;
    const answers: string[] = [];
    let swapped = false;
    await tabA.route(`${server.url}/graphql`, async (route) => {
      const request = route.request();
      if (swapped || request.method() !== 'POST' || !request.postData()?.includes('query Me')) return route.continue();
      swapped = true;
      const response = await route.fetch({ headers: { ...request.headers(), authorization: `Bearer ${expired}` } });
      answers.push(await response.text());
      return route.fulfill({ response });
    });
    const before = refreshes;
    expect(await whoAmI(tabA)).toBe(owner.userId);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('TOKEN_EXPIRED');
    expect(refreshes).toBeGreaterThan(before);
    await tabA.unroute(`${server.url}/graphql`);
  });

  it('says the network is down while offline, and renews once back online', async () => {
    await context.setOffline(true);
    expect(await whoAmI(tabA)).toMatch(/^NETWORK/);
    // Offline past the token's expiry: renewals fail and are tried again later.
    await tabA.waitForTimeout(TTL_SECONDS * 1000 + 500);
    await context.setOffline(false);
    await expect.poll(() => whoAmI(tabA), { timeout: 15_000 }).toBe(owner.userId);
    expect(await whoAmI(tabB)).toBe(owner.userId);
    const rows = await family(tabA);
    expect(rows).toHaveLength(refreshes + 1);
    expect(rows.filter((row) => row.revokedAt !== null)).toEqual([]);
  }, 60_000);

  it('answers typed errors, localized', async () => {
    const organization = await createOwner(server);
    const member = await addMember(server, organization, 'MEMBER');
    // As a page's own script would: a module import of /client.js (a string, so that the test
    // runner leaves the import alone).
    const errors = (await tabA.evaluate(`(async () => {
      const { createHeraldClient } = await import('${server.url}/client.js');
      const german = createHeraldClient({ url: '${server.url}', locale: 'de', storageKey: 'errors' });
      const caught = (promise) =>
        promise.then(
          () => null,
          (error) => ({ code: error.code, reason: error.reason, field: error.field, message: error.message }),
        );
      return {
        wrongPassword: await caught(german.signIn({ email: '${owner.email}', password: 'not the password at all' })),
        badInput: await caught(german.signUp({ email: '${owner.email}', password: 'short', name: 'A', organizationName: 'B' })),
        missingScope: await (async () => {
          const member = createHeraldClient({ url: '${server.url}', storageKey: 'member' });
          await member.signIn({ email: '${member.email}', password: '${member.password}' });
          return caught(member.request('mutation { createServiceAccount(input: { name: "Robot" }) { slug } }'));
        })(),
      };
    })()`)) as Record<string, { code: string; reason: string | null; field: string | null; message: string }>;
    expect(errors.wrongPassword).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'INVALID_CREDENTIAL',
      field: null,
      message: 'E-Mail-Adresse oder Passwort ist falsch.',
    });
    expect(errors.badInput).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    // "You may not", not "sign in again".
    expect(errors.missingScope).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
  });

  it('signs out in one tab, and the other tab follows', async () => {
    const stored = await storedRefreshToken(tabA);
    await tabB.locator('#sign-out').click();
    await expect.poll(() => status(tabA), { timeout: 10_000 }).toContain('Signed out (SIGNED_OUT)');
    await expect.poll(() => status(tabB)).toContain('Signed out');
    expect(await storedRefreshToken(tabA)).toBeNull();
    const row = await server.app.db.refreshToken.findUnique({ where: { tokenHash: sha256(stored as string) } });
    expect(row?.revokedAt).not.toBeNull();
    expect(faults).toEqual([]);
  });
});
