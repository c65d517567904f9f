// Keyset pagination over uuid v7 ids, newest first: ids grow with time, so the id is both
// the order and the cursor, and a page never shifts when rows are added meanwhile.
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { z } from 'zod';
import { badInput } from './errors.ts';

const cursor = z.uuid();

function checkCursor(field: 'after' | 'before', value: string | undefined) {
  if (value !== undefined && !cursor.safeParse(value).success) throw badInput(field);
  return value;
}

/** The `where`, `orderBy` and `take` of one page, for Prisma's findMany. */
export function newestFirst({ after, before, limit, inverted }: ResolveCursorConnectionArgs) {
  const id = {
    ...(checkCursor('after', after) ? { lt: after } : {}),
    ...(checkCursor('before', before) ? { gt: before } : {}),
  };
  return {
    where: Object.keys(id).length > 0 ? { id } : {},
    orderBy: { id: inverted ? ('asc' as const) : ('desc' as const) },
    take: limit,
  };
}
