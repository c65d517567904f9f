// Logs in to Herald and prints live notifications as they arrive.
//
//   HERALD_EMAIL=you@example.com HERALD_PASSWORD=… npm run example:notifications
//
// HERALD_URL (default http://127.0.0.1:4000) and HERALD_ORGANIZATION_ID are optional. The
// server closes the socket with 4403 when the access token expires; the client then
// refreshes the pair and reconnects, which graphql-ws does on 4403 by itself.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  ExampleLoginDocument,
  ExampleNotificationsDocument,
  type ExampleNotificationsSubscription,
  ExampleRefreshDocument,
  ExampleUnreadCountDocument,
} from './generated/graphql.ts';

const base = process.env.HERALD_URL ?? 'http://127.0.0.1:4000';
const email = process.env.HERALD_EMAIL;
const password = process.env.HERALD_PASSWORD;
if (!email || !password) {
  console.error('Set HERALD_EMAIL and HERALD_PASSWORD (and HERALD_URL if Herald is not on 127.0.0.1:4000).');
  process.exit(2);
}

/** Herald answered with an error: retrying will not help, the person has to act. */
class Refused extends Error {}

/** Ends the example with one line saying what went wrong and what to do. */
function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

const unreachable = (error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
  return `Cannot reach Herald at ${base} (${cause}): start it with \`npm start\`, or set HERALD_URL to where it runs.`;
};

async function gql<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  token?: string,
) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json().catch(() => null)) as {
    data?: TData;
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  if (!body) throw new Refused(`${base} answered HTTP ${response.status}, not as Herald: check HERALD_URL.`);
  if (!body.data || body.errors?.length) {
    throw new Refused(
      body.errors?.map((e) => `${e.message} (${e.extensions?.code ?? 'error'})`).join('; ') ?? 'no data',
    );
  }
  return body.data;
}

const { login } = await gql(ExampleLoginDocument, {
  input: { email, password, organizationId: process.env.HERALD_ORGANIZATION_ID },
}).catch((error) =>
  stop(
    error instanceof Refused
      ? `Sign-in failed: ${error.message} Check HERALD_EMAIL and HERALD_PASSWORD.`
      : unreachable(error),
  ),
);
if (login.__typename === 'OrganizationSelection') {
  console.error('You belong to several organizations; set HERALD_ORGANIZATION_ID to one of:');
  for (const org of login.organizations) console.error(`  ${org.id}  ${org.name}`);
  process.exit(2);
}
let { accessToken, refreshToken } = login;
let connections = 0;
console.log(`Signed in as ${login.user.name} in ${login.organization.name}.`);
const { unreadNotificationCount } = await gql(ExampleUnreadCountDocument, {}, accessToken).catch((error) =>
  stop(error instanceof Refused ? error.message : unreachable(error)),
);
console.log(`${unreadNotificationCount} unread. Waiting for notifications (Ctrl-C to stop)…`);

const client = createClient({
  url: `${base.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  // Called for every (re)connection: after the first, take a fresh pair first.
  connectionParams: async () => {
    if (connections++ > 0) {
      try {
        ({
          refresh: { accessToken, refreshToken },
        } = await gql(ExampleRefreshDocument, { input: { refreshToken } }));
      } catch (error) {
        // A refused refresh (the session ended) needs a new sign-in; a server that is away, patience.
        if (error instanceof Refused) stop(`The session ended: ${error.message} Run the example again to sign in.`);
        throw error;
      }
    }
    return { authorization: `Bearer ${accessToken}` };
  },
  retryAttempts: Number.POSITIVE_INFINITY,
  // Keep trying while the server is away (a restart, a deploy), whatever the failure looks like.
  shouldRetry: () => true,
  on: { closed: (event) => console.log(`(socket closed: ${(event as { code?: number }).code}; reconnecting)`) },
});

const quit = async () => {
  await client.dispose();
  process.exit(0);
};
process.once('SIGINT', quit);
process.once('SIGTERM', quit);

for await (const { data, errors } of client.iterate<ExampleNotificationsSubscription>({
  query: print(ExampleNotificationsDocument),
})) {
  if (errors?.length) console.error(errors.map((e) => e.message).join('; '));
  const event = data?.notificationAdded;
  if (!event) continue;
  const { notification: n, unreadCount } = event;
  console.log(
    `[${n.createdAt}] ${n.type.padEnd(11)} ${n.title}${n.message ? ` — ${n.message}` : ''}${n.url ? ` <${n.url}>` : ''}  (${unreadCount} unread)`,
  );
}
