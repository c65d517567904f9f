// Rows by id, for every request in flight at once. A lookup waits until the end of the
// current turn of the event loop, and all made meanwhile, by whichever requests, go to the
// database as one query. The signed-in user and their organization are the commonest
// authenticated reads, and each query costs a pass through Prisma and a round trip (on the
// embedded database, a message to its thread) that are far dearer than one more row of the
// same query.
import DataLoader from 'dataloader';
import type { Organization, User } from '../../generated/prisma/client.ts';
import { notFound } from '../errors.ts';
import type { Db } from './db.ts';

/** Ids per query at most, so that a burst never builds one huge IN list. */
const MAX_BATCH = 500;

/** Answers the row with that id as the database holds it now; rejects with NOT_FOUND when none. */
export type LookupById<T> = (id: string) => Promise<T>;

function batchedById<T extends { id: string }>(entity: string, find: (ids: string[]) => Promise<T[]>): LookupById<T> {
  const loader = new DataLoader<string, T>(
    async (ids) => {
      const byId = new Map((await find([...new Set(ids)])).map((row) => [row.id, row]));
      // An error in its slot rejects that lookup alone.
      return ids.map((id) => byId.get(id) ?? notFound(entity));
    },
    // Nothing is remembered between batches: each lookup reads the row as it is when its batch
    // runs, after every write that was answered before the lookup was made.
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setImmediate(run) },
  );
  return (id) => loader.load(id);
}

export const createUserLookup = (db: Db): LookupById<User> =>
  batchedById('User', (ids) => db.user.findMany({ where: { id: { in: ids } } }));

export const createOrganizationLookup = (db: Db): LookupById<Organization> =>
  batchedById('Organization', (ids) => db.organization.findMany({ where: { id: { in: ids } } }));
