// Prisma's migration engine, run from its WebAssembly build through our own driver adapter:
// the same migrations and `_prisma_migrations` bookkeeping as `prisma migrate deploy`,
// without the schema-engine binary that cannot be downloaded everywhere.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import type { Db } from './db.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const migrationsDir = path.join(root, 'prisma', 'migrations');
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');

const noFilters = { externalTables: [], externalEnums: [] };

export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const lockfile = 'migration_lock.toml';
  const lockContent = await readFile(path.join(dir, lockfile), 'utf8').catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => {
        const content = await readFile(path.join(dir, entry.name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: entry.name, migrationFile: { path: 'migration.sql', content } };
      }),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: dir,
    lockfile: { path: lockfile, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const datamodel = await readFile(schemaPath, 'utf8');
  // Loaded only when needed: the engine's WebAssembly costs tens of MiB of resident memory
  // that an up-to-date database at start never uses.
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * Whether any migration in prisma/migrations has not been applied (finished, not rolled back)
 * according to `_prisma_migrations`; a database without that table has them all pending.
 */
export async function hasPendingMigrations(db: Db): Promise<boolean> {
  const { migrationDirectories } = await readMigrations();
  const applied = await db
    .$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    .catch(() => []);
  const names = new Set(applied.map((row) => row.migration_name));
  return migrationDirectories.some((directory) => !names.has(directory.path));
}

/** Applies the pending migrations; answers the names of those it applied. */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const migrationsList = await readMigrations();
  return withEngine(adapterFactory, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that would take a database built from the migrations to the schema in
 * prisma/schema.prisma; empty when they agree. Uses a shadow database.
 */
export async function diffMigrationsToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const migrationsList = await readMigrations();
  const datamodel = await readFile(schemaPath, 'utf8');
  return withEngine(adapterFactory, async (engine) => {
    const result = await engine.diff({
      from:
        migrationsList.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? '';
    return /^-- This is an empty migration\.\s*$/.test(sql.trim()) ? '' : sql.trim();
  });
}
