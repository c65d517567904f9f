import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActorType, Prisma } from '../generated/prisma/client.ts';
import type { Db } from './database/db.ts';

export interface AuditEntry {
  organizationId: string | null;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  metadata?: Prisma.InputJsonValue;
}

/** The header in which a client names itself (`cli`, `console`, an MCP client's name) for the audit log. */
export const CLIENT_HEADER = 'x-herald-client';

/** The longest client name kept; the rest is cut. */
export const MAX_CLIENT_NAME = 64;

/**
 * A client's name as the audit log keeps it: control and format characters removed, runs of
 * spaces made one, at most 64 characters; null when nothing printable is left.
 */
export function clientName(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const printable = raw.replace(/\p{C}/gu, ' ').replace(/\s+/gu, ' ').trim();
  const name = Array.from(printable).slice(0, MAX_CLIENT_NAME).join('').trim();
  return name === '' ? null : name;
}

// The client of the request in progress, for every audit event it causes, however deep in the
// services it is written (and in the background tasks it starts).
const requestClients = new AsyncLocalStorage<string | null>();

/** Runs `work` (and everything it starts) as caused by a request of the named client. */
export function asClient<T>(client: string | null, work: () => T): T {
  return requestClients.run(client, work);
}

/**
 * Runs `work` as caused by no request: for batches that gather what several requests queued,
 * which would otherwise carry the client of whichever request started the batch.
 */
export function outsideRequests<T>(work: () => T): T {
  return requestClients.exit(work);
}

/** The client of the request in progress, or null (no request, or one that named no client). */
export const requestClient = (): string | null => requestClients.getStore() ?? null;

/** Records what happened; written in the caller's transaction when there is one. */
export function audit(tx: Prisma.TransactionClient | Db, entry: AuditEntry) {
  return tx.auditEvent.create({ data: { ...entry, client: requestClient() }, select: { id: true } });
}
