// Inviting people into an organization, and accepting. The emailed token is single use and
// stored hashed; accepting creates the user, or checks an existing user's password.

import { z } from 'zod';
import { type Session, sessionForMembership } from '../accounts/sessions.ts';
import { auditAs, type Caller, currentRole, ownersOnly, refuse } from '../auth/caller.ts';
import { hashPassword, newPassword, verifyPassword } from '../auth/passwords.ts';
import { newOpaqueToken, sha256 } from '../auth/secrets.ts';
import type { Invitation, Prisma, Product } from '../generated/prisma/client.ts';
import { Role } from '../generated/prisma/enums.ts';
import { emailLink } from '../mail/links.ts';
import { invitationEmail } from '../mail/messages.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { AppError, badInput, conflict, notFound, unauthenticated } from '../platform/errors.ts';
import { email, isUuid, name, parseInput } from '../platform/validation.ts';
import { credentialStanding, productOfOrganization } from '../products/request-product.ts';
import { type Brand, brandOf, languageFor } from '../products/white-label.ts';
import { alertAccountLocked } from '../security/causes.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const inviteInput = z.object({ email, role: z.enum(Role) });

export async function inviteMember(caller: Caller, input: unknown) {
  const { app, principal } = caller;
  const data = parseInput(inviteInput, input);
  const organizationId = principal.organizationId;
  // Only an owner makes owners.
  if (data.role === 'OWNER' && (await currentRole(caller)) !== 'OWNER') {
    throw await refuse(caller, 'invite_owner', undefined, ownersOnly());
  }
  const alreadyMember = await app.db.membership.findFirst({
    where: { organizationId, user: { email: data.email } },
    select: { id: true },
  });
  if (alreadyMember) throw conflict('alreadyMember', {}, 'email');

  const token = newOpaqueToken();
  const brand = await brandOfOrganization(app, organizationId);
  const { invitation, mailId } = await app.db.$transaction(async (tx) => {
    // A new invitation replaces a pending one to the same address.
    await tx.invitation.updateMany({
      where: { organizationId, email: data.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.invitation.create({
      data: {
        organizationId,
        email: data.email,
        role: data.role,
        tokenHash: sha256(token),
        invitedById: principal.kind === 'user' ? principal.id : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
    });
    await auditAs(
      caller,
      tx,
      'member.invited',
      { type: 'Invitation', id: invitation.id },
      {
        email: data.email,
        role: data.role,
      },
    );
    return { invitation, mailId: await enqueueInvitationEmail(app, tx, brand, invitation, token) };
  });
  app.background(() => app.mailer.deliver(mailId));
  return invitation;
}

/** The email is the organization's product's: its name, its sender, its page for the link. */
const brandOfOrganization = async (app: App, organizationId: string) =>
  brandOf(app, await productOfOrganization(app, organizationId));

/**
 * The invitation email; answers its id. Someone Herald knows reads it in their own language,
 * anyone else in the product's.
 */
async function enqueueInvitationEmail(
  app: App,
  tx: Prisma.TransactionClient,
  brand: Brand,
  invitation: Invitation,
  token: string,
): Promise<string> {
  const link = emailLink(app.config, 'invitation', token, brand);
  const organization = await tx.organization.findUniqueOrThrow({ where: { id: invitation.organizationId } });
  const invitee = await tx.user.findUnique({ where: { email: invitation.email }, select: { locale: true } });
  const mail = await enqueueEmail(tx, {
    from: brand.mailFrom,
    to: invitation.email,
    template: 'invitation',
    ...invitationEmail(
      languageFor(brand, invitee?.locale),
      { organization: organization.name, product: brand.name },
      link,
    ),
  });
  return mail.id;
}

/**
 * Sends a pending (or expired) invitation again, with a new link valid for another 7 days:
 * the token is stored only hashed, so the new email carries a new one, and the link of the
 * earlier email stops working. An accepted or revoked invitation is a CONFLICT; only an owner
 * resends an invitation to become owner, as only an owner sends one.
 */
export async function resendInvitation(caller: Caller, input: { id: string }): Promise<Invitation> {
  const { app, principal } = caller;
  const invitation = await invitationOrFail(app, principal.organizationId, input.id);
  if (invitation.acceptedAt) throw conflict('invitationAccepted', {}, 'id');
  if (invitation.revokedAt) throw conflict('invitationRevoked', {}, 'id');
  if (invitation.role === 'OWNER' && (await currentRole(caller)) !== 'OWNER') {
    throw await refuse(caller, 'invite_owner', { type: 'Invitation', id: invitation.id }, ownersOnly());
  }
  const token = newOpaqueToken();
  const brand = await brandOfOrganization(app, invitation.organizationId);
  const { resent, mailId } = await app.db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { tokenHash: sha256(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) },
    });
    if (claimed.count === 0) {
      // Accepted or revoked in the meantime.
      const now = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
      throw conflict(now.acceptedAt ? 'invitationAccepted' : 'invitationRevoked', {}, 'id');
    }
    const resent = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    await auditAs(
      caller,
      tx,
      'member.invitation_resent',
      { type: 'Invitation', id: invitation.id },
      { email: invitation.email, role: invitation.role },
    );
    return { resent, mailId: await enqueueInvitationEmail(app, tx, brand, resent, token) };
  });
  app.background(() => app.mailer.deliver(mailId));
  return resent;
}

async function invitationOrFail(app: App, organizationId: string, id: string): Promise<Invitation> {
  const invitation = isUuid(id) ? await app.db.invitation.findFirst({ where: { id, organizationId } }) : null;
  if (!invitation) throw notFound('Invitation', 'id');
  return invitation;
}

/** Invitations that can still be accepted. */
export const pendingInvitationsWhere = (organizationId: string) => ({
  organizationId,
  acceptedAt: null,
  revokedAt: null,
  expiresAt: { gt: new Date() },
});

/**
 * Withdraws a pending invitation: its emailed token stops working. Revoking one already
 * revoked answers it as it is; one already accepted is a CONFLICT (remove the member instead).
 */
export async function revokeInvitation(caller: Caller, input: { id: string }) {
  const { app, principal } = caller;
  const invitation = await invitationOrFail(app, principal.organizationId, input.id);
  if (invitation.acceptedAt) throw conflict('invitationAccepted', {}, 'id');
  if (invitation.revokedAt) return invitation;
  return app.db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (claimed.count === 0) {
      // Accepted or revoked in the meantime.
      const now = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
      if (now.revokedAt) return now;
      throw conflict('invitationAccepted', {}, 'id');
    }
    await auditAs(
      caller,
      tx,
      'member.invitation_revoked',
      { type: 'Invitation', id: invitation.id },
      { email: invitation.email, role: invitation.role },
    );
    return tx.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
  });
}

const acceptInput = z.object({
  token: z.string().min(1),
  name: name().nullish(),
  password: z.string().min(1),
});

/** Joins the invited person (creating the user if the email is new) and signs them in there. */
export async function acceptInvitation(app: App, input: unknown, ip: string, named: Product | null): Promise<Session> {
  await app.limits.hitIp(ip);
  const data = parseInput(acceptInput, input);
  const invalid = () => new AppError('BAD_USER_INPUT', 'invalidInvitation', { extensions: { field: 'token' } });
  const invitation = await app.db.invitation.findUnique({ where: { tokenHash: sha256(data.token) } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
    throw invalid();
  }
  // The invitation is its organization's product's: named for another, it is refused as any
  // credential is; a cancelled subscription lets nobody in.
  await credentialStanding(app, invitation.organizationId, named);

  const existing = await app.db.user.findUnique({ where: { email: invitation.email } });
  let passwordHash: string | null = null;
  if (existing) {
    await app.limits.logins.assertAllowed(existing.email, ip);
    if (!(await verifyPassword(existing.passwordHash, data.password)) || existing.disabledAt) {
      if (await app.limits.logins.failed(existing.email, ip)) {
        app.background(() => alertAccountLocked(app, existing, ip));
      }
      throw unauthenticated('invalidCredentials');
    }
    await app.limits.logins.succeeded(existing.email, ip);
  } else {
    if (!data.name) throw badInput('name', 'required');
    passwordHash = await hashPassword(parseInput(z.object({ password: newPassword }), data).password);
  }

  const session = await app.db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count === 0) throw invalid();
    const userId =
      existing?.id ??
      (
        await tx.user.create({
          data: { email: invitation.email, name: data.name as string, passwordHash: passwordHash as string },
        })
      ).id;
    const member = await tx.membership.findUnique({
      where: { userId_organizationId: { userId, organizationId: invitation.organizationId } },
      select: { id: true },
    });
    if (member) throw conflict('alreadyMember', {}, 'token');
    // Tokens from an earlier membership (since removed) must not come back to life.
    await tx.membership.create({
      data: { userId, organizationId: invitation.organizationId, role: invitation.role, sessionsNotBefore: new Date() },
    });
    await audit(tx, {
      organizationId: invitation.organizationId,
      actorType: 'USER',
      actorId: userId,
      action: 'member.joined',
      targetType: 'Invitation',
      targetId: invitation.id,
      ip,
      metadata: { role: invitation.role },
    });
    await enqueueWebhookEvent(tx, {
      organizationId: invitation.organizationId,
      type: 'member.added',
      data: { userId, email: invitation.email, role: invitation.role, invitationId: invitation.id },
    });
    return (await sessionForMembership(app, tx, userId, invitation.organizationId)) as Session;
  });
  await app.sessions.changed(session.user.id, session.organization.id);
  return session;
}
