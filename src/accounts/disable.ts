// Disabling an account is an operator's act (`npm run users -- disable <email>`): the person
// can no longer sign in or refresh, and every access token, socket and stream of theirs
// ends on every instance. Enabling lets them sign in again; ended sessions stay ended.
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { revokeAllSessions } from './sessions.ts';

/** Answers false when no account has that email. */
export async function setUserDisabled(app: App, email: string, disabled: boolean): Promise<boolean> {
  const user = await app.db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: { select: { organizationId: true } } },
  });
  if (!user) return false;
  await app.db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: disabled ? (user.disabledAt ?? new Date()) : null },
    });
    if (disabled) await revokeAllSessions(tx, user.id);
    for (const { organizationId } of user.memberships) {
      await audit(tx, {
        organizationId,
        actorType: 'ANONYMOUS',
        actorId: null,
        action: disabled ? 'user.disabled' : 'user.enabled',
        targetType: 'User',
        targetId: user.id,
        metadata: { by: 'operator' },
      });
    }
  });
  await app.sessions.changed(user.id);
  return true;
}
