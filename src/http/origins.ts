// Which browser origins may call Herald: CORS answers them, and a browser WebSocket from any
// other origin is refused. Bearer tokens live in the frontend, not in cookies, but an open
// door still lets any page drive a visitor's browser against `register`, `login` or
// `requestPasswordReset`, and read what comes back.
import type { Config } from '../platform/config.ts';

/**
 * Whether pages of `origin` may call Herald. One function of the origin, so that it can grow
 * (per-product allowed origins) without its callers changing.
 */
export type OriginCheck = (origin: string) => boolean;

/** `localhost` (and its subdomains), 127.0.0.0/8 and [::1], on any port, over http or https. */
export function isLoopbackOrigin(origin: string): boolean {
  const url = URL.parse(origin);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function originCheck(config: Pick<Config, 'CORS_ORIGINS' | 'NODE_ENV'>): OriginCheck {
  // A sandboxed frame, a `data:` page or a file sends `Origin: null`: any page can make one,
  // so it is never trusted, whatever the configuration says.
  const allowed =
    (check: OriginCheck): OriginCheck =>
    (origin) =>
      origin !== 'null' && check(origin);
  if (config.CORS_ORIGINS) {
    const listed = new Set(config.CORS_ORIGINS);
    return allowed((origin) => listed.has(origin));
  }
  if (config.NODE_ENV === 'production') return () => false;
  return allowed(isLoopbackOrigin);
}

/**
 * Whether a request comes from a page Herald served itself (GraphiQL, the console): its
 * `Origin` is the request's own host, or PUBLIC_URL's origin (behind a proxy that rewrites
 * `Host`). A browser sets both headers, so a page elsewhere cannot claim this.
 */
export function isOwnOrigin(origin: string, host: string | null | undefined, publicUrl: string): boolean {
  const url = URL.parse(origin);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  return (!!host && url.host === host.toLowerCase()) || url.origin === URL.parse(publicUrl)?.origin;
}
