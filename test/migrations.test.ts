import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { expect, it } from 'vitest';
import { diffMigrationsToSchema } from '../src/migrations.ts';

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
