// GraphiQL at GET /graphql, rendered from our own dependencies (no CDN), so the explorer
// works offline and behind firewalls. Subscriptions typed in it run over Server-Sent
// Events: GraphiQL sends the Headers pane (Authorization) with them, which its WebSocket
// client cannot do, and SSE keeps the same token rules as the socket (live-streams.ts).
import { createHash } from 'node:crypto';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { contentSecurityPolicy } from './page-headers.ts';

const WELCOME = `# Herald: sign-in, machine access and live
# notifications behind one GraphQL API.
# The Docs pane lists every operation.
#
# 1. Run the mutation below (or \`login\`) and
#    copy accessToken from the result.
# 2. In the Headers pane below, put
#    {"Authorization": "Bearer <accessToken>"}
# 3. Run { me { email } }, or subscribe with
#    subscription {
#      notificationAdded {
#        notification { title } unreadCount
#      }
#    }
#    and see notifications arrive live.

mutation Register {
  register(input: {
    email: "you@example.com"
    password: "choose a long passphrase"
    name: "You"
    organizationName: "Acme"
  }) {
    accessToken
    refreshToken
    user { id email }
    organization { id name slug }
  }
}
`;

export const explorerOptions: GraphiQLOptions = {
  title: 'Herald',
  defaultQuery: WELCOME,
  subscriptionsProtocol: 'SSE',
};

interface ExplorerPage {
  html: string;
  /** Its Content-Security-Policy: its own inline script, by hash, and nothing else runs. */
  policy: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function policyOf(html: string): string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => sha256(match[1] as string));
  return contentSecurityPolicy({
    'script-src': scripts.join(' '),
    // Monaco and GraphiQL add style elements and attributes as they run; styles cannot run code.
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data:",
    'font-src': "'self' data:",
    'connect-src': "'self'",
    // The editor's workers are made from blobs of the inline script.
    'worker-src': 'blob:',
  });
}

// The page inlines the whole explorer (megabytes of script): it is loaded on the first visit,
// not at start, and rendered once per set of options.
const rendered = new Map<string, Promise<ExplorerPage>>();
function explorerPage(options: GraphiQLOptions): Promise<ExplorerPage> {
  const key = JSON.stringify(options);
  let page = rendered.get(key);
  if (page === undefined) {
    page = import('@graphql-yoga/render-graphiql')
      .then(({ renderGraphiQL }) => renderGraphiQL(options))
      .then((html) => ({ html, policy: policyOf(html) }));
    rendered.set(key, page);
  }
  return page;
}

export const renderExplorer = (options: GraphiQLOptions) => explorerPage(options).then((page) => page.html);

/**
 * Gives the explorer page its policy. Yoga renders it from `explorerOptions` as they are (no
 * options factory), so the page it sent is the one rendered for them.
 */
export function explorerPolicy(): Plugin {
  return {
    onResponse({ response }) {
      if (!response.headers.get('content-type')?.startsWith('text/html')) return;
      return explorerPage(explorerOptions).then((page) => {
        response.headers.set('content-security-policy', page.policy);
      });
    },
  };
}
