// Who operates a product: the owners and admins of its operator organization, and that
// organization's service accounts holding the operator scopes. Operators act from their own
// organization, whatever product it belongs to; nobody else sees or touches the product.
import { type Caller, currentRole, refuse } from '../auth/caller.ts';
import type { Principal } from '../auth/principal.ts';
import { grants, type Scope } from '../auth/scopes.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { AppError } from '../platform/errors.ts';
import { isDefaultProduct, type Product } from './catalog.ts';

/** Whether the principal acts for the product's operator organization (its role or token scopes decide the rest). */
export const actsForOperator = (principal: Principal | null, product: Pick<Product, 'operatorOrganizationId'>) =>
  !!principal && !!product.operatorOrganizationId && principal.organizationId === product.operatorOrganizationId;

/**
 * Whether the organization operates a product (any product: operators act from their own
 * organization). Only there do the operator modules (`products`, `subscriptions`) exist, and
 * only for its owners, admins and service accounts. The default product's operator, while
 * unchosen, is chosen now (withOperator): the first organization registered becomes it.
 */
export async function operatesAProduct(app: App, organizationId: string): Promise<boolean> {
  if (await app.products.operates(organizationId)) return true;
  const fallback = await app.products.defaultProduct();
  if (fallback.operatorOrganizationId) return false;
  return (await withOperator(app, fallback)).operatorOrganizationId === organizationId;
}

/**
 * Within the registration of an organization in the default product while that product has no
 * operator: the organization becomes it when OPERATOR_ORGANIZATION names it, or, unset, when it
 * is the product's first. Chosen in the registration's transaction, so that its owner's first
 * token already lists the operator scopes; call `app.products.changed()` after the commit.
 */
export async function claimDefaultOperator(
  app: App,
  tx: Prisma.TransactionClient,
  product: Product,
  organization: { id: string; slug: string },
): Promise<boolean> {
  if (!isDefaultProduct(app, product) || product.operatorOrganizationId) return false;
  const named = app.config.OPERATOR_ORGANIZATION;
  if (named ? named !== organization.slug : (await tx.organization.count({ where: { productId: product.id } })) !== 1) {
    return false;
  }
  const claimed = await tx.product.updateMany({
    where: { id: product.id, operatorOrganizationId: null },
    data: { operatorOrganizationId: organization.id },
  });
  if (claimed.count > 0 && !named) {
    app.logger.warn(
      { product: product.slug, organization: organization.slug },
      'OPERATOR_ORGANIZATION is unset: the first organization operates the default product; set it to choose',
    );
  }
  return claimed.count > 0;
}

export const operatorOnly = () =>
  new AppError('FORBIDDEN', 'operatorOnly', { extensions: { reason: 'OPERATOR_ONLY' } });

/**
 * The product with its operator known. The default product's operator is OPERATOR_ORGANIZATION
 * (recorded when it differs from what is recorded); unset, the oldest organization of the
 * default product, chosen once, recorded, and logged as a warning.
 */
export async function withOperator(app: App, product: Product): Promise<Product> {
  if (!isDefaultProduct(app, product)) return product;
  const named = app.config.OPERATOR_ORGANIZATION;
  if (!named && product.operatorOrganizationId) return product;
  const operator = named
    ? await app.db.organization.findUnique({
        where: { productId_slug: { productId: product.id, slug: named } },
        select: { id: true, slug: true },
      })
    : await app.db.organization.findFirst({
        where: { productId: product.id },
        orderBy: { createdAt: 'asc' },
        select: { id: true, slug: true },
      });
  if (!operator || operator.id === product.operatorOrganizationId) return product;
  // Only a product that still has no operator is given the oldest organization: concurrent
  // instances agree on the first choice.
  const recorded = await app.db.product.updateMany({
    where: { id: product.id, ...(named ? {} : { operatorOrganizationId: null }) },
    data: { operatorOrganizationId: operator.id },
  });
  if (recorded.count > 0) {
    if (!named) {
      app.logger.warn(
        { product: product.slug, organization: operator.slug },
        'OPERATOR_ORGANIZATION is unset: the oldest organization operates the default product; set it to choose',
      );
    }
    await app.products.changed();
  }
  return app.products.byId(product.id);
}

/**
 * Refuses (FORBIDDEN, recorded) a caller who does not operate the product: another
 * organization (OPERATOR_ONLY), a member without an admin's role (OPERATOR_ONLY), a token
 * without the scope (MISSING_SCOPE; the field's authScopes asked it already).
 */
export async function assertOperates(caller: Caller, product: Product, scope: Scope, attempt: string) {
  const operated = await withOperator(caller.app, product);
  const target = { type: 'Product', id: product.id };
  if (!actsForOperator(caller.principal, operated)) throw await refuse(caller, attempt, target, operatorOnly());
  if (caller.principal.kind === 'user') {
    const role = await currentRole(caller);
    if (role !== 'OWNER' && role !== 'ADMIN') throw await refuse(caller, attempt, target, operatorOnly());
  } else if (!grants(caller.principal.scopes, scope)) {
    throw await refuse(caller, attempt, target, operatorOnly());
  }
}
