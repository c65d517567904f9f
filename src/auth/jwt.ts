import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { hasLowS, withLowS } from './ecdsa-low-s.ts';
import type { SigningKeys } from './keys.ts';

export interface AccessClaims {
  sub: string;
  org: string;
  scopes: string[];
  jti: string;
  exp: number;
  iat: number;
  type: string;
  /** The slug of the organization's product; absent from tokens signed before products. */
  product?: string;
  /** The OAuth client a client-credentials token was issued to (RFC 9068). */
  client_id?: string;
  /**
   * A user's role in `org` when the token was signed. `scopes` is a snapshot limited to the
   * features enabled then; Herald recomputes from the role on every request, so a feature
   * switched on applies before the next refresh. A role change ends the session.
   */
  role?: string;
}

export interface JwtSettings {
  keys: SigningKeys;
  issuer: string;
  audience: string;
}

export async function signAccessToken(
  settings: JwtSettings,
  claims: { sub: string; org: string; product: string; scopes: readonly string[] },
  ttlSeconds: number,
  type = 'access',
  /**
   * More claims; the header's `typ` (`at+jwt` for RFC 9068 access tokens); the instant the
   * token counts as issued at (ms), when it must be earlier than the signing.
   */
  options: { claims?: Record<string, unknown>; typ?: string; issuedAtMs?: number } = {},
): Promise<{ token: string; expiresIn: number; exp: number; jti: string }> {
  const issuedAt = options.issuedAtMs ?? Date.now();
  const iat = Math.floor(issuedAt / 1000);
  const exp = iat + ttlSeconds;
  // A UUIDv7 carries the issuing instant to the millisecond (see issuedAtMs).
  const jti = uuidv7({ msecs: issuedAt });
  const token = await new SignJWT({
    ...options.claims,
    org: claims.org,
    product: claims.product,
    scopes: [...claims.scopes],
    type,
  })
    .setProtectedHeader({ alg: 'ES256', kid: settings.keys.kid, typ: options.typ ?? 'JWT' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(claims.sub)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(settings.keys.privateKey);
  // WebCrypto gives either of a signature's two forms; verification accepts only the low one.
  return { token: withLowS(token), expiresIn: ttlSeconds, exp, jti };
}

export type VerifyFailure = 'malformed' | 'unknownKey' | 'invalid' | 'expired';

export class TokenVerificationError extends Error {
  readonly reason: VerifyFailure;
  constructor(reason: VerifyFailure) {
    super(`access token ${reason}`);
    this.reason = reason;
  }
}

/**
 * Verifies an access token. The algorithm is pinned to ES256, the key chosen by `kid`
 * among our own keys only: `alg: none`, HS256 and foreign keys never verify. A signature in
 * its high-S form (the twin of a valid one, see ecdsa-low-s.ts) is refused, so that a token
 * has exactly one valid encoding.
 */
export async function verifyAccessToken(
  settings: JwtSettings,
  token: string,
  type: string | readonly string[] = 'access',
): Promise<AccessClaims> {
  const types: readonly string[] = typeof type === 'string' ? [type] : type;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new TokenVerificationError('malformed');
  }
  const key = kid ? settings.keys.verificationKey(kid) : undefined;
  if (!key) throw new TokenVerificationError('unknownKey');
  if (!hasLowS(token)) throw new TokenVerificationError('invalid');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['iss', 'aud', 'sub', 'exp', 'iat', 'jti'],
    });
    if (
      typeof payload.type !== 'string' ||
      !types.includes(payload.type) ||
      (payload.client_id !== undefined && typeof payload.client_id !== 'string') ||
      (payload.product !== undefined && typeof payload.product !== 'string') ||
      (payload.role !== undefined && typeof payload.role !== 'string') ||
      typeof payload.org !== 'string' ||
      !Array.isArray(payload.scopes) ||
      !payload.scopes.every((s) => typeof s === 'string')
    ) {
      throw new TokenVerificationError('invalid');
    }
    return payload as unknown as AccessClaims;
  } catch (error) {
    if (error instanceof TokenVerificationError) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenVerificationError('expired');
    throw new TokenVerificationError('invalid');
  }
}

/**
 * When a token was signed, to the millisecond. `iat` has whole seconds only, which cannot
 * tell a token signed just before a logoutAll from the fresh one signed just after it; the
 * `jti` is a UUIDv7 whose first 48 bits are that instant. A jti that is no UUIDv7 of the
 * same second (tokens signed before this rule) counts from the start of its `iat` second.
 */
export function issuedAtMs(claims: Pick<AccessClaims, 'jti' | 'iat'>): number {
  const start = claims.iat * 1000;
  const match = /^([0-9a-f]{8})-([0-9a-f]{4})-7/i.exec(claims.jti);
  if (!match) return start;
  const ms = Number.parseInt(`${match[1]}${match[2]}`, 16);
  return ms >= start && ms < start + 1000 ? ms : start;
}

declare module '../platform/app.ts' {
  interface App {
    jwt: JwtSettings;
  }
}
