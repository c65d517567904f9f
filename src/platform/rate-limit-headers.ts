// The names of Herald's limits and how a response tells a client about them: the header fields
// of draft-ietf-httpapi-ratelimit-headers in the structured-field syntax of revision -08 and
// later (`RateLimit-Policy: "<name>";q=<quota>;w=<window>`, `RateLimit: "<name>";r=<remaining>;t=<reset>`),
// one list member per limit that applies, named as in `extensions.limit` and the metric.

/** Every limit a client can be refused by (`extensions.limit`), fixed by the design. */
export const LIMIT_NAMES = [
  'requestsPerMinute',
  'requestsPerDay',
  'concurrentRequests',
  'liveConnections',
  'apiToken.rateLimit',
  'apiToken.remaining',
  'oauthClient.rateLimit',
  'oauthClient.remaining',
  'extensionKey.rateLimit',
  'extensionKey.remaining',
  'signIn.ip',
  'signIn.account',
  'sockets.ip',
  'sockets.user',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** One limit that applies to a request, and where the request stands against it. */
export interface LimitPolicy {
  name: LimitName;
  /** The quota: requests (or slots) the window allows. */
  quota: number;
  /** The window in seconds; omitted for limits without one (requests in flight). */
  windowSeconds?: number;
  remaining: number;
  /** Seconds until the quota is restored. */
  resetSeconds: number;
}

export const RATE_LIMIT_HEADERS = ['RateLimit-Policy', 'RateLimit', 'Retry-After'] as const;

export function rateLimitHeaders(policies: readonly LimitPolicy[]): Record<string, string> {
  if (policies.length === 0) return {};
  return {
    'RateLimit-Policy': policies
      .map((p) => `"${p.name}";q=${p.quota}${p.windowSeconds === undefined ? '' : `;w=${p.windowSeconds}`}`)
      .join(', '),
    RateLimit: policies
      .map((p) => `"${p.name}";r=${Math.max(0, p.remaining)};t=${Math.max(0, Math.ceil(p.resetSeconds))}`)
      .join(', '),
  };
}
