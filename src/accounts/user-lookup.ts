// Users by id, for every request in flight at once. A lookup waits until the end of the
// current turn of the event loop, and all made meanwhile, by whichever requests, go to the
// database as one query. `{ me }` is the commonest authenticated read, and each query costs
// a pass through Prisma and a round trip (on the embedded database, a message to its thread)
// that are far dearer than one more row of the same query.
import DataLoader from 'dataloader';
import type { Db } from '../db.ts';
import type { User } from '../generated/prisma/client.ts';

/** Ids per query at most, so that a burst never builds one huge IN list. */
const MAX_BATCH = 500;

/** Answers the user with that id as the database holds it now, or null. */
export type UserLookup = (id: string) => Promise<User | null>;

export function createUserLookup(db: Db): UserLookup {
  const loader = new DataLoader<string, User | null>(
    async (ids) => {
      const rows = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } } });
      const byId = new Map(rows.map((user) => [user.id, user]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    // Nothing is remembered between batches: each lookup reads the row as it is when its batch
    // runs, after every write that was answered before the lookup was made.
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setImmediate(run) },
  );
  return (id) => loader.load(id);
}
