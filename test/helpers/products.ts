// Seed builders for products: a product written straight into the database (for tests of
// what a product changes, apart from the operators' mutations that create them).
import { randomUUID } from 'node:crypto';
import { HERALD_FEATURES } from '../../src/products/features.ts';
import type { TestServer } from './server.ts';

export const uniqueProductSlug = (label = 'product') => `${label}-${randomUUID().slice(0, 8)}`;

/** A product with Herald's modules as features, known to every instance at once. */
export async function seedProduct(
  server: TestServer,
  options: { slug?: string; name?: string; features?: string[]; defaultLocale?: string } = {},
) {
  const product = await server.app.db.product.create({
    data: {
      slug: options.slug ?? uniqueProductSlug(),
      name: options.name ?? 'Acme',
      features: options.features ?? [...HERALD_FEATURES],
      defaultLocale: options.defaultLocale ?? 'en',
      allowedOrigins: [],
    },
  });
  await server.app.products.changed();
  return product;
}

/** Request headers that name a product. */
export const productHeader = (slug: string) => ({ 'X-Product-Slug': slug });
