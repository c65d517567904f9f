// An organization's subscription to its product: status, plan, enabled features, period end.
// Cancelling suspends the organization: its sessions end and its sockets close at once, and its
// machine credentials are refused (SUBSCRIPTION_INACTIVE) until the status leaves CANCELED.
import { z } from 'zod';
import { actorOf, type Caller } from '../auth/caller.ts';
import type { Organization } from '../generated/prisma/client.ts';
import { SubscriptionStatus } from '../generated/prisma/enums.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { badInput, notFound } from '../platform/errors.ts';
import { isUuid, parseInput } from '../platform/validation.ts';
import { assertOperates } from './operators.ts';

export const subscriptionInput = z.object({
  organizationId: z.string(),
  status: z.enum(Object.values(SubscriptionStatus) as [SubscriptionStatus, ...SubscriptionStatus[]]).nullish(),
  plan: z.string().trim().max(100).nullish(),
  features: z.array(z.string().trim().min(1).max(63)).max(100).nullish(),
  currentPeriodEnd: z.date().nullish(),
});

/**
 * Changes an organization's subscription (a field left out stays), by an operator of the
 * organization's product; the features must be the product's.
 */
export async function changeSubscription(caller: Caller, input: unknown): Promise<Organization> {
  const { app } = caller;
  const data = parseInput(subscriptionInput, input);
  if (!isUuid(data.organizationId)) throw notFound('Organization', 'organizationId');
  const before = await app.db.organization.findUnique({ where: { id: data.organizationId } });
  if (!before) throw notFound('Organization', 'organizationId');
  const product = await app.products.byId(before.productId);
  await assertOperates(caller, product, 'write:subscriptions', 'update_subscription');
  if (data.features) {
    const unknown = data.features.find((feature) => !product.features.includes(feature));
    if (unknown !== undefined) throw badInput('features', 'unknownFeature', { feature: unknown });
  }
  const cancelling = data.status === 'CANCELED' && before.subscriptionStatus !== 'CANCELED';
  const now = new Date();
  const { organization, members } = await app.db.$transaction(async (tx) => {
    const organization = await tx.organization.update({
      where: { id: before.id },
      data: {
        ...(data.status ? { subscriptionStatus: data.status } : {}),
        ...(data.plan !== undefined ? { subscriptionPlan: data.plan } : {}),
        ...(data.features ? { subscriptionFeatures: [...new Set(data.features)] } : {}),
        ...(data.currentPeriodEnd !== undefined ? { subscriptionPeriodEnd: data.currentPeriodEnd } : {}),
      },
    });
    let members: { userId: string }[] = [];
    if (cancelling) {
      // Its sessions end: signed-in members sign in again once the subscription is renewed.
      members = await tx.membership.findMany({ where: { organizationId: before.id }, select: { userId: true } });
      await tx.membership.updateMany({ where: { organizationId: before.id }, data: { sessionsNotBefore: now } });
      await tx.refreshToken.updateMany({
        where: { organizationId: before.id, revokedAt: null },
        data: { revokedAt: now },
      });
    }
    await audit(tx, {
      organizationId: before.id,
      ...actorOf(caller.principal),
      action: 'subscription.updated',
      targetType: 'Organization',
      targetId: before.id,
      ip: caller.ip,
      metadata: {
        operatorOrganizationId: caller.principal.organizationId,
        from: {
          status: before.subscriptionStatus,
          plan: before.subscriptionPlan,
          features: before.subscriptionFeatures,
        },
        to: {
          status: organization.subscriptionStatus,
          plan: organization.subscriptionPlan,
          features: organization.subscriptionFeatures,
        },
      },
    });
    return { organization, members };
  });
  await announce(app, before.id, members);
  return organization;
}

/**
 * Every instance learns of the new standing before the change is answered; the standing first,
 * so that a socket the session's end closes already reads why.
 */
async function announce(app: App, organizationId: string, members: readonly { userId: string }[]) {
  await app.standings.changed(organizationId);
  await Promise.all(members.map(({ userId }) => app.sessions.changed(userId, organizationId)));
}
