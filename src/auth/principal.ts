import type { App } from '../app.ts';
import { type AppError, unauthenticated } from '../errors.ts';
import { TokenVerificationError, verifyAccessToken } from './jwt.ts';

/** Who is making a request: a user (access JWT) or a service account (API token). */
export interface Principal {
  kind: 'user' | 'serviceAccount';
  /** The user's or the service account's id. */
  id: string;
  organizationId: string;
  scopes: readonly string[];
  /** When the credential stops being valid (Unix seconds), if it does. */
  expiresAt?: number;
}

const withStatus = (error: AppError) => {
  error.extensions.http = { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
  return error;
};

/** The bearer credential from an `Authorization` header value, or null. */
export function bearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : '';
}

/**
 * Resolves a bearer credential to a principal. No credential is anonymous (null); a bad
 * one is refused outright rather than silently treated as anonymous.
 */
export async function authenticate(app: App, credential: string | null, ip: string): Promise<Principal | null> {
  if (credential === null) return null;
  await app.limits.assertTokenAllowed(ip);
  try {
    if (credential === '') throw new TokenVerificationError('malformed');
    const claims = await verifyAccessToken(app.jwt, credential);
    return { kind: 'user', id: claims.sub, organizationId: claims.org, scopes: claims.scopes, expiresAt: claims.exp };
  } catch (error) {
    if (!(error instanceof TokenVerificationError)) throw error;
    await app.limits.tokenFailed(ip);
    throw withStatus(unauthenticated(error.reason === 'expired' ? 'expiredAccessToken' : 'invalidAccessToken'));
  }
}
