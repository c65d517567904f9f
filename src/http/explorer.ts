// GraphiQL at GET /graphql, rendered from our own dependencies (no CDN), so the explorer
// works offline and behind firewalls. Subscriptions typed in it run over Server-Sent
// Events: GraphiQL sends the Headers pane (Authorization) with them, which its WebSocket
// client cannot do, and SSE keeps the same token rules as the socket (live-streams.ts).
import type { GraphiQLOptions } from 'graphql-yoga';

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

// The page inlines the whole explorer (megabytes of script): it is loaded on the first visit,
// not at start, and rendered once per set of options.
const rendered = new Map<string, Promise<string>>();
export function renderExplorer(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = rendered.get(key);
  if (page === undefined) {
    page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    rendered.set(key, page);
  }
  return page;
}
