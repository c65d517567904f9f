import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import {
  applyMigrations,
  diffMigrationsToSchema,
  hasPendingMigrations,
  readMigrations,
} from '../src/platform/database/migrations.ts';

it('prisma/migrations produce exactly prisma/schema.prisma (npm run migration:new -- <name>)', async () => {
  const pglite = await PGlite.create();
  try {
    expect(await diffMigrationsToSchema(new PrismaPGlite(pglite))).toBe('');
  } finally {
    await pglite.close();
  }
  // Prisma's migration engine (WebAssembly) replays every migration: about 25 s of CPU when
  // two cores are shared with other test runs.
}, 90_000);

it('a start skips the migration engine only when every migration is recorded as applied', async () => {
  const pglite = await PGlite.create();
  const adapter = new PrismaPGlite(pglite);
  const db = new PrismaClient({ adapter });
  try {
    expect(await hasPendingMigrations(db)).toBe(true);
    const applied = await applyMigrations(adapter);
    expect(applied).toEqual((await readMigrations()).migrationDirectories.map((directory) => directory.path));
    expect(await hasPendingMigrations(db)).toBe(false);

    // A migration that failed half-way, or was rolled back, is pending: the engine must see it.
    const last = applied.at(-1) as string;
    await pglite.query('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1', [last]);
    expect(await hasPendingMigrations(db)).toBe(true);
    await pglite.query(
      'UPDATE _prisma_migrations SET finished_at = now(), rolled_back_at = now() WHERE migration_name = $1',
      [last],
    );
    expect(await hasPendingMigrations(db)).toBe(true);
  } finally {
    await db.$disconnect();
    await pglite.close();
  }
}, 90_000);
