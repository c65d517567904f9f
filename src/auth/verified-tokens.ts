// A browser sends the same access token with every request for up to an hour, and checking
// its ES256 signature costs a fraction of a millisecond each time. Claims this instance has
// verified are kept until the token expires, so a repeated token costs a map lookup.
// Revocation does not rest on this: sessions are checked on every request regardless.
import type { AccessClaims } from './jwt.ts';

const MAX_ENTRIES = 50_000;

export interface VerifiedTokens {
  get(token: string): AccessClaims | undefined;
  remember(token: string, claims: AccessClaims): void;
}

export function createVerifiedTokens(max = MAX_ENTRIES): VerifiedTokens {
  const entries = new Map<string, AccessClaims>();
  return {
    get(token) {
      const claims = entries.get(token);
      if (claims && claims.exp * 1000 <= Date.now()) {
        // Verified again, it is refused as expired with its own message.
        entries.delete(token);
        return undefined;
      }
      return claims;
    },
    remember(token, claims) {
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(token, claims);
    },
  };
}
