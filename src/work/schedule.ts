// What the SLA sweep has still to send for an item, as instants it can find by index:
// nothing for items without a deadline or already resolved or closed; the breach at dueAt
// until it is reported; the warning warnBeforeMinutes earlier until it is sent (and never
// once the breach is). Every write that changes one of these inputs stores the result.
import type { WorkItemStatus } from '../generated/prisma/enums.ts';

export const DONE: readonly WorkItemStatus[] = ['RESOLVED', 'CLOSED'];

export interface SlaState {
  dueAt: Date | null;
  status: WorkItemStatus;
  slaWarnedAt: Date | null;
  slaBreachedAt: Date | null;
}

export function slaSchedule(item: SlaState, warnBeforeMinutes: number | null) {
  if (!item.dueAt || DONE.includes(item.status) || item.slaBreachedAt) {
    return { pendingWarningAt: null, pendingBreachAt: null };
  }
  const warns = !item.slaWarnedAt && !!warnBeforeMinutes && warnBeforeMinutes > 0;
  return {
    pendingWarningAt: warns ? new Date(item.dueAt.getTime() - (warnBeforeMinutes as number) * 60_000) : null,
    pendingBreachAt: item.dueAt,
  };
}
