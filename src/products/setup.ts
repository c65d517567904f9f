// What every start makes sure of before it serves: the default product exists under
// DEFAULT_PRODUCT. The migration that introduced products moved every existing organization
// into a product with a placeholder slug no request can name; the first start gives it its
// slug, so that a deployment chooses it with the variable rather than by editing data.

import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database/db.ts';
import type { Logger } from '../platform/observability/logger.ts';
import { HERALD_FEATURES } from './features.ts';

/** The slug the migration gave the default product (it breaks the slug syntax on purpose). */
export const PLACEHOLDER_SLUG = '_default';

export async function prepareDefaultProduct(db: Db, config: Pick<Config, 'DEFAULT_PRODUCT'>, logger: Logger) {
  const slug = config.DEFAULT_PRODUCT;
  await db.$transaction(async (tx) => {
    const placeholder = await tx.product.findUnique({ where: { slug: PLACEHOLDER_SLUG }, select: { id: true } });
    const existing = await tx.product.findUnique({ where: { slug }, select: { id: true } });
    if (placeholder && existing) {
      // Another instance named it first: its organizations join the product it made.
      await tx.organization.updateMany({ where: { productId: placeholder.id }, data: { productId: existing.id } });
      await tx.product.delete({ where: { id: placeholder.id } });
    } else if (placeholder) {
      await tx.product.update({ where: { id: placeholder.id }, data: { slug } });
      logger.info({ product: slug }, 'existing organizations moved into the default product');
    }
  });
  // Several instances may start at once: whoever comes second finds it made.
  await db.product.createMany({
    data: [{ slug, name: 'Herald', features: [...HERALD_FEATURES], allowedOrigins: [] }],
    skipDuplicates: true,
  });
}
