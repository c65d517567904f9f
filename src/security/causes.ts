// The alerts each trigger raises, with the display values their texts need. Callers on the
// request path run these through app.background: the request neither waits nor fails.

import type { Principal } from '../auth/principal.ts';
import type { ApiToken } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { raiseSecurityAlert } from './alerts.ts';

const WRITE_ALL = 'write:*';

const userLabel = (user: { name: string; email: string }) => `${user.name} <${user.email}>`;

/** A rotated refresh token came back after the grace window; its family was revoked. */
export async function alertRefreshTokenReuse(
  app: App,
  family: { userId: string; organizationId: string; familyId: string },
  ip: string,
) {
  const user = await app.db.user.findUnique({ where: { id: family.userId }, select: { name: true, email: true } });
  if (!user) return;
  await raiseSecurityAlert(app, {
    organizationId: family.organizationId,
    cause: 'refresh_token_reuse',
    // Per user: several families replayed within the hour are one incident.
    subject: family.userId,
    text: 'refresh_token_reuse',
    params: { user: userLabel(user), ip },
    actor: { type: 'USER', id: family.userId },
    ip,
  });
}

/** An account just reached its ceiling of failed sign-ins from all addresses: every organization it belongs to hears. */
export async function alertAccountLocked(app: App, user: { id: string; name: string; email: string }, ip: string) {
  const memberships = await app.db.membership.findMany({
    where: { userId: user.id },
    select: { organizationId: true },
  });
  for (const { organizationId } of memberships) {
    await raiseSecurityAlert(app, {
      organizationId,
      cause: 'account_locked',
      subject: user.id,
      text: 'account_locked',
      params: {
        user: userLabel(user),
        failures: app.config.RATE_LIMIT_ACCOUNT_FAILURES,
        minutes: Math.round(app.config.RATE_LIMIT_LOGIN_WINDOW / 60),
        ip,
      },
      actor: { type: 'USER', id: user.id },
      ip,
    });
  }
}

export const holdsWriteAll = (scopes: readonly string[]) => scopes.includes(WRITE_ALL);

/** A token now holds write:* (created, rotated, or raised to it by an update). */
export async function alertPrivilegedToken(
  app: App,
  who: { principal: Principal; ip: string },
  token: Pick<ApiToken, 'id' | 'name' | 'prefix' | 'organizationId' | 'serviceAccountId'>,
  how: 'created' | 'rotated' | 'updated' | 'oauth_client_created',
) {
  const { principal } = who;
  const [actor, account] = await Promise.all([
    principal.kind === 'user'
      ? app.db.user.findUnique({ where: { id: principal.id }, select: { name: true, email: true } })
      : app.db.serviceAccount.findUnique({ where: { id: principal.id }, select: { name: true, slug: true } }),
    app.db.serviceAccount.findUnique({ where: { id: token.serviceAccountId }, select: { name: true, slug: true } }),
  ]);
  const actorLabel = !actor ? principal.id : 'email' in actor ? userLabel(actor) : `${actor.name} (${actor.slug})`;
  await raiseSecurityAlert(app, {
    organizationId: token.organizationId,
    cause: 'privileged_token',
    subject: token.id,
    text: `privileged_token:${how}`,
    params: {
      actor: actorLabel,
      credential: `"${token.name}" (${token.prefix}…)`,
      owner: account ? `${account.name} (${account.slug})` : token.serviceAccountId,
    },
    actor: { type: principal.kind === 'user' ? 'USER' : 'SERVICE_ACCOUNT', id: principal.id },
    ip: who.ip,
  });
}

/** An organization's limits refused more than the threshold of its requests this clock hour. */
export async function alertRequestsRefused(app: App, organizationId: string, threshold: number) {
  await raiseSecurityAlert(app, {
    organizationId,
    cause: 'requests_refused',
    subject: organizationId,
    text: 'requests_refused',
    params: { threshold },
  });
}
