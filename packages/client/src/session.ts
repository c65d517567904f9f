export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
}

/** Who is signed in, in which organization, with what, until when. */
export interface Session {
  user: User;
  organization: Organization;
  scopes: readonly string[];
  /** When the access token in hand expires; the client renews it shortly before. */
  expiresAt: Date;
}

/** A token pair with what it is for: what the client holds in memory, and what tabs hand each other. */
export interface Pair {
  accessToken: string;
  refreshToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  user: User;
  organization: Organization;
  scopes: string[];
}

/** Herald's AuthPayload, as the client's own operations ask for it. */
export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scopes: string[];
  user: User;
  organization: Organization;
}

export const pairOf = (payload: AuthPayload, now: number): Pair => ({
  accessToken: payload.accessToken,
  refreshToken: payload.refreshToken,
  expiresAt: now + payload.expiresIn * 1000,
  user: payload.user,
  organization: payload.organization,
  scopes: payload.scopes,
});

export const sessionOf = (pair: Pair): Session => ({
  user: pair.user,
  organization: pair.organization,
  scopes: pair.scopes,
  expiresAt: new Date(pair.expiresAt),
});
