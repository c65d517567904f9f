// PostgreSQL keeps the statements Herald repeats prepared on each connection. A migration
// another instance applies meanwhile (a rolling deploy adding a column) must not break them:
// a prepared statement whose result is `table.*` fails once the table gains a column.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  AssignWorkItemDocument,
  CreateWorkItemDocument,
  LoginDocument,
  RequestPasswordResetDocument,
} from './generated/graphql.ts';
import { eventually } from './helpers/machine.ts';
import { countEmails } from './helpers/mail.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { needing, ok, startServer, type TestServer } from './helpers/server.ts';
import { addMember } from './helpers/work.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SLA_SWEEP_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

const assign = async (owner: Account, to: Account) => {
  const { createWorkItem } = ok(
    await server.gql(CreateWorkItemDocument, { input: { title: 'Prepared' } }, { token: owner.accessToken }),
  );
  const input = { workItemId: createWorkItem.id, assigneeId: to.userId };
  return ok(await server.gql(AssignWorkItemDocument, { input }, { token: owner.accessToken })).assignWorkItem;
};
const login = async (account: Account) =>
  ok(await server.gql(LoginDocument, { input: { email: account.email, password: account.password } })).login;

/** Asks for a password reset email and waits until it is written. */
const resetEmail = async (account: Account) => {
  const before = await countEmails(server.dataDir, account.email);
  ok(await server.gql(RequestPasswordResetDocument, { input: { email: account.email } }));
  await eventually(async () => {
    if ((await countEmails(server.dataDir, account.email)) <= before) throw new Error('not sent yet');
  });
};

const migrated = needing(
  'assignments, logins and emails go on after another instance adds columns to their tables',
  'DATABASE_URL',
);
it.skipIf(migrated.skip)(migrated.title, async () => {
  const owner = await createOwner(server);
  const member = await addMember(server, owner);
  // One at a time, so that they run on the pool's same connection, where they are now prepared.
  for (let i = 0; i < 5; i++) {
    await assign(owner, member);
    await login(member);
  }
  for (let i = 0; i < 3; i++) await resetEmail(member);
  for (const table of ['WorkItem', 'Organization', 'OutboundEmail']) {
    await server.app.db.$executeRawUnsafe(`ALTER TABLE "${table}" ADD COLUMN "addedByALaterVersion" integer`);
  }
  for (let i = 0; i < 3; i++) {
    expect((await assign(owner, member)).assignee?.id).toBe(member.userId);
    expect(await login(member)).toMatchObject({ __typename: 'AuthPayload' });
  }
  await resetEmail(member);
});
