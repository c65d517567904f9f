// The syntax of a product's slug (fixed by the design): it names the product on every request
// (`X-Product-Slug`), in every access token (`product`) and in the configuration
// (`DEFAULT_PRODUCT`), so all of them read it with this one rule.

export const PRODUCT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Slugs no product may take: they would read as Herald's own names in URLs and hostnames. */
export const RESERVED_PRODUCT_SLUGS: readonly string[] = ['admin', 'api', 'herald', 'www'];

export const isProductSlug = (value: string) => PRODUCT_SLUG.test(value);
