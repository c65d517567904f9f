// Register, log in and pick an organization. A wrong password and an unknown email take
// the same time and give the same answer.
import { z } from 'zod';
import { hashPassword, newPassword, verifyPassword } from '../auth/passwords.ts';
import { newOpaqueToken, sha256 } from '../auth/secrets.ts';
import { Prisma, type User } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { audit, requestClient } from '../platform/audit.ts';
import { AppError, notFound, unauthenticated } from '../platform/errors.ts';
import { email, name, parseInput } from '../platform/validation.ts';
import type { Product } from '../products/catalog.ts';
import { claimDefaultOperator } from '../products/operators.ts';
import { subscriptionInactive } from '../products/request-product.ts';
import { alertAccountLocked } from '../security/causes.ts';
import { issueLoginSession, type Session, sessionForMembership } from './sessions.ts';
import { slugify, suffixed } from './slug.ts';

const SELECTION_TTL_MS = 5 * 60 * 1000;

const invalidCredentials = () => unauthenticated('invalidCredentials');

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Checks a password for an email, counting failures against the account and the address they come from. */
async function checkCredentials(app: App, address: string, password: string, ip: string): Promise<User> {
  await app.limits.logins.assertAllowed(address, ip);
  const user = await app.db.user.findUnique({ where: { email: address } });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok || user.disabledAt) {
    const locked = await app.limits.logins.failed(address, ip);
    // The answer stays the same: the owners and admins hear of it, the one guessing does not.
    if (locked && user) app.background(() => alertAccountLocked(app, user, ip));
    // Recorded in each organization of a known user, where its admins can read it; a miss
    // on an unknown email belongs to no organization.
    const organizations = user
      ? (await app.db.membership.findMany({ where: { userId: user.id }, select: { organizationId: true } })).map(
          (m) => m.organizationId,
        )
      : [];
    await app.db.auditEvent.createMany({
      data: (organizations.length > 0 ? organizations : [null]).map((organizationId) => ({
        organizationId,
        actorType: user ? ('USER' as const) : ('ANONYMOUS' as const),
        actorId: user?.id ?? null,
        action: 'login.failed',
        targetType: 'User',
        targetId: user?.id,
        ip,
        client: requestClient(),
      })),
    });
    throw invalidCredentials();
  }
  await app.limits.logins.succeeded(address, ip);
  return user;
}

/**
 * Creates an organization of the product with `ownerId` as its OWNER, finding a free slug. Its
 * subscription starts ACTIVE with every feature the product declares.
 */
async function createOrganization(
  tx: Prisma.TransactionClient,
  ownerId: string,
  orgName: string,
  product: Pick<Product, 'id' | 'features'>,
) {
  const base = slugify(orgName);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : suffixed(base);
    if (
      await tx.organization.findUnique({
        where: { productId_slug: { productId: product.id, slug } },
        select: { id: true },
      })
    ) {
      continue;
    }
    const organization = await tx.organization.create({
      data: { name: orgName, slug, productId: product.id, subscriptionFeatures: product.features },
    });
    await tx.membership.create({ data: { userId: ownerId, organizationId: organization.id, role: 'OWNER' } });
    return organization;
  }
  throw new AppError('CONFLICT', 'invalidValue', {
    params: { field: 'organizationName' },
    extensions: { field: 'organizationName' },
  });
}

const registerInput = z.object({
  email,
  password: newPassword,
  name: name(),
  organizationName: name(),
});

/**
 * A new user with a new organization in the request's product; an existing user (who gives
 * their password) gets one more organization there.
 */
export async function register(app: App, product: Product, input: unknown, ip: string): Promise<Session> {
  await app.limits.hitIp(ip);
  const data = parseInput(registerInput, input);
  const existing = await app.db.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (existing) await checkCredentials(app, data.email, data.password, ip);
  const passwordHash = existing ? null : await hashPassword(data.password);

  let session: Session;
  let operates = false;
  try {
    session = await app.db.$transaction(async (tx) => {
      const userId =
        existing?.id ??
        (await tx.user.create({ data: { email: data.email, name: data.name, passwordHash: passwordHash as string } }))
          .id;
      const organization = await createOrganization(tx, userId, data.organizationName, product);
      await audit(tx, {
        organizationId: organization.id,
        actorType: 'USER',
        actorId: userId,
        action: existing ? 'organization.created' : 'user.registered',
        targetType: 'Organization',
        targetId: organization.id,
        ip,
      });
      operates = await claimDefaultOperator(app, tx, product, organization);
      return (await sessionForMembership(
        app,
        tx,
        userId,
        organization.id,
        undefined,
        operates || undefined,
      )) as Session;
    });
  } catch (error) {
    // Someone registered the same email a moment ago: answer as for an existing one.
    if (isUniqueViolation(error)) throw invalidCredentials();
    throw error;
  }
  if (operates) await app.products.changed();
  // Whoever chose the password signs in from here later: a known address (an existing
  // user's was remembered when the password was checked).
  if (!existing) await app.limits.logins.succeeded(data.email, ip);
  return session;
}

export interface OrganizationChoice {
  selectionToken: string;
  organizations: { id: string; name: string; slug: string }[];
}

const loginInput = z.object({
  email,
  password: z.string().min(1),
  organizationId: z.uuid().nullish(),
});

/**
 * Signs in to one of the user's organizations in the request's product. A user with none
 * there gets the answer of a wrong password: another product's customers stay unknown here.
 */
export async function login(
  app: App,
  product: Product,
  input: unknown,
  ip: string,
): Promise<Session | OrganizationChoice> {
  await app.limits.hitIp(ip);
  const data = parseInput(loginInput, input);
  const user = await checkCredentials(app, data.email, data.password, ip);
  const outcome = await issueLoginSession(app, {
    user,
    productId: product.id,
    organizationId: data.organizationId ?? null,
    ip,
  });
  if ('session' in outcome) return outcome.session;
  const { organizations } = outcome;
  if (organizations.length === 0) throw invalidCredentials();
  const intended = data.organizationId
    ? organizations.find((organization) => organization.id === data.organizationId)
    : organizations.length === 1
      ? organizations[0]
      : undefined;
  if (intended?.subscriptionStatus === 'CANCELED') throw subscriptionInactive();
  if (data.organizationId) throw notFound('Organization');
  const selectionToken = newOpaqueToken();
  await app.db.organizationSelection.create({
    data: { userId: user.id, tokenHash: sha256(selectionToken), expiresAt: new Date(Date.now() + SELECTION_TTL_MS) },
  });
  return { selectionToken, organizations };
}

async function finishLogin(app: App, userId: string, organizationId: string, ip: string): Promise<Session> {
  return app.db.$transaction(async (tx) => {
    const session = await sessionForMembership(app, tx, userId, organizationId);
    if (!session) throw notFound('Organization');
    await audit(tx, { organizationId, actorType: 'USER', actorId: userId, action: 'login.succeeded', ip });
    return session;
  });
}

const selectInput = z.object({ selectionToken: z.string().min(1), organizationId: z.uuid() });

export async function selectOrganization(app: App, product: Product, input: unknown, ip: string): Promise<Session> {
  await app.limits.hitIp(ip);
  const data = parseInput(selectInput, input);
  const selection = await app.db.organizationSelection.findUnique({
    where: { tokenHash: sha256(data.selectionToken) },
  });
  if (!selection || selection.usedAt || selection.expiresAt <= new Date()) {
    throw unauthenticated('invalidSelectionToken');
  }
  const member = await app.db.membership.findUnique({
    where: { userId_organizationId: { userId: selection.userId, organizationId: data.organizationId } },
    select: { organization: { select: { productId: true } } },
  });
  if (member?.organization.productId !== product.id) throw notFound('Organization');
  const used = await app.db.organizationSelection.updateMany({
    where: { id: selection.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (used.count === 0) throw unauthenticated('invalidSelectionToken');
  return finishLogin(app, selection.userId, data.organizationId, ip);
}

const switchInput = z.object({ organizationId: z.uuid() });

/** A new pair for another of the user's organizations in the same product. */
export async function switchOrganization(app: App, product: Product, userId: string, input: unknown): Promise<Session> {
  const data = parseInput(switchInput, input);
  const session = await sessionForMembership(app, app.db, userId, data.organizationId);
  if (!session || session.organization.productId !== product.id) throw notFound('Organization');
  return session;
}
