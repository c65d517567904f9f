// Who may hand out or act on a machine credential (API token, OAuth client). One rule for
// every step of a credential's life: the caller must hold every scope the credential holds.
// Creating, widening and rotating hand scopes out; changing, revoking and deleting act on a
// credential, and without this rule a token with write:tokens and little else could take
// down, rename or extend a write:* token. A service account's disabling, enabling and
// deletion act on every live credential it has, so they need the scopes of all of them.

import { beyondOwnScopes, type Caller, credentialBeyondOwnScopes, refuse, scopesNotHeld } from '../auth/caller.ts';
import type { Scope } from '../auth/scopes.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../platform/database/db.ts';

type Target = { type: string; id: string };

/** Refuses, and audits, handing out scopes the caller does not hold. */
export async function assertMayHandOut(caller: Caller, scopes: readonly Scope[], target?: Target) {
  const missing = await scopesNotHeld(caller, scopes);
  if (missing.length > 0) {
    throw await refuse(caller, 'token_scopes_beyond_caller', target, beyondOwnScopes(missing));
  }
}

/** Refuses, and audits, acting on credentials that hold scopes the caller does not. */
export async function assertMayActOn(caller: Caller, credentialScopes: readonly Scope[], target: Target) {
  const missing = await scopesNotHeld(caller, credentialScopes);
  if (missing.length > 0) throw await refusedActing(caller, missing, target);
}

export function refusedActing(caller: Caller, missing: readonly Scope[], target: Target) {
  return refuse(caller, 'credential_beyond_caller', target, credentialBeyondOwnScopes(missing));
}

/**
 * Every scope held by a service account's live credentials: its API tokens neither revoked
 * nor expired, and its OAuth clients not revoked (an OAuth client does not expire).
 */
export async function liveCredentialScopes(db: Db | Prisma.TransactionClient, serviceAccountId: string) {
  // One after the other: inside a transaction they share one connection.
  const tokens = await db.apiToken.findMany({
    where: { serviceAccountId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    select: { scopes: true },
  });
  const clients = await db.oAuthClient.findMany({
    where: { serviceAccountId, revokedAt: null },
    select: { scopes: true },
  });
  return [...new Set([...tokens, ...clients].flatMap((credential) => credential.scopes as Scope[]))];
}
