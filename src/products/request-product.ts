// Which product a request is for. A request that carries a credential is for the credential's
// product; one without is for the product it names (`X-Product-Slug`, or on a WebSocket
// `?product=` / `connectionParams.product`), else the default product. The name is checked
// before any other work: a malformed one answers BAD_USER_INPUT naming where it came from, an
// unknown one NOT_FOUND, and one that contradicts the credential UNAUTHENTICATED with the
// reason PRODUCT_MISMATCH.

import type { Principal } from '../auth/principal.ts';
import type { Role } from '../generated/prisma/enums.ts';
import type { App } from '../platform/app.ts';
import { AppError, badInput, notFound, unauthenticated } from '../platform/errors.ts';
import { isProductSlug } from '../platform/product-slug.ts';
import { isDefaultProduct, type Product } from './catalog.ts';
import { declaredFeatures, disabledModules, effectiveScopes, enabledModules } from './features.ts';
import { operatesAProduct } from './operators.ts';
import type { Standing } from './standing.ts';

export const PRODUCT_HEADER = 'X-Product-Slug';

const withStatus = (error: AppError, status: number) => {
  error.extensions.http = { status };
  return error;
};

/**
 * The product a request names, or null when it names none. `source` is where the name came
 * from (the header, the query parameter), for the error. One value only: a header sent twice
 * arrives joined by a comma, which no slug holds.
 */
export async function namedProduct(app: App, value: string | null, source = PRODUCT_HEADER): Promise<Product | null> {
  if (value === null) return null;
  // HTTP drops the whitespace around a field value; the value itself is never folded.
  const slug = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (!isProductSlug(slug)) throw withStatus(badInput(source, 'invalidProductSlug'), 400);
  const product = await app.products.bySlug(slug);
  if (!product) throw withStatus(notFound('Product', source), 404);
  return product;
}

/**
 * The credential's product, refusing a request that names another (PRODUCT_MISMATCH), and a
 * credential of an organization whose subscription is cancelled (SUBSCRIPTION_INACTIVE): it is
 * suspended, not revoked, and holds again once the subscription leaves CANCELED.
 */
export async function productOfCredential(app: App, organizationId: string, named: Product | null): Promise<Product> {
  return (await credentialStanding(app, organizationId, named)).product;
}

/** The credential's product and its organization's standing, with the refusals of productOfCredential. */
export async function credentialStanding(
  app: App,
  organizationId: string,
  named: Product | null,
): Promise<{ product: Product; standing: Standing }> {
  const standing = await app.standings.of(organizationId);
  if (!standing) throw productMismatch();
  if (named && named.id !== standing.productId) throw productMismatch();
  if (standing.status === 'CANCELED') throw subscriptionInactive();
  return { product: named ?? (await app.products.byId(standing.productId)), standing };
}

/** The product an organization belongs to. */
export async function productOfOrganization(app: App, organizationId: string): Promise<Product> {
  const standing = await app.standings.of(organizationId);
  if (!standing) throw notFound('Organization');
  return app.products.byId(standing.productId);
}

/** The feature modules the organization's product declares (the scopes its tokens may be given). */
export async function declaredModulesOf(app: App, organizationId: string): Promise<string[]> {
  const product = await productOfOrganization(app, organizationId);
  return declaredFeatures(product, isDefaultProduct(app, product));
}

/**
 * The modules the organization may use now: its subscription's features among its product's,
 * and the core; the operator modules for those who hold operator rights (`operator`).
 */
export function modulesOf(app: App, product: Product, standing: Pick<Standing, 'features'>, operator: boolean) {
  const declared = declaredFeatures(product, isDefaultProduct(app, product));
  const enabled = enabledModules(declared, standing.features, operator);
  return { enabled, disabled: disabledModules(declared, enabled) };
}

/**
 * Whether a holder of the organization has operator rights: it operates a product, and the
 * holder is not a MEMBER (service accounts have no role; a user's token signed before roles
 * were in tokens keeps what it lists).
 */
export async function holdsOperatorRights(app: App, organizationId: string, role: Role | undefined | null) {
  return role !== 'MEMBER' && operatorRights(await operatesAProduct(app, organizationId), role);
}

/** Operator rights, once it is known whether the organization operates a product. */
export const operatorRights = (operates: boolean, role: Role | undefined | null) => operates && role !== 'MEMBER';

type Modules = ReturnType<typeof modulesOf>;

// Every authenticated request limits its principal's scopes. The standing and the product are
// cached objects, replaced whenever they change, and the granted scopes are a role's constant
// or a cached credential's: what they give is computed once per combination, not per request.
const modulesByStanding = new WeakMap<Standing, WeakMap<Product, [Modules?, Modules?]>>();
const scopesByModules = new WeakMap<readonly string[], WeakMap<readonly string[], string[]>>();

/** The value under `key`, made by `make` the first time. */
function memo<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  const made = make();
  map.set(key, made);
  return made;
}

function cachedModulesOf(app: App, product: Product, standing: Standing, operator: boolean): Modules {
  const pair = memo(
    memo(modulesByStanding, standing, () => new WeakMap()),
    product,
    (): [Modules?, Modules?] => [undefined, undefined],
  );
  const index = operator ? 1 : 0;
  pair[index] ??= modulesOf(app, product, standing, operator);
  return pair[index];
}

const cachedEffectiveScopes = (granted: readonly string[], enabled: readonly string[]): string[] =>
  memo(
    memo(scopesByModules, enabled, () => new WeakMap()),
    granted,
    () => effectiveScopes(granted, enabled),
  );

/** The principal with the scopes it may use now: its own, limited to the enabled modules. */
export async function limitedToFeatures(
  app: App,
  principal: Principal,
  product: Product,
  standing: Standing,
): Promise<Principal> {
  const operator = await holdsOperatorRights(app, principal.organizationId, principal.role);
  const { enabled, disabled } = cachedModulesOf(app, product, standing, operator);
  return {
    ...principal,
    scopes: cachedEffectiveScopes(principal.scopes, enabled),
    grantedScopes: principal.scopes,
    disabledModules: disabled,
  };
}

/** The organization's subscription is cancelled: nothing of it signs in or acts until it is renewed. */
export const subscriptionInactive = () => {
  const error = new AppError('FORBIDDEN', 'subscriptionInactive', { extensions: { reason: 'SUBSCRIPTION_INACTIVE' } });
  error.extensions.http = { status: 403 };
  return error;
};

export const productMismatch = () => {
  const error = unauthenticated('productMismatch', 'PRODUCT_MISMATCH');
  error.extensions.http = { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
  return error;
};

/** Whether an error is the refusal of a product name (malformed, unknown, contradicting the credential) or of a suspended organization. */
export const isProductRefusal = (error: unknown): error is AppError =>
  error instanceof AppError &&
  (error.messageKey === 'invalidProductSlug' ||
    error.messageKey === 'productMismatch' ||
    error.messageKey === 'subscriptionInactive' ||
    (error.extensions.code === 'NOT_FOUND' && error.params.entity === 'Product'));
