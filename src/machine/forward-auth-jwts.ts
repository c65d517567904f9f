// The JWTs that /api/tokens/validate hands a gateway for its upstream. Signing one ES256 JWT
// costs more than everything else the endpoint does, and a gateway asks on every request, so a
// JWT signed for an API token is handed out again for a short part of its life (REUSE_MS).
// Reuse never skips a check: the token is verified (revocation), limited and read afresh on
// every request before this cache is asked, and a JWT is reused only while the claims it
// carries are exactly those the request would sign now (scopes, organization, expiry).
import { type JwtSettings, signAccessToken } from '../auth/jwt.ts';

/** The `typ` header that tells these JWTs apart from access tokens (see docs/forward-auth.md). */
export const FORWARD_AUTH_JWT_TYP = 'herald-forward+jwt';
/** The `type` claim: the API token's service account acts. */
export const FORWARDED_TOKEN_TYPE = 'service_account';
/** The longest life of a forwarded JWT. */
export const FORWARD_AUTH_TTL_SECONDS = 15 * 60;
/**
 * How long one signed JWT is handed out again. A reused JWT has at least TTL − REUSE left
 * (14 minutes), so an upstream sees no difference; the bound keeps a JWT's `iat` recent.
 */
export const REUSE_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface ForwardedClaims {
  /** The API token the JWT stands for: the cache's key. */
  tokenId: string;
  sub: string;
  org: string;
  /** The organization's product: a slug never changes, but the claim is the JWT's, so it is compared too. */
  product: string;
  scopes: readonly string[];
  /** When the API token expires (Unix seconds), if it does. */
  credentialExpiresAt?: number;
}

export interface ForwardedJwt {
  token: string;
  exp: number;
}

export interface ForwardAuthJwts {
  /** A JWT for these claims: signed now, or one signed for the same claims less than REUSE_MS ago. */
  issue(claims: ForwardedClaims, nowMs?: number): Promise<ForwardedJwt>;
  /** Forgets every JWT signed (the benchmark measures signing with it). */
  forgetAll(): void;
}

interface Entry extends ForwardedJwt {
  /** Everything the JWT says, as one string: reuse needs an exact match. */
  claims: string;
  signedAt: number;
}

export function createForwardAuthJwts(settings: JwtSettings): ForwardAuthJwts {
  const byToken = new Map<string, Entry>();
  return {
    async issue(claims, nowMs = Date.now()) {
      const nowSeconds = Math.floor(nowMs / 1000);
      const left = claims.credentialExpiresAt ? claims.credentialExpiresAt - nowSeconds : FORWARD_AUTH_TTL_SECONDS;
      const ttl = Math.max(1, Math.min(FORWARD_AUTH_TTL_SECONDS, left));
      const described = `${claims.sub}\n${claims.org}\n${claims.product}\n${claims.scopes.join(' ')}\n${claims.credentialExpiresAt ?? ''}`;
      const cached = byToken.get(claims.tokenId);
      if (cached && cached.claims === described && nowMs - cached.signedAt < REUSE_MS && cached.exp > nowSeconds) {
        return cached;
      }
      const { token, exp } = await signAccessToken(
        settings,
        { sub: claims.sub, org: claims.org, product: claims.product, scopes: claims.scopes },
        ttl,
        FORWARDED_TOKEN_TYPE,
        { typ: FORWARD_AUTH_JWT_TYP, issuedAtMs: nowMs },
      );
      // Insertion order is age order: the first entry is the oldest.
      byToken.delete(claims.tokenId);
      if (byToken.size >= MAX_ENTRIES) byToken.delete(byToken.keys().next().value as string);
      const entry = { token, exp, claims: described, signedAt: nowMs };
      byToken.set(claims.tokenId, entry);
      return entry;
    },
    forgetAll: () => byToken.clear(),
  };
}

declare module '../platform/app.ts' {
  interface App {
    forwardAuthJwts: ForwardAuthJwts;
  }
}
