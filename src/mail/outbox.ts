// Outgoing email is stored first (OutboundEmail, in the same transaction as whatever caused
// it), then delivered: by SMTP when SMTP_URL is set, otherwise as .eml files under
// DATA_DIR/mail/ for a developer to open. Undelivered rows are retried in the background.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Db } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';

export interface EmailMessage {
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

  async function send(row: { id: string; to: string; subject: string; text: string; createdAt: Date }) {
    const info = await (await transporter()).sendMail({
      from: options.from,
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

  async function attempt(row: { id: string; to: string; subject: string; text: string; createdAt: Date }) {
    try {
      await send(row);
      await db.outboundEmail.update({
        where: { id: row.id },
        data: { sentAt: new Date(), attempts: { increment: 1 } },
      });
    } catch (error) {
      logger.warn({ err: error, emailId: row.id }, 'email delivery failed; will retry');
      await db.outboundEmail
        .update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: String(error) } })
        .catch(() => {});
    }
  }

  return {
    async deliver(id) {
      const row = await db.outboundEmail.findUnique({ where: { id } });
      if (row && !row.sentAt) await attempt(row);
    },
    async retryPending(olderThanMs = 60_000) {
      // Claim rows so that two instances never send the same email twice.
      const rows = await db.$transaction(async (tx) => {
        const claimed = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "OutboundEmail"
          WHERE "sentAt" IS NULL AND attempts < ${MAX_ATTEMPTS}
            AND "createdAt" < ${new Date(Date.now() - olderThanMs)}
          ORDER BY "createdAt" LIMIT 50 FOR UPDATE SKIP LOCKED`;
        if (claimed.length === 0) return [];
        const ids = claimed.map((r) => r.id);
        await tx.outboundEmail.updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 } } });
        return tx.outboundEmail.findMany({ where: { id: { in: ids } } });
      });
      for (const row of rows) {
        try {
          await send(row);
          await db.outboundEmail.update({ where: { id: row.id }, data: { sentAt: new Date() } });
        } catch (error) {
          await db.outboundEmail.update({ where: { id: row.id }, data: { lastError: String(error) } });
        }
      }
      return rows.length;
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
}
