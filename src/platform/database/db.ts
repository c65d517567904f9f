import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { startPGliteThread } from './pglite-thread.ts';
import { preparesStatements, statementNames } from './prepared-statements.ts';

export type Db = PrismaClient;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The adapter factory, also what the migration engine connects through. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
  /** Connections of the PostgreSQL pool; absent with PGlite, which has one. */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

/** PostgreSQL when a URL is given, otherwise PGlite persisted under `dataDir/pglite`, in a thread of its own. */
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Database> {
  keepWebAssemblyBaseline();
  if (options.url) {
    const settings = {
      connectionString: options.url,
      max: 20,
      // A fixed-size pool, as HikariCP recommends: a connection opened when load arrives costs
      // a backend start and cold catalog caches, and stalled assignments at 500/s for a few
      // hundred milliseconds (npm run bench:latency) each time idle ones had been closed.
      min: 20,
      // Fail fast when the database is unreachable rather than queueing requests.
      connectionTimeoutMillis: 5000,
    };
    // The client's pool is ours rather than the adapter's so that its size can be reported.
    const pool = new pg.Pool(settings);
    // A connection the server ends while idle (a restart, DROP DATABASE … WITH (FORCE)) errors
    // on the pool; the next query reports the outage, and unheard it would end the process.
    pool.on('error', () => {});
    const named = preparesStatements(options.url) ? statementNames({ max: 100, after: 3 }) : undefined;
    const db = new PrismaClient({
      adapter: new PrismaPg(pool, named && { statementNameGenerator: (query) => named(query.sql) as string }),
    });
    return {
      kind: 'postgres',
      db,
      // The migration engine gets a pool of its own, ended when it is done: it takes a session
      // advisory lock, and a connection returned to a shared pool would keep holding it, so the
      // next instance's migrations would wait forever.
      adapterFactory: new PrismaPg(settings),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: async () => {
        await db.$disconnect();
        await pool.end();
      },
    };
  }
  const thread = await startPGliteThread(path.join(options.dataDir, 'pglite'));
  const db = new PrismaClient({ adapter: thread.adapterFactory });
  return {
    kind: 'pglite',
    db,
    adapterFactory: thread.adapterFactory,
    close: async () => {
      await db.$disconnect();
      await thread.close();
    },
  };
}

/**
 * V8 recompiles hot WebAssembly (PGlite, Prisma's query compiler) with its optimizing tier,
 * which holds 100+ MiB at its peak and 30-90 MiB after, for a small gain in request throughput
 * (`{ me { id } }` on PGlite went from 0.24 to 0.28 of bare yoga; see docs/performance.md). Applies to what is compiled from here on in this process, its
 * threads included; the implied flags are spelled out because V8 does not derive them when
 * set at run time.
 */
function keepWebAssemblyBaseline() {
  for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering']) setFlagsFromString(flag);
}
