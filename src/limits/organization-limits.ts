// Setting an organization's limits. The product's operators set its plan's overrides (a field
// left out is unchanged, null removes the override so that the product's default applies);
// the organization's own admins may set lower values for themselves only, kept apart from the
// plan's, and the lower of the two holds. Nobody else learns the organization exists.
import { z } from 'zod';
import { actorOf, type Caller, currentRole, refuse } from '../auth/caller.ts';
import { grants } from '../auth/scopes.ts';
import type { Organization } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { AppError, badInput, notFound } from '../platform/errors.ts';
import {
  effectiveLimits,
  LIMIT_FIELDS,
  type Limits,
  limitColumns,
  limitsInput,
  limitsOf,
  planLimits,
} from '../platform/tenant-limits.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import type { Product } from '../products/catalog.ts';
import { actsForOperator, withOperator } from '../products/operators.ts';
import type { Standing } from '../products/standing.ts';

const updateInput = limitsInput.extend({ organizationId: z.string() });

/** The product's defaults, which apply wherever an organization has no override. */
export const defaultLimitsOf = (product: Product): Limits => limitsOf(product, 'default');

/** The limits that hold for an organization now. */
export const limitsFor = (product: Product, standing: Pick<Standing, 'overrides' | 'own'>): Limits =>
  effectiveLimits(defaultLimitsOf(product), standing.overrides, standing.own);

/** The effective limits of an organization row (for `Organization.limits`). */
export async function organizationLimits(app: App, organization: Organization): Promise<Limits> {
  const product = await app.products.byId(organization.productId);
  return effectiveLimits(defaultLimitsOf(product), limitsOf(organization, 'limit'), limitsOf(organization, 'own'));
}

/** Whether the caller operates the product: an owner or admin of its operator organization, or its token with write:subscriptions. */
async function operates(caller: Caller, product: Product): Promise<boolean> {
  const operated = await withOperator(caller.app, product);
  if (!actsForOperator(caller.principal, operated)) return false;
  if (caller.principal.kind === 'user') {
    const role = await currentRole(caller);
    return role === 'OWNER' || role === 'ADMIN';
  }
  return grants(caller.principal.scopes, 'write:subscriptions');
}

export async function updateOrganizationLimits(caller: Caller, input: unknown): Promise<Organization> {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  if (!isUuid(data.organizationId)) throw notFound('Organization', 'organizationId');
  const before = await app.db.organization.findUnique({ where: { id: data.organizationId } });
  if (!before) throw notFound('Organization', 'organizationId');
  const product = await app.products.byId(before.productId);
  const target = { type: 'Organization', id: before.id };
  const given = LIMIT_FIELDS.filter((field) => data[field] !== undefined);
  if (given.length === 0) throw badInput('input');

  let as: 'operator' | 'organization';
  if (await operates(caller, product)) {
    as = 'operator';
  } else if (before.id === principal.organizationId) {
    as = 'organization';
    // The field's authScopes asked for write:organization; a user is held to the role of today.
    if (principal.kind === 'user') {
      const role = await currentRole(caller);
      if (role !== 'OWNER' && role !== 'ADMIN') {
        throw await refuse(caller, 'update_organization_limits', target, new AppError('FORBIDDEN', 'forbidden'));
      }
    }
    const plan = planLimits(defaultLimitsOf(product), limitsOf(before, 'limit'));
    for (const field of given) {
      const value = data[field];
      const max = plan[field];
      if (value !== null && value !== undefined && max !== null && value > max) {
        throw await refuse(
          caller,
          'raise_organization_limit',
          target,
          new AppError('FORBIDDEN', 'limitAbovePlan', {
            params: { field, max },
            extensions: { reason: 'OPERATOR_ONLY', field },
          }),
        );
      }
    }
  } else {
    // Another organization, and the caller does not operate its product: it does not exist for them.
    throw notFound('Organization', 'organizationId');
  }

  const prefix = as === 'operator' ? 'limit' : 'own';
  const organization = await app.db.$transaction(async (tx) => {
    const updated = await tx.organization.update({ where: { id: before.id }, data: limitColumns(prefix, data) });
    await audit(tx, {
      organizationId: before.id,
      ...actorOf(principal),
      action: 'organization.limits_updated',
      targetType: 'Organization',
      targetId: before.id,
      ip: caller.ip,
      metadata: {
        as,
        ...(as === 'operator' ? { operatorOrganizationId: principal.organizationId } : {}),
        from: limitsOf(before, prefix),
        to: limitsOf(updated, prefix),
      },
    });
    return updated;
  });
  // Every instance applies the new limits from its next request on.
  await app.standings.changed(before.id);
  return organization;
}
