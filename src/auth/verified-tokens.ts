// A browser sends the same access token with every request for up to an hour, and checking
// its ES256 signature costs a fraction of a millisecond each time. Claims this instance has
// verified are kept until the token expires, so a repeated token costs a map lookup.
// Revocation does not rest on this: sessions are checked on every request regardless. The
// key that signed the token is checked on every hit as well: a key that stopped being
// accepted (a retired key whose time ran out) takes its cached tokens with it.
import { decodeProtectedHeader } from 'jose';
import type { AccessClaims } from './jwt.ts';
import type { SigningKeys } from './keys.ts';

const MAX_ENTRIES = 50_000;

interface Entry {
  claims: AccessClaims;
  /** The key that signed the token. */
  kid: string;
}

export interface VerifiedTokens {
  get(token: string): AccessClaims | undefined;
  /** Keeps claims that verifyAccessToken accepted for `token`. */
  remember(token: string, claims: AccessClaims): void;
}

export function createVerifiedTokens(keys: Pick<SigningKeys, 'verificationKey'>, max = MAX_ENTRIES): VerifiedTokens {
  const entries = new Map<string, Entry>();
  return {
    get(token) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      // Verified again, it is refused with its own message (expired, or unknown key).
      if (entry.claims.exp * 1000 <= Date.now() || !keys.verificationKey(entry.kid)) {
        entries.delete(token);
        return undefined;
      }
      return entry.claims;
    },
    remember(token, claims) {
      const { kid } = decodeProtectedHeader(token);
      if (!kid) return;
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(token, { claims, kid });
    },
  };
}

declare module '../platform/app.ts' {
  interface App {
    verifiedTokens: VerifiedTokens;
  }
}
