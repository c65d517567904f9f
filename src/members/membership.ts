// Role changes and removals. Only an owner touches owners, and an organization always keeps
// at least one owner: changes that could remove the last one take a lock on the organization
// row, so that two owners demoting each other at once cannot both succeed.
import { z } from 'zod';
import { actorOf, auditAs, type Caller, currentRole, ownersOnly, refuse } from '../auth/caller.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { Role } from '../generated/prisma/enums.ts';
import { audit } from '../platform/audit.ts';
import type { Db } from '../platform/database/db.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { parseInput } from '../platform/validation.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';

type Tx = Prisma.TransactionClient;

const memberOf = (db: Db | Tx, organizationId: string, userId: string) =>
  db.membership.findUnique({
    where: { userId_organizationId: { userId, organizationId } },
    include: { user: true, organization: true },
  });

async function assertAnotherOwnerRemains(tx: Tx, organizationId: string) {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
  const owners = await tx.membership.count({ where: { organizationId, role: 'OWNER' } });
  if (owners <= 1) throw conflict('lastOwner');
}

/** The target's membership, or NOT_FOUND (also for users of other organizations). */
async function targetOf(caller: Caller, userId: string) {
  const target = await memberOf(caller.app.db, caller.principal.organizationId, userId);
  if (!target) throw notFound('Member');
  return target;
}

const updateRoleInput = z.object({ userId: z.uuid(), role: z.enum(Role) });

export async function updateMemberRole(caller: Caller, input: unknown) {
  const { app, principal } = caller;
  const data = parseInput(updateRoleInput, input);
  const target = await targetOf(caller, data.userId);
  if ((data.role === 'OWNER' || target.role === 'OWNER') && (await currentRole(caller)) !== 'OWNER') {
    throw await refuse(
      caller,
      data.role === 'OWNER' ? 'grant_owner' : 'change_owner',
      { type: 'User', id: data.userId },
      ownersOnly(),
    );
  }
  if (target.role === data.role) return target;
  const updated = await app.db.$transaction(async (tx) => {
    if (target.role === 'OWNER') await assertAnotherOwnerRemains(tx, principal.organizationId);
    // The member's tokens carry the old role's scopes: they end, and refresh brings the new ones.
    await tx.membership.update({ where: { id: target.id }, data: { role: data.role, sessionsNotBefore: new Date() } });
    await auditAs(
      caller,
      tx,
      'member.role_changed',
      { type: 'User', id: data.userId },
      {
        from: target.role,
        to: data.role,
      },
    );
    return { ...target, role: data.role };
  });
  await app.sessions.changed(data.userId, principal.organizationId);
  return updated;
}

const removeInput = z.object({ userId: z.uuid() });

/** Removes a member; their refresh and access tokens for this organization stop working at once. */
export async function removeMember(caller: Caller, input: unknown): Promise<boolean> {
  const { app, principal } = caller;
  const data = parseInput(removeInput, input);
  const target = await targetOf(caller, data.userId);
  if (target.role === 'OWNER' && (await currentRole(caller)) !== 'OWNER') {
    throw await refuse(caller, 'remove_owner', { type: 'User', id: data.userId }, ownersOnly());
  }
  await app.db.$transaction(async (tx) => {
    if (target.role === 'OWNER') await assertAnotherOwnerRemains(tx, principal.organizationId);
    await tx.membership.delete({ where: { id: target.id } });
    await tx.refreshToken.updateMany({
      where: { userId: data.userId, organizationId: principal.organizationId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await auditAs(caller, tx, 'member.removed', { type: 'User', id: data.userId }, { role: target.role });
    await enqueueWebhookEvent(tx, {
      organizationId: principal.organizationId,
      type: 'member.removed',
      data: { userId: data.userId, email: target.user.email, role: target.role, left: false },
    });
  });
  await app.sessions.changed(data.userId, principal.organizationId);
  return true;
}

const leaveInput = z.object({ organizationId: z.uuid() });

/**
 * The signed-in user leaves one of their organizations (never as its last owner); their
 * sessions there end at once. Another organization's id reads as unknown.
 */
export async function leaveOrganization(caller: Caller, input: unknown): Promise<boolean> {
  const { app, principal } = caller;
  const { organizationId } = parseInput(leaveInput, input);
  await app.db.$transaction(async (tx) => {
    const membership = await memberOf(tx, organizationId, principal.id);
    if (!membership) throw notFound('Organization', 'organizationId');
    if (membership.role === 'OWNER') await assertAnotherOwnerRemains(tx, organizationId);
    await tx.membership.delete({ where: { id: membership.id } });
    await tx.refreshToken.updateMany({
      where: { userId: principal.id, organizationId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await audit(tx, {
      organizationId,
      ...actorOf(principal),
      action: 'member.left',
      targetType: 'User',
      targetId: principal.id,
      ip: caller.ip,
      metadata: { role: membership.role },
    });
    await enqueueWebhookEvent(tx, {
      organizationId,
      type: 'member.removed',
      data: { userId: principal.id, email: membership.user.email, role: membership.role, left: true },
    });
  });
  await app.sessions.changed(principal.id, organizationId);
  return true;
}
