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

/** Records what happened; written in the caller's transaction when there is one. */
export function audit(tx: Prisma.TransactionClient | Db, entry: AuditEntry) {
  return tx.auditEvent.create({ data: entry, select: { id: true } });
}
