// Token pairs: a short-lived ES256 access JWT and an opaque, rotating refresh token. The
// active organization belongs to the pair; refresh re-checks the user and the membership
// and recomputes the scopes from the current role.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { signAccessToken } from '../auth/jwt.ts';
import { ROLE_SCOPES } from '../auth/scopes.ts';
import { newOpaqueToken, sha256 } from '../auth/secrets.ts';
import { type Organization, Prisma, type Role, type User } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { audit, requestClient } from '../platform/audit.ts';
import type { Db } from '../platform/database/db.ts';
import { columnsOf } from '../platform/database/sql-columns.ts';
import { type UnauthenticatedReason, unauthenticated } from '../platform/errors.ts';
import type { Product } from '../products/catalog.ts';
import { effectiveScopes } from '../products/features.ts';
import { operatesAProduct } from '../products/operators.ts';
import { modulesOf, operatorRights, productOfCredential, subscriptionInactive } from '../products/request-product.ts';
import { alertRefreshTokenReuse } from '../security/causes.ts';

const ORGANIZATION_COLUMNS = columnsOf(Prisma.OrganizationScalarFieldEnum, 'organization');

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scopes: readonly string[];
  user: User;
  organization: Organization;
}

type Tx = Prisma.TransactionClient | Db;

export async function issueSession(
  app: App,
  tx: Tx,
  grant: { user: User; organization: Organization; role: Role; familyId?: string; operates?: boolean },
): Promise<Session> {
  const refreshToken = newOpaqueToken();
  await tx.refreshToken.create({
    data: {
      familyId: grant.familyId ?? randomUUID(),
      tokenHash: sha256(refreshToken),
      userId: grant.user.id,
      organizationId: grant.organization.id,
      expiresAt: new Date(Date.now() + app.config.REFRESH_TOKEN_TTL * 1000),
    },
  });
  return signedSession(app, { ...grant, refreshToken }, tx);
}

async function signedSession(
  app: App,
  grant: { user: User; organization: Organization; role: Role; refreshToken: string; operates?: boolean },
  /** The transaction the sign-in runs in, if it does. */
  tx?: Tx,
): Promise<Session> {
  // Inside a transaction the product is read through it: on the embedded database, one
  // connection, a read of the catalog's (after a change) would wait for this transaction to end.
  const inTransaction = tx !== undefined && tx !== app.db;
  const product = inTransaction
    ? await tx.product.findUniqueOrThrow({ where: { id: grant.organization.productId } })
    : await app.products.byId(grant.organization.productId);
  const operates =
    grant.operates ??
    (inTransaction
      ? (await tx.product.count({ where: { operatorOrganizationId: grant.organization.id } })) > 0
      : await operatesAProduct(app, grant.organization.id));
  // Listed expanded and limited to the organization's features: what an upstream may trust.
  const operator = operatorRights(operates, grant.role);
  const { enabled } = modulesOf(app, product, { features: grant.organization.subscriptionFeatures }, operator);
  const scopes = effectiveScopes(ROLE_SCOPES[grant.role], enabled);
  const access = await signAccessToken(
    app.jwt,
    { sub: grant.user.id, org: grant.organization.id, product: product.slug, scopes },
    app.config.ACCESS_TOKEN_TTL,
    'access',
    { claims: { role: grant.role } },
  );
  return {
    accessToken: access.token,
    refreshToken: grant.refreshToken,
    expiresIn: access.expiresIn,
    scopes,
    user: grant.user,
    organization: grant.organization,
  };
}

type MembershipRow = Organization & { role: Role; chosen: boolean; joinedAt: Date; membershipId: string };

export type LoginOutcome = { session: Session } | { organizations: Organization[] };

/**
 * A login after its password check, in one statement: it reads the user's memberships in the
 * product and, when one is determined (the organization asked for, or the only one), writes
 * the refresh token and the `login.succeeded` audit event for it. The role the scopes come from is read
 * in the same snapshot, so a membership removed meanwhile gets no pair. Otherwise it answers
 * the organizations, oldest membership first, and writes nothing (as for a suspended one).
 */
export async function issueLoginSession(
  app: App,
  login: { user: User; productId: string; organizationId: string | null; ip: string },
): Promise<LoginOutcome> {
  const { user, productId, organizationId, ip } = login;
  const refreshToken = newOpaqueToken();
  const now = new Date();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + app.config.REFRESH_TOKEN_TTL * 1000).toISOString();
  const rows = await app.db.$queryRaw<MembershipRow[]>`
    WITH memberships AS (
      SELECT ${ORGANIZATION_COLUMNS}, membership.role::text AS role, membership."createdAt" AS "joinedAt",
        membership.id AS "membershipId"
      FROM "Membership" AS membership
      JOIN "Organization" AS organization ON organization.id = membership."organizationId"
      JOIN "User" AS u ON u.id = membership."userId"
      WHERE membership."userId" = ${user.id}::uuid AND u."disabledAt" IS NULL
        AND organization."productId" = ${productId}::uuid
    ), chosen AS (
      SELECT id FROM memberships
      WHERE CASE WHEN ${organizationId}::uuid IS NULL THEN (SELECT count(*) FROM memberships) = 1
        ELSE id = ${organizationId}::uuid END
        AND "subscriptionStatus" <> 'CANCELED'
    ), issued AS (
      INSERT INTO "RefreshToken" (id, "familyId", "tokenHash", "userId", "organizationId", "expiresAt", "createdAt")
      SELECT ${uuidv7()}::uuid, ${randomUUID()}::uuid, ${sha256(refreshToken)}, ${user.id}::uuid, chosen.id,
        ${expiresAt}::timestamp(3), ${at}::timestamp(3)
      FROM chosen
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "organizationId", "actorType", "actorId", action, ip, client, "createdAt")
      SELECT ${uuidv7()}::uuid, chosen.id, 'USER', ${user.id}::uuid, 'login.succeeded', ${ip}::text,
        ${requestClient()}::text, ${at}::timestamp(3)
      FROM chosen
    )
    SELECT memberships.*, id IN (SELECT id FROM chosen) AS chosen
    FROM memberships ORDER BY "joinedAt", "membershipId"`;
  const organizations = rows.map(
    ({ role: _, chosen: __, joinedAt: ___, membershipId: ____, ...organization }) => organization,
  );
  const index = rows.findIndex((row) => row.chosen);
  if (index === -1) return { organizations };
  const { role } = rows[index] as { role: Role };
  return {
    session: await signedSession(app, { user, organization: organizations[index] as Organization, role, refreshToken }),
  };
}

/** Issues a pair for one of the user's organizations, or NOT_FOUND when not a member. */
export async function sessionForMembership(
  app: App,
  tx: Tx,
  userId: string,
  organizationId: string,
  familyId?: string,
  /** Whether the organization operates a product, when the caller knows better than the catalog (a transaction just made it). */
  operates?: boolean,
): Promise<Session | null> {
  const membership = await tx.membership.findUnique({
    where: { userId_organizationId: { userId, organizationId } },
    include: { user: true, organization: true },
  });
  if (!membership || membership.user.disabledAt) return null;
  if (membership.organization.subscriptionStatus === 'CANCELED') throw subscriptionInactive();
  return issueSession(app, tx, { ...membership, familyId, operates });
}

const revokeFamily = (db: Tx, familyId: string) =>
  db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });

/**
 * A new pair for the refresh token's session. A request that names another product than the
 * session's is refused before anything rotates (PRODUCT_MISMATCH).
 */
export async function refreshSession(
  app: App,
  refreshToken: string,
  ip: string,
  named: Product | null = null,
): Promise<Session> {
  const { db } = app;
  const row = await db.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });
  const now = new Date();
  const invalid = (reason: UnauthenticatedReason = 'SESSION_ENDED') => unauthenticated('invalidRefreshToken', reason);
  // Guessing refresh tokens costs the guesser's address its token budget. A token we issued
  // that was revoked or expired since (the tabs of someone signed out) costs nothing.
  if (!row) {
    await app.limits.tokenGuessed(ip);
    throw invalid('INVALID_CREDENTIAL');
  }
  // Another product's token, or a suspended organization's, is refused before anything rotates;
  // the suspension is said even to sessions it ended, so that the client knows why.
  await productOfCredential(app, row.organizationId, named);
  if (row.revokedAt || row.expiresAt <= now) throw invalid();

  // Claim the rotation atomically; a loser of a concurrent race sees rotatedAt set.
  const claimed = row.rotatedAt
    ? 0
    : (
        await db.refreshToken.updateMany({
          where: { id: row.id, rotatedAt: null, revokedAt: null },
          data: { rotatedAt: now },
        })
      ).count;
  if (claimed === 0) {
    const current = await db.refreshToken.findUnique({ where: { id: row.id } });
    const graceEnds = (current?.rotatedAt?.getTime() ?? 0) + app.config.REFRESH_REUSE_GRACE * 1000;
    if (!current || current.revokedAt || now.getTime() > graceEnds) {
      // A rotated token came back after the grace window: assume it was stolen.
      await db.$transaction([
        revokeFamily(db, row.familyId),
        audit(db, {
          organizationId: row.organizationId,
          actorType: 'USER',
          actorId: row.userId,
          action: 'refresh_token.reuse_detected',
          targetType: 'RefreshTokenFamily',
          targetId: row.familyId,
          ip,
        }),
      ]);
      app.background(() => alertRefreshTokenReuse(app, row, ip));
      throw invalid();
    }
    // Inside the grace window (tabs refreshing at once): a sibling in the same family.
  }

  const session = await sessionForMembership(app, db, row.userId, row.organizationId, row.familyId);
  if (!session) {
    // Disabled, or no longer a member of that organization.
    await revokeFamily(db, row.familyId);
    throw invalid();
  }
  return session;
}

/** Ends the session the refresh token belongs to. Unknown tokens end nothing, quietly. */
export async function logout(app: App, refreshToken: string): Promise<boolean> {
  const row = await app.db.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });
  if (row) await revokeFamily(app.db, row.familyId);
  return true;
}

/**
 * Ends every session of the user: refresh tokens are revoked, and access tokens signed
 * until now stop holding once the caller, after commit, reports `app.sessions.changed`.
 */
export async function revokeAllSessions(db: Tx, userId: string) {
  const now = new Date();
  await db.user.update({ where: { id: userId }, data: { sessionsNotBefore: now } });
  return db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * Ends the user's sessions in one product (logoutAll): refresh tokens of its organizations are
 * revoked and access tokens signed until now stop holding there, on every instance once this
 * resolves. Their sessions in other products stay.
 */
export async function revokeProductSessions(app: App, userId: string, productId: string) {
  const now = new Date();
  const organizationIds = await app.db.$transaction(async (tx) => {
    const memberships = await tx.membership.findMany({
      where: { userId, organization: { productId } },
      select: { organizationId: true },
    });
    const ids = memberships.map((membership) => membership.organizationId);
    await tx.membership.updateMany({
      where: { userId, organizationId: { in: ids } },
      data: { sessionsNotBefore: now },
    });
    await tx.refreshToken.updateMany({
      where: { userId, organizationId: { in: ids }, revokedAt: null },
      data: { revokedAt: now },
    });
    return ids;
  });
  await Promise.all(organizationIds.map((organizationId) => app.sessions.changed(userId, organizationId)));
}
