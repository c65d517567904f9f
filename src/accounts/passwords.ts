import { z } from 'zod';
import { hashPassword, newPassword, verifyPassword } from '../auth/passwords.ts';
import { newOpaqueToken, sha256 } from '../auth/secrets.ts';
import type { Locale } from '../i18n/messages.ts';
import { emailLink } from '../mail/links.ts';
import { passwordResetEmail } from '../mail/messages.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { AppError, unauthenticated } from '../platform/errors.ts';
import { email, parseInput } from '../platform/validation.ts';
import type { Product } from '../products/catalog.ts';
import { brandOf, languageFor } from '../products/white-label.ts';
import { revokeAllSessions, type Session, sessionForMembership } from './sessions.ts';

export const RESET_TTL_MS = 30 * 60 * 1000;

const changeInput = z.object({ currentPassword: z.string().min(1), newPassword });

/**
 * Changes the password and ends every other session: all refresh tokens are revoked and
 * the caller gets a fresh pair for the organization it is in.
 */
export async function changePassword(
  app: App,
  principal: { id: string; organizationId: string },
  input: unknown,
  ip: string,
): Promise<Session> {
  const data = parseInput(changeInput, input);
  const user = await app.db.user.findUniqueOrThrow({ where: { id: principal.id } });
  if (!(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new AppError('BAD_USER_INPUT', 'wrongCurrentPassword', { extensions: { field: 'currentPassword' } });
  }
  const passwordHash = await hashPassword(data.newPassword);
  const session = await app.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await revokeAllSessions(tx, user.id);
    await audit(tx, {
      organizationId: principal.organizationId,
      actorType: 'USER',
      actorId: user.id,
      action: 'password.changed',
      targetType: 'User',
      targetId: user.id,
      ip,
    });
    const session = await sessionForMembership(app, tx, user.id, principal.organizationId);
    if (!session) throw unauthenticated();
    return session;
  });
  await app.sessions.changed(user.id);
  return session;
}

const requestInput = z.object({ email });

/**
 * Always answers true, and answers before looking the email up: neither the answer nor its
 * timing reveals whether the email belongs to anyone. The link is issued in the background.
 */
export async function requestPasswordReset(
  app: App,
  product: Product,
  input: unknown,
  ip: string,
  /** The language the request asked for, if it did. */
  requested?: Locale,
): Promise<boolean> {
  await app.limits.hitIp(ip);
  const data = parseInput(requestInput, input);
  await app.limits.hitPasswordReset(data.email);
  app.background(() => issuePasswordReset(app, product, data.email, requested));
  return true;
}

/**
 * The email of the request's product: its name, sender and reset page. A person the product
 * does not know (no organization in it) gets none, as an unknown email gets none.
 */
async function issuePasswordReset(app: App, product: Product, address: string, requested?: Locale) {
  const user = await app.db.user.findUnique({ where: { email: address } });
  if (!user || user.disabledAt) return;
  const known = await app.db.membership.findFirst({
    where: { userId: user.id, organization: { productId: product.id } },
    select: { id: true },
  });
  if (!known) return;

  const brand = brandOf(app, product);
  const token = newOpaqueToken();
  const link = emailLink(app.config, 'passwordReset', token, brand);
  const { id } = await app.db.$transaction(async (tx) => {
    await tx.passwordReset.create({
      data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_TTL_MS) },
    });
    return enqueueEmail(tx, {
      from: brand.mailFrom,
      to: user.email,
      template: 'password-reset',
      ...passwordResetEmail(languageFor(brand, user.locale, requested), { name: user.name, product: brand.name }, link),
    });
  });
  await app.mailer.deliver(id);
}

const resetInput = z.object({ token: z.string().min(1), password: newPassword });

/** Sets a new password with a single-use reset token and ends every session. */
export async function resetPassword(app: App, input: unknown, ip: string): Promise<boolean> {
  await app.limits.hitIp(ip);
  const data = parseInput(resetInput, input);
  const invalid = () => new AppError('BAD_USER_INPUT', 'invalidResetToken', { extensions: { field: 'token' } });
  const reset = await app.db.passwordReset.findUnique({ where: { tokenHash: sha256(data.token) } });
  if (!reset || reset.usedAt || reset.expiresAt <= new Date()) throw invalid();
  const passwordHash = await hashPassword(data.password);

  await app.db.$transaction(async (tx) => {
    const claimed = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) throw invalid();
    // Other links sent earlier die with this one.
    await tx.passwordReset.updateMany({ where: { userId: reset.userId, usedAt: null }, data: { usedAt: new Date() } });
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await revokeAllSessions(tx, reset.userId);
    const memberships = await tx.membership.findMany({
      where: { userId: reset.userId },
      select: { organizationId: true },
    });
    for (const { organizationId } of memberships) {
      await audit(tx, {
        organizationId,
        actorType: 'USER',
        actorId: reset.userId,
        action: 'password.reset',
        targetType: 'User',
        targetId: reset.userId,
        ip,
      });
    }
  });
  await app.sessions.changed(reset.userId);
  return true;
}
