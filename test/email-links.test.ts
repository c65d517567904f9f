// The links in invitation and reset emails, followed as a person would: taken out of the
// email, opened, and the flow finished with what the page says. By default they lead to
// Herald's own pages; with INVITATION_URL and PASSWORD_RESET_URL, to the product's frontend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  InviteMemberDocument,
  LoginDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
} from './generated/graphql.ts';
import { linkFromEmail, waitForEmail } from './helpers/mail.ts';
import { createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

/** Opens a link and reads the page as a browser shows it: its token and its mutation. */
async function open(link: string) {
  const response = await fetch(link);
  const html = await response.text();
  const text = (id: string) =>
    /<pre id="(\w+)">([\s\S]*?)<\/pre>/g
      .exec(html.slice(html.indexOf(`<pre id="${id}">`)))?.[2]
      ?.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
  const graphiql = /<a id="graphiql" href="([^"]+)"/
    .exec(html)?.[1]
    ?.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)));
  return { response, html, token: text('token'), mutation: text('mutation'), graphiql };
}

describe('email links by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('an invitation link opens a page with the token and the mutation, which lets the person join', async () => {
    const owner = await createOwner(server);
    const email = uniqueEmail('invitee');
    ok(await server.gql(InviteMemberDocument, { input: { email, role: 'MEMBER' } }, { token: owner.accessToken }));
    const link = linkFromEmail(await waitForEmail(server.dataDir, email));
    expect(link.startsWith(`${server.url}/accept-invitation?token=`)).toBe(true);

    const page = await open(link);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.html).toContain('Accept your invitation');
    expect(page.token).toBe(new URL(link).searchParams.get('token'));
    expect(page.mutation).toContain(`acceptInvitation(input: { token: "${page.token}"`);
    // The GraphiQL link opens the explorer with that mutation in the editor.
    const explorer = new URL(page.graphiql as string, server.url);
    expect(explorer.pathname).toBe('/graphql');
    expect(explorer.searchParams.get('query')).toBe(page.mutation);

    const { acceptInvitation } = ok(
      await server.gql(AcceptInvitationDocument, {
        input: { token: page.token as string, name: 'Invitee', password: PASSWORD },
      }),
    );
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);
  });

  it('a reset link opens a page whose token sets the new password', async () => {
    const owner = await createOwner(server);
    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const link = linkFromEmail(await waitForEmail(server.dataDir, owner.email));
    expect(link.startsWith(`${server.url}/reset-password?token=`)).toBe(true);

    const page = await open(link);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('Reset your password');
    expect(page.mutation).toContain(`resetPassword(input: { token: "${page.token}"`);
    const password = 'a new and longer passphrase';
    ok(await server.gql(ResetPasswordDocument, { input: { token: page.token as string, password } }));
    const { login } = ok(await server.gql(LoginDocument, { input: { email: owner.email, password } }));
    expect(login.__typename).toBe('AuthPayload');
  });

  it('escapes what the link carries, and says so when the token is missing', async () => {
    const hostile = await open(
      `${server.url}/accept-invitation?token=${encodeURIComponent('"><script>alert(1)</script>')}`,
    );
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.token).toBe('"><script>alert(1)</script>');

    const missing = await open(`${server.url}/reset-password`);
    expect(missing.response.status).toBe(400);
    expect(missing.html).toContain('This link has no token.');
  });
});

describe('email links to a configured frontend', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        INVITATION_URL: 'https://app.example/join?invitation={token}&from=email',
        PASSWORD_RESET_URL: 'https://app.example/reset/{token}',
      },
    });
  });
  afterAll(() => server?.close());

  it('carry the frontend link with the token in place, and no link to Herald', async () => {
    const owner = await createOwner(server);
    const email = uniqueEmail('invitee');
    ok(await server.gql(InviteMemberDocument, { input: { email, role: 'MEMBER' } }, { token: owner.accessToken }));
    const invitation = await waitForEmail(server.dataDir, email);
    const invitationLink = new URL(linkFromEmail(invitation));
    expect(`${invitationLink.origin}${invitationLink.pathname}`).toBe('https://app.example/join');
    expect(invitationLink.searchParams.get('from')).toBe('email');
    const token = invitationLink.searchParams.get('invitation') as string;
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(invitation).not.toContain(server.url);
    ok(await server.gql(AcceptInvitationDocument, { input: { token, name: 'Invitee', password: PASSWORD } }));

    ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
    const reset = await waitForEmail(server.dataDir, owner.email);
    const resetLink = linkFromEmail(reset);
    expect(resetLink).toMatch(/^https:\/\/app\.example\/reset\/[\w-]{40,}$/);
    expect(reset).not.toContain(server.url);
    const resetToken = resetLink.split('/').at(-1) as string;
    ok(
      await server.gql(ResetPasswordDocument, {
        input: { token: resetToken, password: 'a new and longer passphrase' },
      }),
    );
  });
});
