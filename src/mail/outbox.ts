// Outgoing email is stored first (OutboundEmail, in the same transaction as whatever caused
// it), then delivered: by SMTP when SMTP_URL is set, otherwise as .eml files under
// DATA_DIR/mail/ for a developer to open. Undelivered rows are retried in the background.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import { type OutboundEmail, Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../platform/database/db.ts';
import { columnsOf } from '../platform/database/sql-columns.ts';
import type { Logger } from '../platform/observability/logger.ts';

export interface EmailMessage {
  /** The sender; MAIL_FROM when left out. */
  from?: string;
  to: string;
  subject: string;
  text: string;
  template: string;
}

type Tx = Prisma.TransactionClient | Db;

export function enqueueEmail(tx: Tx, message: EmailMessage) {
  return tx.outboundEmail.create({ data: message, select: { id: true } });
}

const MAX_ATTEMPTS = 8;
/** Longer than nodemailer's own SMTP timeouts (connection, greeting and socket) allow a send. */
const SEND_LEASE_MS = 15 * 60_000;
const EMAIL_COLUMNS = columnsOf(Prisma.OutboundEmailScalarFieldEnum);

export interface Mailer {
  /** Delivers a stored email now; failures stay in the outbox for the retry loop. */
  deliver(id: string): Promise<void>;
  /** Delivers what earlier attempts left behind. */
  retryPending(olderThanMs?: number): Promise<number>;
  close(): void;
}

export function createMailer(options: {
  db: Db;
  dataDir: string;
  smtpUrl?: string;
  from: string;
  logger: Logger;
}): Mailer {
  const { db, logger } = options;
  const mailDir = path.join(options.dataDir, 'mail');
  // Loaded with the first email: most instances send few, and the module costs resident
  // memory from start to stop.
  let transport: Promise<Transporter> | undefined;
  const transporter = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      options.smtpUrl
        ? nodemailer.createTransport(options.smtpUrl)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
    ));

  async function send(row: {
    id: string;
    from: string | null;
    to: string;
    subject: string;
    text: string;
    createdAt: Date;
  }) {
    const info = await (await transporter()).sendMail({
      from: row.from ?? options.from,
      to: row.to,
      subject: row.subject,
      text: row.text,
    });
    if (!options.smtpUrl) {
      await mkdir(mailDir, { recursive: true });
      const stamp = row.createdAt.toISOString().replace(/[:.]/g, '-');
      await writeFile(path.join(mailDir, `${stamp}-${row.id}.eml`), (info as { message: Buffer }).message);
    }
  }

  /**
   * Claims unsent emails for one send each: a claim leases them for longer than a send may
   * take, and nothing claims a leased email again, so no two sends of one email ever overlap,
   * here or on another instance. The lease is cleared once the send ends, whatever its outcome;
   * it runs out by itself only when the instance died while sending. One statement, so that it
   * waits its turn on a busy database rather than timing out for a transaction.
   */
  function claim(which: Prisma.Sql) {
    const now = new Date();
    return db.$queryRaw<OutboundEmail[]>`
      UPDATE "OutboundEmail" SET attempts = attempts + 1,
        "leaseUntil" = ${new Date(now.getTime() + SEND_LEASE_MS).toISOString()}::timestamp
      WHERE id IN (
        SELECT id FROM "OutboundEmail"
        WHERE "sentAt" IS NULL AND attempts < ${MAX_ATTEMPTS}
          AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now.toISOString()}::timestamp) AND ${which}
        ORDER BY "createdAt" LIMIT 50 FOR UPDATE SKIP LOCKED
      )
      RETURNING ${EMAIL_COLUMNS}`;
  }

  async function attempt(row: OutboundEmail) {
    try {
      await send(row);
      await db.outboundEmail.update({ where: { id: row.id }, data: { sentAt: new Date(), leaseUntil: null } });
    } catch (error) {
      logger.warn({ err: error, emailId: row.id }, 'email delivery failed; will retry');
      await db.outboundEmail
        .update({ where: { id: row.id }, data: { lastError: String(error), leaseUntil: null } })
        .catch(() => {});
    }
  }

  return {
    async deliver(id) {
      for (const row of await claim(Prisma.sql`id = ${id}::uuid`)) await attempt(row);
    },
    async retryPending(olderThanMs = 60_000) {
      const rows = await claim(
        Prisma.sql`"createdAt" < ${new Date(Date.now() - olderThanMs).toISOString()}::timestamp`,
      );
      for (const row of rows) await attempt(row);
      return rows.length;
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
}

declare module '../platform/app.ts' {
  interface App {
    mailer: Mailer;
  }
}
