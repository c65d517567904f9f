// The one @herald/client of the page. The console is served by the Herald it manages, so it
// talks to its own origin. The refresh token is kept in sessionStorage: see docs/console.md.
import { createHeraldClient, HeraldError } from '@herald/client';
import { currentLocale } from './i18n.ts';

const PRODUCT_KEY = 'herald-console:product';

/** The product signed in to: `?product=` on the first page, then kept for the tab. */
export function product(): string | undefined {
  const named = new URLSearchParams(location.search).get('product');
  if (named) sessionStorage.setItem(PRODUCT_KEY, named);
  return named || sessionStorage.getItem(PRODUCT_KEY) || undefined;
}

export const herald = createHeraldClient({
  url: location.origin,
  product: product(),
  storage: 'session',
  locale: currentLocale(),
  storageKey: 'herald-console',
  // Every request names the console (the audit log records it) and asks for the language the
  // person picked, which may change while the page is open.
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-herald-client', 'console');
    headers.set('accept-language', currentLocale());
    return fetch(input, { ...init, headers });
  },
});

export { HeraldError };
