// The rules every live transport keeps (WebSocket, Server-Sent Events): a
// connection or stream ends when its credential expires, when the user's sessions are
// revoked (logoutAll, password change or reset, removal, role change, disabled account) on
// any instance, when the API token it acts through is revoked or changed, and when the OAuth
// client its access token was issued to is revoked or its secret rotated; and when its
// organization's subscription is cancelled (the organization is suspended).
import type { App } from '../platform/app.ts';
import type { Principal } from './principal.ts';
import { sessionHolds } from './principal.ts';

export type SessionEnd = 'expired' | 'revoked' | 'suspended';

/** Whether the principal's organization is suspended (its subscription cancelled). */
const suspended = async (app: App, principal: Principal) =>
  (await app.standings.of(principal.organizationId))?.status === 'CANCELED';

/** Largest delay setTimeout honours; longer expiries are re-armed. */
const MAX_TIMER = 2 ** 31 - 1;

/** Calls `onEnd` once when the principal's credential stops holding; answers a function that stops watching. */
export function watchSession(app: App, principal: Principal, onEnd: (why: SessionEnd) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    unwatch();
    unwatchStanding();
  };
  const end = (why: SessionEnd) => {
    if (stopped) return;
    stop();
    onEnd(why);
  };

  let unwatch: () => void;
  if (principal.kind === 'user') {
    unwatch = app.sessions.watch(principal.id, (organizationId) => {
      if (organizationId && organizationId !== principal.organizationId) return;
      // A revocation of this user may still leave this token standing (a newer one). A
      // cancelled subscription ends its members' sessions too: that is what they are told.
      sessionHolds(app, principal).then(
        async (holds) => holds || end((await suspended(app, principal)) ? 'suspended' : 'revoked'),
        (error) => app.logger.warn({ err: error }, 'could not re-check a session'),
      );
    });
  } else if (principal.oauthClientId) {
    // A rotated secret ends only the tokens issued before it; a revocation ends them all.
    unwatch = app.oauthClients.watch(principal.oauthClientId, () => {
      sessionHolds(app, principal).then(
        (holds) => holds || end('revoked'),
        (error) => app.logger.warn({ err: error }, 'could not re-check an OAuth client'),
      );
    });
  } else {
    // Any change to the token (revocation, narrower scopes, disabled account) ends what it holds.
    unwatch = principal.tokenId ? app.apiTokens.watch(principal.tokenId, () => end('revoked')) : () => {};
  }

  // A cancelled subscription suspends every credential of the organization at once.
  const unwatchStanding = app.standings.watch(principal.organizationId, () => {
    suspended(app, principal).then(
      (yes) => yes && end('suspended'),
      (error) => app.logger.warn({ err: error }, 'could not re-check an organization'),
    );
  });

  const expiresAt = principal.expiresAt;
  if (expiresAt !== undefined) {
    const arm = () => {
      const left = expiresAt * 1000 - Date.now();
      if (left <= 0) return end('expired');
      timer = setTimeout(arm, Math.min(left, MAX_TIMER));
    };
    arm();
  }
  return stop;
}
