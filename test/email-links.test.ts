// The links in invitation and password reset emails, followed as a person would: taken out of
// the email, opened, and the flow finished with what the page shows. Unconfigured, they lead to
// Herald's own pages; with INVITATION_URL and PASSWORD_RESET_URL, to the product's frontend.
import { createHash } from 'node:crypto';
import { Kind, parse, visit } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  InviteMemberDocument,
  LoginDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
} from './generated/graphql.ts';
import { emailBody, linkFromEmail, waitForEmail } from './helpers/mail.ts';
import { type Account, createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, type GraphQLResponse, ok, startServer, type TestServer } from './helpers/server.ts';

const NEW_PASSWORD = 'a brand new passphrase';

const unescapeHtml = (html: string) =>
  html.replace(/&#(\d+);/g, (_whole, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/** Opens a link as a browser would and reads what the page shows. */
async function open(link: string, headers: Record<string, string> = {}) {
  const response = await fetch(link, { headers });
  const html = await response.text();
  const pre = (id: string) => {
    const match = new RegExp(`<pre id="${id}">([^<]*)</pre>`).exec(html);
    return match ? unescapeHtml(match[1] as string) : undefined;
  };
  const href = /<a id="explorer" href="([^"]*)"/.exec(html)?.[1];
  return {
    response,
    html,
    token: pre('token'),
    mutation: pre('mutation'),
    explorer: href === undefined ? undefined : new URL(unescapeHtml(href), link),
  };
}

/** The string given as `token:` in a GraphQL document. */
function tokenArgument(document: string): string | undefined {
  let token: string | undefined;
  visit(parse(document), {
    ObjectField(field) {
      if (field.name.value === 'token' && field.value.kind === Kind.STRING) token = field.value.value;
    },
  });
  return token;
}

async function run<T>(server: TestServer, query: string): Promise<GraphQLResponse<T>> {
  return (await server.post({ query })).json() as Promise<GraphQLResponse<T>>;
}

async function signIn(server: TestServer, email: string, password: string) {
  return ok(await server.gql(LoginDocument, { input: { email, password } })).login;
}

async function invite(server: TestServer, owner: Account, email: string) {
  ok(await server.gql(InviteMemberDocument, { input: { email, role: 'MEMBER' } }, { token: owner.accessToken }));
  return waitForEmail(server.dataDir, email);
}

async function requestReset(server: TestServer, email: string) {
  ok(await server.gql(RequestPasswordResetDocument, { input: { email } }));
  return waitForEmail(server.dataDir, email);
}

describe('email links to Herald’s own pages (INVITATION_URL and PASSWORD_RESET_URL unset)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => server?.close());

  it.each([
    ['a newcomer', false],
    ['someone who already has an account', true],
  ])('%s follows the invitation link, runs the mutation the page shows and signs in', async (_who, hasAccount) => {
    const owner = await createOwner(server);
    const email = hasAccount ? (await createOwner(server)).email : uniqueEmail('newcomer');
    const link = linkFromEmail(await invite(server, owner, email));
    expect(link.startsWith(`${server.url}/accept-invitation?token=`)).toBe(true);

    const page = await open(link);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<h1>Accept your invitation</h1>');
    expect(page.html).toContain('<code>acceptInvitation(input: { token, name, password })</code>');
    expect(page.token).toBe(new URL(link).searchParams.get('token'));

    // The explorer link opens GraphiQL with the page's mutation in its editor.
    const explorer = page.explorer as URL;
    expect(`${explorer.origin}${explorer.pathname}`).toBe(`${server.url}/graphql`);
    const mutation = explorer.searchParams.get('query') as string;
    expect(mutation).toBe(page.mutation);
    expect(tokenArgument(mutation)).toBe(page.token);
    const graphiql = await fetch(explorer, { headers: { accept: 'text/html' } });
    expect([graphiql.status, graphiql.headers.get('content-type')]).toEqual([200, 'text/html']);

    // Run as shown, with its blanks empty, it changes nothing.
    expect(failure(await run(server, mutation)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    // As the page says: a newcomer fills in a name, someone with an account removes it.
    const filledIn = mutation
      .replace('name: "", ', hasAccount ? '' : 'name: "Newcomer", ')
      .replace('password: ""', `password: "${PASSWORD}"`);
    const { acceptInvitation } = ok(
      await run<{ acceptInvitation: { organization: { id: string } } }>(server, filledIn),
    );
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);

    const login = await signIn(server, email, PASSWORD);
    const organizations =
      login.__typename === 'AuthPayload' ? [login.organization.id] : login.organizations.map((o) => o.id);
    expect(organizations).toContain(owner.organizationId);
    expect(login.__typename).toBe(hasAccount ? 'OrganizationSelection' : 'AuthPayload');
  });

  it('a reset link opens a page whose mutation, with a new password filled in, lets the person sign in with it', async () => {
    const account = await createOwner(server);
    const link = linkFromEmail(await requestReset(server, account.email));
    expect(link.startsWith(`${server.url}/reset-password?token=`)).toBe(true);

    const page = await open(link);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('<h1>Reset your password</h1>');
    expect(page.html).toContain('<code>resetPassword(input: { token, password })</code>');
    expect(page.token).toBe(new URL(link).searchParams.get('token'));
    const mutation = page.explorer?.searchParams.get('query') as string;
    expect(mutation).toBe(page.mutation);
    expect(tokenArgument(mutation)).toBe(page.token);

    expect(failure(await run(server, mutation)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'password',
    });
    ok(await run(server, mutation.replace('password: ""', `password: "${NEW_PASSWORD}"`)));

    expect((await signIn(server, account.email, NEW_PASSWORD)).__typename).toBe('AuthPayload');
    const old = failure(await server.gql(LoginDocument, { input: { email: account.email, password: PASSWORD } }));
    expect(old.extensions?.code).toBe('UNAUTHENTICATED');
  });

  describe.each(['/accept-invitation', '/reset-password'])('%s', (path) => {
    it('keeps the token to itself: no referrer, no cache, and a policy that allows only its own style', async () => {
      const page = await open(`${server.url}${path}?token=abc`);
      const headers = page.response.headers;
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      const policy = headers.get('content-security-policy') ?? '';
      expect(policy.split('; ')).toEqual(
        expect.arrayContaining([
          "default-src 'none'",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ]),
      );
      expect(policy).not.toMatch(/unsafe|script-src/);
      const style = /<style>([^<]*)<\/style>/.exec(page.html)?.[1] as string;
      expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    });

    it('escapes what the link carries', async () => {
      const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
      const page = await open(`${server.url}${path}?token=${encodeURIComponent(hostile)}`);
      expect(page.response.status).toBe(200);
      expect(page.html).not.toMatch(/<script|<img/);
      expect(page.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
      expect(page.token).toBe(hostile);
      expect(tokenArgument(page.explorer?.searchParams.get('query') as string)).toBe(hostile);
    });

    it('says what to do when the token is missing', async () => {
      const page = await open(`${server.url}${path}`);
      expect(page.response.status).toBe(400);
      expect(page.html).toContain('This link has lost its token.');
      expect(page.token).toBeUndefined();
    });
  });

  it.each([
    ['/accept-invitation', { 'accept-language': 'cs-CZ,cs;q=0.9,en;q=0.5' }, 'cs', 'Přijetí pozvánky'],
    ['/reset-password', { 'accept-language': 'de' }, 'de', 'Passwort zurücksetzen'],
    ['/reset-password?locale=cs', { 'accept-language': 'de' }, 'cs', 'Obnovení hesla'],
    ['/accept-invitation', { 'accept-language': 'ja' }, 'en', 'Accept your invitation'],
  ])('%s speaks the reader’s language (%o)', async (path, headers, lang, title) => {
    const page = await open(`${server.url}${path}${path.includes('?') ? '&' : '?'}token=abc`, headers);
    expect(page.html).toContain(`<html lang="${lang}">`);
    expect(page.html).toContain(`<h1>${title}</h1>`);
    expect(page.response.headers.get('content-language')).toBe(lang);
  });
});

describe('email links to the product’s frontend (INVITATION_URL and PASSWORD_RESET_URL set)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        SLA_SWEEP_INTERVAL_MS: '0',
        INVITATION_URL: 'https://app.example.com/invite?token={token}&from=email',
        PASSWORD_RESET_URL: 'https://app.example.com/reset/{token}',
      },
    });
  });
  afterAll(() => server?.close());

  it('an invitation carries the frontend link with the token in place, and the token works', async () => {
    const owner = await createOwner(server);
    const email = uniqueEmail('newcomer');
    const mail = await invite(server, owner, email);
    const link = linkFromEmail(mail);
    const [, token] = /^https:\/\/app\.example\.com\/invite\?token=([\w-]{43})&from=email$/.exec(link) ?? [];
    expect(token).toBeDefined();
    expect(emailBody(mail)).not.toMatch(/127\.0\.0\.1|accept-invitation/);

    const { acceptInvitation } = ok(
      await server.gql(AcceptInvitationDocument, { input: { token: token as string, name: 'N', password: PASSWORD } }),
    );
    expect(acceptInvitation.organization.id).toBe(owner.organizationId);
    expect((await signIn(server, email, PASSWORD)).__typename).toBe('AuthPayload');
  });

  it('a reset email carries the frontend link with the token in place, and the token works', async () => {
    const account = await createOwner(server);
    const mail = await requestReset(server, account.email);
    const [, token] = /^https:\/\/app\.example\.com\/reset\/([\w-]{43})$/.exec(linkFromEmail(mail)) ?? [];
    expect(token).toBeDefined();
    expect(emailBody(mail)).not.toMatch(/127\.0\.0\.1|reset-password/);

    ok(await server.gql(ResetPasswordDocument, { input: { token: token as string, password: NEW_PASSWORD } }));
    expect((await signIn(server, account.email, NEW_PASSWORD)).__typename).toBe('AuthPayload');
  });
});
