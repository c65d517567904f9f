// The shapes of origins Herald trusts on sight: loopback ones (for development) and its own
// pages; which origins each product allows is in product-origins.ts. Bearer tokens live in the
// frontend, not in cookies, but an open door still lets any page drive a visitor's browser
// against `register`, `login` or `requestPasswordReset`, and read what comes back.

/** `localhost` (and its subdomains), 127.0.0.0/8 and [::1], on any port, over http or https. */
export function isLoopbackOrigin(origin: string): boolean {
  const url = URL.parse(origin);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
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
