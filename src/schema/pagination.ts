// Every connection pages by row id (UUIDv7, so ids sort by creation time), with the id as
// the opaque cursor: `first`/`after` page forwards, `last`/`before` backwards.
import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import { z } from 'zod';
import { badInput } from '../errors.ts';

export interface IdPage {
  /** Prisma `where` on `id` for the cursors. */
  id: { gt?: string; lt?: string };
  take: number;
  orderBy: { id: 'asc' | 'desc' };
}

const DEFAULT_SIZE = 20;
const MAX_SIZE = 100;
const cursor = z.uuid();

function parseArgs(args: DefaultConnectionArguments) {
  for (const name of ['after', 'before'] as const) {
    const value = args[name];
    if (value != null && !cursor.safeParse(value).success) throw badInput(name);
  }
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && value < 0) throw badInput(name);
  }
  const backwards = args.last != null && args.first == null;
  const size = Math.min((backwards ? args.last : args.first) ?? DEFAULT_SIZE, MAX_SIZE);
  return { backwards, size, after: args.after ?? undefined, before: args.before ?? undefined };
}

/**
 * Resolves a connection over rows with UUIDv7 ids, oldest first (`asc`) or newest first
 * (`desc`). `load` puts the id bounds, page size and order into its query.
 */
export async function pageById<T extends { id: string }>(
  args: DefaultConnectionArguments,
  order: 'asc' | 'desc',
  load: (page: IdPage) => Promise<T[]>,
) {
  const { backwards, size, after, before } = parseArgs(args);
  // In `desc` order, "after" a cursor means older rows, i.e. smaller ids.
  const [above, below] = order === 'asc' ? [after, before] : [before, after];
  const ascending = (order === 'asc') !== backwards;
  const rows = await load({
    id: { ...(above ? { gt: above } : {}), ...(below ? { lt: below } : {}) },
    take: size + 1,
    orderBy: { id: ascending ? 'asc' : 'desc' },
  });
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backwards) page.reverse();
  const edges = page.map((node) => ({ cursor: node.id, node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: backwards ? before !== undefined : more,
      hasPreviousPage: backwards ? more : after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
