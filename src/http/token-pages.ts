// Herald is headless: invitation and reset emails should link to the product's frontend
// (INVITATION_URL, PASSWORD_RESET_URL). Until one is configured, the links lead here, to a
// page that says which mutation takes the token, with the token filled in and a link that
// opens it in GraphiQL, so that a newcomer who clicks never meets a 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.ts';

interface TokenPage {
  title: string;
  /** What the link is for, and the variable that points it at a frontend instead. */
  intro: string;
  mutation: (token: string) => string;
}

const pages = {
  invitation: {
    title: 'Accept your invitation',
    intro:
      'You were invited to an organization on Herald. Accept by calling the acceptInvitation mutation with this token: give your name and a new password, or, if you already have an account, your current password. The invitation is valid for 7 days.',
    mutation: (token) => `mutation AcceptInvitation {
  acceptInvitation(input: { token: ${JSON.stringify(token)}, name: "Your name", password: "your password" }) {
    accessToken
    refreshToken
    user { id email name }
    organization { id name slug }
  }
}`,
  },
  passwordReset: {
    title: 'Reset your password',
    intro:
      'Someone asked to reset the password of your Herald account. If it was you, set a new password by calling the resetPassword mutation with this token within 30 minutes; it works once, and every session of the account ends.',
    mutation: (token) => `mutation ResetPassword {
  resetPassword(input: { token: ${JSON.stringify(token)}, password: "a new, long passphrase" })
}`,
  },
} satisfies Record<string, TokenPage>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The token is in this page's URL: it must not travel on as a referrer or sit in a cache.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

function render(page: TokenPage, token: string | null, variable: string): string {
  const body = token
    ? `<p>${escapeHtml(page.intro)}</p>
<p>Your token:</p>
<pre id="token">${escapeHtml(token)}</pre>
<p>The mutation, ready to run:</p>
<pre id="mutation">${escapeHtml(page.mutation(token))}</pre>
<p><a id="graphiql" href="/graphql?query=${escapeHtml(encodeURIComponent(page.mutation(token)))}">Open it in GraphiQL</a>, fill in the placeholders and run it.</p>`
    : '<p>This link has no token. Open the whole link from the email, or ask for a new one.</p>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Herald</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2328}pre{background:#f6f8fa;padding:1rem;overflow:auto;white-space:pre-wrap;word-break:break-all}small{color:#59636e}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${body}
<p><small>Herald is a headless service: this page stands in for your product’s own page. Operators point these links at the frontend with ${escapeHtml(variable)}.</small></p>
</body>
</html>
`;
}

const tokenPage = (page: TokenPage, variable: string) => (_app: App, req: IncomingMessage, res: ServerResponse) => {
  const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  res.writeHead(token ? 200 : 400, HEADERS);
  res.end(render(page, token, variable));
};

export const tokenPages = {
  '/accept-invitation': tokenPage(pages.invitation, 'INVITATION_URL'),
  '/reset-password': tokenPage(pages.passwordReset, 'PASSWORD_RESET_URL'),
};
