// pglite-prisma-adapter hands PGlite its type parsers with every query, and PGlite then copies
// its own parser table and those into a new object for that query. The keys are type OIDs, so
// each copy is a sparse array of thousands of slots: measured, it made a one-row SELECT take
// 0.36 ms instead of 0.25 (`me` on the embedded database is one such query). The adapter passes
// the same parsers object every time, so they are written into PGlite's own table once, where
// every query reads them without a copy, and the adapter's queries go on without them.
import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';

/** The calls the adapter makes, on a PGlite instance and on its transactions. */
interface AdapterTransaction {
  query: Transaction['query'];
  exec: Transaction['exec'];
  rollback: Transaction['rollback'];
}
export interface AdapterClient {
  query: PGlite['query'];
  exec: PGlite['exec'];
  transaction<T>(callback: (tx: AdapterTransaction) => Promise<T>): Promise<T>;
}

export function parsersFoldedOnce(pglite: PGlite): AdapterClient {
  let folded: QueryOptions['parsers'];
  let table: PGlite['parsers'] | undefined;
  const fold = (options?: QueryOptions): QueryOptions | undefined => {
    if (!options?.parsers) return options;
    // Another set than the first keeps PGlite's own merge; a table PGlite replaced is written again.
    folded ??= options.parsers;
    if (options.parsers !== folded) return options;
    if (table !== pglite.parsers) {
      Object.assign(pglite.parsers, folded);
      table = pglite.parsers;
    }
    const { parsers: _, ...rest } = options;
    return rest;
  };
  return {
    query: (sql, params, options) => pglite.query(sql, params, fold(options)),
    exec: (sql, options) => pglite.exec(sql, fold(options)),
    transaction: (callback) =>
      pglite.transaction((tx) =>
        callback({
          query: (sql, params, options) => tx.query(sql, params, fold(options)),
          exec: (sql, options) => tx.exec(sql, fold(options)),
          rollback: () => tx.rollback(),
        }),
      ),
  };
}
