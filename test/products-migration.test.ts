// The migration that introduced products moves every existing organization, and what is in it,
// into the default product, ACTIVE with all of Herald's modules; the first start names that
// product after DEFAULT_PRODUCT.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { migrationsDir, readMigrations } from '../src/platform/database/migrations.ts';
import { createLogger } from '../src/platform/observability/logger.ts';
import { HERALD_FEATURES } from '../src/products/features.ts';
import { prepareDefaultProduct } from '../src/products/setup.ts';

it('moves existing organizations into the default product, named at the first start', async () => {
  const pglite = await PGlite.create();
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  try {
    const migrations = (await readMigrations()).migrationDirectories.map((directory) => directory.path).sort();
    const products = migrations.findIndex((name) => name.endsWith('_products'));
    const run = async (name: string) =>
      pglite.exec(await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
    for (const name of migrations.slice(0, products)) await run(name);

    // Data written before products: a user owning an organization, with a refresh token.
    await pglite.exec(`
      INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
        VALUES ('01900000-0000-7000-8000-00000000000a', 'ada@example.test', 'Ada', 'x', now());
      INSERT INTO "Organization" (id, name, slug, "updatedAt")
        VALUES ('01900000-0000-7000-8000-00000000000b', 'Engines', 'engines', now());
      INSERT INTO "Membership" (id, "userId", "organizationId", role, "updatedAt")
        VALUES ('01900000-0000-7000-8000-00000000000c', '01900000-0000-7000-8000-00000000000a',
          '01900000-0000-7000-8000-00000000000b', 'OWNER', now());`);
    for (const name of migrations.slice(products)) await run(name);
    await prepareDefaultProduct(db, { DEFAULT_PRODUCT: 'console' }, createLogger('silent'));

    const organization = await db.organization.findUniqueOrThrow({
      where: { id: '01900000-0000-7000-8000-00000000000b' },
      include: { product: true },
    });
    expect(organization.product).toMatchObject({ slug: 'console', features: [...HERALD_FEATURES] });
    expect(organization).toMatchObject({ subscriptionStatus: 'ACTIVE', subscriptionFeatures: [...HERALD_FEATURES] });
    expect(await db.product.count()).toBe(1);
    // A second start finds it done.
    await prepareDefaultProduct(db, { DEFAULT_PRODUCT: 'console' }, createLogger('silent'));
    expect(await db.product.count()).toBe(1);
  } finally {
    await db.$disconnect();
    await pglite.close();
  }
});
