// With SMTP_URL set, outgoing email leaves by SMTP; the outbox row records the delivery.
import { readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RequestPasswordResetDocument } from './generated/graphql.ts';
import { tokenFromEmail } from './helpers/mail.ts';
import { createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const received: { from: string; to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let server: TestServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  server = await startServer({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Herald <auth@herald.test>' } });
});
afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

it('delivers the reset email over SMTP with the link, and writes no .eml file', async () => {
  const owner = await createOwner(server);
  ok(await server.gql(RequestPasswordResetDocument, { input: { email: owner.email } }));
  const deadline = Date.now() + 5000;
  while (!received.some((m) => m.to.includes(owner.email)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const message = received.find((m) => m.to.includes(owner.email));
  expect(message?.from).toBe('auth@herald.test');
  expect(tokenFromEmail(message?.data ?? '')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await readdir(path.join(server.dataDir, 'mail')).catch(() => [])).toEqual([]);

  // The row is marked sent right after the SMTP server accepts the message.
  const sent = () => server.app.db.outboundEmail.findFirstOrThrow({ where: { to: owner.email } });
  let row = await sent();
  while (!row.sentAt && Date.now() < deadline + 2000) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    row = await sent();
  }
  expect(row.sentAt).not.toBeNull();
  expect(row.template).toBe('password-reset');
});

it('the retry loop sends what an earlier attempt left behind once, however many instances retry at once', async () => {
  const { db, mailer } = server.app;
  const to = `retry-${Date.now()}@herald.test`;
  const old = new Date(Date.now() - 10 * 60_000);
  const [left, given] = await Promise.all([
    db.outboundEmail.create({ data: { to, subject: 'Left behind', text: 'body', template: 'test', createdAt: old } }),
    db.outboundEmail.create({
      data: { to, subject: 'Given up', text: 'body', template: 'test', createdAt: old, attempts: 8 },
    }),
  ]);
  const claimed = await Promise.all([mailer.retryPending(), mailer.retryPending(), mailer.retryPending()]);
  expect(claimed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  const deadline = Date.now() + 5000;
  while (!received.some((m) => m.to.includes(to)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(received.filter((m) => m.to.includes(to)).map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1])).toEqual([
    'Left behind',
  ]);
  expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: left.id } })).toMatchObject({
    attempts: 1,
    sentAt: expect.any(Date),
  });
  expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: given.id } })).toMatchObject({
    attempts: 8,
    sentAt: null,
  });
});
