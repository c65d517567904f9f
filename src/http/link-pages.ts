// Where invitation and password reset emails lead until INVITATION_URL and PASSWORD_RESET_URL
// send them to the product's frontend: a page that says what the link is for, shows the
// token and the mutation that takes it, ready to run in GraphiQL. A newcomer who clicks the
// link never meets a 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESET_TTL_MS } from '../accounts/passwords.ts';
import { headersOf, requestedLocale } from '../graphql/context.ts';
import { type Locale, type MessageKey, type MessageParams, translate } from '../i18n/messages.ts';
import { type EmailLink, LANDING_PATHS } from '../mail/links.ts';
import { INVITATION_TTL_MS } from '../members/invitations.ts';
import type { App } from '../platform/app.ts';
import { CONSOLE_PATH } from './console.ts';
import { escapeHtml, htmlPage } from './html.ts';
import { GRAPHQL_PATH } from './yoga.ts';

interface LinkPage {
  title: MessageKey;
  intro: MessageKey;
  how: MessageKey;
  fillIn: MessageKey;
  /** The variable that sends these links to a frontend instead. */
  variable: string;
  /** The admin console's page for the same token, when the console is on. */
  consolePath: string;
  openInConsole: MessageKey;
  /** Code the instructions name, and their other parameters. */
  code: Record<string, string>;
  params: MessageParams;
  /**
   * The mutation with the token in place. The blanks are empty strings, which the API
   * refuses, so running it unedited changes nothing and no guessable password is suggested.
   */
  mutation(token: string): string;
}

const pages: Record<EmailLink, LinkPage> = {
  invitation: {
    title: 'invitationPageTitle',
    intro: 'invitationPageIntro',
    how: 'invitationPageHow',
    fillIn: 'invitationPageFillIn',
    variable: 'INVITATION_URL',
    consolePath: `${CONSOLE_PATH}/accept-invitation`,
    openInConsole: 'linkPageAcceptInConsole',
    code: { mutation: 'acceptInvitation(input: { token, name, password })', endpoint: GRAPHQL_PATH },
    params: { days: INVITATION_TTL_MS / 86_400_000 },
    mutation: (token) => `mutation AcceptInvitation {
  acceptInvitation(input: { token: ${graphqlString(token)}, name: "", password: "" }) {
    accessToken
    refreshToken
    user { id email name }
    organization { id name slug }
  }
}`,
  },
  passwordReset: {
    title: 'resetPageTitle',
    intro: 'resetPageIntro',
    how: 'resetPageHow',
    fillIn: 'resetPageFillIn',
    variable: 'PASSWORD_RESET_URL',
    consolePath: `${CONSOLE_PATH}/reset-password`,
    openInConsole: 'linkPageResetInConsole',
    code: {
      mutation: 'resetPassword(input: { token, password })',
      endpoint: GRAPHQL_PATH,
      login: 'login(input: { email, password })',
    },
    params: { minutes: RESET_TTL_MS / 60_000 },
    mutation: (token) => `mutation ResetPassword {
  resetPassword(input: { token: ${graphqlString(token)}, password: "" })
}`,
  },
};

// JSON string escapes are valid GraphQL string escapes.
const graphqlString = (value: string) => JSON.stringify(value);

/** A translated paragraph, escaped, with the code it names set as code. */
function prose(locale: Locale, key: MessageKey, code: Record<string, string> = {}, params: MessageParams = {}) {
  return escapeHtml(translate(locale, key, params)).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const snippet = code[name];
    return snippet === undefined ? whole : `<code>${escapeHtml(snippet)}</code>`;
  });
}

function body(page: LinkPage, locale: Locale, token: string | null, withConsole: boolean): string {
  const intro = `<p>${prose(locale, page.intro)}</p>`;
  const how = `<p>${prose(locale, page.how, page.code, page.params)}</p>`;
  const note = `<p class="note">${prose(locale, 'linkPageOperators', { variable: page.variable })}</p>`;
  if (!token) return [intro, `<p><strong>${prose(locale, 'linkPageNoToken')}</strong></p>`, how, note].join('\n');
  const mutation = `# ${translate(locale, page.fillIn)}\n${page.mutation(token)}\n`;
  const explorer = `${GRAPHQL_PATH}?query=${encodeURIComponent(mutation)}`;
  const inConsole = `${page.consolePath}?token=${encodeURIComponent(token)}`;
  return [
    intro,
    // A form for people, where the console is on; the rest is for developers.
    withConsole
      ? `<p><a id="console" href="${escapeHtml(inConsole)}">${prose(locale, page.openInConsole)}</a></p>`
      : '',
    `<h2>${prose(locale, 'linkPageToken')}</h2>`,
    `<pre id="token">${escapeHtml(token)}</pre>`,
    how,
    `<h2>${prose(locale, 'linkPageExample')}</h2>`,
    `<pre id="mutation">${escapeHtml(mutation)}</pre>`,
    `<p><a id="explorer" href="${escapeHtml(explorer)}">${prose(locale, 'linkPageOpenExplorer')}</a></p>`,
    note,
  ]
    .filter(Boolean)
    .join('\n');
}

const linkPage = (page: LinkPage) => (app: App, req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const token = url.searchParams.get('token') || null;
  const locale = requestedLocale({ url: url.href, headers: headersOf(req) }) ?? 'en';
  htmlPage(
    res,
    token ? 200 : 400,
    { lang: locale, title: translate(locale, page.title), body: body(page, locale, token, app.config.CONSOLE) },
    {
      // The token is in this page's address: it must not leave as a referrer or stay in a cache.
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-language': locale,
      'x-robots-tag': 'noindex',
    },
  );
};

export const linkPages = Object.fromEntries(
  (Object.keys(pages) as EmailLink[]).map((link) => [LANDING_PATHS[link], linkPage(pages[link])]),
);
