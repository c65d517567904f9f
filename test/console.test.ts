// The admin console at /console as an organization admin meets it, in Debian's Chromium: sign in,
// create a service account, generate a token, copy it, use it, see its last use, revoke it and
// see it refused. Members see no admin actions (and the API refuses them anyway); Herald's
// errors appear, translated, next to the field they name; the page runs under a strict
// Content-Security-Policy and nothing comes from elsewhere; CONSOLE=false turns it off.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateApiTokenDocument,
  CreateServiceAccountDocument,
  CurrentOrganizationDocument,
  InviteMemberDocument,
  RegisterDocument,
} from './generated/graphql.ts';
import { type ConsoleBrowser, launchConsoleBrowser } from './helpers/console-browser.ts';
import { addMember, eventually } from './helpers/machine.ts';
import { linkFromEmail, tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { needing } from './helpers/requirements.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the console in a browser', 'chromium');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { API_TOKEN_USAGE_FLUSH_MS: '100', SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const directives = (policy: string | null) =>
  Object.fromEntries(
    (policy ?? '').split(/;\s*/).map((directive) => {
      const [name, ...sources] = directive.split(' ');
      return [name, sources];
    }),
  );

describe('the console page', () => {
  it('is one page for every path under /console, which runs only its own script and stylesheet', async () => {
    for (const path of ['/console', '/console/', '/console/service-accounts/deploy-bot', '/console/sign-in?next=%2F']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const policy = directives(response.headers.get('content-security-policy'));
      expect(policy).toMatchObject({
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'connect-src': ["'self'"],
        'require-trusted-types-for': ["'script'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
      });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await response.text();
      // No inline script or style, nothing from another origin.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html).not.toMatch(/<style|style=/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    }
  });

  it('serves its assets as immutable, in the language the browser asks for, and nothing else under /console/assets', async () => {
    const html = await (await fetch(`${server.url}/console`, { headers: { 'accept-language': 'de' } })).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Herald-Konsole</title>');
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      expect(response.headers.get('content-type')).toMatch(/^text\/(javascript|css); charset=utf-8$/);
    }
    for (const path of ['/console/assets/missing.js', '/console/assets/..%2fmanifest.json', '/console/assets/x.html']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });

  it('is not there with CONSOLE=false', async () => {
    const off = await startServer({ env: { CONSOLE: 'false', SLA_SWEEP_INTERVAL_MS: '0' } });
    try {
      const page = await (await fetch(`${server.url}/console`)).text();
      const script = /src="(\/console\/assets\/[^"]+)"/.exec(page)?.[1] as string;
      for (const path of ['/console', '/console/service-accounts', script]) {
        expect((await fetch(`${off.url}${path}`)).status, path).toBe(404);
      }
      // The email link pages lead to the console only where it is on.
      const landing = async (url: string) => (await fetch(`${url}/reset-password?token=abc`)).text();
      expect(await landing(server.url)).toContain('<a id="console" href="/console/reset-password?token=abc">');
      expect(await landing(off.url)).not.toContain('id="console"');
    } finally {
      await off.close();
    }
  });
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: ConsoleBrowser;
  beforeAll(async () => {
    browser = await launchConsoleBrowser(server);
  }, 60_000);
  afterAll(() => browser?.close());
  const open: ConsoleBrowser['open'] = (...args) => browser.open(...args);
  const signIn: ConsoleBrowser['signIn'] = (...args) => browser.signIn(...args);
  const expectClean = () => browser.expectClean();
  const openAccountMenu = (page: Page) => browser.openAccountMenu(page);

  const tokenRow = (page: Page, name: string) => page.locator('table.tokens tbody tr').filter({ hasText: name });

  it('takes an admin from sign-in to a token in use, its last use seen, and its revocation', async () => {
    const owner = await createOwner(server, { name: 'Olga' });
    const { context, page } = await open();
    await signIn(page, owner, '/console/tokens');
    // Back where they were going.
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/tokens');
    await page.getByRole('link', { name: 'Service accounts' }).click();

    await page.getByRole('button', { name: 'New service account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New service account' });
    await dialog.getByLabel('Name', { exact: true }).fill('Deploy Bot');
    expect(await dialog.getByLabel('Slug').inputValue()).toBe('deploy-bot');
    await dialog.getByLabel('Description').fill('Ships the web app');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Deploy Bot', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/service-accounts/deploy-bot');

    await page.getByRole('button', { name: 'Generate token' }).click();
    const generate = page.getByRole('dialog', { name: 'Generate token' });
    await generate.getByLabel('Token name').fill('CI deploys');
    await generate.getByRole('radio', { name: 'read:organization' }).check();
    await generate.getByRole('radio', { name: 'write:work_items' }).check();
    await generate.getByLabel('Expiry').selectOption('30');
    await generate.getByRole('button', { name: 'Generate' }).click();

    const once = page.getByRole('dialog', { name: 'Copy your new token' });
    await once.getByRole('alert').filter({ hasText: 'only time' }).waitFor();
    const shown = await once.getByLabel('Token').inputValue();
    expect(shown).toMatch(/^hld_[A-Za-z0-9]{49}$/);
    await once.getByRole('button', { name: 'Copy' }).click();
    await once.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);
    await once.getByRole('button', { name: 'I have stored it' }).click();

    const row = tokenRow(page, 'CI deploys');
    await expect.poll(() => row.innerText()).toContain(shown.slice(0, 12));
    const text = await row.innerText();
    expect(text).toContain('read:organization write:work_items');
    expect(text).toContain('Olga');
    expect(await row.locator('td.last-used').innerText()).toBe('Never');

    // The copied token works, and the console sees it used.
    const organization = ok(await server.gql(CurrentOrganizationDocument, {}, { token: copied }));
    expect(organization.organization.id).toBe(owner.organizationId);
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      expect(await row.locator('td.last-used').innerText()).not.toBe('Never');
    }, 10_000);
    expect(await row.locator('td.last-used time').getAttribute('title')).toMatch(/\d/);

    await row.getByRole('button', { name: 'Revoke CI deploys' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke CI deploys?' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(failure(await server.gql(CurrentOrganizationDocument, {}, { token: copied })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    await page.getByRole('region', { name: 'API tokens', exact: true }).getByLabel('Show revoked').check();
    await expect.poll(() => row.innerText()).toContain('Revoked');
    expect(await row.innerText()).toContain('by Olga');

    expectClean();
    await context.close();
  });

  it('generates a token with its own rate limit, which Herald then holds it to', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(CreateServiceAccountDocument, { input: { name: 'Limited' } }, { token: owner.accessToken }));
    const { context, page } = await open();
    await signIn(page, owner, '/console/service-accounts/limited');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const generate = page.getByRole('dialog', { name: 'Generate token' });
    await generate.getByLabel('Token name').fill('metered');
    await generate.getByRole('radio', { name: 'read:organization' }).check();
    await generate.getByText('Limits (optional)').click();
    await generate.getByLabel('Budget (requests)').fill('0');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => generate.getByLabel('Budget (requests)').getAttribute('aria-invalid')).toBe('true');
    await generate.getByLabel('Budget (requests)').fill('');
    await generate.getByLabel('Rate limit (requests)').fill('2');
    await generate.getByLabel('Per', { exact: true }).selectOption('60');
    await generate.getByRole('button', { name: 'Generate' }).click();
    const token = await page.getByRole('dialog', { name: 'Copy your new token' }).getByLabel('Token').inputValue();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => tokenRow(page, 'metered').innerText()).toContain('2 per minute');

    // Two a minute: the third is refused (five, in case the minute turns meanwhile).
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await server.post({ query: '{ organization { id } }' }, { token });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(4);
    expectClean();
    await context.close();
  });

  it('rotates a token after a confirmation: the new secret once, the old one refused', async () => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Importer' } }, { token: owner.accessToken }),
    );
    const { createApiToken } = ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: createServiceAccount.slug, name: 'nightly', scopes: ['read:organization'] } },
        { token: owner.accessToken },
      ),
    );
    const { context, page } = await open();
    await signIn(page, owner, `/console/service-accounts/${createServiceAccount.slug}`);
    const row = tokenRow(page, 'nightly');
    await row.getByRole('button', { name: 'Rotate nightly' }).click();
    await page.getByRole('dialog', { name: 'Rotate nightly?' }).getByRole('button', { name: 'Rotate' }).click();
    const fresh = await page.getByRole('dialog', { name: 'Copy your new token' }).getByLabel('Token').inputValue();
    expect(fresh).not.toBe(createApiToken.token);
    ok(await server.gql(CurrentOrganizationDocument, {}, { token: fresh }));
    expect(
      failure(await server.gql(CurrentOrganizationDocument, {}, { token: createApiToken.token })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expectClean();
    await context.close();
  });

  it('registers an OAuth application whose id and secret, shown once, get tokens; rotation and revocation stop them', async () => {
    const owner = await createOwner(server);
    ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Billing Sync' } }, { token: owner.accessToken }),
    );
    const { context, page } = await open();
    await signIn(page, owner, '/console/service-accounts/billing-sync');
    await page.getByRole('button', { name: 'Register application' }).click();
    const register = page.getByRole('dialog', { name: 'Register application' });
    await register.getByLabel('Application name').fill('billing');
    await register.getByRole('radio', { name: 'read:organization' }).check();
    await register.getByRole('button', { name: 'Register' }).click();
    const once = page.getByRole('dialog', { name: 'Copy the client secret' });
    const clientId = await once.getByLabel('Client ID').inputValue();
    const clientSecret = await once.getByLabel('Client secret').inputValue();
    await once.getByRole('button', { name: 'I have stored it' }).click();
    const grant = (secret: string) =>
      fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      });
    expect((await grant(clientSecret)).status).toBe(200);

    const row = page.locator('tbody tr').filter({ hasText: clientId });
    await row.getByRole('button', { name: 'Rotate secret billing' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the secret of billing?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const rotated = await page
      .getByRole('dialog', { name: 'Copy the client secret' })
      .getByLabel('Client secret')
      .inputValue();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect((await grant(clientSecret)).status).toBe(401);
    expect((await grant(rotated)).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke billing' }).click();
    await page.getByRole('dialog', { name: 'Revoke billing?' }).getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await grant(rotated)).status).toBe(401);
    expectClean();
    await context.close();
  });

  it('finds the tokens unused for 30 days or more, to prune them', async () => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Old Bot' } }, { token: owner.accessToken }),
    );
    const make = async (name: string) =>
      ok(
        await server.gql(
          CreateApiTokenDocument,
          { input: { serviceAccountSlug: createServiceAccount.slug, name, scopes: ['read:organization'] } },
          { token: owner.accessToken },
        ),
      ).createApiToken.apiToken.id;
    const forgotten = await make('forgotten');
    const recentlyUsed = await make('recently used');
    await make('brand new');
    // Tokens made 40 days ago (the clock of a test cannot wait a month): one never used since,
    // one used yesterday.
    const longAgo = new Date(Date.now() - 40 * 24 * 3600_000);
    await server.app.db.apiToken.update({ where: { id: forgotten }, data: { createdAt: longAgo } });
    await server.app.db.apiToken.update({
      where: { id: recentlyUsed },
      data: { createdAt: longAgo, lastUsedAt: new Date(Date.now() - 24 * 3600_000) },
    });
    const { context, page } = await open();
    await signIn(page, owner, '/console/tokens');
    await tokenRow(page, 'brand new').waitFor();
    expect(await page.locator('table.tokens tbody tr').count()).toBe(3);
    await page.getByLabel('Only tokens unused for 30+ days').check();
    await expect.poll(() => page.locator('table.tokens tbody tr').count()).toBe(1);
    expect(await tokenRow(page, 'forgotten').count()).toBe(1);
    await page.getByRole('status').filter({ hasText: '1 token' }).waitFor();
    expectClean();
    await context.close();
  });

  it('offers a member no admin action, and the API refuses them anyway', async () => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Reporter' } }, { token: owner.accessToken }),
    );
    ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: createServiceAccount.slug, name: 'reports', scopes: ['read:organization'] } },
        { token: owner.accessToken },
      ),
    );
    const member = await addMember(server, owner, 'MEMBER');
    const { context, page } = await open();
    await signIn(page, member);
    await page.getByRole('link', { name: 'Reporter' }).waitFor();
    expect(await page.getByRole('button', { name: 'New service account' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Reporter' }).click();
    await tokenRow(page, 'reports').waitFor();
    for (const action of [
      'Edit',
      'Disable',
      'Delete',
      'Generate token',
      'Register application',
      /^Rotate/,
      /^Revoke/,
    ]) {
      expect(await page.getByRole('button', { name: action }).count(), String(action)).toBe(0);
    }
    const refused = failure(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Sneaky' } }, { token: member.accessToken }),
    );
    expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expectClean();
    await context.close();
  });

  it('shows Herald’s errors, in the chosen language, next to the field they name', async () => {
    const owner = await createOwner(server);
    ok(
      await server.gql(
        CreateServiceAccountDocument,
        { input: { name: 'Taken', slug: 'taken' } },
        { token: owner.accessToken },
      ),
    );
    const { context, page } = await open('de-DE');
    await page.goto(`${server.url}/console`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail').fill(owner.email);
    await page.getByLabel('Passwort').fill('not the password at all');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).waitFor();
    await page.getByLabel('Passwort').fill(owner.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();

    await page.getByRole('button', { name: 'Neues Dienstkonto' }).click();
    const dialog = page.getByRole('dialog', { name: 'Neues Dienstkonto' });
    await dialog.getByLabel('Name', { exact: true }).fill('Taken');
    await dialog.getByRole('button', { name: 'Anlegen' }).click();
    const slug = dialog.getByLabel('Slug');
    await expect.poll(() => slug.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await slug.getAttribute('aria-describedby')) as string;
    const message = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).innerText();
    expect(message).toBe('Der Kurzname „taken“ ist bereits vergeben.');

    // The language can be changed in the page; Herald's messages follow it.
    await page.keyboard.press('Escape');
    await page.getByLabel('Sprache').selectOption('cs');
    await page.getByRole('button', { name: 'Nový servisní účet' }).click();
    const czech = page.getByRole('dialog', { name: 'Nový servisní účet' });
    await czech.getByLabel('Název').fill('Taken');
    await czech.getByRole('button', { name: 'Vytvořit' }).click();
    await czech.getByText('Identifikátor „taken“ už je obsazený.').waitFor();
    expectClean();
    await context.close();
  });

  it('works from the keyboard alone, and names a refused scope choice next to the scopes', async () => {
    const owner = await createOwner(server);
    const { context, page } = await open();
    await page.goto(`${server.url}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The skip link comes first.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByLabel('Email').focus();
    await page.keyboard.type(owner.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(owner.password);
    await page.keyboard.press('Enter');
    const create = page.getByRole('button', { name: 'New service account' });
    await create.waitFor();
    await create.focus();
    await page.keyboard.press('Enter');
    // The dialog takes the focus, and Escape closes it.
    const dialog = page.getByRole('dialog', { name: 'New service account' });
    await expect.poll(() => dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await create.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.type('Keyboard Bot');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard Bot', level: 1 }).waitFor();
    // The new page's heading has the focus, so that a screen reader announces it.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    await page.getByRole('button', { name: 'Generate token' }).focus();
    await page.keyboard.press('Enter');
    const generate = page.getByRole('dialog', { name: 'Generate token' });
    await expect.poll(() => generate.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.type('no scopes');
    await page.keyboard.press('Enter');
    const scopes = page.getByRole('group', { name: 'Scopes' });
    await expect.poll(() => scopes.getAttribute('class')).toContain('invalid');
    expect(await scopes.locator('.error').innerText()).toMatch(/scopes/i);
    expectClean();
    await context.close();
  });

  it('signs in to one of several organizations, switches, and signs out', async () => {
    const owner = await createOwner(server, { organizationName: 'First Org' });
    ok(
      await server.gql(RegisterDocument, {
        input: { email: owner.email, password: owner.password, name: 'Owner', organizationName: 'Second Org' },
      }),
    );
    const { context, page } = await open();
    await signIn(page, owner);
    await page.getByRole('heading', { name: 'Choose an organization' }).waitFor();
    await page.getByRole('button', { name: /Second Org/ }).click();
    const switcher = page.getByLabel('Organization');
    await expect.poll(async () => switcher.locator('option:checked').innerText()).toBe('Second Org');
    await switcher.selectOption({ label: 'First Org' });
    await expect.poll(async () => switcher.locator('option:checked').innerText()).toBe('First Org');

    await openAccountMenu(page);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // A reload finds no session left.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expectClean();
    await context.close();
  });

  it('keeps the session across a reload of the tab, and "sign out everywhere" ends other sessions too', async () => {
    const owner = await createOwner(server);
    const { context, page } = await open();
    await signIn(page, owner);
    await page.getByRole('heading', { name: 'Service accounts' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Service accounts' }).waitFor();

    await openAccountMenu(page);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The session the owner's registration opened has ended as well.
    expect(
      failure(await server.gql(CurrentOrganizationDocument, {}, { token: owner.accessToken })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expectClean();
    await context.close();
  });

  it('accepts an invitation and resets a password from the pages the emails can link to', async () => {
    const owner: Account = await createOwner(server, { organizationName: 'Inviting Org' });
    const email = uniqueEmail('invited');
    ok(await server.gql(InviteMemberDocument, { input: { email, role: 'ADMIN' } }, { token: owner.accessToken }));
    const { context, page } = await open();
    // The email's link, to Herald's own landing page, which leads people to the console.
    await page.goto(linkFromEmail(await waitForEmail(server.dataDir, email)));
    await page.getByRole('link', { name: 'Accept it in the Herald console' }).click();
    await page.getByLabel('Your name').fill('Ines');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Join the organization' }).click();
    // Herald's refusal of the password, next to it.
    await expect.poll(() => page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Join the organization' }).click();
    await page.getByRole('heading', { name: 'Service accounts' }).waitFor();
    expect(await page.locator('.organization').innerText()).toBe('Inviting Org');
    await openAccountMenu(page);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: 'on its way' }).waitFor();
    const reset = tokenFromEmail(await waitForEmail(server.dataDir, email, { after: 1 }));
    await page.goto(`${server.url}/console/reset-password?token=${encodeURIComponent(reset)}`);
    await page.getByLabel('New password').fill('a new long passphrase for Ines');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('status').filter({ hasText: 'password is changed' }).waitFor();
    await signIn(page, { email, password: 'a new long passphrase for Ines' });
    await page.getByRole('heading', { name: 'Service accounts' }).waitFor();
    expectClean();
    await context.close();
  });

  it('fits a phone: no sideways scrolling of the page, the tables scroll in their own box', async () => {
    const owner = await createOwner(server);
    const { createServiceAccount } = ok(
      await server.gql(CreateServiceAccountDocument, { input: { name: 'Phone Bot' } }, { token: owner.accessToken }),
    );
    ok(
      await server.gql(
        CreateApiTokenDocument,
        { input: { serviceAccountSlug: createServiceAccount.slug, name: 'mobile', scopes: ['read:organization'] } },
        { token: owner.accessToken },
      ),
    );
    const { context, page } = await open('en-US', { width: 375, height: 740 });
    await signIn(page, owner, `/console/service-accounts/${createServiceAccount.slug}`);
    await tokenRow(page, 'mobile').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expectClean();
    await context.close();
  });
});
