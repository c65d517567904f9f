// The console's operator pages in Debian's Chromium: the product's settings (the fields the
// environment sets shown read-only, with the variable named) and default limits, its
// organizations, one organization's subscription and limits changed through the UI and
// reflected by the API, and its requests of the last minutes in the usage chart. Someone who
// operates no product sees none of it, and the API refuses them anyway.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CurrentOrganizationDocument,
  CurrentProductDocument,
  MeDocument,
  OrganizationLimitsDocument,
  OrganizationProductDocument,
  OrganizationUsageDocument,
  ProductDefaultLimitsDocument,
  ProductOrganizationsDocument,
  UpdateOrganizationSubscriptionDocument,
} from './generated/graphql.ts';
import { type ConsoleBrowser, launchConsoleBrowser } from './helpers/console-browser.ts';
import { needing } from './helpers/requirements.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the console’s operator pages in a browser', 'chromium');
const MAIL_FROM = 'Acme <no-reply@acme.example>';

let server: TestServer;
/** The owner of the default product's operator organization (the oldest one, none being named). */
let operator: Account;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0', MAIL_FROM } });
  operator = await createOwner(server, { organizationName: 'Operators' });
});
afterAll(() => server?.close());

/** Waits, when the UTC minute is about to end, for the next one: the counts must not straddle two. */
async function freshMinute(secondsNeeded = 25) {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - secondsNeeded * 1000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

// What the console asks the API for besides the products' own fields.
it('answers one organization of the product by slug, and the fields the environment sets, to operators only', async () => {
  const customer = await createOwner(server);
  const as = { token: operator.accessToken };
  const { organization } = ok(await server.gql(OrganizationProductDocument, {}, { token: customer.accessToken }));
  const slug = ok(await server.gql(CurrentOrganizationDocument, {}, { token: customer.accessToken })).organization.slug;
  const productSlug = organization.product.slug;
  const one = ok(await server.gql(ProductOrganizationsDocument, { productSlug, slug }, as)).productOrganizations;
  expect(one.totalCount).toBe(1);
  expect(one.edges.map((edge) => edge.node.id)).toEqual([organization.id]);
  const none = ok(await server.gql(ProductOrganizationsDocument, { productSlug, slug: 'no-such-organization' }, as));
  expect(none.productOrganizations.edges).toEqual([]);

  const settings = (token: string) =>
    server.post({ query: '{ product { setByEnvironment { field variable } } }' }, { token });
  const seen = (await (await settings(operator.accessToken)).json()) as {
    data: { product: { setByEnvironment: { field: string; variable: string }[] | null } };
  };
  expect(seen.data.product.setByEnvironment).toEqual([{ field: 'mailFrom', variable: 'MAIL_FROM' }]);
  const hidden = (await (await settings(customer.accessToken)).json()) as typeof seen;
  expect(hidden.data.product.setByEnvironment).toBeNull();
});

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: ConsoleBrowser;
  beforeAll(async () => {
    browser = await launchConsoleBrowser(server);
  }, 60_000);
  afterAll(() => browser?.close());

  it('changes an organization’s subscription and limits, and charts its requests of the last minutes', async () => {
    await freshMinute();
    const customerName = `Customer ${Date.now()}`;
    const customer = await createOwner(server, { organizationName: customerName });
    const me = () => server.post({ query: print(MeDocument) }, { token: customer.accessToken });
    for (let i = 0; i < 4; i++) expect((await me()).status).toBe(200);

    const { context, page } = await browser.open();
    await browser.signIn(page, operator, '/console');
    const operatorNavigation = page.getByRole('list', { name: 'Operator' });
    await operatorNavigation.getByRole('link', { name: 'Organizations of the product' }).click();
    await page.getByRole('heading', { level: 1, name: /^Organizations of / }).waitFor();
    await page.getByRole('link', { name: customerName }).click();
    await page.getByRole('heading', { level: 1, name: customerName }).waitFor();

    // The chart: the requests the customer made just before, in this minute's bar.
    const bar = page.locator('figure.chart g').last();
    const charted = Number(await bar.getAttribute('data-requests'));
    const history = ok(await server.gql(OrganizationUsageDocument, { minutes: 1 }, { token: customer.accessToken }))
      .organization.usageHistory;
    // The usage query itself is one more request of the customer's.
    expect(charted).toBe((history[0]?.requests ?? 0) - 1);
    expect(charted).toBeGreaterThanOrEqual(4);
    await expect(page.locator('figure.chart figcaption').innerText()).resolves.toContain(`${charted} requests`);
    await expect(bar.locator('rect.requests').count()).resolves.toBe(1);

    // The subscription: trial on plan "pro", with a period end.
    await page.getByLabel('Status').selectOption('TRIALING');
    await page.getByLabel('Plan').fill('pro');
    await page.getByLabel('Current period ends').fill('2031-05-31');
    await page.getByRole('button', { name: 'Save subscription' }).click();
    await expect
      .poll(
        async () =>
          ok(await server.gql(OrganizationProductDocument, {}, { token: customer.accessToken })).organization
            .subscription,
      )
      .toMatchObject({ status: 'TRIALING', plan: 'pro', currentPeriodEnd: '2031-05-31T23:59:59.000Z' });

    // A limit of its own; the others stay as they were.
    const before = ok(await server.gql(OrganizationLimitsDocument, {}, { token: customer.accessToken })).organization
      .limits;
    await page.getByLabel('Requests per day').fill('5000');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await expect
      .poll(
        async () =>
          ok(await server.gql(OrganizationLimitsDocument, {}, { token: customer.accessToken })).organization.limits,
      )
      .toEqual({ ...before, requestsPerDay: 5000 });
    browser.expectClean();
    await context.close();
  });

  it('shows the product’s settings, the environment’s read-only, and saves its name and default limits', async () => {
    const { context, page } = await browser.open();
    await browser.signIn(page, operator, '/console/product');
    await page.getByRole('heading', { level: 1, name: /^Product / }).waitFor();
    const sender = page.getByLabel('Sender of emails');
    await expect(sender.inputValue()).resolves.toBe(MAIL_FROM);
    await expect(sender.getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByText('Set by the environment variable MAIL_FROM').count()).resolves.toBe(1);

    const name = `Herald ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Product ${name}` }).waitFor();
    expect(ok(await server.gql(CurrentProductDocument, {}, { token: operator.accessToken })).product.name).toBe(name);

    await page.getByLabel('Requests per minute').fill('900');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await expect
      .poll(
        async () =>
          ok(await server.gql(ProductDefaultLimitsDocument, {}, { token: operator.accessToken })).product.defaultLimits
            .requestsPerMinute,
      )
      .toBe(900);
    browser.expectClean();
    await context.close();
  });

  it('shows someone who operates no product no operator page, and the API refuses them anyway', async () => {
    const customer = await createOwner(server);
    const { context, page } = await browser.open();
    await browser.signIn(page, customer, '/console');
    await page.getByRole('heading', { name: 'Service accounts', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).waitFor();
    await expect(page.getByRole('list', { name: 'Operator' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Organizations of the product' }).count()).resolves.toBe(0);

    await page.goto(`${server.url}/console/product/organizations`);
    await page.getByRole('heading', { level: 1, name: 'For the product’s operators' }).waitFor();

    const as = { token: customer.accessToken };
    const { organization } = ok(await server.gql(OrganizationProductDocument, {}, as));
    expect(
      failure(await server.gql(ProductOrganizationsDocument, { productSlug: organization.product.slug }, as)).extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      failure(
        await server.gql(
          UpdateOrganizationSubscriptionDocument,
          { input: { organizationId: organization.id, plan: 'free-forever' } },
          as,
        ),
      ).extensions?.code,
    ).toBe('FORBIDDEN');
    browser.expectClean();
    await context.close();
  });
});
