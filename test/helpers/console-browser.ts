// The admin console in Debian's Chromium, for the console's tests: a fresh browser profile per
// person, watched for anything the page should never do (fetch from elsewhere, break its
// Content-Security-Policy, send a request that does not name the console, throw).
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumPath } from './requirements.ts';
import type { TestServer } from './server.ts';

export interface ConsoleBrowser {
  /** A fresh browser profile, as a person at their own computer, in `locale`. */
  open(locale?: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Opens `path` (which sends a signed-out visitor to sign in) and signs in there. */
  signIn(page: Page, who: { email: string; password: string }, path?: string): Promise<void>;
  openAccountMenu(page: Page): Promise<void>;
  /** Nothing went elsewhere, was blocked by the policy, left unnamed or failed in any page so far. */
  expectClean(): void;
  close(): Promise<void>;
}

export async function launchConsoleBrowser(server: TestServer): Promise<ConsoleBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  /** Requests pages tried to make anywhere but this server (all refused). */
  const elsewhere: string[] = [];
  /** What the Content-Security-Policy blocked. */
  const blocked: string[] = [];
  /** GraphQL requests the console sent without naming itself. */
  const unnamed: string[] = [];
  const faults: string[] = [];
  const origin = new URL(server.url).origin;

  return {
    async open(locale = 'en-US', viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ locale, viewport });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (/^https?:/.test(url) && new URL(url).origin !== origin) {
          elsewhere.push(url);
          return route.abort();
        }
        return route.continue();
      });
      context.on('request', (request) => {
        if (request.url().startsWith(`${server.url}/graphql`) && request.headers()['x-herald-client'] !== 'console') {
          unnamed.push(request.postData() ?? request.url());
        }
      });
      context.on('weberror', (error) => faults.push(String(error.error())));
      const page = await context.newPage();
      await page.exposeFunction('reportViolation', (what: string) => blocked.push(what));
      await page.addInitScript(() => {
        const report = (window as unknown as { reportViolation(what: string): void }).reportViolation;
        document.addEventListener('securitypolicyviolation', (event) =>
          report(`${event.effectiveDirective} ${event.blockedURI}`),
        );
      });
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content[ -]Security[ -]Policy|Trusted Type/i.test(message.text())) {
          blocked.push(message.text());
        }
      });
      return { context, page };
    },
    async signIn(page, who, path = '/console') {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password').fill(who.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    openAccountMenu: (page) => page.locator('summary', { hasText: 'Account:' }).click(),
    expectClean() {
      expect(elsewhere).toEqual([]);
      expect(blocked).toEqual([]);
      expect(unnamed).toEqual([]);
      expect(faults).toEqual([]);
    },
    close: () => browser.close(),
  };
}
