// The explorer as a developer meets it: GraphiQL at /graphql, from our own dependencies
// (it must work with no internet), used in a real browser to register, put the token in
// the Headers pane, start a subscription and watch a notification arrive.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishNotificationDocument } from './generated/graphql.ts';
import { notificationProbe } from './helpers/live.ts';
import { createMachineToken } from './helpers/machine.ts';
import { chromiumPath, needing } from './helpers/requirements.ts';
import { uniqueEmail } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the explorer in a browser', 'chromium');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

describe('the explorer page', () => {
  it('is served whole from this server, titled Herald, with no script or style from elsewhere', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Herald</title>');
    expect(html).toContain('Herald: sign-in, machine access and live');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href="(https?:)?\/\//i);
  });

  it('runs only its own inline script, by hash, and cannot be framed, sniffed or leak its address', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    const policy = Object.fromEntries(
      (response.headers.get('content-security-policy') ?? '').split(/;\s*/).map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name, sources];
      }),
    );
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual([expect.stringMatching(/^'sha256-[\w+/]+=*'$/)]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: Browser;
  let page: Page;
  /** Requests the page tried to make anywhere but this server (all refused). */
  const elsewhere: string[] = [];
  /** What the Content-Security-Policy blocked, as the page and its console report it. */
  const blocked: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage();
    await page.exposeFunction('reportViolation', (what: string) => blocked.push(what));
    await page.addInitScript(() => {
      const report = (window as unknown as { reportViolation(what: string): void }).reportViolation;
      document.addEventListener('securitypolicyviolation', (event) =>
        report(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content[ -]Security[ -]Policy/i.test(message.text())) {
        blocked.push(message.text());
      }
    });
    const origin = new URL(server.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (/^https?:/.test(url) && new URL(url).origin !== origin) {
        elsewhere.push(url);
        return route.abort();
      }
      return route.continue();
    });
  }, 60_000);
  afterAll(() => browser?.close());

  /** Replaces the text of a GraphiQL editor as a person pasting into it would. */
  async function fill(editor: string, text: string) {
    await page.locator(`${editor} .monaco-editor`).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text);
  }

  const response = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, '');

  it('registers, takes the token into the Headers pane and shows a notification as it arrives', async () => {
    const register = `mutation Register {
  register(input: { email: "${uniqueEmail('explorer')}", password: "choose a long passphrase", name: "Dev", organizationName: "Explorers" }) {
    user { id }
    organization { id }
    accessToken
  }
}`;
    await page.goto(`${server.url}/graphql?query=${encodeURIComponent(register)}`);
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('accessToken').waitFor({ timeout: 15_000 });
    const result = await response();
    const accessToken = /"accessToken":"([^"]+)"/.exec(result)?.[1] as string;
    const userId = /"user":\{"id":"([^"]+)"/.exec(result)?.[1] as string;
    const organizationId = /"organization":\{"id":"([^"]+)"/.exec(result)?.[1] as string;
    expect(accessToken).toMatch(/^eyJ/);

    await page.getByRole('button', { name: 'Headers' }).click();
    await fill('.graphiql-editor-tool .graphiql-editor:not(.hidden)', `{"Authorization": "Bearer ${accessToken}"}`);
    await fill(
      '.graphiql-query-editor',
      'subscription Live { notificationAdded { notification { title } unreadCount } }',
    );
    // GraphiQL has read the new operation once its tab is named after it.
    await page.locator('.graphiql-tab-active').getByText('Live').waitFor();
    await page.locator('.graphiql-execute-button').click();

    // Live once an event put straight into the bus shows on the page.
    const probe = notificationProbe(server, { userId, organizationId });
    const ticker = setInterval(() => probe.publish(), 100);
    try {
      await page.locator('.graphiql-response').getByText('"probe"').waitFor({ timeout: 15_000 });
    } finally {
      clearInterval(ticker);
    }

    const robot = await createMachineToken(server, { accessToken }, ['write:notifications']);
    ok(
      await server.gql(
        PublishNotificationDocument,
        { input: { userId, title: 'Deploy finished', url: '/deploys/42' } },
        { token: robot.token },
      ),
    );
    await page.locator('.graphiql-response').getByText('Deploy finished').waitFor({ timeout: 10_000 });
    expect(await response()).toContain('"unreadCount":1');
    expect(elsewhere).toEqual([]);
    expect(blocked).toEqual([]);
  }, 60_000);
});
