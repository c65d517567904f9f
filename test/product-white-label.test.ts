// White-label: a product's emails carry its name and sender and lead to its pages; messages
// fall back to its default language; its pages' origins may call Herald for it, and no other
// product's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CreateProductDocument,
  InviteMemberDocument,
  LoginDocument,
  MeDocument,
  RequestPasswordResetDocument,
  UpdateProductDocument,
  UpdateProfileDocument,
} from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { countEmails, emailBody, emailSubject, linkFromEmail, waitForEmail } from './helpers/mail.ts';
import { productHeader, uniqueProductSlug } from './helpers/products.ts';
import { type Account, createOwner, uniqueEmail } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

const CONSOLE = 'https://console.herald.test';
const SHOP = 'https://app.shop.test';

let server: TestServer;
let operator: Account;
let slug: string;

beforeAll(async () => {
  server = await startServer({ env: { NODE_ENV: 'production', CORS_ORIGINS: CONSOLE } });
  operator = await createOwner(server, { organizationName: 'Operators' });
  slug = uniqueProductSlug('shop');
  ok(
    await server.gql(
      CreateProductDocument,
      {
        input: {
          slug,
          name: 'Shop',
          defaultLocale: 'de',
          features: ['work_items'],
          allowedOrigins: [SHOP],
          mailFrom: 'Shop <hello@shop.test>',
          invitationUrl: 'https://app.shop.test/join?t={token}',
          passwordResetUrl: 'https://app.shop.test/reset/{token}',
        },
      },
      { token: operator.accessToken },
    ),
  );
});
afterAll(() => server?.close());

describe('emails', () => {
  it('an invitation carries the product’s name and sender and leads to its page', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    const invitee = uniqueEmail('invitee');
    ok(
      await server.gql(
        InviteMemberDocument,
        { input: { email: invitee, role: 'MEMBER' } },
        { token: owner.accessToken },
      ),
    );
    const eml = await waitForEmail(server.dataDir, invitee);
    expect(eml).toMatch(/^From: Shop <hello@shop\.test>$/m);
    // Shop writes German: the invitee is new to Herald, so the product's language decides.
    expect(emailSubject(eml)).toMatch(/^Einladung zu .* bei Shop$/);
    expect(emailBody(eml)).toContain('Öffnen Sie diesen Link innerhalb von 7 Tagen');
    expect(linkFromEmail(eml)).toMatch(/^https:\/\/app\.shop\.test\/join\?t=/);
    expect(emailBody(eml)).not.toContain('Herald');
  });

  it('a password reset asked for in the product is the product’s; the default product’s stays Herald’s', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    ok(
      await server.gql(
        RequestPasswordResetDocument,
        { input: { email: owner.email } },
        { headers: productHeader(slug) },
      ),
    );
    const eml = await waitForEmail(server.dataDir, owner.email);
    expect(eml).toMatch(/^From: Shop <hello@shop\.test>$/m);
    expect(emailSubject(eml)).toBe('Ihr Passwort für Shop zurücksetzen');
    expect(linkFromEmail(eml)).toMatch(/^https:\/\/app\.shop\.test\/reset\//);

    const herald = await createOwner(server);
    ok(await server.gql(RequestPasswordResetDocument, { input: { email: herald.email } }));
    const own = await waitForEmail(server.dataDir, herald.email);
    expect(own).toMatch(/^Subject: Reset your Herald password$/m);
  });

  it('a security alert comes from the product, and its audit event names it (Shop has no audit feature: read in the database)', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    // A token that may do everything is a privileged token: its owners and admins hear of it.
    await createMachineToken(server, owner, ['write:*']);
    const eml = await waitForEmail(server.dataDir, owner.email);
    expect(eml).toMatch(/^From: Shop <hello@shop\.test>$/m);
    const raised = await server.app.db.auditEvent.findFirstOrThrow({
      where: { organizationId: owner.organizationId, action: 'security_alert.raised' },
    });
    expect(raised.metadata).toMatchObject({ product: 'Shop' });
  });

  it('sends no reset to a person the product does not know, and answers the same', async () => {
    const elsewhere = await createOwner(server);
    const { requestPasswordReset } = ok(
      await server.gql(
        RequestPasswordResetDocument,
        { input: { email: elsewhere.email } },
        { headers: productHeader(slug) },
      ),
    );
    expect(requestPasswordReset).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await countEmails(server.dataDir, elsewhere.email)).toBe(0);
  });
});

describe('languages', () => {
  it('a signed-in user follows the product’s language until they choose their own, in answers, emails and me.locale', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    const invalid = { input: { name: '' } };
    const refusedIn = async (locale?: string) =>
      failure(await server.gql(UpdateProfileDocument, invalid, { token: owner.accessToken, ...(locale && { locale }) }))
        .message;
    const [german, english] = [await refusedIn(), await refusedIn('en')];
    expect(german).not.toBe(english);
    expect(ok(await server.gql(MeDocument, {}, { token: owner.accessToken })).me.locale).toBe('de');

    ok(await server.gql(UpdateProfileDocument, { input: { locale: 'cs' } }, { token: owner.accessToken }));
    const czech = await refusedIn();
    expect([german, english]).not.toContain(czech);
    expect(ok(await server.gql(MeDocument, {}, { token: owner.accessToken })).me.locale).toBe('cs');
    ok(
      await server.gql(
        RequestPasswordResetDocument,
        { input: { email: owner.email } },
        { headers: productHeader(slug) },
      ),
    );
    expect(emailSubject(await waitForEmail(server.dataDir, owner.email))).toBe('Obnovení hesla k Shop');
  });

  it('an email asked for in a language is written in it', async () => {
    const owner = await createOwner(server, { headers: productHeader(slug) });
    ok(
      await server.gql(
        RequestPasswordResetDocument,
        { input: { email: owner.email } },
        { headers: productHeader(slug), locale: 'en' },
      ),
    );
    expect(emailSubject(await waitForEmail(server.dataDir, owner.email))).toBe('Reset your Shop password');
  });

  it('answers in the product’s default language when nothing else decides, and as asked otherwise', async () => {
    const input = { email: uniqueEmail(), password: 'not the password' };
    const inShop = failure(await server.gql(LoginDocument, { input }, { headers: productHeader(slug) }));
    const inDefault = failure(await server.gql(LoginDocument, { input }));
    const asked = failure(await server.gql(LoginDocument, { input }, { headers: productHeader(slug), locale: 'en' }));
    expect(inShop.extensions?.code).toBe('UNAUTHENTICATED');
    expect(inShop.message).not.toBe(inDefault.message);
    expect(asked.message).toBe(inDefault.message);
  });
});

describe('cross-site requests', () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-product-slug',
      },
    });
  const request = (origin: string, headers: Record<string, string> = {}) =>
    server.post({ query: '{ product { slug } }' }, { headers: { origin, ...headers } });
  const allowOrigin = (response: Response) => response.headers.get('access-control-allow-origin');

  it('lets a preflight through for an origin any product allows, and no other', async () => {
    expect(allowOrigin(await preflight(SHOP))).toBe(SHOP);
    expect(allowOrigin(await preflight(CONSOLE))).toBe(CONSOLE);
    expect(allowOrigin(await preflight('https://evil.test'))).toBeNull();
  });

  it('lets a page read only answers for its own product', async () => {
    expect(allowOrigin(await request(SHOP, productHeader(slug)))).toBe(SHOP);
    expect(allowOrigin(await request(SHOP))).toBeNull();
    expect(allowOrigin(await request(CONSOLE))).toBe(CONSOLE);
    expect(allowOrigin(await request(CONSOLE, productHeader(slug)))).toBeNull();
    // A signed-in page of the product may leave the header out: its token names the product.
    const shopper = await createOwner(server, { headers: productHeader(slug) });
    const response = await server.post(
      { query: '{ product { slug } }' },
      { token: shopper.accessToken, headers: { origin: SHOP } },
    );
    expect(allowOrigin(response)).toBe(SHOP);
  });

  it('refuses a browser WebSocket of one product’s origin for another', async () => {
    const upgrade = (query: string) =>
      new Promise<number | 'open'>((resolve, reject) => {
        const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql${query}`, 'graphql-transport-ws', {
          origin: SHOP,
        });
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('open', () => {
          resolve('open');
          socket.close();
        });
        socket.once('error', reject);
      });
    expect(await upgrade(`?product=${slug}`)).toBe('open');
    expect(await upgrade('?product=default')).toBe(403);
  });

  it('keeps the default product’s origins with CORS_ORIGINS, refusing to change them', async () => {
    const refused = failure(
      await server.gql(
        UpdateProductDocument,
        { input: { productSlug: 'default', allowedOrigins: [SHOP] } },
        { token: operator.accessToken },
      ),
    );
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'CORS_ORIGINS' });
  });
});
