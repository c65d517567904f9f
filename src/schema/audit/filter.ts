// Which audit events a reader asked for.

import type { ActorType, Prisma } from '../../generated/prisma/client.ts';
import { badInput } from '../../platform/errors.ts';
import { isUuid } from '../../platform/validation.ts';

export interface AuditEventFilter {
  action?: string | null;
  actorType?: ActorType | null;
  actorId?: string | null;
  client?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** The organization's events matching the filter; BAD_USER_INPUT naming a malformed part. */
export function auditEventsWhere(organizationId: string, filter: AuditEventFilter): Prisma.AuditEventWhereInput {
  if (filter.actorId && !isUuid(filter.actorId)) throw badInput('filter.actorId');
  if (filter.since && filter.until && filter.since >= filter.until) {
    throw badInput('filter.until', 'mustBeAfter', { other: 'filter.since' });
  }
  const createdAt = {
    ...(filter.since ? { gte: filter.since } : {}),
    ...(filter.until ? { lt: filter.until } : {}),
  };
  return {
    organizationId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actorType ? { actorType: filter.actorType } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.client ? { client: filter.client } : {}),
    ...(Object.keys(createdAt).length > 0 ? { createdAt } : {}),
  };
}
