// Every product, cached on each instance: nearly every request names one (or the default), and
// products change seldom. A change (updateProduct, createProduct) reaches every instance before
// it is answered, through the shared cache's epoch.
import type { Product } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import type { Db } from '../platform/database/db.ts';
import { notFound } from '../platform/errors.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { EventBus } from '../platform/pubsub.ts';
import { sharedCache } from '../platform/shared-cache.ts';
import type { SharedEpoch } from '../platform/shared-epoch.ts';

export type { Product };

/** The one key of the cache: all products are read together, there are few. */
const ALL = 'products';

export interface ProductCatalog {
  /** The product with this slug, or null. */
  bySlug(slug: string): Promise<Product | null>;
  /** The product with this id; NOT_FOUND when none. */
  byId(id: string): Promise<Product>;
  /** The product of requests that name none (DEFAULT_PRODUCT). */
  defaultProduct(): Promise<Product>;
  /** Every product. */
  all(): Promise<Product[]>;
  /** Whether the organization is the operator organization of some product (as recorded). */
  operates(organizationId: string): Promise<boolean>;
  /** Call once a change to a product is committed. */
  changed(): Promise<void>;
  close(): Promise<void>;
}

export function createProductCatalog(options: {
  db: Db;
  defaultSlug: string;
  pubsub: EventBus;
  epoch: SharedEpoch;
  logger: Logger;
}): ProductCatalog {
  const cache = sharedCache({
    name: 'products',
    load: async () => {
      const rows = await options.db.product.findMany();
      return {
        bySlug: new Map(rows.map((row) => [row.slug, row])),
        byId: new Map(rows.map((row) => [row.id, row])),
        operators: new Set(rows.flatMap((row) => (row.operatorOrganizationId ? [row.operatorOrganizationId] : []))),
      };
    },
    pubsub: options.pubsub,
    epoch: options.epoch,
    logger: options.logger,
  });
  const catalog: ProductCatalog = {
    bySlug: async (slug) => (await cache.get(ALL)).bySlug.get(slug) ?? null,
    async byId(id) {
      const product = (await cache.get(ALL)).byId.get(id);
      if (!product) throw notFound('Product');
      return product;
    },
    async defaultProduct() {
      const product = await catalog.bySlug(options.defaultSlug);
      // Made at start (setup.ts); gone only if someone deleted it by hand.
      if (!product) throw new Error(`the default product ${options.defaultSlug} is missing`);
      return product;
    },
    all: async () => [...(await cache.get(ALL)).byId.values()],
    operates: async (organizationId) => (await cache.get(ALL)).operators.has(organizationId),
    changed: () => cache.changed([ALL]),
    close: () => cache.close(),
  };
  return catalog;
}

/** Whether the product is the default one, whose fields the environment may set. */
export const isDefaultProduct = (app: App, product: Pick<Product, 'slug'>) =>
  product.slug === app.config.DEFAULT_PRODUCT;

declare module '../platform/app.ts' {
  interface App {
    products: ProductCatalog;
  }
}
