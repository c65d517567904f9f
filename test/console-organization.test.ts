// The console's organization pages in Debian's Chromium: members and their roles, invitations
// sent, sent again and revoked, the organization's settings and the Slack URL of its security
// alerts, and the audit log filtered and paged. A member sees them without their actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  CreateServiceAccountDocument,
  CurrentOrganizationDocument,
  InviteMemberDocument,
} from './generated/graphql.ts';
import { type ConsoleBrowser, launchConsoleBrowser } from './helpers/console-browser.ts';
import { addMember, createMachineToken } from './helpers/machine.ts';
import { countEmails, tokenFromEmail, waitForEmail } from './helpers/mail.ts';
import { startReceiver } from './helpers/receiver.ts';
import { needing } from './helpers/requirements.ts';
import { createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

const inBrowser = needing('the console’s organization pages in a browser', 'chromium');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    // The test's receiver listens on loopback.
    env: { SLA_SWEEP_INTERVAL_MS: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_DELIVERY_INTERVAL_MS: '100' },
  });
});
afterAll(() => server?.close());

describe.skipIf(inBrowser.skip)(inBrowser.title, () => {
  let browser: ConsoleBrowser;
  beforeAll(async () => {
    browser = await launchConsoleBrowser(server);
  }, 60_000);
  afterAll(() => browser?.close());

  it('invites someone, sends the invitation again with a new link, and revokes another', async () => {
    const owner = await createOwner(server);
    const { context, page } = await browser.open();
    await browser.signIn(page, owner, '/console/members');
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();

    const invitee = uniqueEmail('invitee');
    await page.getByRole('button', { name: 'Invite someone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite someone' });
    await dialog.getByLabel('Email').fill(invitee);
    await dialog.getByLabel('Role').selectOption('ADMIN');
    await dialog.getByRole('button', { name: 'Send the invitation' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `An invitation is on its way to ${invitee}` })
      .waitFor();
    const first = tokenFromEmail(await waitForEmail(server.dataDir, invitee));
    const row = page.locator('table.invitations tbody tr').filter({ hasText: invitee });
    await expect.poll(() => row.innerText()).toContain('Admin');

    await row.getByRole('button', { name: `Send again ${invitee}` }).click();
    await page.getByRole('status').filter({ hasText: 'sent again' }).waitFor();
    const second = tokenFromEmail(await waitForEmail(server.dataDir, invitee, { after: 1 }));
    expect(second).not.toBe(first);
    expect(
      failure(await server.gql(AcceptInvitationDocument, { input: { token: first, name: 'I', password: PASSWORD } }))
        .extensions?.code,
    ).toBe('BAD_USER_INPUT');

    const other = uniqueEmail('other');
    ok(
      await server.gql(InviteMemberDocument, { input: { email: other, role: 'MEMBER' } }, { token: owner.accessToken }),
    );
    const otherToken = tokenFromEmail(await waitForEmail(server.dataDir, other));
    await page.reload();
    const otherRow = page.locator('table.invitations tbody tr').filter({ hasText: other });
    await otherRow.getByRole('button', { name: `Revoke ${other}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke the invitation to ${other}?` })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await expect.poll(() => otherRow.count()).toBe(0);
    expect(
      failure(
        await server.gql(AcceptInvitationDocument, { input: { token: otherToken, name: 'O', password: PASSWORD } }),
      ).extensions?.code,
    ).toBe('BAD_USER_INPUT');

    // An invitation that expired unanswered is listed as such, and sent again from there.
    const late = uniqueEmail('late');
    const { inviteMember } = ok(
      await server.gql(InviteMemberDocument, { input: { email: late, role: 'MEMBER' } }, { token: owner.accessToken }),
    );
    await server.app.db.invitation.update({
      where: { id: inviteMember.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await page.reload();
    const lateRow = page.locator('table.invitations tbody tr').filter({ hasText: late });
    await expect.poll(() => lateRow.innerText()).toContain('Expired');
    await lateRow.getByRole('button', { name: `Send again ${late}` }).click();
    await expect.poll(() => lateRow.innerText()).not.toContain('Expired');
    await waitForEmail(server.dataDir, late, { after: 1 });

    // The resent link works.
    ok(await server.gql(AcceptInvitationDocument, { input: { token: second, name: 'Ida', password: PASSWORD } }));
    await page.reload();
    await page.locator('table.members tbody tr').filter({ hasText: 'Ida' }).waitFor();
    expect(await countEmails(server.dataDir, invitee)).toBe(2);
    browser.expectClean();
    await context.close();
  });

  it('changes a role in place, shows a refusal, and removes a member after a confirmation', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner, 'MEMBER');
    const admin = await addMember(server, owner, 'ADMIN');
    const { context, page } = await browser.open();
    await browser.signIn(page, admin, '/console/members');
    const role = page.getByLabel('Role of MEMBER');
    await role.selectOption('ADMIN');
    await page.getByRole('status').filter({ hasText: 'MEMBER is now Admin.' }).waitFor();
    // Only owners make owners: Herald refuses, the console says so and shows the role as it is.
    await role.selectOption('OWNER');
    await page.getByRole('alert').waitFor();
    await expect.poll(() => role.inputValue()).toBe('ADMIN');

    await page.getByRole('button', { name: 'Remove MEMBER' }).click();
    await page.getByRole('dialog', { name: 'Remove MEMBER?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.locator('table.members tbody tr').count()).toBe(2);
    expect(
      failure(await server.gql(CurrentOrganizationDocument, {}, { token: member.accessToken })).extensions?.code,
    ).toBe('UNAUTHENTICATED');
    browser.expectClean();
    await context.close();
  });

  it('renames the organization, refuses a taken slug next to it, and sets and removes the Slack URL', async () => {
    const owner = await createOwner(server, { organizationName: 'Acme' });
    const other = await createOwner(server);
    const { context, page } = await browser.open();
    await browser.signIn(page, owner, '/console/settings');
    await page.getByLabel('Name').fill('Acme Industries');
    await page.getByLabel('Slug').fill(other.organizationSlug);
    await page.getByRole('button', { name: 'Save' }).first().click();
    const slug = page.getByLabel('Slug');
    await expect.poll(() => slug.getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Slug').fill('acme-industries');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(
      ok(await server.gql(CurrentOrganizationDocument, {}, { token: owner.accessToken })).organization,
    ).toMatchObject({ name: 'Acme Industries', slug: 'acme-industries' });

    const slack = page.getByLabel('Slack incoming-webhook URL');
    await slack.fill('not a web address');
    await page.getByRole('button', { name: 'Save' }).nth(1).click();
    await expect.poll(() => slack.getAttribute('aria-invalid')).toBe('true');
    await slack.fill('https://hooks.slack.com/services/T000/B000/secretpart1234');
    await page.getByRole('button', { name: 'Save' }).nth(1).click();
    // Masked once saved: the URL is a secret.
    await expect.poll(() => page.getByText(/^Slack:/).innerText()).toMatch(/hooks\.slack\.com/);
    expect(await page.getByText(/^Slack:/).innerText()).not.toContain('secretpart1234');
    await page.getByRole('button', { name: 'Stop posting to Slack' }).click();
    await page.getByRole('status').filter({ hasText: 'no longer posted' }).waitFor();
    await expect.poll(() => page.getByText(/^Slack:/).innerText()).toContain('not set');
    browser.expectClean();
    await context.close();
  });

  it('lists the audit log newest first, filters it by action and by who acted, and pages through it', async () => {
    const owner = await createOwner(server, { name: 'Audra' });
    for (const name of ['One', 'Two', 'Three']) {
      ok(await server.gql(CreateServiceAccountDocument, { input: { name } }, { token: owner.accessToken }));
    }
    const admin = await addMember(server, owner, 'ADMIN');
    for (let i = 0; i < 25; i++) {
      ok(
        await server.gql(CreateServiceAccountDocument, { input: { name: `Bulk ${i}` } }, { token: admin.accessToken }),
      );
    }
    const { context, page } = await browser.open();
    // One more through the console itself, which names itself to Herald.
    await browser.signIn(page, owner);
    await page.getByRole('button', { name: 'New service account' }).click();
    await page.getByRole('dialog', { name: 'New service account' }).getByLabel('Name', { exact: true }).fill('Four');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Four', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Audit log' }).click();
    const rows = page.locator('table.audit tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows.count()).toBeLessThan(25);
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows.count()).toBe(25);

    await page.getByLabel('Action').fill('service_account.created');
    await page.getByLabel('Who').selectOption({ label: 'Audra' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('service_account.created');
      expect(text).toContain('Audra');
    }
    await page.getByRole('status').filter({ hasText: '4 events' }).waitFor();
    // Newest first: the one made in the console, which the log says.
    expect(await rows.first().innerText()).toContain('console');
    expect(await rows.nth(1).innerText()).not.toContain('console');
    browser.expectClean();
    await context.close();
  });

  it('adds a webhook endpoint whose secret, shown once, verifies what it is sent; tests, replays, disables, deletes', async () => {
    const owner = await createOwner(server);
    const receiver = await startReceiver();
    const { context, page } = await browser.open();
    try {
      await browser.signIn(page, owner, '/console/webhooks');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const add = page.getByRole('dialog', { name: 'Add endpoint' });
      await add.getByLabel('Endpoint URL').fill(receiver.url);
      await add.getByRole('button', { name: 'Save' }).click();
      // No event chosen: Herald's refusal, next to the events.
      await add.locator('fieldset.events.invalid').waitFor();
      await add.getByRole('checkbox', { name: 'api_token.created' }).check();
      await add.getByRole('button', { name: 'Save' }).click();
      const once = page.getByRole('dialog', { name: 'Copy the signing secret' });
      const secret = await once.getByLabel('Signing secret').inputValue();
      expect(secret).toMatch(/^whsec_/);
      await once.getByRole('button', { name: 'I have stored it' }).click();
      await page.getByRole('heading', { name: receiver.url }).waitFor();

      await page.getByRole('button', { name: 'Send a test' }).click();
      await expect.poll(() => receiver.received.length).toBe(1);
      expect(receiver.verified(secret).map((message) => message.type)).toEqual(['webhook.test']);

      await createMachineToken(server, owner, ['read:organization']);
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
      const rows = page.locator('table.deliveries tbody tr');
      const created = rows.filter({ hasText: 'api_token.created' });
      await expect
        .poll(async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return created.innerText();
        })
        .toContain('Succeeded');
      expect(await created.innerText()).toMatch(/\b204\b/);

      await created.getByRole('button', { name: /^Replay/ }).click();
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(3);
      expect(receiver.received[2]?.headers['webhook-id']).toBe(receiver.received[1]?.headers['webhook-id']);
      receiver.verified(secret);

      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('status').filter({ hasText: 'nothing is sent' }).waitFor();
      await page.getByLabel('Status').selectOption('SUCCEEDED');
      await expect.poll(() => rows.count()).toBe(3);

      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog', { name: 'Delete the endpoint?' }).getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await page.getByText('No endpoints.').waitFor();
      browser.expectClean();
    } finally {
      await context.close();
      await receiver.close();
    }
  });

  it('shows a member the organization without the actions that change it', async () => {
    const owner = await createOwner(server);
    const member = await addMember(server, owner, 'MEMBER');
    ok(
      await server.gql(
        InviteMemberDocument,
        { input: { email: uniqueEmail('pending'), role: 'MEMBER' } },
        { token: owner.accessToken },
      ),
    );
    const { context, page } = await browser.open();
    await browser.signIn(page, member, '/console/members');
    await page.locator('table.invitations tbody tr').first().waitFor();
    for (const action of ['Invite someone', /^Remove/, /^Send again/, /^Revoke/]) {
      expect(await page.getByRole('button', { name: action }).count(), String(action)).toBe(0);
    }
    expect(await page.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Security alerts' }).waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    browser.expectClean();
    await context.close();
  });
});
