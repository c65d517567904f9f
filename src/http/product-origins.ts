// Which browser origins may call Herald for which product: each product's `allowedOrigins`
// (the default product's are CORS_ORIGINS when it is set), and loopback origins on any port
// for development (no CORS_ORIGINS, NODE_ENV not production). A preflight names no product, so
// it passes for an origin any product allows; the request itself is then checked against its
// own product, so a page of one product reads no answer meant for another.
import { decodeJwt } from 'jose';
import { bearer } from '../auth/principal.ts';
import type { App } from '../platform/app.ts';
import { isProductSlug } from '../platform/product-slug.ts';
import type { Product } from '../products/catalog.ts';
import { PRODUCT_HEADER } from '../products/request-product.ts';
import { brandOf } from '../products/white-label.ts';
import { isLoopbackOrigin } from './origins.ts';

export interface ProductOrigins {
  /** Whether pages of `origin` may call Herald for `product`. */
  allows(origin: string, product: Product): boolean;
  /** Whether any product allows `origin` (a preflight's question). */
  anyAllows(origin: string): Promise<boolean>;
  /** The product a request is for, as far as CORS needs to know: named, else its token's, else the default. */
  productOf(headers: { get(name: string): string | null }, credential?: string | null): Promise<Product>;
}

export function productOrigins(app: App): ProductOrigins {
  const development = !app.config.CORS_ORIGINS && app.config.NODE_ENV !== 'production';
  const allows = (origin: string, product: Product) =>
    // A sandboxed frame, a `data:` page or a file sends `Origin: null`: never trusted.
    origin !== 'null' &&
    (brandOf(app, product).allowedOrigins.includes(origin) || (development && isLoopbackOrigin(origin)));
  return {
    allows,
    async anyAllows(origin) {
      return (await app.products.all()).some((product) => allows(origin, product));
    },
    async productOf(headers, credential) {
      const named = headers.get(PRODUCT_HEADER)?.trim();
      // A bad name is answered by the request itself (400, 404), under the default's rules.
      const product = named && isProductSlug(named) ? await app.products.bySlug(named) : null;
      if (product) return product;
      // The claim is read unverified: it only decides which product's pages may read the answer,
      // and a forged token is refused by the request anyway.
      const token = credential ?? bearer(headers.get('authorization'));
      if (token && !token.startsWith('hld_')) {
        try {
          const claimed = decodeJwt(token).product;
          const own = typeof claimed === 'string' && isProductSlug(claimed) ? await app.products.bySlug(claimed) : null;
          if (own) return own;
        } catch {
          // Not a JWT: the default product's rules.
        }
      }
      return app.products.defaultProduct();
    },
  };
}
