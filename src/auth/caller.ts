// Who is acting in a service call, and the checks that depend on what they hold today.

import type { ActorType, Prisma, Role } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import type { Db } from '../platform/database/db.ts';
import { AppError } from '../platform/errors.ts';
import type { Principal } from './principal.ts';
import { coversAll, ROLE_SCOPES, type Scope } from './scopes.ts';

export interface Caller {
  app: App;
  principal: Principal;
  ip: string;
}

export const actorOf = (principal: Principal): { actorType: ActorType; actorId: string } => ({
  actorType: principal.kind === 'user' ? 'USER' : 'SERVICE_ACCOUNT',
  actorId: principal.id,
});

/** Who revoked a credential, as its `revokedById` and `revokedByType` columns record it. */
export const revokedBy = (principal: Principal): { revokedById: string; revokedByType: ActorType } => {
  const { actorType, actorId } = actorOf(principal);
  return { revokedById: actorId, revokedByType: actorType };
};

/** A user's role in the organization they act in, read now; service accounts have none. */
export async function currentRole({ app, principal }: Caller): Promise<Role | null> {
  if (principal.kind !== 'user') return null;
  const membership = await app.db.membership.findUnique({
    where: { userId_organizationId: { userId: principal.id, organizationId: principal.organizationId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

/**
 * Whether the caller holds a scope, as given to its credential (a token handed out is limited
 * by the organization's features wherever it is used, like the caller's own). A user's access
 * token is stateless and lists its scopes expanded, so a user is checked against the role held
 * today: a demoted admin cannot hand out write:*.
 */
export async function scopeHolder(caller: Caller): Promise<(scope: Scope) => boolean> {
  const { principal } = caller;
  if (principal.kind === 'user') {
    const role = await currentRole(caller);
    return (scope) => role !== null && coversAll(ROLE_SCOPES[role], [scope]);
  }
  const granted = principal.grantedScopes ?? principal.scopes;
  return (scope) => coversAll(granted, [scope]);
}

/** The requested scopes the caller does not hold. */
export async function scopesNotHeld(caller: Caller, requested: readonly Scope[]): Promise<Scope[]> {
  const holds = await scopeHolder(caller);
  return requested.filter((scope) => !holds(scope));
}

/** Records what the caller did, in their organization; in the caller's transaction when given. */
export function auditAs(
  caller: Caller,
  tx: Prisma.TransactionClient | Db,
  action: string,
  target?: { type: string; id: string },
  metadata?: Prisma.InputJsonValue,
) {
  return audit(tx, {
    organizationId: caller.principal.organizationId,
    ...actorOf(caller.principal),
    action,
    targetType: target?.type,
    targetId: target?.id,
    ip: caller.ip,
    metadata,
  });
}

/**
 * Records a refused attempt to gain or hand out more than the caller holds; answers the
 * FORBIDDEN given, which says what was missing.
 */
export async function refuse(
  caller: Caller,
  attempt: string,
  target: { type: string; id: string } | undefined,
  answer: AppError,
): Promise<AppError> {
  await auditAs(caller, caller.app.db, 'authorization.denied', target, { attempt });
  return answer;
}

/** Only an owner may do this (make, change or remove owners). */
export const ownersOnly = () =>
  new AppError('FORBIDDEN', 'forbiddenOwnersOnly', { extensions: { requiredRole: 'OWNER' } });

/** The caller would hand out scopes they do not hold. */
export const beyondOwnScopes = (scopes: readonly Scope[]) =>
  new AppError('FORBIDDEN', 'forbiddenBeyondOwnScopes', {
    params: { scopes: scopes.join(', ') },
    extensions: { reason: 'MISSING_SCOPE', requiredScopes: scopes },
  });

/** The caller would change, rotate, revoke or delete credentials holding scopes they do not hold. */
export const credentialBeyondOwnScopes = (scopes: readonly Scope[]) =>
  new AppError('FORBIDDEN', 'forbiddenCredentialBeyondOwnScopes', {
    params: { scopes: scopes.join(', ') },
    extensions: { reason: 'MISSING_SCOPE', requiredScopes: scopes },
  });

/**
 * Records, off the request path, a signed-in caller refused by a mutation's scope check
 * (a member inviting, a token writing beyond its scopes).
 */
export function recordRefusedMutation(
  context: Omit<Caller, 'principal'> & { principal: Principal | null },
  field: string,
) {
  const { app, principal, ip } = context;
  if (!principal) return;
  app.background(() =>
    auditAs({ app, principal, ip }, app.db, 'authorization.denied', undefined, { attempt: 'missing_scope', field }),
  );
}
