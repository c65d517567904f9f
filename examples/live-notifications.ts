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
  const body = (await response.json()) as { data?: TData; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? 'no data');
  return body.data;
}

const { login } = await gql(ExampleLoginDocument, {
  input: { email, password, organizationId: process.env.HERALD_ORGANIZATION_ID },
});
if (login.__typename === 'OrganizationSelection') {
  console.error('You belong to several organizations; set HERALD_ORGANIZATION_ID to one of:');
  for (const org of login.organizations) console.error(`  ${org.id}  ${org.name}`);
  process.exit(2);
}
let { accessToken, refreshToken } = login;
let connections = 0;
console.log(`Signed in as ${login.user.name} in ${login.organization.name}.`);
const { unreadNotificationCount } = await gql(ExampleUnreadCountDocument, {}, accessToken);
console.log(`${unreadNotificationCount} unread. Waiting for notifications (Ctrl-C to stop)…`);

const client = createClient({
  url: `${base.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  // Called for every (re)connection: after the first, take a fresh pair first.
  connectionParams: async () => {
    if (connections++ > 0)
      ({
        refresh: { accessToken, refreshToken },
      } = await gql(ExampleRefreshDocument, { input: { refreshToken } }));
    return { authorization: `Bearer ${accessToken}` };
  },
  retryAttempts: Number.POSITIVE_INFINITY,
  on: { closed: (event) => console.log(`(socket closed: ${(event as { code?: number }).code}; reconnecting)`) },
});

const stop = async () => {
  await client.dispose();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

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
