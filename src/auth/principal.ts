import type { Role } from '../generated/prisma/enums.ts';
import type { App } from '../platform/app.ts';
import type { CredentialLimits } from '../platform/credential-limits.ts';
import { type AppError, unauthenticated } from '../platform/errors.ts';
import { API_TOKEN_PREFIX, isWellFormedApiToken } from './api-token-format.ts';
import { type AccessClaims, issuedAtMs, TokenVerificationError, verifyAccessToken } from './jwt.ts';
import { ROLE_SCOPES } from './scopes.ts';

/**
 * The `type` claim of access tokens issued to OAuth clients at /oauth/token: they act as the
 * client's service account.
 */
export const CLIENT_CREDENTIALS_TOKEN_TYPE = 'client_credentials';

/** Who is making a request: a user (access JWT) or a service account (API token). */
export interface Principal {
  kind: 'user' | 'serviceAccount';
  /** The user's or the service account's id. */
  id: string;
  organizationId: string;
  scopes: readonly string[];
  /** A user's role in the organization, as their access token states it (see AccessClaims.role). */
  role?: Role;
  /** When the credential stops being valid (Unix seconds), if it does. */
  expiresAt?: number;
  /** The API token a service account acts through. */
  tokenId?: string;
  /** The OAuth client (its public client id) whose access token a service account acts through. */
  oauthClientId?: string;
  /** When an access token was signed (ms): it holds while no revocation came after. */
  issuedAtMs?: number;
  /** The scopes its credential was given, before its organization's features limited them to `scopes`. */
  grantedScopes?: readonly string[];
  /** Modules its organization's subscription leaves off: a refusal for one says FEATURE_DISABLED. */
  disabledModules?: readonly string[];
  /** The machine credential's own rate limit and budget (an API token's, an OAuth client's). */
  credentialLimits?: CredentialLimits;
}

const withStatus = (error: AppError) => {
  error.extensions.http = { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
  return error;
};

/**
 * The bearer credential from an `Authorization` header value: null without a header, '' for
 * a header that is not `Bearer <credential>` (a bare token, another scheme).
 */
export function bearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : '';
}

/**
 * Resolves a bearer credential to a principal. No credential is anonymous (null); a bad
 * one is refused outright rather than silently treated as anonymous. Only credentials that
 * prove guessing (malformed, a bad signature, an unknown key or API token) count against the
 * address's budget, and only they are refused for it: a valid credential always passes,
 * whatever its neighbours behind the same address sent.
 */
export async function authenticate(app: App, credential: string | null, ip: string): Promise<Principal | null> {
  if (credential === null) return null;
  if (credential.startsWith(API_TOKEN_PREFIX)) return authenticateApiToken(app, credential, ip);
  if (credential === '') {
    await app.limits.tokenGuessed(ip);
    throw withStatus(unauthenticated('authorizationScheme'));
  }
  let principal: Principal;
  try {
    let claims = app.verifiedTokens.get(credential);
    if (!claims) {
      claims = await verifyAccessToken(app.jwt, credential, ['access', CLIENT_CREDENTIALS_TOKEN_TYPE]);
      app.verifiedTokens.remember(credential, claims);
    }
    principal = principalOf(claims);
  } catch (error) {
    if (!(error instanceof TokenVerificationError)) throw error;
    // An expired token is one we signed (its signature is checked first): a client back
    // from sleep, not a guess.
    if (error.reason === 'expired') throw withStatus(unauthenticated('expiredAccessToken'));
    await app.limits.tokenGuessed(ip);
    throw withStatus(unauthenticated('invalidAccessToken'));
  }
  // A token we signed whose session ended since (logoutAll, a revoked client): the tabs and
  // sockets of someone signed out, which must not spend their address's budget.
  if (principal.oauthClientId) {
    // The client's own limits come with the check, from the same cached entry.
    const client = await app.oauthClients.check(principal.oauthClientId, principal.issuedAtMs ?? 0);
    if (!client.holds) throw withStatus(unauthenticated('oauthClientRevoked'));
    return { ...principal, credentialLimits: client.limits };
  }
  if (!(await sessionHolds(app, principal))) throw withStatus(unauthenticated('sessionEnded'));
  return principal;
}

/** A user's access token, or a service account's token from the client credentials grant. */
function principalOf(claims: AccessClaims): Principal {
  const common = {
    id: claims.sub,
    organizationId: claims.org,
    scopes: claims.scopes,
    expiresAt: claims.exp,
    issuedAtMs: issuedAtMs(claims),
  };
  if (claims.type !== CLIENT_CREDENTIALS_TOKEN_TYPE) {
    // The role's scopes, for the request's features to limit afresh (see AccessClaims.role).
    const role = claims.role && Object.hasOwn(ROLE_SCOPES, claims.role) ? (claims.role as Role) : undefined;
    return { kind: 'user', ...common, ...(role && { role, scopes: ROLE_SCOPES[role] }) };
  }
  if (!claims.client_id) throw new TokenVerificationError('invalid');
  return { kind: 'serviceAccount', ...common, oauthClientId: claims.client_id };
}

/** Whether an access token (a user's, or an OAuth client's) survived every revocation since it was signed. */
export function sessionHolds(app: App, principal: Principal): Promise<boolean> {
  if (principal.kind === 'user') {
    return app.sessions.holds(principal.id, principal.organizationId, principal.issuedAtMs ?? 0);
  }
  if (principal.oauthClientId) return app.oauthClients.holds(principal.oauthClientId, principal.issuedAtMs ?? 0);
  return Promise.resolve(true);
}

/** An API token acts as its service account, with the token's scopes. */
async function authenticateApiToken(app: App, secret: string, ip: string): Promise<Principal> {
  // The checksum refuses typos and made-up tokens before any lookup.
  const verification = isWellFormedApiToken(secret) ? await app.apiTokens.verify(secret) : null;
  if (!verification?.ok) {
    // Malformed or unknown proves guessing; a revoked or expired token was issued here.
    if (!verification || verification.reason === 'invalid') await app.limits.tokenGuessed(ip);
    throw withStatus(unauthenticated(verification?.reason === 'expired' ? 'expiredApiToken' : 'invalidApiToken'));
  }
  const { token } = verification;
  app.credentialUse.note({ kind: 'api_token', id: token.tokenId, organizationId: token.organizationId, ip });
  return {
    kind: 'serviceAccount',
    id: token.serviceAccountId,
    organizationId: token.organizationId,
    scopes: token.scopes,
    expiresAt: token.expiresAt === null ? undefined : Math.floor(token.expiresAt / 1000),
    tokenId: token.tokenId,
    credentialLimits: token.limits,
  };
}
