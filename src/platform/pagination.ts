// Keyset pagination over uuid v7 ids: ids grow with time, so the id is both the order and
// the cursor, and a page never shifts when rows are added meanwhile. Pothos'
// resolveCursorConnection does the Relay bookkeeping (first/last, page info); this module
// turns its page into a Prisma query.
import {
  type DefaultConnectionArguments,
  type ResolveCursorConnectionArgs,
  resolveCursorConnection,
} from '@pothos/plugin-relay';
import { badInput } from './errors.ts';
import { isUuid } from './validation.ts';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 100;

/** The `where`, `orderBy` and `take` of one page, oldest first (`asc`) or newest first (`desc`). */
export function idPage({ after, before, limit, inverted }: ResolveCursorConnectionArgs, order: 'asc' | 'desc') {
  // Newest first, "after" a cursor means older rows: smaller ids.
  const [above, below] = order === 'asc' ? [after, before] : [before, after];
  const id = { ...(above ? { gt: above } : {}), ...(below ? { lt: below } : {}) };
  const ascending = (order === 'asc') !== inverted;
  return {
    where: Object.keys(id).length > 0 ? { id } : {},
    orderBy: { id: ascending ? ('asc' as const) : ('desc' as const) },
    take: limit,
  };
}

/**
 * Resolves a connection over rows with uuid v7 ids; bad arguments are BAD_USER_INPUT naming
 * them. `count` runs only when the client selects `totalCount`.
 */
export async function connectionById<T extends { id: string }>(
  args: DefaultConnectionArguments,
  load: (page: ResolveCursorConnectionArgs) => Promise<T[]>,
  count: () => Promise<number>,
) {
  for (const name of ['after', 'before'] as const) {
    const value = args[name];
    if (value != null && !isUuid(value)) throw badInput(name);
  }
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && value < 0) throw badInput(name);
  }
  const connection = await resolveCursorConnection(
    { args, toCursor: (row: T) => row.id, defaultSize: DEFAULT_SIZE, maxSize: MAX_SIZE },
    load,
  );
  return { ...connection, totalCount: count };
}
