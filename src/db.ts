import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = PrismaClient;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The adapter factory, also what the migration engine connects through. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/** PostgreSQL when a URL is given, otherwise PGlite persisted under `dataDir/pglite`. */
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Database> {
  keepWebAssemblyBaseline();
  if (options.url) {
    const adapterFactory = new PrismaPg({
      connectionString: options.url,
      max: 20,
      // Fail fast when the database is unreachable rather than queueing requests.
      connectionTimeoutMillis: 5000,
    });
    const db = new PrismaClient({ adapter: adapterFactory });
    return { kind: 'postgres', db, adapterFactory, close: () => db.$disconnect() };
  }
  const dataDir = path.join(options.dataDir, 'pglite');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await openPGlite(dataDir);
  const adapterFactory = new PrismaPGlite(pglite);
  const db = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    db,
    adapterFactory,
    close: async () => {
      await db.$disconnect();
      await pglite.close();
    },
  };
}

/**
 * V8 recompiles hot WebAssembly (PGlite, Prisma's query compiler) with its optimizing tier,
 * which holds 100+ MiB at its peak and 30-90 MiB after, for no measurable gain in request
 * throughput (npm run bench). Applies to what is compiled from here on, in this process; the
 * implied flags are spelled out because V8 does not derive them when set at run time.
 */
function keepWebAssemblyBaseline() {
  for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering']) setFlagsFromString(flag);
}

// PGlite's defaults, but with 16 MiB of shared buffers instead of 128: an embedded database
// of one instance's size stays well within that, and the buffers are resident memory.
const pgliteStartParams = [
  '--single',
  '-F',
  '-O',
  '-j',
  ...['-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'max_parallel_maintenance_workers=0', '-c', 'io_method=sync', '-c', 'shared_buffers=16MB'],
];

async function openPGlite(dataDir: string): Promise<PGlite> {
  const created = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => false,
    () => true,
  );
  const pglite = await PGlite.create({ dataDir, startParams: pgliteStartParams });
  if (!created) return pglite;
  // Creating the cluster runs initdb, whose memory the instance keeps; a fresh instance on the
  // same files starts without it.
  await pglite.close();
  return PGlite.create({ dataDir, startParams: pgliteStartParams });
}
