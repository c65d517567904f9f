// The screenshots of docs/console.md, taken from a real Herald with sample data in Debian's
// Chromium (`npm run docs:screenshots`; CHROMIUM_PATH names another browser): run it after a
// change to the console's looks, and commit the images it writes to docs/images/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/observability/logger.ts';
import { createHeraldServer } from '../../src/server.ts';

const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const PASSWORD = 'a long sample passphrase';

const dataDir = await mkdtemp(path.join(tmpdir(), 'herald-screenshots-'));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  SLA_SWEEP_INTERVAL_MS: '0',
  API_TOKEN_USAGE_FLUSH_MS: '100',
});
const app = await createApp(config, { logger: createLogger('silent') });
const herald = createHeraldServer(app);
const url = `http://127.0.0.1:${await herald.listen(0, '127.0.0.1')}`;

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  // An organization with a service account, a few tokens (one used), an OAuth application,
  // members and an open invitation; it operates the default product.
  const { register } = await gql<{ register: { accessToken: string } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`,
    {
      input: {
        email: 'ada@example.com',
        password: PASSWORD,
        name: 'Ada Lovelace',
        organizationName: 'Analytical Engines',
      },
    },
  );
  const owner = register.accessToken;
  await gql(
    `mutation { createServiceAccount(input: { name: "Deploy Bot", description: "Ships the web app from CI" }) { id } }`,
    {},
    owner,
  );
  const token = async (name: string, scopes: string[]) =>
    (
      await gql<{ createApiToken: { token: string } }>(
        `mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
        { input: { serviceAccountSlug: 'deploy-bot', name, scopes } },
        owner,
      )
    ).createApiToken.token;
  const used = await token('CI deploys', ['read:organization', 'write:work_items']);
  await token('Nightly report', ['read:audit', 'read:members']);
  await gql(`query { organization { id } }`, {}, used);
  await gql(
    `mutation { createOAuthClient(input: { serviceAccountSlug: "deploy-bot", name: "Billing sync", scopes: ["read:organization"] }) { clientId } }`,
    {},
    owner,
  );
  for (const [email, role] of [
    ['grace@example.com', 'ADMIN'],
    ['alan@example.com', 'MEMBER'],
  ]) {
    await gql(
      `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`,
      { input: { email, role } },
      owner,
    );
  }
  // Two notifications for Ada's inbox, published by a service account.
  const notifier = await token('Notifier', ['write:notifications']);
  const { me } = await gql<{ me: { id: string } }>(`query { me { id } }`, {}, owner);
  for (const [title, message] of [
    ['Nightly report ready', 'Yesterday: 1,204 requests, no errors'],
    ['Deploy finished', 'v2.3.0 is live in production'],
  ]) {
    await gql(
      `mutation ($input: PublishNotificationInput!) { publishNotification(input: $input) { id } }`,
      { input: { userId: me.id, title, message } },
      notifier,
    );
  }
  // A customer organization of the product Ada's organization operates (the oldest one of the
  // default product operates it), on a trial, with requests and a few refusals to chart.
  const customer = (
    await gql<{ register: { accessToken: string } }>(
      `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      {
        input: {
          email: 'charles@example.com',
          password: PASSWORD,
          name: 'Charles Babbage',
          organizationName: 'Difference Engines',
        },
      },
    )
  ).register.accessToken;
  const { organization } = await gql<{ organization: { id: string } }>(`query { organization { id } }`, {}, customer);
  await gql(
    `mutation ($input: UpdateOrganizationSubscriptionInput!) { updateOrganizationSubscription(input: $input) { id } }`,
    {
      input: {
        organizationId: organization.id,
        status: 'TRIALING',
        plan: 'team',
        currentPeriodEnd: '2027-01-31T23:59:59.000Z',
      },
    },
    owner,
  );
  const limits = (requestsPerMinute: number | null) =>
    gql(
      `mutation ($input: UpdateOrganizationLimitsInput!) { updateOrganizationLimits(input: $input) { id } }`,
      { input: { organizationId: organization.id, requestsPerMinute } },
      owner,
    );
  await limits(30);
  for (let i = 0; i < 36; i++) await gql(`query { organization { id } }`, {}, customer).catch(() => undefined);
  await limits(null);
  // The last use is recorded off the request path (API_TOKEN_USAGE_FLUSH_MS).
  await new Promise((resolve) => setTimeout(resolve, 1000));

  await mkdir(IMAGES, { recursive: true });
  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(IMAGES, `console-${name}.png`) });

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${url}/console/service-accounts/deploy-bot`);
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('table.tokens tbody tr').first().waitFor();
  await shoot(page, 'service-account');

  await page.getByRole('button', { name: 'Generate token' }).click();
  await page.getByLabel('Token name').fill('Staging deploys');
  await page.getByRole('radio', { name: 'read:organization' }).check();
  await page.getByRole('radio', { name: 'write:work_items' }).check();
  await shoot(page, 'generate-token');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('dialog', { name: 'Copy your new token' }).waitFor();
  await shoot(page, 'token-once');
  await page.getByRole('button', { name: 'I have stored it' }).click();

  await page.getByRole('link', { name: 'Members' }).click();
  await page.locator('table.invitations tbody tr').first().waitFor();
  await shoot(page, 'members');

  // The inbox in the header, open.
  await page.locator('herald-inbox .bell').click();
  await page.locator('herald-inbox li.item').first().waitFor();
  await shoot(page, 'inbox');
  await page.keyboard.press('Escape');

  // An operator's view of a customer organization.
  await page.getByRole('link', { name: 'Organizations of the product' }).click();
  await page.getByRole('link', { name: 'Difference Engines' }).click();
  await page.locator('figure.chart').waitFor();
  await page.setViewportSize({ width: 1200, height: 1400 });
  await shoot(page, 'operator-organization');
  await page.setViewportSize({ width: 1200, height: 760 });

  const phone = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 800 } });
  const small = await phone.newPage();
  await small.goto(`${url}/console/tokens`);
  await small.getByLabel('E-Mail').fill('ada@example.com');
  await small.getByLabel('Passwort').fill(PASSWORD);
  await small.getByRole('button', { name: 'Anmelden' }).click();
  await small.locator('table.tokens tbody tr').first().waitFor();
  await shoot(small, 'phone-de');
  console.log(`wrote docs/images/console-*.png`);
} finally {
  await browser.close();
  await herald.close();
  await rm(dataDir, { recursive: true, force: true });
}
